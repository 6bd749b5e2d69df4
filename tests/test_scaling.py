"""Meetings of thousands of §§: ten times the §§ may cost about ten times the work, not a
hundred. Work is counted as Python function calls, which, unlike time, does not vary from run
to run."""

from __future__ import annotations

import copy
import datetime as dt
import sys
from collections.abc import Callable

from tui.diff import diff_meetings
from tui.format.files import dumps_meeting, parse_meeting
from tui.model import Attendance, Attendee, Item, Meeting, Vote
from tui.validation import check_meeting

SMALL, LARGE = 150, 1500
LINEAR = 15
"""The most ten times the §§ may multiply the calls by: 10 with some room for n log n."""


def python_calls(work: Callable[[], object]) -> int:
    calls = 0

    def count(frame, event, arg) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return calls


class Counted(int):
    """A § number whose comparisons are Python calls, so that a scan of a list of them is
    counted too."""

    def __eq__(self, other: object) -> bool:
        return int.__eq__(self, other)

    __hash__ = int.__hash__


def grows_linearly(
    work: Callable[[int], Callable[[], object]], sizes: tuple[int, int] = (SMALL, LARGE)
) -> tuple[int, int]:
    """The calls of `work(SMALL)` and of `work(LARGE)`, each prepared before counting."""
    small, large = (work(size) for size in sizes)
    return python_calls(small), python_calls(large)


def meeting(count: int) -> Meeting:
    """A meeting of `count` §§ whose titles repeat, attended by members present for all."""
    titles = ["Inledning", "Budget", "Övriga frågor", "Nästa möte"]
    members = [Attendee(name, present=list(range(1, count + 1))) for name in ("Per", "Eva")]
    return Meeting(
        date=dt.date(2024, 4, 26),
        attendance=Attendance(members=members),
        items=[
            Item(n, titles[n % len(titles)], summary=f"Ärende {n}.", decision="Noteras.")
            for n in range(1, count + 1)
        ],
    )


def test_diffing_a_renumbered_meeting_grows_linearly():
    def work(count: int):
        old = meeting(count)
        new = copy.deepcopy(old)
        new.add_item(None, 1).title = "Ny punkt"  # every § after it renumbered
        new.items[count // 2].decision = "Godkänns."
        return lambda: diff_meetings(old, new)

    small, large = grows_linearly(work)
    assert large < LINEAR * small, (small, large)


def test_diffing_one_changed_decision_grows_linearly():
    def work(count: int):
        old = meeting(count)
        new = copy.deepcopy(old)
        new.items[count // 2].decision = "Godkänns."
        return lambda: diff_meetings(old, new)

    small, large = grows_linearly(work)
    assert large < LINEAR * small, (small, large)


def test_checking_the_votes_of_every_section_grows_linearly():
    def work(count: int):
        checked = meeting(count)
        for member in checked.attendance.members:
            member.present = [Counted(n) for n in member.present]
        for item in checked.items:
            item.votes = [Vote(yes=["Per"], no=["Eva"])]
        assert check_meeting(checked) == []
        return lambda: check_meeting(checked)

    small, large = grows_linearly(work)
    assert large < LINEAR * small, (small, large)


def test_placing_a_warning_for_every_section_grows_linearly():
    """A newer tool's key in every § is a warning each, placed at its line."""

    def work(count: int):
        newer = meeting(count)
        for item in newer.items:
            item.extra = {"x_custom": 1}
        text = dumps_meeting(newer)
        return lambda: parse_meeting(text)

    small, large = grows_linearly(work, (SMALL // 3, LARGE // 3))  # quadratic, it took minutes
    assert large < LINEAR * small, (small, large)
