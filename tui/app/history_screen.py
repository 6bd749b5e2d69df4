"""A meeting's history: its commits, and for the selected one what changed, decisions first."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..history import History, Version
from ..repository import Repository
from ..terminal import clean
from .rendering import change_text


class HistoryScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, repository: Repository, path: Path, title: str):
        super().__init__()
        self.repository, self.path, self.title_text = repository, path, title
        self.versions: list[Version] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f"History of {clean(self.title_text)}", style="bold"), id="status")
        with Horizontal():
            yield OptionList(id="versions")
            with VerticalScroll(id="changes"):
                yield Static("Reading the history…", id="change-text")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="git")
    def load(self) -> None:
        versions = History(self.repository).of(self.path)
        self.app.call_from_thread(self.show, versions)

    def show(self, versions: list[Version]) -> None:
        self.versions = versions
        options = self.query_one("#versions", OptionList)
        options.set_options(
            Option(Text(clean(f"{v.date:%Y-%m-%d} {v.author}\n  {v.subject}")), id=str(i))
            for i, v in enumerate(versions)
        )
        if versions:
            options.highlighted = 0
            options.focus()
        else:
            self.query_one("#change-text", Static).update("No commits touch this meeting yet.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        version = self.versions[int(event.option.id or 0)]
        text = Text(
            clean(f"{version.commit[:10]}  {version.author} <{version.email}>\n"), style="dim"
        )
        if version.problem:
            text.append(clean(version.problem) + "\n", style="red")
        for change in version.changes:
            text.append_text(change_text(change))
            text.append("\n\n")
        self.query_one("#change-text", Static).update(text)
