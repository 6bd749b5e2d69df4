"""Finding meetings, § numbering across a body's year, and the next meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tui.archive import Archive, ArchiveError
from tui.format.files import dumps_meeting, load_meeting
from tui.format.header import header_of
from tui.model import Item, Meeting, NextMeeting
from tui.search import search
from tui.search_query import parse

from .conftest import SEED_FOLDER
from .strategies import meetings

D = dt.date


def _write(archive_dir: Path, meeting: Meeting, folder: str = SEED_FOLDER, name: str = "") -> Path:
    path = archive_dir / "meetings" / folder / (name or f"{meeting.date}.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_meeting(meeting), encoding="utf-8")
    return path


def _held(date: D, numbers: range, next_date: D | None = None, **next_fields) -> Meeting:
    return Meeting(
        date=date,
        items=[Item(n, f"Punkt {n}") for n in numbers],
        next_meeting=next_date and NextMeeting(next_date, **next_fields),
    )


def test_found_from_a_folder_below_it(archive_dir):
    below = archive_dir / "meetings" / SEED_FOLDER
    assert Archive.find(start=below).root == archive_dir.resolve()


def test_repo_without_meetings_folder_says_what_to_do(tmp_path):
    with pytest.raises(ArchiveError, match=r"has no meetings/ folder.*minutes init"):
        Archive.find(tmp_path)


def test_resolve_by_date_path_and_latest(archive_dir, seed_path):
    archive = Archive(archive_dir)
    assert archive.resolve("2024-04-26").path == seed_path
    assert archive.resolve(str(seed_path)).path == seed_path
    assert archive.resolve("latest").path == seed_path
    with pytest.raises(ArchiveError, match="no meeting on 2023-01-01"):
        archive.resolve("2023-01-01")
    with pytest.raises(ArchiveError, match="give a date"):
        archive.resolve("yesterday-ish")


# --- numbering -----------------------------------------------------------------------------


def test_numbering_continues_within_the_year_and_restarts_in_a_new_one(archive_dir):
    archive = Archive(archive_dir)
    assert archive.first_number(SEED_FOLDER, D(2024, 9, 13)) == 18
    assert archive.first_number(SEED_FOLDER, D(2025, 2, 7)) == 1
    assert archive.first_number(SEED_FOLDER, D(2024, 1, 12)) == 1


def test_numbering_skips_planned_meetings_without_items(archive_dir):
    _write(archive_dir, Meeting(date=D(2024, 9, 13)))
    assert Archive(archive_dir).first_number(SEED_FOLDER, D(2024, 11, 8)) == 18


def test_check_reports_gaps_and_repeats_across_a_year(archive_dir):
    _write(archive_dir, _held(D(2024, 9, 13), range(19, 22)))
    _write(archive_dir, _held(D(2024, 11, 8), range(21, 23)))
    problems = [str(p) for p in Archive(archive_dir).check() if not p.warning]
    assert any(p.endswith("2024-09-13.toml: §18 missing in 2024's numbering") for p in problems)
    assert any(p.endswith("2024-11-08.toml: §21 is also in 2024-09-13.toml") for p in problems)
    assert len(problems) == 2


def test_check_is_clean_on_the_bundled_archive(archive_dir):
    assert [p for p in Archive(archive_dir).check() if not p.warning] == []


# --- the next meeting ----------------------------------------------------------------------


def test_next_meeting_comes_from_the_latest_decision(archive_dir):
    ahead, last = Archive(archive_dir).upcoming(D(2024, 5, 1))
    assert (ahead.date, ahead.time, ahead.body) == (
        D(2024, 9, 13),
        dt.time(9),
        "Samverkansgrupp Kompetensförsörjning 2023",
    )
    assert "Västmanlands kompetensråd" in ahead.note
    assert last is None


def test_a_meeting_today_is_still_the_next_one(archive_dir):
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 9, 13))
    assert ahead.days_from(D(2024, 9, 13)) == 0


def test_nothing_ahead_names_the_last_known_date(archive_dir):
    ahead, last = Archive(archive_dir).upcoming(D(2024, 9, 14))
    assert ahead is None
    assert last.date == D(2024, 9, 13)


def test_a_planned_meeting_file_counts(archive_dir):
    _write(archive_dir, Meeting(date=D(2024, 6, 3), start=dt.time(13, 30)))
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 5, 1))
    assert (ahead.date, ahead.time, ahead.note) == (D(2024, 6, 3), dt.time(13, 30), "")


def test_a_planned_file_on_the_decided_date_is_one_meeting(archive_dir):
    path = _write(archive_dir, Meeting(date=D(2024, 9, 13)))
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 5, 1))
    assert (ahead.time, ahead.source) == (dt.time(9), path)
    assert "kompetensråd" in ahead.note


def test_a_later_decision_replaces_an_earlier_one(archive_dir):
    _write(archive_dir, _held(D(2024, 9, 13), range(18, 20), D(2024, 12, 6), note="Digitalt"))
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 10, 1))
    assert (ahead.date, ahead.note) == (D(2024, 12, 6), "Digitalt")


def test_the_earliest_across_bodies_wins(archive_dir):
    other = archive_dir / "meetings" / "kompetensradet"
    _write(archive_dir, _held(D(2024, 5, 2), range(1, 3), D(2024, 8, 20)), "kompetensradet")
    (other / "body.toml").write_text('schema = 1\nname = "Västmanlands kompetensråd"\n')
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 5, 10))
    assert (ahead.date, ahead.body) == (D(2024, 8, 20), "Västmanlands kompetensråd")


def test_a_broken_latest_meeting_falls_back_to_the_one_before(archive_dir):
    broken = archive_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    broken.write_text("schema = 1\ndate = [\n")
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 5, 1))
    # A planned file that cannot be read is no meeting; the decision naming that day stands.
    assert (ahead.date, ahead.source.name) == (D(2024, 9, 13), "2024-04-26.toml")
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 9, 14))
    assert ahead is None


def test_a_cancelled_meeting_is_not_the_next_one(archive_dir):
    _write(archive_dir, Meeting(date=D(2024, 6, 3), cancelled=True))
    _write(archive_dir, Meeting(date=D(2024, 6, 10), start=dt.time(13)))
    ahead, _ = Archive(archive_dir).upcoming(D(2024, 5, 1))
    assert (ahead.date, ahead.time) == (D(2024, 6, 10), dt.time(13))


def test_a_cancelled_file_cancels_the_decision_naming_its_day(archive_dir):
    _write(archive_dir, Meeting(date=D(2024, 9, 13), cancelled=True))
    ahead, last = Archive(archive_dir).upcoming(D(2024, 5, 1))
    assert ahead is None
    assert last.date == D(2024, 4, 26)  # the meeting held last, not the day called off
    ahead, last = Archive(archive_dir).upcoming(D(2024, 10, 1))
    assert ahead is None and last.date == D(2024, 4, 26)


def test_a_cancelled_meeting_may_name_the_day_the_body_meets_instead(archive_dir):
    instead = NextMeeting(D(2024, 9, 20), dt.time(10), "Flyttat en vecka")
    path = _write(archive_dir, Meeting(date=D(2024, 9, 13), cancelled=True, next_meeting=instead))
    for today in (D(2024, 5, 1), D(2024, 9, 14)):  # planned, then past
        ahead, _ = Archive(archive_dir).upcoming(today)
        assert (ahead.date, ahead.time, ahead.note, ahead.source) == (
            D(2024, 9, 20),
            dt.time(10),
            "Flyttat en vecka",
            path,
        )


# --- listing -------------------------------------------------------------------------------


def test_a_broken_file_is_listed_with_its_error_and_the_rest_still_load(archive_dir):
    (archive_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml").write_text("kind = \n")
    summaries = Archive(archive_dir).summaries()
    assert [s.entry.date for s in summaries] == [D(2024, 4, 26), D(2024, 9, 13)]
    good, bad = summaries
    assert good.problem is None and good.header.numbers == tuple(range(9, 18))
    assert bad.header is None
    assert "1:8: TOML syntax: invalid value" in str(bad.problem.problems[0])


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(meetings())
def test_header_read_agrees_with_the_full_parse(meeting):
    header = header_of(dumps_meeting(meeting))
    assert header[:7] == (
        meeting.kind,
        meeting.date,
        meeting.start,
        meeting.end,
        meeting.place,
        meeting.language,
        meeting.cancelled,
    )
    assert header.numbers == tuple(meeting.numbers())
    n = meeting.next_meeting
    assert (header.next_date, header.next_time, header.next_note) == (
        (n.date, n.time, n.note) if n else (None, None, "")
    )


def test_header_read_of_a_hand_edited_layout(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    start = text.index("[next_meeting]")
    end = text.index("[signatures]")
    moved = text[:start] + text[end:] + "\n" + text[start:end]
    header = header_of(moved)
    assert header.next_date == D(2024, 9, 13)
    assert header.numbers == tuple(range(9, 18))


@pytest.mark.parametrize(
    "query", ["skinnskatteberg mejl", "MYH", "Jenny", "noteras", "ingen sådan text", "§", "  "]
)
def test_searching_the_archive_finds_what_searching_each_meeting_finds(archive_dir, query):
    archive = Archive(archive_dir)
    (archive_dir / "meetings" / SEED_FOLDER / "2024-05-31.toml").write_text("broken = [")
    naive = []
    for entry in reversed(archive.entries()):
        try:
            meeting, _ = archive.load(entry)
        except Exception:
            continue
        naive += [(entry, hit) for hit in search(meeting, parse(query))]
    assert list(archive.search(parse(query))) == naive
    assert bool(naive) == (query in ("skinnskatteberg mejl", "MYH", "Jenny", "noteras"))


def test_header_read_of_a_place_holding_a_table_header(seed_path):
    """Found by the property above: the cut must not end inside a multi-line string."""
    meeting = load_meeting(seed_path)[0]
    meeting.place = "\n["
    meeting.next_meeting.note = "\n["  # its opening quotes closed the cut-off place
    header = header_of(dumps_meeting(meeting))
    assert header.place == "\n[" and header.next_note == meeting.next_meeting.note


def test_names_with_control_characters_are_neither_meetings_nor_bodies(archive_dir):
    """They could not be shown or named in a commit as they are: `check` asks for a rename."""
    folder = archive_dir / "meetings" / SEED_FOLDER
    hostile = folder / "2024-05-01-x\x1b]0;HACK\x07.toml"
    hostile.write_text(dumps_meeting(Meeting(dt.date(2024, 5, 1))))
    (archive_dir / "meetings" / "evil\u202e").mkdir()
    archive = Archive(archive_dir)
    assert [entry.name for entry in archive.entries()] == ["2024-04-26.toml"]
    assert archive.folders() == [SEED_FOLDER]
    warned = {p.path.name for p in archive.check() if "control characters" in p.message}
    assert warned == {hostile.name, "evil\u202e"}
    upcoming, _ = archive.upcoming(dt.date(2024, 4, 30))
    assert upcoming is None or upcoming.date != dt.date(2024, 5, 1)
