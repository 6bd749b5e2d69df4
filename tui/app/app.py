"""MinutesApp: themes, the command palette, quitting safely; the browse screen does the rest."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen

from ..archive import Archive
from ..repository import Repository, repository_for
from ..settings import save_theme, saved_theme, theme_folders
from .browse import BrowseScreen
from .meeting_view import MeetingView
from .themes import DEFAULT, VARIABLE_DEFAULTS, load_themes


class MinutesApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "minutes"
    # The house theme from the start: changing the theme parses every style sheet again.
    theme: Reactive[str] = Reactive(DEFAULT)
    BINDINGS = [
        Binding("q", "quit_safely", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(
        self, archive: Archive, today: dt.date | None = None, themes: list[Path] | None = None
    ):
        super().__init__()
        self.archive = archive
        self.today = today or dt.date.today()
        gc.freeze()  # what the imports made lives as long as the app: no collection need walk it
        loaded, self.theme_problems = load_themes(themes if themes is not None else theme_folders())
        for theme in loaded:
            self.register_theme(theme)
        self.stylesheet.set_variables(self.get_css_variables())  # read before "minutes" existed
        chosen = saved_theme()
        if chosen != DEFAULT and chosen in self.available_themes:
            self.theme = chosen
        elif DEFAULT not in self.available_themes:
            self.theme = "textual-dark"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return VARIABLE_DEFAULTS

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda theme: save_theme(theme.name))
        for problem in self.theme_problems:
            self.notify(problem, severity="warning", timeout=8)
        self.push_screen(BrowseScreen(self.archive, self.today))

    def repository(self) -> Repository:
        return repository_for(self.archive.root)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the browse screen and its meeting, found by name, with its keys."""
        yield from super().get_system_commands(screen)
        nodes = (screen, screen.query_one(MeetingView)) if isinstance(screen, BrowseScreen) else ()
        for node in nodes:
            for binding in node.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    keys = ", ".join(map(self.get_key_display, Binding.make_bindings([binding])))
                    help_text = f"{binding.tooltip} ({keys})" if binding.tooltip else f"({keys})"
                    action = partial(node.run_action, binding.action)
                    yield SystemCommand(binding.description, help_text, action)
        yield SystemCommand("Help", "Every key (? or F1)", self.action_help)

    def action_help(self) -> None:
        from .help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quit_safely(self) -> None:
        browse = next((s for s in self.screen_stack if isinstance(s, BrowseScreen)), None)
        if browse is None or not browse.unsaved:
            self.exit()
            return

        from .dialogs import Confirm

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(
            Confirm("There are unsaved changes. Quit and lose them?", "Quit", "Stay"), answered
        )
