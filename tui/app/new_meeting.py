"""A new meeting: which body, which day. The body's roster, place and hours fill it in."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select


class NewMeeting(ModalScreen[tuple[str, dt.date] | None]):
    """Returns (body folder, date), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, bodies: dict[str, str], folder: str, date: dt.date, taken):
        super().__init__()
        self.bodies, self.folder, self.date = bodies, folder, date
        self.taken = taken
        """taken(folder, date) -> bool: a meeting file for that day exists."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("New meeting of")
            yield Select(
                [(name, folder) for folder, name in self.bodies.items()],
                value=self.folder,
                allow_blank=False,
                id="body",
            )
            yield Label("on (YYYY-MM-DD), then Enter")
            yield Input(self.date.isoformat(), id="date")
            yield Label("", id="date-problem", classes="problem")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = self.query_one("#date-problem", Label)
        try:
            date = dt.date.fromisoformat(event.value.strip())
        except ValueError:
            problem.update("Not a date: write it as 2024-09-13.")
            return
        folder = str(self.query_one("#body", Select).value)
        if self.taken(folder, date):
            problem.update("That body already has a meeting on that day.")
            return
        self.dismiss((folder, date))

    def action_cancel(self) -> None:
        self.dismiss(None)
