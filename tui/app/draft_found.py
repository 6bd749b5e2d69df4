"""An unsaved edit kept from an earlier run (the app was closed, killed or cut off): restore
it, compare it with the file first, or discard it. Escape decides later: the file is shown and
the edit stays kept."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..diff import Change
from ..terminal import clean
from .history_screen import change_text

RESTORE, COMPARE, DISCARD = "restore", "compare", "discard"


class DraftFound(ModalScreen[str | None]):
    """Returns RESTORE, DISCARD, or None (decide later)."""

    BINDINGS = [
        Binding("r", "choose('restore')", "Restore"),
        Binding("c", "compare", "Compare"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape", "choose('')", "Decide later"),
    ]

    def __init__(
        self,
        name: str,
        kept_at: dt.datetime,
        changes: list[Change] | None,
        moved_on: bool,
        more: int = 0,
    ):
        super().__init__()
        self.name_text, self.kept_at, self.changes = name, kept_at, changes
        self.moved_on = moved_on
        """The file changed since the edit began: saving it will show both versions."""
        self.more = more
        """Older kept edits of the meeting, offered after this one is discarded."""

    def compose(self) -> ComposeResult:
        kept = f"An unsaved edit of {self.name_text} was kept on {self.kept_at:%a %d %b %H:%M}."
        question = Text(clean(kept) + "\n", style="bold")
        if self.moved_on:
            question.append("The file has changed since; saving the edit shows both versions.\n")
        if self.more:
            question.append(f"{self.more} older kept edit(s) follow if you discard this one.\n")
        if self.changes is None:
            question.append("The kept edit no longer reads as a meeting.\n")
        else:
            count = len(self.changes)
            question.append(f"It makes {count} {'change' if count == 1 else 'changes'}.\n")
        with Vertical(classes="dialog draft"):
            yield Static(question, id="draft-question")
            with VerticalScroll(id="draft-changes"):
                yield Static(self._changes())
            with Horizontal(classes="buttons"):
                yield Button("Restore (r)", id=RESTORE, variant="warning")
                yield Button("Compare (c)", id=COMPARE)
                yield Button("Discard (d)", id=DISCARD, variant="error")

    def _changes(self) -> Content:
        parts: list[str | tuple[str, str] | Content] = [
            ("From the file as it is to the kept edit:", "bold"),
            "\n\n",
        ]
        for change in self.changes or ():
            parts += [change_text(change, markers=self.app.no_color), "\n\n"]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#draft-changes").display = False
        self.query_one(f"#{RESTORE}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == COMPARE:
            self.action_compare()
        else:
            self.action_choose(event.button.id or "")

    def action_compare(self) -> None:
        changes = self.query_one("#draft-changes")
        changes.display = not changes.display

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
