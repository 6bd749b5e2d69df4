"""Search across all meetings as you type; a result opens its meeting at its §, with the words
found marked.

The search index is brought up to date first, in a worker (`Indexing… N of M` while it reads;
much to read, such as a first build, in a process of its own: see `refresh_aside`);
each search then asks it in a worker of its own, a little after the typing pauses, and only
the answer to the latest is shown. Where no index can be kept (a `.git` that cannot be
written) Enter scans the files, as typing would be too slow for that.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from ..archive import Archive, Entry
from ..search_index import LIMIT, Found, SearchIndex, Unavailable, refresh_aside, scan
from ..search_query import Query, QueryError, Term, parse
from ..terminal import clean
from .key_bar import KeyBar
from .messages import Indexing, IndexReady, SearchDone
from .rendering import MARK

PAUSE = 0.05
"""Seconds of no typing before a search starts (three frames): a burst of keys asks once."""
HELP = 'Words, "a phrase", kompetens*, and body: year: date: field: person:'


class Chosen(NamedTuple):
    entry: Entry
    number: int | None
    """The § to open at; None: the meeting's attendance."""
    terms: tuple[Term, ...]
    """The words to mark in the meeting."""


class _Stopped(Exception):
    """The screen closed while the index was being brought up to date."""


class SearchScreen(Screen[Chosen | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(self, archive: Archive):
        super().__init__()
        self.archive = archive
        self.ready = False
        self.git_dir: Path | None = None
        self.asked = 0
        self.to_results = False
        """Enter was pressed on the query: the results take the focus when they come."""
        self.found: list[Found] = []
        self.terms: tuple[Term, ...] = ()
        self._pause: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="status")
        yield Input(placeholder="search every meeting", id="query")
        yield OptionList(id="results")
        yield KeyBar({"query": ("results",)})

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.prepare()

    # --- the index ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def prepare(self) -> None:
        from ..repository import RepositoryError, repository_for

        try:
            git_dir: Path | None = repository_for(self.archive.root).git_dir
        except RepositoryError:
            git_dir = None
        worker, told = get_current_worker(), [0.0]

        def progress(done: int, of: int) -> None:
            if worker.is_cancelled:
                raise _Stopped
            if time.monotonic() - told[0] > 0.1:
                told[0] = time.monotonic()
                self.post_message(Indexing(done, of))

        if git_dir is not None:
            try:
                refresh_aside(self.archive, git_dir, progress)
            except Unavailable:
                git_dir = None
            except _Stopped:
                return
        self.post_message(IndexReady(git_dir))

    def on_indexing(self, message: Indexing) -> None:
        self._say(f"Indexing… {message.done:,} of {message.of:,} meetings")

    def on_index_ready(self, message: IndexReady) -> None:
        self.ready, self.git_dir = True, message.git_dir
        if message.git_dir is None:
            self._say("No search index can be kept here: Enter searches every file (slower)")
        else:
            self._say(HELP)
        if message.git_dir is not None or self.to_results:  # typed, or Enter, while it was read
            self.start(self.query_one("#query", Input).value)

    # --- searching ----------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        if self._pause is not None:
            self._pause.stop()
        if self.git_dir is not None:
            self._pause = self.set_timer(PAUSE, lambda: self.start(event.value))

    @on(Input.Submitted, "#query")
    def submitted(self, event: Input.Submitted) -> None:
        if self._pause is not None:
            self._pause.stop()
        self.to_results = True
        self.start(event.value)

    def start(self, text: str) -> None:
        """Search for `text` once the index is ready (it starts the latest query itself)."""
        if not self.ready:
            return
        try:
            query = parse(text, typing=True)
        except QueryError as error:
            self._show([], ())
            self._say(str(error))
            return
        if not query:
            self._show([], ())
            self._say(HELP)
            return
        self.asked += 1
        if self.git_dir is None:
            self._say("Searching every file…")
        self.run_search(self.asked, query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, asked: int, query: Query) -> None:
        results = None
        if self.git_dir is not None:
            try:
                with SearchIndex(self.archive, self.git_dir) as index:
                    results = index.search(query, LIMIT)
            except Unavailable:
                pass
        if results is None:
            results = scan(self.archive, query, LIMIT)
        bodies = {f.entry.folder: self.archive.body_name(f.entry.folder) for f in results.found}
        self.post_message(SearchDone(asked, query, results, bodies))

    def on_search_done(self, message: SearchDone) -> None:
        if message.asked != self.asked:
            return  # a newer search is on its way
        results = message.results
        self._show(results.found, message.query.terms or message.query.people, message.bodies)
        count, total = len(results.found), results.total
        if total == count:
            said = f"{count:,} {'place' if count == 1 else 'places'}"
        else:
            said = f"The first {count:,} of {'more' if total is None else f'{total:,}'} places"
        self._say(said + ("" if results.indexed else ", every file searched"))
        if self.to_results and results.found:
            self.to_results = False
            self.query_one("#results", OptionList).focus()

    def _show(
        self, found: list[Found], terms: tuple[Term, ...], bodies: dict[str, str] | None = None
    ) -> None:
        self.found, self.terms = found, terms
        results = self.query_one("#results", OptionList)
        results.set_options(
            Option(_line(f, (bodies or {}).get(f.entry.folder, f.entry.folder)), id=str(i))
            for i, f in enumerate(found)
        )
        if found:
            results.highlighted = 0

    def _say(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(clean(text)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The search failed: say why, and stay."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from .browse import explain

            self._say(f"The search failed: {explain(event.worker.error)}")

    # --- choosing -----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        found = self.found[int(event.option.id or 0)]
        self.dismiss(Chosen(found.entry, found.hit.number, self.terms))

    def action_results(self) -> None:
        """Down from the query: to the results, or searching first when there are none."""
        results = self.query_one("#results", OptionList)
        query = self.query_one("#query", Input)
        if results.option_count:
            results.focus()
        elif query.has_focus and query.value.strip():
            self.to_results = True
            self.start(query.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _line(found: Found, body: str) -> Text:
    """A result on two lines: where it is, then its snippet with the words found marked. Text
    from files is data: appended, never read as markup."""
    hit = found.hit
    where = f"§{hit.number} {hit.field}" if hit.number is not None else hit.field
    line = Text()
    line.append(clean(f"{found.entry.date}  {where}  {body}"), style="bold")
    line.append("\n  ")
    start = len(line)
    line.append(hit.snippet)  # clean already, and the marks are its own
    for a, b in hit.marks:
        line.stylize(MARK, start + a, start + b)
    return line
