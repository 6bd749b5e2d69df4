"""The rules a meeting must keep beyond the types of its values. Pure: model in, problems out.

Each problem names the key path of the value at fault, so the format layer can add its line.
An error stops a file being used, so errors are kept for what cannot be true (a vote by
someone absent, a § the meeting does not have); what may be true but looks wrong is a warning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from . import ranges
from .labels import labels
from .model import KINDS, LANGUAGES, Attendee, Body, Item, Meeting, Point, Vote
from .problems import Problem
from .spoken_dates import dates_named
from .stated_votes import stated_counts

_NEXT_MEETING_TITLES = {labels(language)["next_meeting"].casefold() for language in LANGUAGES} | {
    "nästa möte"
}
_PRESENT_GROUPS = ("members", "substitutes", "others")
_APPEAL_DAYS = 21
"""An appeal may be lodged within three weeks of the notice of adjustment (KL 13 kap. 5 §), and
the notice stays up until that time has passed (KL 8 kap. 12 §)."""


def check_meeting(meeting: Meeting) -> list[Problem]:
    m = meeting
    problems = _common(m.kind, m.language, m.start, m.end)
    numbers = set(m.numbers())
    problems += _items(m)
    problems += _attendance(m, numbers)
    problems += _votes(m, _serving(m))
    problems += _item_contents(m)
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
    problems += _signatures(m, numbers)
    problems += _notice_and_appeals(m, numbers)
    problems += check_cancelled(m)
    return problems


def check_cancelled(meeting: Meeting) -> list[Problem]:
    """A cancelled meeting was not held, so it decided nothing: what only a held meeting has
    is an error there, named by its key."""
    if not meeting.cancelled:
        return []
    undo = "or it is not cancelled"
    problems = []
    for i, item in enumerate(meeting.items):
        if item.decision.strip():
            message = f"a cancelled meeting decides nothing: remove the decision, {undo}"
            problems.append(Problem(message, f"items[{i}].decision"))
        if item.votes:
            message = f"a cancelled meeting holds no vote: remove the votes, {undo}"
            problems.append(Problem(message, f"items[{i}].votes"))
    if meeting.notice is not None:
        message = f"a cancelled meeting has no protocol to announce: remove the notice, {undo}"
        problems.append(Problem(message, "notice"))
    if meeting.appeals:
        message = f"a cancelled meeting decided nothing to appeal: remove the appeals, {undo}"
        problems.append(Problem(message, "appeals"))
    return problems


def check_quorum(meeting: Meeting, body: Body) -> list[Problem]:
    """A warning for each § of a protocol that its body handled without a quorum.

    KL 6 kap. 27 §: a board may handle a matter only when more than half of its members are
    present. A member who declared a conflict of interest (jäv) may neither take part nor be
    present (KL 6 kap. 30 §), so they do not count; their substitute serving in their place
    does. A seat counts once however many entries fill it (a member and the substitute who
    replaces them). Only a warning: the body's seats may be vacant, and a body may have rules
    of its own."""
    seats = body.seat_count()
    if meeting.kind != "protokoll" or seats <= 0 or not meeting.items:
        return []
    serving = _serving(meeting)
    if not serving:
        message = f"lists no decision-making members: no § had a quorum of the {seats} seats"
        return [Problem(message, "attendance.members", warning=True)]
    problems = []
    for i, item in enumerate(meeting.items):
        filled = _seats_filled(serving, item.number, set(item.conflicts))
        if len(filled) * 2 <= seats:
            message = (
                f"§{item.number} was handled with {len(filled)} of the body's {seats} seats "
                "filled: no quorum, which needs more than half (KL 6 kap. 27 §)"
            )
            problems.append(Problem(message, f"items[{i}]", warning=True))
    return problems


def next_meeting_decided(meeting: Meeting) -> tuple[Item, dt.date] | None:
    """The § that decides the next meeting (titled so, in Swedish or English) and the one date
    its decision names; None without such a §, or when its decision names no single date."""
    for item in meeting.items:
        if any(title in item.title.casefold() for title in _NEXT_MEETING_TITLES):
            dates = set(dates_named(item.decision))
            if len(dates) == 1:
                return item, dates.pop()
    return None


def _next_meeting_agrees(m: Meeting) -> list[Problem]:
    """The decision's words and `[next_meeting]` are entered apart: say when they differ."""
    decided = next_meeting_decided(m)
    if decided is None:
        return []
    item, date = decided
    if m.next_meeting is None:
        message = f"§{item.number}'s decision names {date}, but no next meeting is given"
        return [Problem(message, "next_meeting", warning=True)]
    if m.next_meeting.date != date:
        message = f"is {m.next_meeting.date}, but §{item.number}'s decision names {date}"
        return [Problem(message, "next_meeting.date", warning=True)]
    return []


