"""Search across all meetings; a result opens its meeting at the matching §."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ..archive import Archive, Entry
from ..terminal import clean
from .key_bar import KeyBar
from .messages import SearchDone


class SearchScreen(Screen[tuple[Entry, int | None] | None]):
    """Returns (meeting, §) of the chosen result, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(self, archive: Archive):
        super().__init__()
        self.archive = archive
        self.results: list[tuple[Entry, int | None]] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Search all meetings: words in titles, texts and names; Enter searches", id="status"
        )
        yield Input(placeholder="search", id="query")
        yield OptionList(id="results")
        yield KeyBar({"query": ("submit", "results")})

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    @on(Input.Submitted, "#query")
    def submitted(self, event: Input.Submitted) -> None:
        self.start(event.value)

    def start(self, query: str) -> None:
        self.query_one("#status", Static).update("Searching…")
        self.run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        found: list[tuple[Entry, int | None, str]] = []
        for entry, hit in self.archive.search(query):
            where = f"§{hit.number} {hit.where}" if hit.number else hit.where
            found.append((entry, hit.number, f"{entry.date} {where}: {hit.snippet}"))
        self.post_message(SearchDone(query, found, len(self.archive.entries())))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The search failed: say why, and stay."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from .browse import explain

            self.query_one("#status", Static).update(
                Text(clean(f"The search failed: {explain(event.worker.error)}"))
            )

    def on_search_done(self, message: SearchDone) -> None:
        query, found, searched = message.query, message.found, message.searched
        self.results = [(entry, number) for entry, number, _ in found]
        results = self.query_one("#results", OptionList)
        results.set_options(
            Option(Text(clean(line)), id=str(i)) for i, (*_, line) in enumerate(found)
        )
        self.query_one("#status", Static).update(
            Text(
                clean(
                    f"{len(found)} {'place' if len(found) == 1 else 'places'} for “{query}” "
                    f"in {searched} {'meeting' if searched == 1 else 'meetings'}"
                )
            )
        )
        if found:
            results.highlighted = 0
            results.focus()

    @on(OptionList.OptionSelected, "#results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.results[int(event.option.id or 0)])

    def action_results(self) -> None:
        """Down from the query: to the results, or searching first when there are none."""
        results = self.query_one("#results", OptionList)
        query = self.query_one("#query", Input)
        if results.option_count:
            results.focus()
        elif query.has_focus and query.value.strip():
            self.start(query.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
