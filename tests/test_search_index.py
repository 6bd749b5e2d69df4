"""The search index answers as a scan of the files does: for generated queries, Swedish letters,
after saves, deletions and renames, with a damaged or outdated index, from several processes at
once, and (by scanning) where .git cannot be written. Real files in real git repositories."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import search_index
from tui.archive import Archive
from tui.format.files import dumps_meeting, load_meeting
from tui.repository import Repository
from tui.saving import save_meeting
from tui.search import places
from tui.search_index import ASIDE, FILE, RANKED, VERSION, SearchIndex, refresh_aside, scan, search
from tui.search_query import FIELDS, parse, tokens

from .conftest import DATA, ROOT, SEED_FOLDER, git
from .test_app_safety import _mount

SEED = ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml"
PROTOCOL = DATA / "protocol" / "meetings" / "kultur-och-fritidsnamnden"
EVERYTHING = 10**6


def _archive(root: Path) -> Path:
    """Five meetings of two bodies over three years, their texts varied (å, ä and ö among
    them), in a git repository; every file older than the index's racy seconds."""
    shutil.copytree(ROOT / "meetings", root / "meetings")
    shutil.copytree(PROTOCOL, root / "meetings" / "kultur-och-fritidsnamnden", dirs_exist_ok=True)
    variants = [
        ("2023-03-10", "Beslut om LIA-platser i Köping.", "Åsa Öberg"),
        ("2025-01-17", "Ökad samverkan med Campus Västervik beslutas.", "Per Norin"),
        ("2025-06-13", "Oka och Vasteras: utan prickar.", "Ärla Ödman"),
    ]
    for date, decision, name in variants:
        meeting, _ = load_meeting(SEED)
        meeting.date = meeting.date.fromisoformat(date)
        meeting.item(11).decision = decision
        meeting.attendance.substitutes[0].name = name
        meeting.next_meeting = None
        (root / "meetings" / SEED_FOLDER / f"{date}.toml").write_text(
            dumps_meeting(meeting), encoding="utf-8"
        )
    _age(root)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Elin Hellström")
    git(root, "config", "user.email", "elin@example.org")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "The archive")
    return root


def _age(root: Path) -> None:
    past = time.time() - 60
    for path in (root / "meetings").rglob("*.toml"):
        os.utime(path, (past, past))


def _key(results) -> Counter:
    return Counter(
        (entry.key, hit.number, hit.field, hit.snippet, hit.marks) for entry, hit in results.found
    )


def _order(results) -> list:
    return [
        (entry.key, hit.number, hit.field, hit.snippet, hit.marks) for entry, hit in results.found
    ]


def _same(root: Path, text: str) -> Counter:
    """The index's results for `text`, checked against a scan of the files."""
    archive, query = Archive(root), parse(text)
    indexed = search(archive, query, root / ".git", EVERYTHING)
    assert indexed.indexed
    scanned = scan(archive, query, EVERYTHING)
    assert _order(indexed) == _order(scanned), text  # no two meetings share a day
    assert indexed.total == scanned.total == len(indexed.found)
    return _key(indexed)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _archive(tmp_path_factory.mktemp("search"))
    with SearchIndex(Archive(root), root / ".git") as index:
        assert index.refresh() == 5
    return root


def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    """(words, two-word phrases, attendees' names) of the archive's meetings."""
    words, phrases, names = set(), set(), set()
    for path in [SEED, *PROTOCOL.glob("2*.toml")]:
        for place in places(load_meeting(path)[0]):
            cut = tokens(place.text)
            words.update(cut)
            phrases.update(" ".join(pair) for pair in pairwise(cut))
            if place.field == "people":
                names.add(place.text.split(",")[0])
    return sorted(words), sorted(phrases), sorted(names)


WORDS, PHRASES, NAMES = _vocabulary()
SWEDISH = [w for w in WORDS if set(w) & set("åäö")]


@st.composite
def queries(draw) -> str:
    def word() -> str:
        return draw(st.sampled_from(SWEDISH) | st.sampled_from(WORDS))

    terms = draw(
        st.lists(
            st.one_of(
                st.builds(word),
                st.builds(lambda: word()[: draw(st.integers(1, 4))] + "*"),
                st.builds(lambda: f'"{draw(st.sampled_from(PHRASES))}"'),
                st.builds(lambda: word().upper()),
            ),
            max_size=2,
        )
    )
    filters = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FIELDS).map(lambda f: f"field:{f}"),
                st.sampled_from(["2023", "2024", "2024..", "..2023", "2023..2025"]).map(
                    lambda y: f"year:{y}"
                ),
                st.sampled_from(["kultur", "samverkansgrupp"]).map(lambda b: f"body:{b}"),
                st.sampled_from(NAMES).map(lambda n: f'person:"{n}"'),
            ),
            max_size=2,
        )
    )
    parts = terms + filters
    if not parts or not (terms or any(f.startswith(("field:", "person:")) for f in filters)):
        parts.append(word())
    return " ".join(draw(st.permutations(parts)))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=queries())