def check_body(body: Body) -> list[Problem]:
    return _common(body.kind, body.language, body.start, body.end)


def _common(kind, language, start, end) -> list[Problem]:
    problems = []
    if kind not in KINDS:
        problems.append(Problem(f"expected one of {', '.join(KINDS)}, got {kind!r}", "kind"))
    if language not in LANGUAGES:
        problems.append(
            Problem(
                f"headings exist in {', '.join(LANGUAGES)}; {language!r} is shown in Swedish",
                "language",
                warning=True,
            )
        )
    if start and end and end <= start:
        problems.append(Problem(f"ends ({end:%H:%M}) before it starts ({start:%H:%M})", "end"))
    return problems


def _items(m: Meeting) -> list[Problem]:
    problems = []
    seen: dict[int, int] = {}
    for i, item in enumerate(m.items):
        if item.number < 1:
            problems.append(Problem("§ numbers start at 1", f"items[{i}].number"))
        elif item.number in seen:
            problems.append(
                Problem(
                    f"§{item.number} appears twice (also items[{seen[item.number]}])",
                    f"items[{i}].number",
                )
            )
        seen.setdefault(item.number, i)
    if m.numbers() != sorted(m.numbers()):
        problems.append(Problem("items are not in § order", "items", warning=True))
    return problems


# --- presence: who was there for which § ---------------------------------------------------


class _Presence:
    """The §§ one attendance entry was present for, ready to be asked about many §§: its
    `present` as a set (empty: every §), limited by `present_from` and `present_until` where
    they name §§. A time says nothing about §§: their times are not recorded."""

    __slots__ = ("first", "last", "sections")

    def __init__(self, attendee: Attendee) -> None:
        self.sections = frozenset(attendee.present)
        self.first = _section(attendee.present_from)
        self.last = _section(attendee.present_until)


def _present_in(presences: Iterable[_Presence], number: int) -> bool:
    """Was one of these entries of a person present for § `number`? The one answer to that
    question, for votes, quorum and people listed twice."""
    return any(
        (not p.sections or number in p.sections)
        and (p.first is None or p.first <= number)
        and (p.last is None or number <= p.last)
        for p in presences
    )


def _section(point: Point | None) -> int | None:
    return point if isinstance(point, int) else None


def _serving(m: Meeting) -> dict[str, list[tuple[str, _Presence]]]:
    """Each decision-making member's entries: the seat each fills (the member a substitute
    replaces, else their own) and its presence. A substitute serving for two members in
    different §§ has two entries."""
    serving: dict[str, list[tuple[str, _Presence]]] = {}
    for member in m.attendance.members:
        entry = (member.replaces or member.name, _Presence(member))
        serving.setdefault(member.name, []).append(entry)
    return serving


def _seats_filled(
    serving: dict[str, list[tuple[str, _Presence]]], number: int, conflicts: set[str]
) -> set[str]:
    """The seats filled in § `number` by members present for it and without a conflict."""
    return {
        seat
        for name, entries in serving.items()
        if name not in conflicts
        for seat, presence in entries
        if _present_in([presence], number)
    }


def _attendance(m: Meeting, numbers: set[int]) -> list[Problem]:
    problems = []
    for group in _PRESENT_GROUPS:
        for a, attendee in enumerate(getattr(m.attendance, group)):
            where = f"attendance.{group}[{a}]"
            missing = [n for n in attendee.present if n not in numbers]
            if missing:
                problems.append(
                    Problem(
                        f"names {ranges.display(missing)}, which this meeting does not have",
                        f"{where}.present",
                    )
                )
            if attendee.replaces and attendee.replaces == attendee.name:
                problems.append(Problem("cannot replace themselves", f"{where}.replaces"))
            problems += _arrival_and_departure(m, attendee, numbers, where)
    return problems + _listed_twice(m) + _absent_and_present(m)


