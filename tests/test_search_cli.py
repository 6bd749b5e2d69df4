"""`minutes search` and its query language: what a person types, including what is wrong or
hostile, gives results or one clear line; text from files is printed as data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tui.cli import main
from tui.format.files import dumps_meeting, load_meeting
from tui.search_query import Query, QueryError, Term, parse

from .conftest import SEED_FOLDER


@pytest.fixture
def minutes(repo_dir, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--repo", str(repo_dir), "search", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_words_phrases_prefixes_and_filters_are_read():
    assert parse('LIA "Campus  Västervik" kompetens* field:dec,votes year:2023..') == Query(
        terms=(Term(("lia",)), Term(("campus", "västervik")), Term(("kompetens",), True)),
        since=dt.date(2023, 1, 1),
        fields=frozenset({"decision", "votes"}),
    )
    assert parse('person:"Per Norin" body:Kultur date:2024-02') == Query(
        people=(Term(("per", "norin")),),
        bodies=("kultur",),
        since=dt.date(2024, 2, 1),
        until=dt.date(2024, 2, 29),
    )
    assert parse("e-post Temapass: 09:00") == Query(
        terms=(Term(("e", "post")), Term(("temapass",)), Term(("09", "00")))
    )
    assert parse("lia year:..2022 year:2020..").since == dt.date(2020, 1, 1)
    assert parse("lia year:..2022 year:2020..").until == dt.date(2022, 12, 31)
    assert not parse('* " -- NEAR ( )'.replace("NEAR", ""))


def test_while_typing_the_last_word_only_begins():
    assert parse("lia kompeten", typing=True).terms == (
        Term(("lia",)),
        Term(("kompeten",), True),
    )
    for done in ("lia kompeten ", 'lia "kompeten', "lia field:dec", "lia kompeten."):
        assert all(not term.prefix for term in parse(done, typing=True).terms), done


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("feild:decision", "feild: is no filter"),
        ("field:x", "field:x is no field"),
        ("field:p", "field:p is no field"),  # proposal or people
        ("year:23", "23 is no year"),
        ("year:2024..2023", "is no range"),
        ("date:2024-02-30", "is no date"),
        ("year:..", "is no range"),
        ("person:--", "names nobody"),
        ("year:2024 body:kultur", "give words"),
    ],
)
def test_a_query_that_cannot_be_read_says_why_in_one_line(minutes, text, says):
    with pytest.raises(QueryError, match=says):
        parse(text)
    code, out, err = minutes(text)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and says in err and err.startswith("minutes: ")


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", '"lia', "lia OR", "AND NOT", "^", "lia)"])
def test_fts5_syntax_is_taken_literally_never_a_traceback(minutes, text):
    code, _, err = minutes(text)
    assert code in (0, 2), err
    assert "Traceback" not in err and err.count("\n") <= 1


def test_results_name_the_meeting_the_place_and_mark_the_words(minutes, monkeypatch):
    code, out, err = minutes("skinnskatteberg", "mejl")
    assert (code, err) == (0, "")
    assert out == (
        f"2024-04-26  {SEED_FOLDER}  §13 summary  …Skinnskatteberg: Svar har skickats via mejl.…\n"
    )
    code, out, _ = minutes('person:"per norin"', "--json")
    answer = json.loads(out)
    assert answer["total"] == 1 and answer["indexed"] is True
    [row] = answer["results"]
    assert row["item"] is None and row["field"] == "people"
    assert [row["snippet"][a:b] for a, b in row["marks"]] == ["Per Norin"]
    assert row["meeting"] == f"{SEED_FOLDER}/2024-04-26.toml"


def test_in_a_terminal_the_words_are_bold_and_reversed(minutes, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = minutes("mejl")
    assert "\x1b[1;7mmejl\x1b[0m" in out


def test_words_found_twice_over_are_marked_once(minutes, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    words = ("kompetens*", "kompetensförsörjning", "-n", "3")
    for row in json.loads(minutes(*words, "--json")[1])["results"]:
        ends = [edge for mark in row["marks"] for edge in mark]
        assert ends == sorted(set(ends)), row  # none empty, none overlapping
    _, plain, _ = minutes(*words)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    _, coloured, _ = minutes(*words)
    assert coloured.replace("\x1b[1;7m", "").replace("\x1b[0m", "") == plain
    assert "\x1b[1;7mkompetensförsörjning\x1b[0m" in coloured
    assert "\x1b[1;7m\x1b[0m" not in coloured


def test_text_from_files_is_printed_as_data(repo_dir, minutes):
    path = repo_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    meeting, _ = load_meeting(path)
    meeting.item(11).decision = "Beslut \x1b]0;owned\x07 \x1b[31m röd \x1b[0m [bold]fet[/bold]"
    path.write_text(dumps_meeting(meeting), encoding="utf-8")
    code, out, _ = minutes("röd")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "␛]0;owned␇ ␛[31m röd ␛[0m [bold]fet[/bold]" in out
    _, out, _ = minutes("röd", "--json")
    [row] = json.loads(out)["results"]
    assert [row["snippet"][a:b] for a, b in row["marks"]] == ["röd"]
    assert "\x1b" not in row["snippet"]


def test_more_than_asked_for_says_how_many_more(repo_dir, minutes):
    code, out, _ = minutes("noteras", "-n", "2")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[-1].startswith("… and ") and lines[-1].endswith("more: -n 20 shows more")


def test_nothing_found(minutes):
    assert minutes("ingenstans") == (0, "nothing found\n", "")


def test_where_git_cannot_be_written_the_files_are_scanned_and_it_says_so(repo_dir, minutes):
    (repo_dir / ".git" / "minutes").write_text("not a folder\n")
    code, out, err = minutes("skinnskatteberg")
    assert code == 0 and "§13 summary" in out
    assert (
        err == "minutes: no search index here (no .git, or it cannot be written): files scanned\n"
    )


def test_a_long_indexing_tells_how_far_it_has_come_on_a_terminal(repo_dir, capsys, monkeypatch):
    seed = repo_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    meeting, _ = load_meeting(seed)
    meeting.next_meeting = None
    for weeks in range(1, 110):
        meeting.date = dt.date(2020, 1, 3) + dt.timedelta(weeks=weeks)
        (seed.parent / f"{meeting.date}.toml").write_text(dumps_meeting(meeting), "utf-8")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    ticks = iter(range(10**6))
    monkeypatch.setattr("time.monotonic", lambda: float(next(ticks)))  # a second a look
    assert main(["--repo", str(repo_dir), "search", "mejl", "-n", "1"]) == 0
    err = capsys.readouterr().err
    assert err == "\rIndexing… 100 of 110 meetings\rIndexing… 110 of 110 meetings\n"
