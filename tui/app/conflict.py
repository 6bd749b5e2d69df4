"""When a save meets a file that changed on disk: both versions side by side as changes, and
the choice of which to keep. Nothing is written until the user chooses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..diff import Change
from ..terminal import clean
from .history_screen import change_text

MINE, THEIRS = "mine", "theirs"


class Conflict(ModalScreen[str | None]):
    """Returns MINE (save over the file), THEIRS (reload it, dropping the edit) or None."""

    BINDINGS = [Binding("escape", "dismiss_conflict", "Decide later")]

    def __init__(self, name: str, changes: list[Change] | None):
        super().__init__()
        self.name_text, self.changes = name, changes

    def compose(self) -> ComposeResult:
        parts: list[str | tuple[str, str] | Content] = [
            (clean(f"{self.name_text} changed on disk since you opened it."), "bold"),
            "\n",
        ]
        if self.changes is None:
            parts.append("The file on disk cannot be read as a meeting.\n")
        else:
            parts.append("From the file on disk to your version:\n\n")
            for change in self.changes:
                parts += [change_text(change, markers=self.app.no_color), "\n\n"]
        with Vertical(classes="dialog conflict"):
            with VerticalScroll():
                yield Static(Content.assemble(*parts))
            with Horizontal(classes="buttons"):
                yield Button("Keep mine", id=MINE, variant="warning")
                yield Button("Take theirs", id=THEIRS, variant="error")
                yield Button("Decide later", id="later", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#later", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id if event.button.id in (MINE, THEIRS) else None)

    def action_dismiss_conflict(self) -> None:
        self.dismiss(None)
