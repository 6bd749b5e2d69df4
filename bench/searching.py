"""The search index on 10,000 meetings: built whole, asked four kinds of question, and brought up
to date after one save."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import generate
from bench.publishing import committed

COUNT = 10_000
QUESTIONS = {
    "a word in every meeting": "västmanland",
    "a rare word": "1234",  # "Möte 1234 i …": one meeting of each body
    "a phrase": '"lärande i arbete"',
    "a filtered question": "informationen field:decision year:2023.. body:styrelsen",
}


def archive(workdir: Path) -> Path:
    return committed(generate(workdir / "search", COUNT))


def median_of(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build(root: Path) -> tuple[float, float]:
    """(seconds to build the index from nothing, seconds to read every file's bytes once)."""
    from tui.archive import Archive
    from tui.search_index import SearchIndex

    archive = Archive(root)
    started = time.perf_counter()
    with SearchIndex(archive, root / ".git") as index:
        assert index.refresh() == COUNT
    ours = time.perf_counter() - started
    paths = [entry.path for entry in archive.entries()]
    return ours, median_of(lambda: [p.read_bytes() for p in paths], runs=3)


def questions(root: Path) -> dict[str, float]:
    """Seconds each question takes of an open, up-to-date index."""
    from tui.archive import Archive
    from tui.search_index import SearchIndex
    from tui.search_query import parse

    with SearchIndex(Archive(root), root / ".git") as index:
        assert index.refresh() == 0
        found = {}
        for name, text in QUESTIONS.items():
            query = parse(text)
            assert index.search(query).found, text
            found[name] = median_of(lambda query=query: index.search(query), runs=21)
        return found


def looking(root: Path) -> tuple[float, float]:
    """(seconds a search takes to see what changed: a stat of every file, against the index;
    seconds `list` takes with every header remembered: a stat of every file)."""
    from tui.archive import Archive
    from tui.search_index import SearchIndex

    archive = Archive(root)
    archive.summaries()
    with SearchIndex(archive, root / ".git") as index:
        return median_of(index.changes, runs=11), median_of(archive.summaries, runs=11)


def after_save(root: Path, runs: int = 11) -> tuple[float, float]:
    """(seconds to read one saved meeting into the index again, seconds the save took),
    medians of saves of one § of one meeting."""
    from tui.archive import Archive
    from tui.format.files import dumps_meeting, load_meeting
    from tui.repository import Repository
    from tui.saving import save_meeting
    from tui.search_index import SearchIndex

    archive = Archive(root)
    entry = archive.entries()[-100]
    meeting, _ = load_meeting(entry.path)
    repository = Repository(root)
    saves, updates = [], []
    with SearchIndex(archive, root / ".git") as index:
        for run in range(runs):
            base = dumps_meeting(meeting)
            meeting.item(meeting.items[2].number).decision = f"Beslut nummer {run}."
            started = time.perf_counter()
            assert save_meeting(repository, entry.path, meeting, base).commit
            saves.append(time.perf_counter() - started)
            changes = index.changes()
            assert [e.key for e, _ in changes.stale] == [entry.key], changes.stale[:3]
            started = time.perf_counter()
            index.update(changes)
            updates.append(time.perf_counter() - started)
    repository.close()
    return statistics.median(updates), statistics.median(saves)
