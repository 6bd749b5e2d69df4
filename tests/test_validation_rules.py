"""The vote rules look presence up in sets; they must find exactly what the list scans found.
The first version of `check_meeting` is kept here, word for word, as the reference."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.model import Attendance, Attendee, Item, Meeting, Statement, Vote
from tui.problems import Problem
from tui.validation import (
    _attendance,
    _common,
    _items,
    _next_meeting_agrees,
    check_meeting,
)

MANY = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)


# --- the reference: the rules before presence was a set -----------------------------------


def reference_check_meeting(meeting: Meeting) -> list[Problem]:
    m = meeting
    problems = _common(m.kind, m.language, m.start, m.end)
    numbers = set(m.numbers())
    problems += _items(m)
    problems += _attendance(m, numbers)
    members = {a.name: a for a in m.attendance.members}
    everyone = {a.name for a in m.attendance.everyone()}
    for i, item in enumerate(m.items):
        where = f"items[{i}]"
        for v, vote in enumerate(item.votes):
            for side in ("yes", "no", "abstain"):
                for n, name in enumerate(getattr(vote, side)):
                    reason = reference_cannot_vote(members.get(name), item)
                    if reason:
                        problems.append(
                            Problem(f"{name!r} {reason}", f"{where}.votes[{v}].{side}[{n}]")
                        )
            for name, count in Counter(vote.voters()).items():
                if count > 1:
                    problems.append(
                        Problem(f"{name!r} voted more than once", f"{where}.votes[{v}]")
                    )
        for n, name in enumerate(item.conflicts):
            if name not in everyone:
                problems.append(
                    Problem(
                        f"{name!r} declared a conflict of interest but is not in the attendance",
                        f"{where}.conflicts[{n}]",
                    )
                )
        for kind in ("motions", "reservations", "notes"):
            for s, statement in enumerate(getattr(item, kind)):
                if not statement.by:
                    problems.append(Problem("missing: who made it", f"{where}.{kind}[{s}].by"))
    for b, pause in enumerate(m.breaks):
        if pause.end is not None and pause.end <= pause.start:
            problems.append(Problem("the break ends before it starts", f"breaks[{b}].end"))
        if pause.item is not None and pause.item not in numbers:
            problems.append(
                Problem(
                    f"names §{pause.item}, which this meeting does not have", f"breaks[{b}].item"
                )
            )
    if m.next_meeting and m.next_meeting.date <= m.date:
        problems.append(
            Problem(f"is not after this meeting ({m.date.isoformat()})", "next_meeting.date")
        )
    problems += _next_meeting_agrees(m)
    sig = m.signatures
    if sig.adjustment_date and sig.adjustment_date < m.date:
        problems.append(
            Problem("the protocol is adjusted before the meeting", "signatures.adjustment_date")
        )
    if m.kind == "protokoll" and m.items and not sig.adjusters:
        problems.append(
            Problem(
                "a protocol names its adjusters (justerare)", "signatures.adjusters", warning=True
            )
        )
    return problems


def reference_cannot_vote(member, item) -> str:
    if member is None:
        return "voted but is not a decision-making member present"
    if member.present and item.number not in member.present:
        return f"voted but was not present for §{item.number}"
    if member.name in item.conflicts:
        return f"voted but declared a conflict of interest in §{item.number}"
    return ""


# --- protocols whose votes name members present or not, twice, or in conflict ---------------

NAMES = ["Eva Fors", "Bertil Ceder", "Gunilla Holm", "Per Norin"]
voters = st.lists(st.sampled_from(NAMES), max_size=3)


@st.composite
def protocols(draw) -> Meeting:
    numbers = draw(st.lists(st.integers(0, 8), max_size=6))  # repeats and § 0 too
    sections = st.lists(st.integers(0, 9), max_size=6)

    def attendees(draw_names):
        return [Attendee(name, present=sorted(set(draw(sections)))) for name in draw_names]

    items = [
        Item(
            number,
            "Ärende",
            votes=draw(
                st.lists(st.builds(Vote, yes=voters, no=voters, abstain=voters), max_size=2)
            ),
            conflicts=draw(st.lists(st.sampled_from([*NAMES, "Okänd"]), max_size=2)),
            notes=draw(st.lists(st.builds(Statement, voters), max_size=1)),
        )
        for number in numbers
    ]
    return Meeting(
        dt.date(2024, 11, 14),
        kind="protokoll",
        attendance=Attendance(
            members=attendees(draw(st.lists(st.sampled_from(NAMES), max_size=4))),
            substitutes=attendees(draw(st.lists(st.sampled_from(NAMES), max_size=2))),
        ),
        items=items,
    )


@MANY
@given(protocols())
def test_the_rules_find_what_they_found_before(meeting):
    assert check_meeting(meeting) == reference_check_meeting(meeting)


def test_a_member_present_for_some_sections_voted_outside_them():
    eva = Attendee("Eva Fors", present=[1])
    meeting = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(members=[eva, Attendee("Per Norin")]),
        items=[Item(n, "Ärende", votes=[Vote(yes=["Eva Fors", "Per Norin"])]) for n in (1, 2)],
    )
    assert [str(p) for p in check_meeting(meeting)] == [
        "items[1].votes[0].yes[0]: 'Eva Fors' voted but was not present for §2"
    ]