def _arrival_and_departure(
    m: Meeting, attendee: Attendee, numbers: set[int], where: str
) -> list[Problem]:
    """`present_from` and `present_until`: §§ of this meeting, times within its hours, in
    order, and leaving at least one § of `present` when both limit the §§."""
    problems = []
    arrived, left = attendee.present_from, attendee.present_until
    presence = _Presence(attendee)
    for key, point in (("present_from", arrived), ("present_until", left)):
        if isinstance(point, int):
            if point not in numbers:
                message = f"names §{point}, which this meeting does not have"
                problems.append(Problem(message, f"{where}.{key}"))
        elif point is not None:
            # A warning: a meeting's hours may be the planned ones its body gives by default.
            if m.start and point < m.start:
                message = f"is before the meeting starts ({m.start:%H:%M})"
                problems.append(Problem(message, f"{where}.{key}", warning=True))
            if m.end and point > m.end:
                message = f"is after the meeting ends ({m.end:%H:%M})"
                problems.append(Problem(message, f"{where}.{key}", warning=True))
    if isinstance(arrived, int) and isinstance(left, int) and left < arrived:
        message = f"§{left} is before present_from (§{arrived})"
        problems.append(Problem(message, f"{where}.present_until"))
    elif isinstance(arrived, dt.time) and isinstance(left, dt.time) and left < arrived:
        message = f"{left:%H:%M} is before present_from ({arrived:%H:%M})"
        problems.append(Problem(message, f"{where}.present_until"))
    elif attendee.present and not any(_present_in([presence], n) for n in attendee.present):
        message = "names only §§ before present_from or after present_until: no § is left"
        problems.append(Problem(message, f"{where}.present"))
    return problems


def _listed_twice(m: Meeting) -> list[Problem]:
    """A person may be listed in two groups, or twice in one, for different §§ or hours: a
    substitute serving in some §§ and only present in others, or serving for two members in
    turn. Warn when two of their entries cover one moment."""
    entries: dict[str, list[tuple[str, Attendee]]] = {}
    for group in _PRESENT_GROUPS:
        for a, attendee in enumerate(getattr(m.attendance, group)):
            entries.setdefault(attendee.name, []).append((f"attendance.{group}[{a}]", attendee))
    numbers = m.numbers()
    problems = []
    for name, listed in entries.items():
        for k, (where, later) in enumerate(listed[1:], start=1):
            for earlier_where, earlier in listed[:k]:
                shared = _shared(earlier, later, numbers)
                if shared is not None:
                    during = f" for {ranges.display(shared)}" if shared else ""
                    message = f"{name!r} is listed twice{during} (also {earlier_where})"
                    problems.append(Problem(message, where, warning=True))
                    break
    return problems


def _shared(a: Attendee, b: Attendee, numbers: list[int]) -> list[int] | None:
    """The §§ both entries were present for (empty: the meeting has none, so they share all
    of it), or None when they share no moment: no § in common, or hours that do not meet."""
    earliest, latest = dt.time.min, dt.time.max
    a_from, a_until = _clock(a.present_from, earliest), _clock(a.present_until, latest)
    b_from, b_until = _clock(b.present_from, earliest), _clock(b.present_until, latest)
    if not (a_from < b_until and b_from < a_until):
        return None
    pa, pb = _Presence(a), _Presence(b)
    if not numbers or not (_limited(pa) or _limited(pb)):
        return []  # both the whole meeting: no §§ to name
    shared = [n for n in numbers if _present_in([pa], n) and _present_in([pb], n)]
    return shared or None


def _limited(presence: _Presence) -> bool:
    return bool(presence.sections) or presence.first is not None or presence.last is not None


def _clock(point: Point | None, otherwise: dt.time) -> dt.time:
    return point if isinstance(point, dt.time) else otherwise


