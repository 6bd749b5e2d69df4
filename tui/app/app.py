"""MinutesApp: themes, the command palette, keys in order, leaving safely; the browse screen
does the rest."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import signal
import time
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from rich.segment import Segment
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.color import Color
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from ..archive import Archive
from ..settings import save_theme, saved_theme, theme_folders
from ..terminal import UNSAFE, clean
from .browse import BrowseScreen
from .meeting_view import MeetingView
from .messages import EditChanged
from .themes import DEFAULT, VARIABLE_DEFAULTS, load_themes

STOPS = (signal.SIGHUP, signal.SIGTERM)
KEY_PATIENCE = 5.0
"""Seconds a key may take to be handled (its screen opened and focused) before the next one
is delivered anyway: a guard against a handler that never ends, far above the ~1 s a form
takes to open on a busy machine."""


class ControlCharacters(LineFilter):
    """The last guard: no control character in any text drawn reaches the terminal, where an
    escape sequence from a file could retitle it or write the clipboard. They have no width,
    so dropping them moves nothing; the app's own views show them as ␛ and the like."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(UNSAFE.sub("", segment.text), segment.style, segment.control)
            if not segment.control and UNSAFE.search(segment.text)
            else segment
            for segment in segments
        ]


class MinutesApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "minutes"
    # The house theme from the start: changing the theme parses every style sheet again.
    theme: Reactive[str] = Reactive(DEFAULT)
    BINDINGS = [
        Binding("q", "quit", "Quit"),
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
        self._control_filter = ControlCharacters()
        self._handlers: dict[int, Any] = {}
        self._keys: deque[events.Key] = deque()
        """Keys that arrived while an earlier one was being handled."""
        self._key_in_flight: events.Key | None = None
        self._key_back = False
        self._key_watch: asyncio.Task[None] | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: most carry text from files or git (a name, a
        path, an error), where `[/b]` is data, and as markup it would end the app."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return VARIABLE_DEFAULTS

    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), self._control_filter]

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda theme: save_theme(theme.name))
        for problem in self.theme_problems:
            self.notify(problem, severity="warning", timeout=8)
        # A dropped SSH connection hangs up; a shutdown terminates: the edit's draft first.
        self._handlers = {n: signal.signal(n, self._stopped) for n in STOPS}
        self.push_screen(BrowseScreen(self.archive, self.today))

    def on_unmount(self) -> None:
        for number, handler in self._handlers.items():
            signal.signal(number, handler)
        if self._key_watch is not None:
            self._key_watch.cancel()

    def _stopped(self, number: int, _frame: FrameType | None) -> None:
        browse = self.browse()
        if browse is not None:
            browse.keep_draft()
        self.exit(return_code=128 + number)

    def browse(self) -> BrowseScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, BrowseScreen)), None)

    def on_edit_changed(self, _message: EditChanged) -> None:
        browse = self.browse()
        if browse is not None:
            browse.draft_due()

    # --- keys in order ----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Each key is delivered once the one before has been handled: a burst of keys (over
        SSH a line typed quickly arrives at once) goes where the screen shows the focus, in
        order, even when a key opens a form or moves the focus. Textual forwards a key to the
        focused widget's queue and runs a binding only when the key bubbles back here, by
        which time later keys would already sit in the old widget's queue."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._keys.append(event)
            if self._key_in_flight is None:
                await self._deliver_next_key()
            return
        await super().on_event(event)
        if event is self._key_in_flight:  # back from the widgets: its binding has run
            self._key_back = True

    @property
    def keys_pending(self) -> bool:
        """Keys have arrived that are not yet handled."""
        return self._key_in_flight is not None or bool(self._keys)

    async def _deliver_next_key(self) -> None:
        if not self._keys or not self.is_running:
            self._key_in_flight = None
            return
        key = self._keys.popleft()
        self._key_in_flight, self._key_back = key, False
        await super().on_event(key)  # a priority binding, or forwarded to the focus
        self._key_watch = asyncio.create_task(self._when_handled(key))

    async def _when_handled(self, key: events.Key) -> None:
        """Until the key is handled (a widget kept it, or its binding ran) and what it did
        has settled (a form it opened has mounted and focused a field), then the next."""
        deadline = time.monotonic() + KEY_PATIENCE
        screen = None
        while time.monotonic() < deadline:
            handled = self._key_back or key._stop_propagation or not key.is_forwarded
            nodes = list(self.screen.walk_children(Widget, with_self=True))
            # Composing and mounting bypass the queues: a screen is ready once mounted.
            busy = any(node.message_queue_size or not node.is_mounted for node in nodes)
            if handled and screen is self.screen and not busy:
                break
            screen = self.screen
            try:
                await asyncio.wait_for(_processed(nodes), deadline - time.monotonic())
            except TimeoutError:
                break
        self.call_later(self._deliver_next_key)

    # --- the command palette and help --------------------------------------------------------

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

    # --- leaving ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Every way out (q, Ctrl+Q, the palette's Quit) asks first when an edit, or a form's
        change, is unsaved."""
        from .dialogs import Confirm

        browse = self.browse()
        if browse is None or not browse.unsaved:
            self.exit()
            return
        if isinstance(self.screen, Confirm):
            return  # already asking

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                browse.give_up_edit()
                self.exit()

        self.push_screen(
            Confirm("There are unsaved changes. Quit and lose them?", "Quit", "Stay"), answered
        )


async def _processed(nodes: list) -> None:
    """Until each node has handled what was waiting for it (a callback queued behind it)."""
    done = asyncio.Event()
    waiting = 0

    def one_done() -> None:
        nonlocal waiting
        waiting -= 1
        if not waiting:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            waiting += 1
    if waiting:
        await done.wait()
