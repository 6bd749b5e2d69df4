"""Attacks on the ranked search index and its build in a process of its own: where the index
and a scan of the files part ways, and where the build is led astray."""

from __future__ import annotations

import datetime as dt
import sqlite3
import textwrap

from tui import search_index
from tui.archive import Archive
from tui.format.files import dumps_meeting, load_meeting
from tui.search_index import ASIDE, FILE, refresh_aside, scan, search
from tui.search_query import parse

from .conftest import SEED_FOLDER, git
from .test_search_index import EVERYTHING, SEED, _age, _archive, _order


def _commit(root) -> None:
    _age(root)
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "More meetings")


def test_two_bodies_meeting_on_one_day_are_ranked_alike_indexed_and_scanned(tmp_path):
    """A council and a committee often meet on the same day: the index ranks their places as
    a scan does, and so the first `limit` of them are the same places."""
    root = _archive(tmp_path)
    for folder in ("arbetsutskottet", "valnamnden"):
        meeting, _ = load_meeting(SEED)
        meeting.next_meeting = None
        (root / "meetings" / folder).mkdir()
        (root / "meetings" / folder / "2024-04-26.toml").write_text(
            dumps_meeting(meeting), encoding="utf-8"
        )
    _commit(root)
    archive, query = Archive(root), parse("skinnskatteberg year:2024")
    for limit in (1, EVERYTHING):
        indexed = search(archive, query, root / ".git", limit)
        assert indexed.indexed
        assert _order(indexed) == _order(scan(archive, query, limit)), limit


def test_the_build_process_reads_this_minutes_not_a_tui_in_the_current_folder(
    tmp_path, monkeypatch
):
    """`python -c` puts the current folder first on the path: a `tui` there (a checkout of
    another version, or anything named so) is what the build process would run."""
    root = _archive(tmp_path / "archive")
    meeting, _ = load_meeting(SEED)
    meeting.next_meeting = None
    for days in range(ASIDE):
        meeting.date = dt.date(2019, 1, 1) + dt.timedelta(days=days)
        path = root / "meetings" / SEED_FOLDER / f"{meeting.date}.toml"
        path.write_text(dumps_meeting(meeting), encoding="utf-8")
    _commit(root)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tui").mkdir(parents=True)
    (elsewhere / "tui" / "__init__.py").write_text(
        textwrap.dedent("""\
            raise SystemExit("not this minutes")
        """)
    )
    monkeypatch.chdir(elsewhere)
    refresh_aside(Archive(root), root / ".git")  # Unavailable: not this minutes
    db = sqlite3.connect(root / ".git" / FILE)
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 5 + ASIDE
    db.close()


def test_a_word_after_a_symbol_font_bullet_is_found_indexed_as_scanned(tmp_path):
    """Text pasted from a word processor keeps its Symbol-font bullets, private-use
    characters (U+F0B7): FTS5 reads them as letters of the word they touch, a scan as
    spaces; so do the newer emoji (🫶, Unicode 14), which SQLite's tables do not know."""
    root = _archive(tmp_path)
    path = root / "meetings" / SEED_FOLDER / "2023-03-10.toml"
    meeting, _ = load_meeting(path)
    meeting.item(11).decision = "\uf0b7Budgetramen fastställs.\nTack🫶 till kansliet."
    path.write_text(dumps_meeting(meeting), encoding="utf-8")
    _commit(root)
    archive = Archive(root)
    for text in ("budgetramen field:decision", "tack field:decision"):
        query = parse(text)
        scanned = scan(archive, query, EVERYTHING)
        assert scanned.total == 1, text
        assert _order(search(archive, query, root / ".git", EVERYTHING)) == _order(scanned), text


def test_more_meetings_on_one_day_than_the_index_has_slots_are_still_searched(
    tmp_path, monkeypatch
):
    """A day holds _SLOTS files (4,096; two here): one more is no StopIteration out of the
    search, but a search that still answers, by scanning the files."""
    monkeypatch.setattr(search_index, "_SLOTS", 2)
    root = _archive(tmp_path)
    meeting, _ = load_meeting(SEED)
    meeting.next_meeting = None
    for suffix in ("a", "b"):
        path = root / "meetings" / SEED_FOLDER / f"2024-04-26-{suffix}.toml"
        path.write_text(dumps_meeting(meeting), encoding="utf-8")
    _commit(root)
    archive, query = Archive(root), parse("skinnskatteberg")
    results = search(archive, query, root / ".git", EVERYTHING)
    assert _order(results) == _order(scan(archive, query, EVERYTHING))