def _absent_and_present(m: Meeting) -> list[Problem]:
    present: dict[str, str] = {}
    for group in _PRESENT_GROUPS:
        for a, attendee in enumerate(getattr(m.attendance, group)):
            present.setdefault(attendee.name, f"attendance.{group}[{a}]")
    problems = []
    for a, attendee in enumerate(m.attendance.absent):
        if attendee.name in present:
            message = (
                f"{attendee.name!r} is listed as absent and as present ({present[attendee.name]})"
            )
            problems.append(Problem(message, f"attendance.absent[{a}]"))
    return problems


# --- votes ----------------------------------------------------------------------------------


def _votes(m: Meeting, serving: dict[str, list[tuple[str, _Presence]]]) -> list[Problem]:
    problems: list[Problem] = []
    for i, item in enumerate(m.items):
        if not item.votes:
            continue
        conflicts = set(item.conflicts)
        for v, vote in enumerate(item.votes):
            where = f"items[{i}].votes[{v}]"
            found = []
            for side in ("yes", "no", "abstain"):
                for n, name in enumerate(getattr(vote, side)):
                    reason = _cannot_vote(name, serving.get(name), item.number, conflicts)
                    if reason:
                        found.append(Problem(f"{name!r} {reason}", f"{where}.{side}[{n}]"))
            for name, count in Counter(vote.voters()).items():
                if count > 1:
                    found.append(Problem(f"{name!r} voted more than once", where))
            if not found:
                # Every voter could vote: more votes than seats means two voters on one seat.
                seats = _seats_filled(serving, item.number, conflicts)
                if len(vote.voters()) > len(seats):
                    message = (
                        f"{len(vote.voters())} votes cast, but §{item.number} had "
                        f"{len(seats)} filled seats: "
                        "a substitute votes only in place of a member"
                    )
                    found.append(Problem(message, where))
            problems += found + _result_agrees(vote, where)
    return problems


def _cannot_vote(
    name: str, entries: list[tuple[str, _Presence]] | None, number: int, conflicts: set[str]
) -> str:
    """Why `name` could not vote in § `number`, or "": a decision-making member present for
    it in any of their entries, without a conflict of interest, can."""
    if entries is None:
        return "voted but is not a decision-making member present"
    if not _present_in((presence for _, presence in entries), number):
        return f"voted but was not present for §{number}"
    if name in conflicts:
        return f"voted but declared a conflict of interest in §{number}"
    return ""


def _result_agrees(vote: Vote, where: str) -> list[Problem]:
    """The counts a result states must be the lists' counts. A warning: prose may be read
    wrongly, and the lists are the record. A vote without names (a closed ballot) is not
    compared."""
    counted = {"yes": len(vote.yes), "no": len(vote.no), "abstain": len(vote.abstain)}
    if not vote.result or not any(counted.values()):
        return []
    stated = stated_counts(vote.result)
    if stated is None:
        return []
    wrong = [
        f"{number} {side}"
        for side, number in (("yes", stated.yes), ("no", stated.no), ("abstain", stated.abstain))
        if number is not None and number != counted[side]
    ]
    if stated.pair is not None and stated.pair != tuple(sorted((counted["yes"], counted["no"]))):
        wrong.append(f"{stated.pair[1]} to {stated.pair[0]}")
    if not wrong:
        return []
    lists = ", ".join(f"{number} {side}" for side, number in counted.items())
    message = f"states {', '.join(wrong)}, but the lists hold {lists}"
    return [Problem(message, f"{where}.result", warning=True)]


# --- what a § holds besides votes -----------------------------------------------------------


def _item_contents(m: Meeting) -> list[Problem]:
    problems = []
    everyone = {a.name for a in m.attendance.everyone()}
    for i, item in enumerate(m.items):
        where = f"items[{i}]"
        for n, name in enumerate(item.conflicts):
            if name not in everyone:
                problems.append(
                    Problem(
                        f"{name!r} declared a conflict of interest but is not in the attendance",
                        f"{where}.conflicts[{n}]",
                    )
                )
        for kind in ("motions", "reservations", "notes", "opinions"):
            for s, statement in enumerate(getattr(item, kind)):
                if not statement.by:
                    problems.append(Problem("missing: who made it", f"{where}.{kind}[{s}].by"))
        for c, case in enumerate(item.cases):
            if not case.strip():
                problems.append(Problem("an empty case number", f"{where}.case[{c}]", warning=True))
        if item.adjusted_immediately and m.kind != "protokoll":
            message = "immediate adjustment (omedelbar justering) belongs to protocols"
            problems.append(Problem(message, f"{where}.adjusted_immediately", warning=True))
    return problems


