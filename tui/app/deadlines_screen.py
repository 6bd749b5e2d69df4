"""The archive's protocols: first what the law asks next of them (those to justera, notices
to post, notices that may come down, most urgent first), then every protocol, newest first,
with where it stands. Enter opens the protocol."""

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
from ..terminal import clean
from .key_bar import KeyBar
from .messages import ProtocolsRead


class DeadlinesScreen(Screen[Entry | None]):
    """Returns the protocol chosen, or None."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, archive: Archive, today: dt.date):
        super().__init__()
        self.archive = archive
        self.today = today
        self.keys: list[str | None] = []
        """The meeting of each line of the list; None for a heading."""

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

        protocols = Protocols(self.archive)
        every = list(protocols.every(self.today))
        self.post_message(ProtocolsRead(protocols.due(self.today, every), every))

    def on_protocols_read(self, message: ProtocolsRead) -> None:
        options: list[Option] = [Option(Text("To act on", style="bold"), disabled=True)]
        self.keys = [None]
        for row in message.due:
            options.append(Option(Text(clean(_line(row.key, row.body, row.stage.text())))))
            self.keys.append(row.key)
        if not message.due:
            options.append(
                Option("  nothing: every protocol is justerat and announced", disabled=True)
            )
            self.keys.append(None)
        options.append(Option(Text("Every protocol, newest first", style="bold"), disabled=True))
        self.keys.append(None)
        for state in reversed(message.every):
            body = self.archive.body_name(state.entry.folder)
            options.append(Option(Text(clean(_line(state.entry.key, body, state.phrase())))))
            self.keys.append(state.entry.key)
        rows = self.query_one(OptionList)
        rows.set_options(options)
        count = len(message.due)
        self.query_one("#status", Static).update(
            f"Protocols on {self.today}: "
            + (f"{count} to act on" if count else "nothing to act on")
            + f", {len(message.every)} in all"
        )
        rows.highlighted = next((i for i, key in enumerate(self.keys) if key), None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from .browse import explain

            self.query_one("#status", Static).update(
                Text(clean(f"The protocols could not be read: {explain(event.worker.error)}"))
            )

    @on(OptionList.OptionSelected, "#due")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        key = self.keys[event.option_index]
        if key is not None:
            self.dismiss(next((e for e in self.archive.entries() if e.key == key), None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _line(key: str, body: str, standing: str) -> str:
    return f"{key.removesuffix('.toml')}  {body}\n  {standing}"
