"""Validation: every problem names its file, line and key path in words a secretary follows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui.format.files import dumps_meeting, load_meeting, parse_meeting
from tui.problems import FormatError


def _problems(path: Path, root: Path | None = None) -> list[str]:
    with pytest.raises(FormatError) as caught:
        load_meeting(path, root)
    return [str(p) for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_wrong_type_names_file_line_and_key_path(seed_path):
    _edit(seed_path, 'decision = "Informationen noteras."', "decision = 12")
    line = _line_of(seed_path, "decision = 12")
    assert _problems(seed_path) == [
        f"{seed_path}:{line}: items[2].decision: expected text, got a number"
    ]


def test_syntax_error_has_line_and_column(seed_path):
    _edit(seed_path, 'place = "Sammanträdesrum', "place = Sammanträdesrum")
    (problem,) = _problems(seed_path)
    assert problem.startswith(f"{seed_path}:6:9: TOML syntax: invalid value")


def test_date_that_does_not_exist(seed_path):
    _edit(seed_path, "date = 2024-09-13", "date = 2024-09-31")
    (problem,) = _problems(seed_path)
    line = _line_of(seed_path, "2024-09-31")
    assert problem.startswith(f"{seed_path}:{line}:")
    assert "not a valid date" in problem


def test_file_name_and_date_must_agree(seed_path):
    renamed = seed_path.with_name("2024-04-25.toml")
    seed_path.rename(renamed)
    assert _problems(renamed) == [
        f"{renamed}:3: date: is 2024-04-26 but the file name says 2024-04-25"
    ]


def test_duplicate_section_numbers(seed_path):
    line = _line_of(seed_path, "number = 12")
    _edit(seed_path, "number = 12", "number = 11")
    assert f"{seed_path}:{line}: items[3].number: §11 appears twice (also items[2])" in (
        _problems(seed_path)
    )


def test_end_before_start(seed_path):
    _edit(seed_path, 'end = "12:00"', 'end = "08:30"')
    assert _problems(seed_path) == [f"{seed_path}:5: end: ends (08:30) before it starts (09:00)"]


def test_presence_naming_sections_the_meeting_lacks(seed_path):
    _edit(seed_path, 'present = "9-13"', 'present = "9-13, 20-21"')
    line = _line_of(seed_path, '"9-13, 20-21"')
    assert _problems(seed_path) == [
        f"{seed_path}:{line}: attendance.others[4].present: "
        "names §§20–21, which this meeting does not have"
    ]


def test_newer_schema_is_refused(seed_path):
    _edit(seed_path, "schema = 1", "schema = 2")
    (problem,) = _problems(seed_path)
    assert problem.startswith(f"{seed_path}:1: schema: format version 2 is newer")


def test_the_model_and_the_format_know_one_version():
    from tui import model
    from tui.format import fields

    assert model.SCHEMA == fields.SCHEMA


def test_unknown_keys_are_warnings_and_survive_a_save(seed_path):
    _edit(seed_path, 'title = "Inledning"', 'title = "Inledning"\nansvarig = "Elin"')
    _edit(seed_path, "[signatures]", "[extra_table]\nx = [1, 2]\n\n[signatures]")
    meeting, warnings = load_meeting(seed_path)
    assert sorted(str(w) for w in warnings) == [
        f"{seed_path}:{_line_of(seed_path, 'ansvarig = ')}: items[0].ansvarig: "
        "warning: unknown key; kept as it is",
        f"{seed_path}:{_line_of(seed_path, '[extra_table]')}: extra_table: "
        "warning: unknown key; kept as it is",
    ]
    text = dumps_meeting(meeting)
    again, _ = parse_meeting(text)
    assert again.items[0].extra == {"ansvarig": "Elin"}
    assert again.extra == {"extra_table": {"x": [1, 2]}}


def test_cancelled_is_written_only_when_true_next_to_the_date(seed_path):
    meeting, _ = load_meeting(seed_path)
    for item in meeting.items:
        item.decision = ""  # a cancelled meeting decides nothing
    assert "cancelled" not in dumps_meeting(meeting)
    meeting.cancelled = True
    text = dumps_meeting(meeting)
    assert "date = 2024-04-26\ncancelled = true\nstart = " in text
    assert parse_meeting(text)[0].cancelled is True
    with pytest.raises(FormatError, match="cancelled: expected true or false, got text"):
        parse_meeting(text.replace("cancelled = true", 'cancelled = "ja"'))


def test_crlf_line_ends_read_as_plain_newlines(seed_path):
    seed_path.write_bytes(seed_path.read_bytes().replace(b"\n", b"\r\n"))
    meeting, _ = load_meeting(seed_path)
    assert "\r" not in meeting.items[2].summary
    assert meeting.items[2].summary.count("\n\n") == 2


# --- files that cannot be meetings at all ------------------------------------------------


def test_empty_file(seed_path):
    seed_path.write_text("")
    assert _problems(seed_path) == [f"{seed_path}: is empty"]


def test_invalid_utf8(seed_path):
    seed_path.write_bytes(seed_path.read_bytes().replace("Mälaren".encode(), b"M\xe4laren"))
    assert _problems(seed_path) == [f"{seed_path}:6: is not UTF-8 text (save it as UTF-8)"]


def test_byte_order_mark_is_read_with_a_warning(seed_path):
    seed_path.write_bytes(b"\xef\xbb\xbf" + seed_path.read_bytes())
    meeting, warnings = load_meeting(seed_path)
    assert meeting.date.isoformat() == "2024-04-26"
    assert [w.message for w in warnings] == [
        "starts with a byte order mark (BOM); it is dropped on save"
    ]


def test_git_conflict_markers(seed_path):
    _edit(
        seed_path,
        'place = "Sammanträdesrum Mälaren, Regionhuset, Västerås"\n',
        '<<<<<<< HEAD\nplace = "A"\n=======\nplace = "B"\n>>>>>>> theirs\n',
    )
    assert _problems(seed_path) == [f"{seed_path}:6: holds an unresolved git merge conflict"]


def test_symlink_outside_the_archive_is_refused(archive_dir, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.toml"
    outside.write_text('schema = 1\nkind = "protokoll"\ndate = 2024-01-01\n')
    link = archive_dir / "meetings" / "samverkansgrupp-kompetensforsorjning" / "2024-01-01.toml"
    link.symlink_to(outside)
    assert _problems(link, archive_dir) == [
        f"{link}: is a link to a file outside the archive; refused"
    ]


def test_huge_file_is_refused_without_reading_it(seed_path):
    with seed_path.open("r+b") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: reading it would still cost 50 MB
    started = time.perf_counter()
    assert _problems(seed_path) == [f"{seed_path}: is 52.4 MB; meeting files are at most 2 MB"]
    assert time.perf_counter() - started < 0.5
