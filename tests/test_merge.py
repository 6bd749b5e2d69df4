"""The three-way merge of meetings: by hand on the seed, and as properties of random edits."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEED_FOLDER, git
from tests.strategies import meetings, texts
from tui.format.files import dumps_meeting, load_meeting
from tui.merge import TEXT, Conflict, Merged, Written, merge_meetings, merge_words
from tui.model import Attendee, Meeting

SOME = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def seed() -> Meeting:
    meeting, _ = load_meeting(ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml")
    return meeting


def sides(seed: Meeting) -> tuple[Meeting, Meeting]:
    return copy.deepcopy(seed), copy.deepcopy(seed)


def person(meeting: Meeting, name: str) -> Attendee:
    return next(p for p in meeting.attendance.everyone() if p.name == name)


# --- by hand -------------------------------------------------------------------------------


def test_different_fields_both_kept(seed):
    ours, theirs = sides(seed)
    ours.place = "Sammanträdesrum Runn"
    theirs.item(11).decision = "Informationen noteras och läggs till handlingarna."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    assert merged.meeting.place == "Sammanträdesrum Runn"
    assert merged.meeting.item(11).decision == "Informationen noteras och läggs till handlingarna."


def test_different_items_both_kept(seed):
    ours, theirs = sides(seed)
    ours.item(11).decision = "Informationen noteras med tack."
    theirs.item(13).summary = "Kort."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    assert merged.meeting.item(11).decision == "Informationen noteras med tack."
    assert merged.meeting.item(13).summary == "Kort."


def test_different_attendees_both_kept(seed):
    ours, theirs = sides(seed)
    person(ours, "Per Norin").party = "L"
    theirs.attendance.substitutes = [
        p for p in theirs.attendance.substitutes if p.name != "Sigurd Synnergård"
    ]
    theirs.attendance.others.append(Attendee("Ny Gäst", role="gäst"))
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    names = [p.name for p in merged.meeting.attendance.everyone()]
    assert person(merged.meeting, "Per Norin").party == "L"
    assert "Sigurd Synnergård" not in names
    assert names[-1] == "Ny Gäst"


def test_words_of_one_decision_merge(seed):
    ours, theirs = sides(seed)
    ours.item(11).decision = "Informationen noteras med tack."
    theirs.item(11).decision = "Den muntliga informationen noteras."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    assert merged.meeting.item(11).decision == "Den muntliga informationen noteras med tack."


def test_same_words_changed_differently_is_a_conflict(seed):
    ours, theirs = sides(seed)
    ours.item(11).decision = "Informationen godkänns."
    theirs.item(11).decision = "Informationen avslås."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.conflicts == [
        Conflict(
            "§11.decision",
            "Informationen noteras.",
            "Informationen godkänns.",
            "Informationen avslås.",
            kind=TEXT,
        )
    ]
    assert merged.meeting.item(11).decision == "Informationen godkänns."


def test_a_choice_settles_its_conflict_and_nothing_else(seed):
    ours, theirs = sides(seed)
    ours.item(11).decision, theirs.item(11).decision = "Godkänns.", "Avslås."
    ours.place, theirs.place = "Kalmar", "Växjö"
    ours.item(12).summary = seed.item(12).summary + " Klart."
    for choices, decision, place in (
        ({"§11.decision": "theirs", "place": "ours"}, "Avslås.", "Kalmar"),
        ({"§11.decision": Written("Bordläggs."), "place": "theirs"}, "Bordläggs.", "Växjö"),
    ):
        merged = merge_meetings(seed, ours, theirs, choices)
        assert merged.conflicts == []
        assert (merged.meeting.item(11).decision, merged.meeting.place) == (decision, place)
        assert merged.meeting.item(12).summary.endswith(" Klart.")  # the clean part, merged
    partly = merge_meetings(seed, ours, theirs, {"place": "theirs"})
    assert [c.field for c in partly.conflicts] == ["§11.decision"]
    ours.start, theirs.start = dt.time(8), dt.time(10)
    written_start = merge_meetings(seed, ours, theirs, {"start": Written("09:00")})
    assert "start" in [c.field for c in written_start.conflicts]  # a time is not written


def test_a_meeting_chosen_whole_is_that_side(seed):
    ours, theirs = sides(seed)
    ours.item(11).decision, theirs.item(11).decision = "Godkänns.", "Avslås."
    assert merge_meetings(seed, ours, theirs, {"meeting": "theirs"}) == Merged(theirs, [])


def test_scalar_changed_differently_is_a_conflict(seed):
    ours, theirs = sides(seed)
    person(ours, "Per Norin").party = "L"
    person(theirs, "Per Norin").party = "C"
    merged = merge_meetings(seed, ours, theirs)
    assert [(c.field, c.base, c.ours, c.theirs) for c in merged.conflicts] == [
        ("attendance.Per Norin.party", "KD", "L", "C")
    ]


def test_items_added_on_both_sides_are_kept_and_renumbered(seed):
    ours, theirs = sides(seed)
    ours.add_item(12, 9).title = "Ours"
    theirs.add_item(14, 9).title = "Theirs"
    theirs.add_item(9, 9).title = "Theirs too"
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    titles = [(i.number, i.title) for i in merged.meeting.items]
    assert [n for n, _ in titles] == list(range(9, 9 + len(seed.items) + 3))
    order = [t for _, t in titles]
    assert order[1] == "Theirs too"
    assert order.index("Ours") == order.index(seed.item(12).title) + 1
    assert order.index("Theirs") == order.index(seed.item(14).title) + 1
    # Presence follows its § to its new number, as when the app adds a §.
    arne = person(merged.meeting, "Arne Andersson")
    assert merged.meeting.item(arne.present[0]).title == seed.item(15).title


def test_moved_on_one_side_and_edited_on_the_other_keeps_both(seed):
    ours, theirs = sides(seed)
    ours.move_item(13, +1)
    theirs.item(13).decision = "Informationen noteras och diskuteras vidare."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    moved = merged.meeting.item(14)
    assert moved.title == seed.item(13).title
    assert moved.decision == "Informationen noteras och diskuteras vidare."
    assert merged.meeting.item(13).title == seed.item(14).title


def test_deleted_on_one_side_and_edited_on_the_other_keeps_the_edit(seed):
    ours, theirs = sides(seed)
    ours.remove_item(12)
    theirs.item(12).decision = "Informationen noteras och återkommer."
    merged = merge_meetings(seed, ours, theirs)
    assert [c.field for c in merged.conflicts] == ["§12"]
    assert "Informationen noteras och återkommer." in merged.conflicts[0].theirs
    assert merged.conflicts[0].ours == ""
    assert merged.meeting.item(12).decision == "Informationen noteras och återkommer."
    assert merged.meeting.numbers() == seed.numbers()


def test_deleted_on_one_side_unchanged_on_the_other_is_gone(seed):
    ours, theirs = sides(seed)
    ours.remove_item(15)  # Arne Andersson's only §: his presence goes with it
    theirs.place = "Runn"
    merged = merge_meetings(seed, ours, theirs)
    assert merged.clean
    assert seed.item(15).title not in [i.title for i in merged.meeting.items]
    assert person(merged.meeting, "Arne Andersson").present == []


def test_a_merge_that_breaks_the_rules_is_a_conflict_and_keeps_ours(seed):
    ours, theirs = sides(seed)
    for item in ours.items:  # each side valid alone: a cancelled meeting decides nothing
        item.decision = ""
    ours.cancelled = True
    theirs.item(9).decision = "Noteras."
    merged = merge_meetings(seed, ours, theirs)
    assert merged.meeting == ours
    [conflict] = merged.conflicts
    assert conflict.field == "meeting"
    assert "cancelled" in conflict.note
    assert "Noteras." in conflict.theirs


def test_lists_merge_as_sets_in_order(seed):
    ours, theirs = sides(seed)
    ours.item(11).documents = ["a", "b", "c"]
    theirs.item(11).documents = ["x"]
    base = copy.deepcopy(seed)
    base.item(11).documents = ["a"]
    merged = merge_meetings(base, ours, theirs)
    # "a" removed by theirs; both sides add at the start: ours first.
    assert merged.meeting.item(11).documents == ["b", "c", "x"]


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        ("a b c", "a B c", "a b C", "a B C"),
        ("a b c", "a B c", "a B c", "a B c"),
        ("a b c", "a B c", "a X c", None),
        ("", "x", "y", None),
        ("a b", "a b.", "a b!", None),
        ("Ett. Två. Tre.", "Ett. 2. Tre.", "Ett. Två. Tre. Fyra.", "Ett. 2. Tre. Fyra."),
    ],
)
def test_merge_words(base, ours, theirs, merged):
    assert merge_words(base, ours, theirs) == merged


# --- properties ----------------------------------------------------------------------------

Target = tuple[Any, ...]


def targets(meeting: Meeting) -> list[Target]:
    """Where an edit may land: a field of the meeting, an item or an attendee."""
    found: list[Target] = [("place",), ("signatures", "secretary")]
    for i in range(len(meeting.items)):
        found += [("item", i, name) for name in ("title", "summary", "decision", "proposal")]
    for group in ("members", "others"):
        found += [("person", group, i) for i in range(len(getattr(meeting.attendance, group)))]
    return found


def _owner(meeting: Meeting, target: Target) -> tuple[Any, str]:
    match target:
        case ("place",):
            return meeting, "place"
        case ("signatures", name):
            return meeting.signatures, name
        case ("item", i, name):
            return meeting.items[i], name
        case ("person", group, i):
            return getattr(meeting.attendance, group)[i], "party"
    raise AssertionError(target)


def value(meeting: Meeting, target: Target) -> str:
    owner, name = _owner(meeting, target)
    return getattr(owner, name)


def edited(meeting: Meeting, *edits: tuple[Target, str]) -> Meeting:
    meeting = copy.deepcopy(meeting)
    for target, text in edits:
        owner, name = _owner(meeting, target)
        setattr(owner, name, text)
    return meeting


@SOME
@given(base=meetings(), data=st.data())
def test_disjoint_edits_merge_as_applied_in_either_order(base, data):
    places = targets(base)
    first, second = data.draw(
        st.lists(st.sampled_from(places), min_size=2, max_size=2, unique=True)
    )
    a = (first, data.draw(texts))
    b = (second, data.draw(texts))
    merged = merge_meetings(base, edited(base, a), edited(base, b))
    assert merged.clean
    assert merged.meeting == edited(base, a, b) == edited(base, b, a)


@SOME
@given(
    base=meetings(),
    data=st.data(),
    endings=st.lists(
        st.text("xyzåäö", min_size=1, max_size=4), min_size=2, max_size=2, unique=True
    ),
)
def test_overlapping_edits_conflict_and_lose_no_text(base, data, endings):
    target = data.draw(st.sampled_from(targets(base)))
    was = value(base, target)
    ours, theirs = (edited(base, (target, was + ending)) for ending in endings)
    assume(value(ours, target) != value(theirs, target))
    merged = merge_meetings(base, ours, theirs)
    assert merged.conflicts
    kept = value(merged.meeting, target)
    recorded = [text for c in merged.conflicts for text in (c.ours, c.theirs)]
    for side in (ours, theirs):
        text = value(side, target)
        assert text == kept or any(text in r for r in recorded)


# --- git's merge driver --------------------------------------------------------------------

MINUTES = Path(sys.executable).with_name("minutes")  # this checkout's, not one on PATH


def merged_branches(
    repo: Path, seed: Path, ours: Callable[[Meeting], None], theirs: Callable[[Meeting], None]
) -> Path:
    """`theirs` edits the seed on a branch, `ours` on main, and main merges the branch with
    minutes as git's merge driver for meetings."""
    git(repo, "config", "merge.minutes.driver", f"{MINUTES} merge-file %O %A %B %P")
    (repo / ".gitattributes").write_text("meetings/**/*.toml merge=minutes\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "--quiet", "-m", "Meetings merge by meaning")
    git(repo, "checkout", "--quiet", "-b", "theirs")
    _commit_edit(repo, seed, theirs)
    git(repo, "checkout", "--quiet", "main")
    _commit_edit(repo, seed, ours)
    git(repo, "merge", "--no-edit", "theirs", check=False)
    return repo


def _commit_edit(repo: Path, seed: Path, edit: Callable[[Meeting], None]) -> None:
    meeting, _ = load_meeting(seed)
    edit(meeting)
    seed.write_text(dumps_meeting(meeting))
    git(repo, "commit", "--quiet", "-am", "An edit")


def _record(repo: Path, seed: Path) -> Path:
    name = str(seed.relative_to(repo)).replace("/", "%2F")
    return repo / ".git" / "minutes" / "conflicts" / f"{name}.json"


def test_git_merges_edits_of_different_fields_cleanly(repo_dir, seed_path):
    def ours(m: Meeting) -> None:
        m.place = "Sammanträdesrum Runn"

    def theirs(m: Meeting) -> None:
        m.item(11).decision = "Informationen noteras och läggs till handlingarna."

    merged_branches(repo_dir, seed_path, ours, theirs)
    assert git(repo_dir, "status", "--porcelain") == ""
    assert git(repo_dir, "log", "-1", "--format=%p").count(" ") == 1  # a merge commit
    meeting, _ = load_meeting(seed_path)
    assert meeting.place == "Sammanträdesrum Runn"
    assert meeting.item(11).decision == "Informationen noteras och läggs till handlingarna."
    assert not _record(repo_dir, seed_path).exists()


def test_git_conflict_leaves_a_valid_meeting_and_a_record(repo_dir, seed_path):
    def ours(m: Meeting) -> None:
        m.item(11).decision = "Informationen godkänns."

    def theirs(m: Meeting) -> None:
        m.item(11).decision = "Informationen avslås."

    merged_branches(repo_dir, seed_path, ours, theirs)
    assert git(repo_dir, "status", "--porcelain").startswith("UU ")
    text = seed_path.read_text()
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    meeting, _ = load_meeting(seed_path)  # valid: it would raise otherwise
    assert meeting.item(11).decision == "Informationen godkänns."
    recorded = json.loads(_record(repo_dir, seed_path).read_text())
    assert recorded == [
        {
            "field": "§11.decision",
            "base": "Informationen noteras.",
            "ours": "Informationen godkänns.",
            "theirs": "Informationen avslås.",
            "note": "",
            "kind": "text",
        }
    ]


def test_check_shows_a_merges_conflicts_until_they_are_resolved(repo_dir, seed_path, capsys):
    from tui.cli import main

    def ours(m: Meeting) -> None:
        m.item(11).decision = "Informationen godkänns."

    def theirs(m: Meeting) -> None:
        m.item(11).decision = "Informationen avslås."

    merged_branches(repo_dir, seed_path, ours, theirs)
    capsys.readouterr()
    assert main(["--repo", str(repo_dir), "check"]) == 1
    shown = capsys.readouterr().out
    assert (
        f"{SEED_FOLDER}/2024-04-26.toml: §11.decision: both sides changed it differently" in shown
    )
    for side, text in (
        ("base", "Informationen noteras."),
        ("here", "Informationen godkänns."),
        ("there", "Informationen avslås."),
    ):
        assert f"  {side:<6} {text}\n" in shown
    git(repo_dir, "add", "-A")  # resolved: ours, as the file holds
    git(repo_dir, "commit", "--quiet", "--no-edit")
    assert main(["--repo", str(repo_dir), "check"]) == 0
    assert "§11.decision" not in capsys.readouterr().out


def test_a_side_with_conflict_markers_is_refused_in_one_line(tmp_path, capsys):
    from tui.cli import main

    good = ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    ours = tmp_path / "ours.toml"
    ours.write_text(good.read_text())
    theirs = tmp_path / "theirs.toml"
    theirs.write_text("[next_meeting]\n<<<<<<< HEAD\ndate = 2024-09-13\n=======\n>>>>>>> x\n")
    before = ours.read_bytes()
    assert (
        main(["merge-file", str(good), str(ours), str(theirs), "meetings/x/2024-04-26.toml"]) == 1
    )
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("minutes: meetings/x/2024-04-26.toml:")
    assert "theirs" in line
    assert ours.read_bytes() == before
