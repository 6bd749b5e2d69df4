"""History: a meeting's commits, or every changed decision in the archive; for the selected
commit what changed, decisions first. c marks a version to compare any other one with."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ..diff import Change
from ..history import History, Version
from ..repository import Repository
from ..terminal import clean
from .key_bar import KeyBar
from .messages import HistoryRead


class HistoryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("c", "compare", "Compare from here"),
    ]

    def __init__(
        self,
        repository: Repository,
        title: str,
        versions: Callable[[History], list[Version]],
        show_file: bool = False,
    ):
        super().__init__()
        self.repository, self.title_text, self.read = repository, title, versions
        self.show_file = show_file
        self.versions: list[Version] = []
        self.history: History | None = None
        self.base: Version | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(clean(self.title_text), style="bold"), id="status")
        with Horizontal():
            yield OptionList(id="versions")
            with VerticalScroll(id="changes"):
                yield Static("Reading the history…", id="change-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        history = History(self.repository)
        versions = self.read(history)
        self.post_message(HistoryRead(history, versions))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The history could not be read: say why, and stay."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from .browse import explain

            self.query_one("#change-text", Static).update(
                Text(clean(f"The history cannot be read: {explain(event.worker.error)}"))
            )

    def on_history_read(self, message: HistoryRead) -> None:
        history, versions = message.history, message.versions
        self.history, self.versions = history, versions
        options = self.query_one("#versions", OptionList)
        options.set_options(
            Option(Text(clean(self._label(v))), id=str(i)) for i, v in enumerate(versions)
        )
        if versions:
            options.highlighted = 0
            options.focus()
        else:
            self.query_one("#change-text", Static).update("No commits to show.")

    def _label(self, version: Version) -> str:
        where = (
            f"{version.path.rsplit('/', 1)[-1].removesuffix('.toml')} " if self.show_file else ""
        )
        return f"{where}{version.date:%Y-%m-%d} {version.author}\n  {version.subject}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(self.versions[int(event.option.id or 0)])

    def _describe(self, version: Version) -> None:
        parts: list[str | tuple[str, str] | Content] = [
            (clean(f"{version.commit[:10]}  {version.author} <{version.email}>"), "$text-muted"),
            "\n",
        ]
        changes, problem = version.changes, version.problem
        if self.base is not None and self.base != version and self.history is not None:
            older, newer = sorted((self.base, version), key=lambda v: v.date)
            changes, problem = self.history.compare(older, newer)
            parts += [
                (clean(f"Compared with {self.base.commit[:10]} ({self.base.subject})"), "bold"),
                "\n",
            ]
        if problem:
            parts += [(clean(problem), "$text-error"), "\n"]
        for change in changes:
            parts += [change_text(change, markers=self.app.no_color), "\n\n"]
        if not changes and not problem:
            parts.append("No changes.")
        self.query_one("#change-text", Static).update(Content.assemble(*parts))

    def action_compare(self) -> None:
        option = self.query_one("#versions", OptionList).highlighted_option
        if option is None:
            return
        chosen = self.versions[int(option.id or 0)]
        self.base = None if self.base == chosen else chosen
        self.notify(
            "Comparing each version with the marked one." if self.base else "Comparison off."
        )
        self._describe(chosen)


DELETED, INSERTED = "$text-error strike", "$text-success underline"
"""Styles of changed words: told apart by strike-through and underline where colour is not
seen, and coloured from the theme, whose text colours are checked for contrast."""


def change_text(change: Change, markers: bool = False) -> Content:
    """A change with its words, deleted ones struck through and inserted ones underlined; a
    short value reads `old → new`. `markers` (for NO_COLOR) adds `[-deleted-]{+inserted+}`, as
    the command line writes when piped: without colour only the strike-through and underline
    tell the words apart, and not every terminal draws them."""
    parts: list[str | tuple[str, str]] = [(clean(change.describe()), "bold")]
    if change.is_short:  # 09:00 → 11:30, not the glued words 0911:0030
        parts.append("\n")
        if change.old:
            parts.append((clean(change.old), DELETED))
        if change.old and change.new:
            parts.append(" → ")
        if change.new:
            parts.append((clean(change.new), INSERTED))
    elif change.field and (change.old or change.new):
        parts.append("\n")
        for op, words in change.words or ():
            text = clean(words)
            if op == "=":
                parts.append(text)
            elif markers:
                opening, closing = ("[-", "-]") if op == "-" else ("{+", "+}")
                parts += [opening, (text, DELETED if op == "-" else INSERTED), closing]
            else:
                parts.append((text, DELETED if op == "-" else INSERTED))
    return Content.assemble(*parts)