def test_the_index_finds_what_a_scan_of_the_files_finds(built, text):
    _same(built, text)


def test_the_questions_of_the_issue(built):
    lia = _same(built, "LIA field:decision year:2023..")
    assert {key[:3] for key in lia} == {(f"{SEED_FOLDER}/2023-03-10.toml", 11, "decision")}
    norin = _same(built, 'person:"Per Norin"')
    assert {key[0] for key in norin} == {
        f"{SEED_FOLDER}/2024-04-26.toml",
        f"{SEED_FOLDER}/2025-01-17.toml",
    }
    assert all(key[2] == "people" for key in norin)
    campus = _same(built, '"Campus Västervik" field:decision')
    assert {key[0] for key in campus} == {f"{SEED_FOLDER}/2025-01-17.toml"}
    votes = _same(built, "field:votes")
    assert {key[:3] for key in votes} == {
        ("kultur-och-fritidsnamnden/2024-11-14.toml", 132, "votes")
    }


def test_ranked_by_where_the_words_stand_then_newest_first(built):
    found = search(Archive(built), parse("kompetens*"), built / ".git", EVERYTHING).found
    ranks = [(RANKED.index(hit.field), -entry.date.toordinal()) for entry, hit in found]
    assert ranks == sorted(ranks)
    fields = [hit.field for _, hit in found]
    assert fields[0] == "title" and "summary" in fields and fields[-1] == "people"
    assert len({entry.date for entry, hit in found if hit.field == "summary"}) > 1
    first = [(entry.key, hit.number) for entry, hit in found[:3]]
    assert first == [(f"{SEED_FOLDER}/2025-06-13.toml", n) for n in (12, 13, 15)]


def test_swedish_letters_are_their_own_and_any_case(built):
    def keys(text: str) -> set[str]:
        return {key[0].split("/")[1] for key in _same(built, text)}

    assert keys("ökad field:decision") == keys("ÖKAD field:decision") == {"2025-01-17.toml"}
    assert keys("oka field:decision") == {"2025-06-13.toml"}  # not ökad
    assert keys("vasteras field:decision") == {"2025-06-13.toml"}
    assert keys('person:"Åsa Öberg"') == {"2023-03-10.toml"}
    assert keys("asa field:people") == set()
    assert keys("kompetensförs*") >= {"2024-04-26.toml"}
    assert keys("västervik campus field:decision") == {"2025-01-17.toml"}
    assert keys('"västervik campus" field:decision') == set()  # a phrase keeps its order
    assert keys('"samverkan med campus väst*" field:decision') == {"2025-01-17.toml"}


def test_marks_are_the_words_found(built):
    found = search(Archive(built), parse("lia-platser"), built / ".git").found
    assert found
    for _, hit in found:
        assert [hit.snippet[a:b].lower() for a, b in hit.marks] == ["lia-platser"]


def test_a_query_is_data_never_fts5_syntax(built):
    archive = Archive(built)
    for text in ["NEAR(", '"', "*", 'lia" OR "', "AND", "^lia", "col:lia", "lia NOT", "lia)"]:
        try:
            query = parse(text)
        except ValueError:
            continue
        if query:
            assert _key(search(archive, query, built / ".git", EVERYTHING)) == _key(
                scan(archive, query, EVERYTHING)
            ), text


def test_a_save_reads_again_only_its_file_and_what_is_gone_or_renamed_goes(tmp_path):
    root = _archive(tmp_path)
    archive = Archive(root)
    with SearchIndex(archive, root / ".git") as index:
        assert index.refresh() == 5
        assert index.refresh() == 0
        path = root / "meetings" / SEED_FOLDER / "2025-01-17.toml"
        meeting, _ = load_meeting(path)
        text = path.read_text(encoding="utf-8")
        meeting.item(11).decision = "Beslut om lärcentrum i Sala."
        save_meeting(Repository(root), path, meeting, text)
        assert index.refresh() == 1
    assert _same(root, '"lärcentrum i sala"')
    assert not _same(root, "ökad field:decision")
    seed = root / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    seed.rename(seed.with_name("2024-04-27.toml"))
    (root / "meetings" / SEED_FOLDER / "2023-03-10.toml").unlink()
    found = _same(root, "skinnskatteberg")
    assert {key[0] for key in found} == {
        f"{SEED_FOLDER}/2024-04-27.toml",
        f"{SEED_FOLDER}/2025-01-17.toml",
        f"{SEED_FOLDER}/2025-06-13.toml",
    }
    assert not _same(root, "LIA field:decision")


