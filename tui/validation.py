"""The rules a meeting must keep beyond the types of its values. Pure: model in, problems out.

Each problem names the key path of the value at fault, so the format layer can add its line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from . import ranges
from .labels import labels
from .model import KINDS, LANGUAGES, Body, Item, Meeting
from .problems import Problem
from .spoken_dates import dates_named

_NEXT_MEETING_TITLES = {labels(language)["next_meeting"].casefold() for language in LANGUAGES} | {
    "nästa möte"
}


def check_meeting(meeting: Meeting) -> list[Problem]:
    m = meeting
    problems = _common(m.kind, m.language, m.start, m.end)
    numbers = set(m.numbers())
    problems += _items(m)
    problems += _attendance(m, numbers)
    members = {a.name: a for a in m.attendance.members}
    # Each voter's presence as a set: a list would be scanned for every vote of every §.
    present = {name: set(member.present) for name, member in members.items()}
    everyone = {a.name for a in m.attendance.everyone()}
    for i, item in enumerate(m.items):
        where = f"items[{i}]"
        for v, vote in enumerate(item.votes):
            for side in ("yes", "no", "abstain"):
                for n, name in enumerate(getattr(vote, side)):
                    reason = _cannot_vote(members.get(name), present.get(name), item)
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


def _cannot_vote(member, present: set[int] | None, item) -> str:
    """Why `member` could not vote in `item`, or ""; `present` is their presence as a set."""
    if member is None:
        return "voted but is not a decision-making member present"
    if present and item.number not in present:
        return f"voted but was not present for §{item.number}"
    if member.name in item.conflicts:
        return f"voted but declared a conflict of interest in §{item.number}"
    return ""


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


def _attendance(m: Meeting, numbers: set[int]) -> list[Problem]:
    problems = []
    for group in ("members", "substitutes", "others"):
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
    names = Counter(a.name for a in m.attendance.everyone())
    for name, count in names.items():
        if count > 1:
            problems.append(
                Problem(f"{name!r} is listed {count} times", "attendance", warning=True)
            )
    return problems
