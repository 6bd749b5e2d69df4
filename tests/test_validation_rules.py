"""The rules a meeting must keep: who may vote, who is listed twice, arrivals and departures,
vote counts, quorum, signatures, the notice of adjustment and appeals.

The vote rules look presence up in sets; a plain reference of list scans, kept here, says
what they must find."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import strategies
from tui.archive import Archive
from tui.format.files import dumps_body, load_body
from tui.model import (
    Appeal,
    Attendance,
    Attendee,
    Body,
    Chair,
    Item,
    Meeting,
    Notice,
    Person,
    Signatures,
    Statement,
    Vote,
)
from tui.problems import Problem
from tui.stated_votes import Stated, stated_counts
from tui.validation import check_meeting, check_quorum

MANY = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
FEW = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def said(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


# --- the reference: who may vote, by list scans ----------------------------------------------


def reference_vote_problems(meeting: Meeting) -> list[Problem]:
    members = meeting.attendance.members
    problems = []
    for i, item in enumerate(meeting.items):
        for v, vote in enumerate(item.votes):
            where = f"items[{i}].votes[{v}]"
            found = []
            for side in ("yes", "no", "abstain"):
                for n, name in enumerate(getattr(vote, side)):
                    entries = [a for a in members if a.name == name]
                    if not entries:
                        reason = "voted but is not a decision-making member present"
                    elif not any(reference_present(a, item.number) for a in entries):
                        reason = f"voted but was not present for §{item.number}"
                    elif name in item.conflicts:
                        reason = f"voted but declared a conflict of interest in §{item.number}"
                    else:
                        continue
                    found.append(Problem(f"{name!r} {reason}", f"{where}.{side}[{n}]"))
            for name in dict.fromkeys(vote.voters()):
                if vote.voters().count(name) > 1:
                    found.append(Problem(f"{name!r} voted more than once", where))
            seats = {
                a.replaces or a.name
                for a in members
                if a.name not in item.conflicts and reference_present(a, item.number)
            }
            if not found and len(vote.voters()) > len(seats):
                message = (
                    f"{len(vote.voters())} votes cast, but §{item.number} had "
                    f"{len(seats)} filled seats: "
                    "a substitute votes only in place of a member"
                )
                found.append(Problem(message, where))
            problems += found
    return problems


def reference_present(attendee: Attendee, number: int) -> bool:
    arrived, left = attendee.present_from, attendee.present_until
    return (
        (not attendee.present or number in attendee.present)
        and (not isinstance(arrived, int) or arrived <= number)
        and (not isinstance(left, int) or number <= left)
    )


NAMES = ["Eva Fors", "Bertil Ceder", "Gunilla Holm", "Per Norin"]
voters = st.lists(st.sampled_from(NAMES), max_size=3)


@st.composite
def protocols(draw) -> Meeting:
    """Votes naming members present or not, twice, in conflict, or on one seat; members
    listed twice (repeats of NAMES), limited by § ranges and by arrivals and departures."""
    numbers = draw(st.lists(st.integers(0, 8), max_size=6))  # repeats and § 0 too
    sections = st.lists(st.integers(0, 9), max_size=6)
    points = st.none() | st.integers(0, 9) | st.just(dt.time(14))

    def attendees(draw_names):
        return [
            Attendee(
                name,
                present=sorted(set(draw(sections))),
                replaces=draw(st.sampled_from(["", *NAMES])),
                present_from=draw(points),
                present_until=draw(points),
            )
            for name in draw_names
        ]

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
def test_the_vote_rules_find_what_list_scans_find(meeting):
    found = [p for p in check_meeting(meeting) if ".votes[" in p.where]
    assert found == reference_vote_problems(meeting)


# --- 1. a substitute listed twice votes for either member ------------------------------------


def test_a_substitute_serving_for_two_members_may_vote_in_each_of_their_sections():
    """Fredrik Gran serves for David Eklund in §1 and for Eva Fors in §2: two entries of one
    name, each counts for its own §§."""
    meeting = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(
            members=[
                Attendee("Per Norin"),
                Attendee("Fredrik Gran", present=[1], replaces="David Eklund"),
                Attendee("Fredrik Gran", present=[2], replaces="Eva Fors"),
            ]
        ),
        items=[Item(n, "Ärende", votes=[Vote(yes=["Fredrik Gran", "Per Norin"])]) for n in (1, 2)],
    )
    assert said(check_meeting(meeting)) == []
    meeting.items.append(Item(3, "Ärende", votes=[Vote(yes=["Fredrik Gran"])]))
    assert said(check_meeting(meeting)) == [
        "items[2].votes[0].yes[0]: 'Fredrik Gran' voted but was not present for §3"
    ]


def test_a_member_present_for_some_sections_voted_outside_them():
    eva = Attendee("Eva Fors", present=[1])
    meeting = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(members=[eva, Attendee("Per Norin")]),
        items=[Item(n, "Ärende", votes=[Vote(yes=["Eva Fors", "Per Norin"])]) for n in (1, 2)],
    )
    assert said(check_meeting(meeting)) == [
        "items[1].votes[0].yes[0]: 'Eva Fors' voted but was not present for §2"
    ]


# --- 2. listed twice only when two entries meet ----------------------------------------------


def sections(*numbers: int) -> list[Item]:
    return [Item(n, "Ärende") for n in numbers]


def test_a_person_is_listed_twice_only_when_two_entries_share_a_moment():
    fredrik = "Fredrik Gran"
    apart = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(
            members=[
                Attendee(fredrik, present=[2], replaces="David Eklund"),
                Attendee(fredrik, present=[3], replaces="Eva Fors"),
            ],
            substitutes=[Attendee(fredrik, present=[1])],
            others=[
                Attendee("Gunilla Holm", present_until=dt.time(14)),
                Attendee("Gunilla Holm", present_from=dt.time(14)),
            ],
        ),
        items=sections(1, 2, 3),
    )
    assert said(check_meeting(apart)) == []

    apart.attendance.substitutes[0].present = [1, 2]
    apart.attendance.others[1].present_from = dt.time(13, 30)
    apart.attendance.others.append(Attendee("Gunilla Holm", present_from=3))
    assert said(check_meeting(apart)) == [
        "attendance.substitutes[0]: warning: 'Fredrik Gran' is listed twice for §2 "
        "(also attendance.members[0])",
        "attendance.others[1]: warning: 'Gunilla Holm' is listed twice (also attendance.others[0])",
        "attendance.others[2]: warning: 'Gunilla Holm' is listed twice for §3 "
        "(also attendance.others[0])",
    ]


# --- 3. arriving and leaving -------------------------------------------------------------------


def test_arrivals_and_departures_name_sections_of_the_meeting_and_times_within_it():
    meeting = Meeting(
        dt.date(2024, 11, 14),
        start=dt.time(13),
        end=dt.time(15, 40),
        attendance=Attendance(
            members=[
                Attendee("Alma Berglund", present_from=12, present_until=11),
                Attendee("Bertil Ceder", present_from=dt.time(12, 50), present_until=14),
                Attendee("Cecilia Dahl", present_from=dt.time(15), present_until=dt.time(14)),
                Attendee("Eva Fors", present_until=dt.time(16)),
                Attendee("Per Norin", present=[11], present_from=12),
                Attendee("Fredrik Gran", present_from=dt.time(14), present_until=12),
            ]
        ),
        items=sections(11, 12),
    )
    assert said(check_meeting(meeting)) == [
        "attendance.members[0].present_until: §11 is before present_from (§12)",
        "attendance.members[1].present_from: warning: is before the meeting starts (13:00)",
        "attendance.members[1].present_until: names §14, which this meeting does not have",
        "attendance.members[2].present_until: 14:00 is before present_from (15:00)",
        "attendance.members[3].present_until: warning: is after the meeting ends (15:40)",
        "attendance.members[4].present: names only §§ before present_from or after "
        "present_until: no § is left",
    ]


def test_a_member_arriving_at_a_section_votes_and_counts_from_it_on():
    late = Attendee("Eva Fors", present=[11, 12, 13], present_from=12)
    meeting = Meeting(
        dt.date(2024, 11, 14),
        kind="protokoll",
        attendance=Attendance(members=[late, Attendee("Per Norin", present_until=11)]),
        items=[Item(n, "Ärende", votes=[Vote(yes=["Eva Fors"])]) for n in (11, 12, 13)],
        signatures=Signatures(adjusters=["Per Norin"]),
    )
    assert said(check_meeting(meeting)) == [
        "items[0].votes[0].yes[0]: 'Eva Fors' voted but was not present for §11"
    ]
    # Two seats: one filled is no quorum; in §11 Per Norin fills one, from §12 Eva Fors.
    body = Body("Nämnden", seats=2)
    assert check_quorum(meeting, body) == [
        Problem(
            f"§{n} was handled with 1 of the body's 2 seats filled: no quorum, which needs "
            "more than half (KL 6 kap. 27 §)",
            f"items[{i}]",
            warning=True,
        )
        for i, n in enumerate((11, 12, 13))
    ]


# --- 4. counts of a vote ---------------------------------------------------------------------


def test_a_member_and_the_substitute_replacing_them_do_not_both_vote():
    meeting = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(
            members=[
                Attendee("David Eklund"),
                Attendee("Fredrik Gran", replaces="David Eklund"),
                Attendee("Per Norin"),
            ]
        ),
        items=[Item(1, "Ärende", votes=[Vote(yes=["David Eklund", "Fredrik Gran", "Per Norin"])])],
    )
    assert said(check_meeting(meeting)) == [
        "items[0].votes[0]: 3 votes cast, but §1 had 2 filled seats: "
        "a substitute votes only in place of a member",
    ]


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Med 3 ja mot 1 nej beslutar nämnden enligt förslaget.", Stated(3, 1)),
        ("3 ja, 1 nej, 2 avstår", Stated(3, 1, 2)),
        ("Med tre ja-röster mot en nej-röst; två ledamöter avstod.", Stated(3, 1, 2)),
        ("Ja: 4, Nej: 2", Stated(4, 2)),
        ("Nämnden bifaller med 3 röster mot 1.", Stated(pair=(1, 3))),
        ("The board approved, with 3 votes to 1.", Stated(pair=(1, 3))),
        ("3 yes, 1 no, 1 member abstained", Stated(3, 1, 1)),
        ("Eleven in favour and two against", Stated(pair=(2, 11))),
        # Not counts, or not one count: nothing is stated.
        ("Nämnden beslutar enligt förslaget.", None),
        ("Först 3 ja mot 2 nej, sedan 4 ja mot 1 nej.", None),
        ("Beslutet fattades med en rösts övervikt.", None),
        ("§ 12 ja-sägare saknas", None),
        ("with 3 votes against 1", None),
    ],
)
def test_the_counts_a_result_states(text, stated):
    assert stated_counts(text) == stated


def test_a_result_stating_other_counts_than_the_lists_is_warned_of():
    members = [Attendee(name) for name in NAMES]
    results = [
        "Med 3 ja mot 1 nej bifalls förslaget.",
        "Med 2 ja mot 1 nej bifalls förslaget.",
        "with 1 vote to 3",
        "with 2 votes to 2",
        "3 ja, 1 nej, 2 avstår",
    ]
    meeting = Meeting(
        dt.date(2024, 11, 14),
        attendance=Attendance(members=members),
        items=[
            Item(1, "Ärende", votes=[Vote(yes=NAMES[:3], no=NAMES[3:], result=r) for r in results])
        ],
    )
    meeting.items.append(Item(2, "Sluten omröstning", votes=[Vote(result="Med 5 röster mot 2")]))
    assert said(check_meeting(meeting)) == [
        "items[0].votes[1].result: warning: states 2 yes, but the lists hold 3 yes, 1 no, "
        "0 abstain",
        "items[0].votes[3].result: warning: states 2 to 2, but the lists hold 3 yes, 1 no, "
        "0 abstain",
        "items[0].votes[4].result: warning: states 2 abstain, but the lists hold 3 yes, 1 no, "
        "0 abstain",
    ]


# --- 5. quorum --------------------------------------------------------------------------------


def roster(*names: str, seats: int | None = None) -> Body:
    return Body("Kultur- och fritidsnämnden", members=[Person(n) for n in names], seats=seats)


def test_quorum_needs_more_than_half_of_the_seats_filled_without_a_conflict():
    body = roster("Alma Berglund", "Bertil Ceder", "Cecilia Dahl", "David Eklund", "Eva Fors")
    meeting = Meeting(
        dt.date(2024, 11, 14),
        kind="protokoll",
        attendance=Attendance(
            members=[
                Attendee("Alma Berglund"),
                Attendee("Bertil Ceder"),
                Attendee("Fredrik Gran", replaces="David Eklund", present=[2]),
            ],
            substitutes=[Attendee("Cecilia Dahl")],  # present, not serving: no seat
        ),
        items=[
            Item(1, "Ärende"),
            Item(2, "Ärende"),
            Item(3, "Ärende", conflicts=["Alma Berglund"]),
        ],
    )
    # §1: two of five seats; §2: three, one of them David Eklund's; §3: Alma Berglund left.
    assert said(check_quorum(meeting, body)) == [
        f"{where}: warning: §{n} was handled with {filled} of the body's 5 seats filled: "
        "no quorum, which needs more than half (KL 6 kap. 27 §)"
        for where, n, filled in (("items[0]", 1, 2), ("items[2]", 3, 1))
    ]
    assert check_quorum(meeting, roster("Alma Berglund", "Bertil Ceder", seats=3)) == [
        Problem(
            "§3 was handled with 1 of the body's 3 seats filled: no quorum, which needs more "
            "than half (KL 6 kap. 27 §)",
            "items[2]",
            warning=True,
        )
    ]
    assert check_quorum(meeting, roster()) == []  # no roster, no seats: nothing to count
    meeting.attendance.members = []
    assert said(check_quorum(meeting, body)) == [
        "attendance.members: warning: lists no decision-making members: no § had a quorum of "
        "the 5 seats"
    ]
    meeting.kind = "minnesanteckningar"
    assert check_quorum(meeting, body) == []


def test_the_protocol_archive_keeps_every_rule(protocol_dir):
    assert [p.message for p in Archive(protocol_dir).check()] == [
        "the archive's first meeting of 2024 starts at §130: §§1–129 are not in the archive"
    ]


def test_the_archive_check_places_a_missing_quorum_at_its_section(protocol_dir):
    folder = protocol_dir / "meetings" / "kultur-och-fritidsnamnden"
    body, _ = load_body(folder / "body.toml")
    body.seats = 10
    (folder / "body.toml").write_text(dumps_body(body), encoding="utf-8")
    text = (folder / "2024-11-14.toml").read_text(encoding="utf-8")
    line = text.splitlines().index("number = 131")  # the line of [[items]] above it, 1-based
    found = [p for p in Archive(protocol_dir).check() if "quorum" in p.message]
    assert [(p.path, p.line, p.where) for p in found][1] == (
        folder / "2024-11-14.toml",
        line,
        "items[1]",
    )
    assert len(found) == 4  # at most five of ten seats filled in any §


# --- 6. signatures, notice, appeals and the other protocol parts ------------------------------


def protocol() -> Meeting:
    """A protocol keeping every rule, to break one rule at a time."""
    return Meeting(
        dt.date(2024, 11, 14),
        kind="protokoll",
        start=dt.time(13),
        end=dt.time(15, 40),
        attendance=Attendance(
            members=[Attendee(n) for n in ("Alma Berglund", "Bertil Ceder", "Cecilia Dahl")],
            others=[Attendee("Gunilla Holm")],
            absent=[Attendee("David Eklund")],
        ),
        items=[Item(n, "Ärende", cases=["KFN 2024/88"]) for n in (130, 131, 132)],
        signatures=Signatures(
            secretary="Gunilla Holm",
            chairs=[Chair("Alma Berglund", [130, 131]), Chair("Bertil Ceder", [132])],
            adjusters=["Cecilia Dahl"],
            adjustment_date=dt.date(2024, 11, 19),
            adjustment_time=dt.time(10),
            adjusted_items=[130, 131, 132],
        ),
        notice=Notice(dt.date(2024, 11, 20), dt.date(2024, 12, 12)),
        appeals=[Appeal([131], dt.date(2024, 12, 1), by="Exempelby Konstförening")],
    )


def set_chair(c: int, **values):
    def change(m: Meeting) -> None:
        for key, value in values.items():
            setattr(m.signatures.chairs[c], key, value)

    return change


def unadjusted_notice_before_the_meeting(m: Meeting) -> None:
    m.signatures.adjustment_date = None
    assert m.notice is not None
    m.notice.posted = dt.date(2024, 11, 13)


def minnesanteckningar_adjusted_immediately(m: Meeting) -> None:
    m.kind = "minnesanteckningar"
    m.signatures.adjusters = []
    m.items[2].adjusted_immediately = True


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (set_chair(0, name=" "), ["signatures.chair[0].name: missing: the chair's name"]),
        (
            set_chair(0, items=[129, 130]),
            [
                "signatures.chair[0].items: names §129, which this meeting does not have",
                "signatures.chair: warning: nobody is named chair of §131",
            ],
        ),
        (
            set_chair(1, items=[131, 132]),
            ["signatures.chair[1].items: §131 also chaired by 'Alma Berglund'"],
        ),
        (
            set_chair(1, items=[]),
            [
                "signatures.chair[1].items: with chairs taking turns, each names the §§ they "
                "chaired",
                "signatures.chair: warning: nobody is named chair of §132",
            ],
        ),
        (set_chair(0, items=[130]), ["signatures.chair: warning: nobody is named chair of §131"]),
        (
            lambda m: m.items[0].opinions.append(Statement([], "Ett yttrande.")),
            ["items[0].opinions[0].by: missing: who made it"],
        ),
        (
            set_chair(1, name="Okänd Person"),
            [
                "signatures.chair[1].name: warning: 'Okänd Person' chaired but is not in the "
                "attendance"
            ],
        ),
        (
            lambda m: m.signatures.adjusters.append("David Eklund"),
            [
                "signatures.adjusters[1]: warning: 'David Eklund' adjusts the protocol but is "
                "not in the attendance"
            ],
        ),
        (
            lambda m: setattr(m.signatures, "adjusted_items", [132, 133]),
            ["signatures.adjusted_items: names §133, which this meeting does not have"],
        ),
        (
            lambda m: setattr(m.notice, "posted", dt.date(2024, 11, 18)),
            ["notice.posted: is before the protocol is adjusted (2024-11-19)"],
        ),
        (
            unadjusted_notice_before_the_meeting,
            ["notice.posted: is before the meeting (2024-11-14)"],
        ),
        (
            lambda m: setattr(m.notice, "taken_down", dt.date(2024, 11, 19)),
            ["notice.taken_down: is before the notice is posted (2024-11-20)"],
        ),
        (
            lambda m: setattr(m.notice, "taken_down", dt.date(2024, 12, 10)),
            ["notice.taken_down: warning: is before the three weeks for appeals have passed"],
        ),
        (
            lambda m: setattr(m.appeals[0], "items", []),
            ["appeals[0].items: names no § appealed"],
        ),
        (
            lambda m: setattr(m.appeals[0], "items", [131, 140]),
            ["appeals[0].items: names §140, which this meeting does not have"],
        ),
        (
            lambda m: setattr(m.appeals[0], "date", dt.date(2024, 11, 13)),
            ["appeals[0].date: is before the meeting (2024-11-14)"],
        ),
        (
            lambda m: m.items[1].cases.append(" "),
            ["items[1].case[1]: warning: an empty case number"],
        ),
        (
            lambda m: m.attendance.absent.append(Attendee("Cecilia Dahl")),
            [
                "attendance.absent[1]: 'Cecilia Dahl' is listed as absent and as present "
                "(attendance.members[2])"
            ],
        ),
        (
            minnesanteckningar_adjusted_immediately,
            [
                "items[2].adjusted_immediately: warning: immediate adjustment (omedelbar "
                "justering) belongs to protocols",
                "notice: warning: a notice of adjustment (anslag) belongs to protocols",
                "appeals: warning: appeals belong to protocols",
            ],
        ),
    ],
)
def test_protocol_parts(change, expected):
    meeting = protocol()
    assert said(check_meeting(meeting)) == []
    change(meeting)
    assert said(check_meeting(meeting)) == expected


def test_a_cancelled_meeting_decides_nothing():
    meeting = protocol()
    meeting.items[0].decision = "Beslutar att bifalla."
    meeting.items[2].votes = [Vote("Bifall?", yes=["Alma Berglund"])]
    meeting.cancelled = True
    assert said(check_meeting(meeting)) == [
        "items[0].decision: a cancelled meeting decides nothing: remove the decision, or it is "
        "not cancelled",
        "items[2].votes: a cancelled meeting holds no vote: remove the votes, or it is not "
        "cancelled",
        "notice: a cancelled meeting has no protocol to announce: remove the notice, or it is not "
        "cancelled",
        "appeals: a cancelled meeting decided nothing to appeal: remove the appeals, or it is not "
        "cancelled",
    ]
    meeting.items[0].decision, meeting.items[2].votes = "", []
    meeting.notice, meeting.appeals = None, []
    assert said(check_meeting(meeting)) == []  # its items, people and next meeting may stay


def test_an_adjustment_time_alone_and_one_chair_for_the_whole_meeting_are_fine():
    meeting = protocol()
    meeting.signatures.chairs = [Chair("Alma Berglund")]
    meeting.signatures.adjustment_date = None
    meeting.signatures.adjusted_items = []
    meeting.items[2].adjusted_immediately = True
    assert said(check_meeting(meeting)) == []


# --- 7. renumbering moves every reference: no problem comes or goes ----------------------------


@st.composite
def renumberable(draw) -> tuple[Meeting, Body]:
    """A meeting whose § references all name its §§ (or nothing, if it has none), and a body."""
    meeting = draw(strategies.meetings())
    numbers = meeting.numbers()

    def one(n: int | None) -> int | None:
        return numbers[n % len(numbers)] if numbers and n is not None else None

    def many(ns: list[int]) -> list[int]:
        return sorted({numbers[n % len(numbers)] for n in ns}) if numbers else []

    for attendee in meeting.attendance.everyone():
        for moment in ("present_from", "present_until"):
            point = getattr(attendee, moment)
            if isinstance(point, int):
                setattr(attendee, moment, one(point))
    for chair in meeting.signatures.chairs:
        chair.items = many(chair.items)
    meeting.signatures.adjusted_items = many(meeting.signatures.adjusted_items)
    for appeal in meeting.appeals:
        appeal.items = many(appeal.items)
    for pause in meeting.breaks:
        pause.item = one(pause.item)
    return meeting, draw(strategies.bodies)


def where(problems: list[Problem]) -> Counter:
    return Counter((p.where, p.warning) for p in problems)


@FEW
@given(renumberable(), st.integers(1, 500), st.lists(st.integers(1, 2000), unique=True))
def test_renumbering_brings_no_new_problem(drawn, first, targets):
    meeting, body = drawn
    before = where(check_meeting(meeting)), where(check_quorum(meeting, body))
    numbered = copy.deepcopy(meeting)
    numbered.number_from(first)
    assert (where(check_meeting(numbered)), where(check_quorum(numbered, body))) == before
    numbers = meeting.numbers()
    if len(targets) >= len(numbers):  # new numbers in the same order
        meeting.renumber(dict(zip(numbers, sorted(targets)[: len(numbers)], strict=True)))
        assert (where(check_meeting(meeting)), where(check_quorum(meeting, body))) == before
