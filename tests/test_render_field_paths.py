"""The protocol fields as typed: `minutes set` on each, and the line forms (chairs, appeals,
moments) that the command and the app's forms share, read back to what they show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main
from tui.field_paths import (
    appeal_lines,
    chair_lines,
    parse_appeals,
    parse_chairs,
    parse_point,
    point_text,
    set_field,
)
from tui.format.files import dumps_meeting, load_meeting
from tui.model import Appeal, Attendee, Chair, Meeting

from .conftest import SEED_FOLDER, git
from .strategies import clocks, dates, extras, names, section_lists

FOLDER = "kultur-och-fritidsnamnden"
NUMBERS = list(range(1, 1000))  # every § the strategies name

# Names with spaces and letters of any script, as long as a line holds them.
chair_names = st.lists(names, min_size=1, max_size=3).map(" ".join)
appeal_names = st.one_of(st.just(""), chair_names)


@given(st.lists(st.builds(Chair, chair_names, section_lists), max_size=4))
def test_chair_lines_read_back(chairs):
    assert parse_chairs(chair_lines(chairs), [], NUMBERS) == chairs


@given(st.lists(st.builds(Chair, chair_names, section_lists, extras), max_size=4))
def test_unchanged_chair_lines_keep_their_unknown_keys(chairs):
    assert parse_chairs(chair_lines(chairs), chairs, NUMBERS) == chairs


@given(st.lists(st.builds(Appeal, section_lists, dates, appeal_names), max_size=4))
def test_appeal_lines_read_back(appeals):
    assert parse_appeals(appeal_lines(appeals), [], NUMBERS) == appeals


@given(st.lists(st.builds(Appeal, section_lists, dates, appeal_names, extras), max_size=4))
def test_unchanged_appeal_lines_keep_their_unknown_keys(appeals):
    assert parse_appeals(appeal_lines(appeals), appeals, NUMBERS) == appeals


@given(st.none() | clocks | st.integers(1, 999))
def test_moments_read_back(point):
    assert parse_point(point_text(point), NUMBERS) == point


def test_chair_lines_as_people_type_them():
    text = "  Alma Berglund §130-131 \n\nBertil Ceder §§132–133\nCecilia Dahl"
    assert parse_chairs(text, [], [130, 131, 132, 133]) == [
        Chair("Alma Berglund", [130, 131]),
        Chair("Bertil Ceder", [132, 133]),
        Chair("Cecilia Dahl"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("§130", "'§130': a chair such as Alma Berglund §130-131 has a name"),
        ("Alma Berglund §", "'Alma Berglund §': the §§ chaired, such as §130-131, after the name"),
        ("Alma Berglund §131-130", "'Alma Berglund §131-130': range 131-130 runs backwards"),
        ("Alma Berglund §12", "'Alma Berglund §12': the meeting has no §12"),
    ],
)
def test_a_chair_line_that_does_not_read_says_why(line, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_chairs(line, [], [130, 131])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("§132 Bertil Ceder", "is not an appeal such as §132 2024-12-01 Bertil Ceder"),
        ("§132 2024-13-01 Bertil Ceder", "month must be in 1..12"),
        ("§140 2024-12-01", "the meeting has no §140"),
        ("§x 2024-12-01", "'x' is not a § number"),
    ],
)
def test_an_appeal_line_that_does_not_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_appeals(text, [], [132])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "'25:00' is neither a time such as 10:15 nor a § such as §12"),
        ("12", "'12' is neither a time"),
        ("§14", "'§14': the meeting has no §14"),
    ],
)
def test_a_moment_that_does_not_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_point(text, [12, 13])


@pytest.fixture
def protocol(protocol_dir: Path, monkeypatch) -> Path:
    """The fictional protocol in a git repository of its own."""
    monkeypatch.setenv("HOME", str(protocol_dir / ".home"))
    git(protocol_dir, "init", "--quiet", "--initial-branch=main")
    git(protocol_dir, "config", "user.name", "Gunilla Holm")
    git(protocol_dir, "config", "user.email", "gunilla@example.org")
    git(protocol_dir, "add", "-A")
    git(protocol_dir, "commit", "--quiet", "-m", "Protokoll")
    return protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"


def _set(protocol: Path, path: str, value: str) -> int:
    root = str(protocol.parents[2])
    return main(["--repo", root, "set", "2024-11-14", path, value])


SETS = [
    ("signatures.chairs", "Alma Berglund §130-131\nBertil Ceder §132-133"),
    ("signatures.adjustment_time", "10.00"),
    ("signatures.adjusted_items", "130-132"),
    ("§132.proposal_heading", "Arbetsutskottets förslag"),
    ("§132.adjusted_immediately", "ja"),
    ("§132.cases", "KFN 2024/61\nKFN 2024/7"),
    ("Eva Fors.present_from", "13:15"),
    ("Eva Fors.present_until", "§131"),
    ("notice.posted", "2024-11-20"),
    ("notice.taken_down", "2024-12-12"),
    ("notice.storage", "Kommunhuset"),
    ("notice.certified_by", "Gunilla Holm"),
    ("appeals", "§132 2024-12-01 Bertil Ceder"),
]


def test_set_every_protocol_field_each_a_commit(protocol, capsys):
    for path, value in SETS:
        assert _set(protocol, path, value) == 0, capsys.readouterr().err
    assert git(protocol.parents[2], "rev-list", "--count", "HEAD") == f"{len(SETS) + 1}\n"
    meeting, _ = load_meeting(protocol)
    s = meeting.signatures
    assert s.chairs == [Chair("Alma Berglund", [130, 131]), Chair("Bertil Ceder", [132, 133])]
    assert (s.adjustment_time, s.adjusted_items) == (dt.time(10, 0), [130, 131, 132])
    item = meeting.item(132)
    assert (item.proposal_heading, item.adjusted_immediately) == ("Arbetsutskottets förslag", True)
    assert item.cases == ["KFN 2024/61", "KFN 2024/7"]
    eva = meeting.attendance.members[3]
    assert (eva.present_from, eva.present_until) == (dt.time(13, 15), 131)
    notice = meeting.notice
    assert notice is not None
    assert (notice.posted, notice.taken_down, notice.storage, notice.certified_by) == (
        dt.date(2024, 11, 20),
        dt.date(2024, 12, 12),
        "Kommunhuset",
        "Gunilla Holm",
    )
    assert meeting.appeals == [Appeal([132], dt.date(2024, 12, 1), "Bertil Ceder")]
    text = protocol.read_text(encoding="utf-8")
    assert '[[signatures.chair]]\nname = "Bertil Ceder"\nitems = "132-133"\n' in text
    assert 'present_from = "13:15"\npresent_until = "§131"\n' in text


def test_an_absent_member_is_found_by_name():
    meeting = Meeting(dt.date(2024, 11, 14))
    meeting.attendance.absent.append(Attendee("David Eklund"))
    set_field(meeting, "David Eklund.party", "S")
    assert meeting.attendance.absent[0].party == "S"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("notice.storage", "Arkivet", "the meeting has no notice yet: set notice.posted first"),
        ("Eva Fors.present_until", "§200", "'§200': the meeting has no §200"),
        ("signatures.chairs", "Alma Berglund §99", "the meeting has no §99"),
        ("signatures.chair", "Alma Berglund", "the fields there are secretary, chairs,"),
        ("appeals", "§132", "is not an appeal such as"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_and_nothing_committed(
    protocol, capsys, path, value, message
):
    before = protocol.read_text(encoding="utf-8")
    assert _set(protocol, path, value) == 2
    assert message in capsys.readouterr().err
    assert protocol.read_text(encoding="utf-8") == before
    assert git(protocol.parents[2], "rev-list", "--count", "HEAD") == "1\n"


def test_set_cancelled_is_one_commit_saying_so(repo_dir, capsys):
    planned = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    planned.write_text(dumps_meeting(Meeting(dt.date(2024, 9, 13))), encoding="utf-8")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "Planned")
    for value, subject in (("yes", "meeting cancelled"), ("no", "meeting no longer cancelled")):
        assert main(["--repo", str(repo_dir), "set", "2024-09-13", "cancelled", value]) == 0
        assert git(repo_dir, "log", "-1", "--format=%s") == f"2024-09-13: {subject}\n"
    assert "cancelled" not in planned.read_text(encoding="utf-8")
    capsys.readouterr()
    # A held meeting decided things: cancelling it is refused, naming what it decided.
    assert main(["--repo", str(repo_dir), "set", "2024-04-26", "cancelled", "yes"]) == 1
    assert "items[1].decision: a cancelled meeting decides nothing" in capsys.readouterr().err
    assert git(repo_dir, "rev-list", "--count", "HEAD") == "4\n"


def test_an_empty_posting_day_removes_the_notice(protocol):
    assert _set(protocol, "notice.posted", "2024-11-20") == 0
    assert "[notice]\nposted = 2024-11-20\n" in protocol.read_text(encoding="utf-8")
    assert _set(protocol, "notice.posted", "") == 0
    assert "[notice]" not in protocol.read_text(encoding="utf-8")