# --- signatures, the notice of adjustment and appeals ---------------------------------------


def _signatures(m: Meeting, numbers: set[int]) -> list[Problem]:
    sig = m.signatures
    problems = []
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
    problems += _not_sections(sig.adjusted_items, numbers, "signatures.adjusted_items")
    chaired: dict[int, str] = {}
    everyone = {a.name for a in m.attendance.everyone()}
    for c, chair in enumerate(sig.chairs):
        where = f"signatures.chair[{c}]"
        if not chair.name.strip():
            problems.append(Problem("missing: the chair's name", f"{where}.name"))
        elif everyone and chair.name not in everyone:
            message = f"{chair.name!r} chaired but is not in the attendance"
            problems.append(Problem(message, f"{where}.name", warning=True))
        problems += _not_sections(chair.items, numbers, f"{where}.items")
        if len(sig.chairs) > 1 and not chair.items:
            message = "with chairs taking turns, each names the §§ they chaired"
            problems.append(Problem(message, f"{where}.items"))
        twice = [n for n in chair.items if n in chaired]
        if twice:
            message = f"{ranges.display(twice)} also chaired by {chaired[twice[0]]!r}"
            problems.append(Problem(message, f"{where}.items"))
        for n in chair.items:
            chaired.setdefault(n, chair.name)
    unchaired = sorted(numbers - set(chaired)) if chaired else []
    if unchaired:
        message = f"nobody is named chair of {ranges.display(unchaired)}"
        problems.append(Problem(message, "signatures.chair", warning=True))
    for a, name in enumerate(sig.adjusters):
        if everyone and name not in everyone:
            message = f"{name!r} adjusts the protocol but is not in the attendance"
            problems.append(Problem(message, f"signatures.adjusters[{a}]", warning=True))
    return problems


def _notice_and_appeals(m: Meeting, numbers: set[int]) -> list[Problem]:
    problems = []
    protocol = m.kind == "protokoll"
    notice = m.notice
    if notice is not None:
        if not protocol:
            message = "a notice of adjustment (anslag) belongs to protocols"
            problems.append(Problem(message, "notice", warning=True))
        adjusted = m.signatures.adjustment_date
        if adjusted and adjusted >= m.date and notice.posted < adjusted:
            message = f"is before the protocol is adjusted ({adjusted.isoformat()})"
            problems.append(Problem(message, "notice.posted"))
        elif notice.posted < m.date:
            message = f"is before the meeting ({m.date.isoformat()})"
            problems.append(Problem(message, "notice.posted"))
        down = notice.taken_down
        if down and down < notice.posted:
            message = f"is before the notice is posted ({notice.posted.isoformat()})"
            problems.append(Problem(message, "notice.taken_down"))
        elif down and down < notice.posted + dt.timedelta(days=_APPEAL_DAYS):
            message = "is before the three weeks for appeals have passed"
            problems.append(Problem(message, "notice.taken_down", warning=True))
    if m.appeals and not protocol:
        problems.append(Problem("appeals belong to protocols", "appeals", warning=True))
    for a, appeal in enumerate(m.appeals):
        where = f"appeals[{a}]"
        if not appeal.items:
            problems.append(Problem("names no § appealed", f"{where}.items"))
        problems += _not_sections(appeal.items, numbers, f"{where}.items")
        if appeal.date < m.date:
            message = f"is before the meeting ({m.date.isoformat()})"
            problems.append(Problem(message, f"{where}.date"))
    return problems


def _not_sections(named: list[int], numbers: set[int], where: str) -> list[Problem]:
    missing = [n for n in named if n not in numbers]
    if not missing:
        return []
    return [Problem(f"names {ranges.display(missing)}, which this meeting does not have", where)]