def test_an_edit_on_disk_is_searched_as_it_is_even_of_the_same_size_at_once(tmp_path):
    """Uncommitted edits are searched as they are; two writes of one size within the clock's
    tick (which the file's time cannot tell apart) are both seen."""
    root = _archive(tmp_path)
    assert _same(root, "köping field:decision")
    path = root / "meetings" / SEED_FOLDER / "2023-03-10.toml"
    text = path.read_text(encoding="utf-8")
    for before, after in (("Köping", "Kåping"), ("Kåping", "Käping")):
        path.write_text(text.replace("Köping", after), encoding="utf-8")
        assert len(path.read_bytes()) == len(text.encode())
        assert _same(root, f"{after} field:decision")
        assert not _same(root, f"{before} field:decision")


def test_a_build_read_in_several_processes_finds_what_the_scan_finds(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PER_PROCESS", 2)  # as 10,000 files would
    root = _archive(tmp_path)
    with SearchIndex(Archive(root), root / ".git") as index:
        told = []
        assert index.refresh(lambda done, of: told.append((done, of))) == 5
    assert told == [(5, 5)]
    _same(root, "skinnskatteberg")
    _same(root, "field:votes")


def test_a_damaged_index_is_made_anew(tmp_path):
    root = _archive(tmp_path)
    before = _same(root, "skinnskatteberg")
    index = root / ".git" / FILE
    index.write_bytes(b"not a database, whatever it was \x00\xff" * 1000)
    assert _same(root, "skinnskatteberg") == before
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_index_of_another_version_is_made_anew(tmp_path):
    root = _archive(tmp_path)
    before = _same(root, "skinnskatteberg")
    db = sqlite3.connect(root / ".git" / FILE)
    db.execute("DELETE FROM words")  # what an older minutes may have left: nothing found
    db.execute("PRAGMA user_version = 0")
    db.commit()
    db.close()
    assert _same(root, "skinnskatteberg") == before


def test_several_processes_making_the_index_at_once_leave_it_whole(tmp_path):
    root = _archive(tmp_path)
    (root / ".git" / "minutes").mkdir()
    (root / ".git" / FILE).write_bytes(b"garbage" * 100)
    script = (
        "import sys; from pathlib import Path; from tui.archive import Archive; "
        "from tui.search_index import search; from tui.search_query import parse; "
        "r = search(Archive(Path(sys.argv[1])), parse('skinnskatteberg'), "
        "Path(sys.argv[1]) / '.git'); print(r.indexed, r.total)"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        assert out.split() == ["True", "4"], out
    db = sqlite3.connect(root / ".git" / FILE)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("INSERT INTO words (words) VALUES ('integrity-check')")  # raises if not whole
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 5
    each = sum(len(places(load_meeting(p)[0])) for p in (root / "meetings").glob("*/2*.toml"))
    assert db.execute("SELECT count(*) FROM words").fetchone()[0] == each  # none twice
    db.close()
    _same(root, "skinnskatteberg")


def test_where_git_cannot_be_written_the_files_are_scanned(tmp_path):
    root = _archive(tmp_path)
    (root / ".git" / "minutes").write_text("not a folder\n")  # as a read-only .git refuses
    archive, query = Archive(root), parse("skinnskatteberg")
    results = search(archive, query, root / ".git")
    assert not results.indexed and results.total == 4
    assert _key(results) == _key(scan(archive, query))


def test_an_index_on_a_read_only_disk_still_answers(tmp_path_factory):
    disk = tmp_path_factory.mktemp("disk")
    _mount("tmpfs", disk, "size=16m")
    try:
        root = _archive(disk / "archive")
        before = _same(root, "skinnskatteberg")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        archive, query = Archive(root), parse("skinnskatteberg")
        results = search(archive, query, root / ".git", EVERYTHING)
        assert not results.indexed and _key(results) == before  # scanned
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_git_folder_is_scanned(tmp_path):
    root = _archive(tmp_path)
    _same(root, "skinnskatteberg")
    folders = [root / ".git", root / ".git" / "minutes"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        results = search(Archive(root), parse("skinnskatteberg"), root / ".git")
        assert results.total == 4
    finally:
        for folder in folders:
            folder.chmod(0o755)


def test_without_git_the_files_are_scanned(archive_dir):
    results = search(Archive(archive_dir), parse("skinnskatteberg"), None)
    assert not results.indexed and results.total == 1


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
