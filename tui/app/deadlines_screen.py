"""What the law asks next of the archive's protocols: those to justera, notices to post,
notices that may come down, most urgent first. Enter opens the protocol."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ..archive import Archive, Entry
from ..deadlines import Due
from ..terminal import clean
from .key_bar import KeyBar
from .messages import DueRead


class DeadlinesScreen(Screen[Entry | None]):
    """Returns the protocol chosen, or None."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, archive: Archive, today: dt.date):
        super().__init__()
        self.archive = archive
        self.today = today
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("Reading the protocols and their signatures…", id="status")
        yield OptionList(id="due")
        yield KeyBar({"due": ("select", "cancel")})

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.read_due()

    @work(thread=True, exclusive=True, group="due", exit_on_error=False)
    def read_due(self) -> None:
        from ..lifecycle import Protocols

        self.post_message(DueRead(Protocols(self.archive).due(self.today)))

    def on_due_read(self, message: DueRead) -> None:
        self.keys = [row.key for row in message.due]
        rows = self.query_one(OptionList)
        rows.set_options(Option(Text(clean(_row(row)))) for row in message.due)
        count = len(message.due)
        self.query_one("#status", Static).update(
            f"Deadlines on {self.today}: "
            + (f"{count} protocol{'' if count == 1 else 's'} to act on" if count else "none")
        )
        if count:
            rows.highlighted = 0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from .browse import explain

            self.query_one("#status", Static).update(
                Text(clean(f"The protocols could not be read: {explain(event.worker.error)}"))
            )

    @on(OptionList.OptionSelected, "#due")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        key = self.keys[event.option_index]
        self.dismiss(next((e for e in self.archive.entries() if e.key == key), None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _row(row: Due) -> str:
    return f"{row.key.removesuffix('.toml')}  {row.body}\n  {row.stage.text()}"
