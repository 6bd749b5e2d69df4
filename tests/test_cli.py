"""The command line: next, list, show, check."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tui import cli
from tui.cli import main
from tui.format.files import dumps_meeting, load_meeting

from .conftest import SEED_FOLDER


@pytest.fixture
def minutes(archive_dir, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--repo", str(archive_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_next_is_one_line_with_body_note_and_days(minutes):
    assert minutes("next", "--today", "2024-05-01") == (
        0,
        "Fri 13 Sep 2024 09:00 — Samverkansgrupp Kompetensförsörjning 2023 (Hålls tillsammans "
        "med Västmanlands kompetensråd. Magnus Wallerå, generaldirektör för Myndigheten för "
        "yrkeshögskolan (MYH), deltar.), in 135 days\n",
        "",
    )


def test_next_on_the_day(minutes):
    _code, out, _ = minutes("next", "--today", "2024-09-13")
    assert out.endswith(", today\n")


def test_next_when_nothing_is_ahead_names_the_last_date(minutes):
    assert minutes("next", "--today", "2024-10-01") == (
        0,
        "No meeting ahead. The last known was Fri 13 Sep 2024 09:00 — "
        "Samverkansgrupp Kompetensförsörjning 2023, 18 days ago.\n",
        "",
    )


def test_next_json(minutes):
    _code, out, _ = minutes("next", "--today", "2024-09-12", "--json")
    data = json.loads(out)
    assert data["next"] | {"note": ""} == {
        "date": "2024-09-13",
        "time": "09:00",
        "weekday": "Fri",
        "body": "Samverkansgrupp Kompetensförsörjning 2023",
        "note": "",
        "days": 1,
        "source": f"meetings/{SEED_FOLDER}/2024-04-26.toml",
    }
    assert data["last_known"] is None


def test_next_with_a_bad_date_is_one_line(minutes):
    with pytest.raises(SystemExit) as exited:
        minutes("next", "--today", "13/9")
    assert exited.value.code == 2


def test_list(minutes, archive_dir):
    (archive_dir / "meetings" / SEED_FOLDER / "2099-01-09.toml").write_text(
        'schema = 1\nkind = "minnesanteckningar"\ndate = 2099-01-09\n'
    )
    (archive_dir / "meetings" / SEED_FOLDER / "2024-05-31.toml").write_text("date = \n")
    (archive_dir / "meetings" / SEED_FOLDER / "2024-05-03.toml").write_text(
        'schema = 1\nkind = "protokoll"\ndate = 2024-05-03\ncancelled = true\nplace = "Rum 2"\n'
    )
    code, out, _ = minutes("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Samverkansgrupp Kompetensförsörjning 2023  (meetings/{SEED_FOLDER})"
    assert lines[1].split() == ["2099-01-09", "Fri", "planned"]
    assert lines[2].startswith("  2024-05-31 Fri  BROKEN  ")
    assert "2024-05-31.toml:1:8: TOML syntax" in lines[2]
    assert lines[3].split() == ["2024-05-03", "Fri", "cancelled", "Rum", "2"]
    assert lines[4].split()[:4] == ["2024-04-26", "Fri", "minnesanteckningar", "§9–17"]


def test_list_json(minutes):
    _code, out, _ = minutes("list", "--json")
    (row,) = json.loads(out)
    assert row["date"] == "2024-04-26"
    assert row["items"] == list(range(9, 18))
    assert row["problem"] is None
    assert row["cancelled"] is False


def test_show_text_and_markdown(minutes):
    code, text, _ = minutes("show", "2024-04-26")
    assert code == 0
    assert text.startswith("Minnesanteckningar\nSamverkansgrupp Kompetensförsörjning 2023\n")
    assert "\n§13 Campus Västervik - ökad kompetens via högre utbildning och forskning\n" in text
    code, markdown, _ = minutes("show", "latest", "--format", "markdown")
    assert markdown.startswith("# Minnesanteckningar\n")
    assert "\n## §10 Nästa sammanträde\n\n### Sammanfattning\n\nNästa sammanträde ska" in markdown


def test_show_says_first_that_a_meeting_was_cancelled(minutes, seed_path):
    meeting, _ = load_meeting(seed_path)
    meeting.cancelled = True
    for item in meeting.items:
        item.decision = ""
    seed_path.write_text(dumps_meeting(meeting), encoding="utf-8")
    _code, out, _ = minutes("show", "2024-04-26")
    assert out.startswith(
        "Minnesanteckningar\nSamverkansgrupp Kompetensförsörjning 2023\nINSTÄLLT\n"
    )
    meeting.language = "en"
    seed_path.write_text(dumps_meeting(meeting), encoding="utf-8")
    _code, out, _ = minutes("show", "2024-04-26", "--format", "markdown")
    assert out.startswith(
        "# Minutes\n\n**Samverkansgrupp Kompetensförsörjning 2023**\n\n**CANCELLED**\n"
    )


def test_show_neutralises_control_characters(minutes, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    seed_path.write_text(
        text.replace('title = "Inledning"', 'title = "Inledning \\u001b]0;pwned\\u0007[bold]"'),
        encoding="utf-8",
    )
    _code, out, _ = minutes("show", "2024-04-26")
    assert "\x1b" not in out and "\x07" not in out
    assert "§9 Inledning ␛]0;pwned␇[bold]\n" in out


def test_show_a_broken_file_says_where(minutes, seed_path):
    seed_path.write_text(seed_path.read_text().replace("number = 13", 'number = "13"'))
    code, out, err = minutes("show", "2024-04-26")
    assert code == 1 and out == ""
    assert err.endswith("items[4].number: expected a number, got text\n")


def test_check_exit_codes(minutes, seed_path):
    code, out, err = minutes("check")
    assert code == 0
    assert "1 warning(s)" in err
    seed_path.write_text(seed_path.read_text().replace('end = "12:00"', 'end = "08:00"'))
    code, out, err = minutes("check")
    assert code == 1
    assert "2024-04-26.toml:5: end: ends (08:00) before it starts (09:00)" in out
    assert err.startswith("1 error(s)")


def test_bad_input_never_shows_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(tmp_path), "show", "latest"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("minutes: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_show_uses_the_meetings_language_for_headings(minutes, seed_path):
    seed_path.write_text(seed_path.read_text().replace('language = "sv"', 'language = "en"'))
    _, text, _ = minutes("show", "2024-04-26")
    assert text.startswith("Minutes\nSamverkansgrupp Kompetensförsörjning 2023\nMeeting date")
    assert "\nDecision-making members\n" in text and "\nSummary\n" in text
    assert "\nNext meeting\n  Friday 13 September 2024 at 09:00\n" in text


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["next"], "next"),
        (["--repo", "list", "next", "--json"], "next"),
        (["--repo=x", "--today", "2024-05-01", "show", "latest"], "show"),
        (["-h"], None),
        (["nxt"], None),
        ([], None),
    ],
)
def test_the_command_is_found_as_argparse_finds_it(argv, command):
    assert cli._command_in(argv) == command
