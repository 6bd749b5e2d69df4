"""Field paths for scripting: `minutes set 2024-04-26 '§11.decision' 'Informationen noteras.'`.

A path is `FIELD` for the meeting itself, `next_meeting.FIELD`, `signatures.FIELD`,
`notice.FIELD`, `§N.FIELD` for an item, or `NAME.FIELD` for an attendee. The value is text as a
person types it: times "09:00", dates 2024-09-13, yes/no, § ranges "9-12", a moment "10:15" or
"§12", lists one entry per line, chairs `Name §130-131` and appeals `§132 2024-12-01 Name` one
a line. The app's forms read and show these texts the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from . import ranges
from .format.fields import clock
from .model import Appeal, Chair, Meeting, NextMeeting, Notice, Point

MEETING_FIELDS = ("kind", "start", "end", "place", "language", "cancelled", "appeals")
ITEM_FIELDS = (
    "title",
    "cases",
    "summary",
    "proposal_heading",
    "proposal",
    "decision",
    "conflicts",
    "documents",
    "adjusted_immediately",
)
ATTENDEE_FIELDS = (
    "party",
    "organisation",
    "role",
    "remote",
    "present",
    "replaces",
    "present_from",
    "present_until",
)
NEXT_FIELDS = ("date", "time", "note")
SIGNATURE_FIELDS = (
    "secretary",
    "chairs",
    "adjusters",
    "adjustment_place",
    "adjustment_date",
    "adjustment_time",
    "adjusted_items",
)
NOTICE_FIELDS = ("posted", "taken_down", "storage", "certified_by")
_OPTIONAL: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    "next_meeting": (NextMeeting, "date", NEXT_FIELDS),
    "notice": (Notice, "posted", NOTICE_FIELDS),
}
"""The meeting's optional tables: what makes one, from which field, and its fields."""

_ITEM = re.compile(r"^§\s*(\d+)$")
T = TypeVar("T")


def set_field(meeting: Meeting, path: str, value: str) -> None:
    """Set the field `path` names to `value`; ValueError saying what is wrong."""
    target_name, _, field = path.rpartition(".")
    target: Any
    allowed: tuple[str, ...]
    if not target_name:
        target, allowed = meeting, MEETING_FIELDS
    elif target_name in _OPTIONAL:
        # A table the meeting has at most one of, made by its date and gone without it.
        make, first, allowed = _OPTIONAL[target_name]
        target = getattr(meeting, target_name)
        if field == first and not value.strip():
            setattr(meeting, target_name, None)
            return
        if target is None:
            if field != first:
                raise ValueError(
                    f"the meeting has no {target_name.replace('_', ' ')} yet: "
                    f"set {target_name}.{first} first"
                )
            setattr(meeting, target_name, make(_date(value)))
            return
    elif target_name == "signatures":
        target, allowed = meeting.signatures, SIGNATURE_FIELDS
    elif match := _ITEM.match(target_name):
        target = meeting.item(int(match[1]))
        if target is None:
            raise ValueError(f"the meeting has no §{match[1]}")
        allowed = ITEM_FIELDS
    else:
        people = [*meeting.attendance.everyone(), *meeting.attendance.absent]
        target = next((a for a in people if a.name == target_name), None)
        if target is None:
            raise ValueError(
                f"{target_name!r} is neither §N, next_meeting, signatures, notice nor a name"
            )
        allowed = ATTENDEE_FIELDS
    if field not in allowed:
        raise ValueError(f"{path!r}: the fields there are {', '.join(allowed)}")
    # Annotations are strings (`from __future__ import annotations`): "dt.time | None".
    kind = str({f.name: f.type for f in dataclasses.fields(target)}[field])
    setattr(target, field, _value(kind, value, getattr(target, field), meeting.numbers()))


def _value(kind: str, text: str, old: Any, numbers: list[int]) -> Any:
    if kind == "bool":
        if text.lower() in ("yes", "true", "ja", "1"):
            return True
        if text.lower() in ("no", "false", "nej", "0"):
            return False
        raise ValueError(f"{text!r}: expected yes or no")
    if kind.startswith("dt.time"):
        return _time(text) if text else None
    if kind.startswith("dt.date"):
        return _date(text) if text else None
    if kind.startswith("Point"):
        return parse_point(text, numbers)
    if kind == "list[int]":
        return ranges.parse(text)
    if kind == "list[str]":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "list[Chair]":
        return parse_chairs(text, old, numbers)
    if kind == "list[Appeal]":
        return parse_appeals(text, old, numbers)
    return text


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date such as 2024-09-13") from None


def _time(text: str) -> dt.time:
    parsed = clock(text)
    if parsed is None:
        raise ValueError(f"{text!r} is not a time such as 09:00")
    return parsed


def _known(numbers: list[int], named: list[int], what: str) -> None:
    """ValueError when `what` names §§ the meeting does not have."""
    missing = [n for n in named if n not in numbers]
    if missing:
        raise ValueError(f"{what}: the meeting has no {ranges.display(missing)}")


# --- values of the protocol parts as text: shown by the forms, read back by them and by set --


def _by_line(old: list[T], line: Callable[[T], str]) -> dict[str, list[T]]:
    """The old values by the line each shows as, in order: an unchanged line takes its old
    value back, unknown keys and all (two equal lines, each its own)."""
    kept: dict[str, list[T]] = {}
    for value in old:
        kept.setdefault(line(value), []).append(value)
    return kept


def point_text(point: Point | None) -> str:
    """A moment of the meeting as typed: "10:15", "§12", or "" for none."""
    if point is None:
        return ""
    return f"§{point}" if isinstance(point, int) else f"{point:%H:%M}"


def parse_point(text: str, numbers: list[int]) -> Point | None:
    """A time "10:15" or a § "§12" of the meeting (numbered `numbers`); None for no text."""
    text = text.strip()
    if not text:
        return None
    if match := _ITEM.match(text):
        _known(numbers, [int(match[1])], repr(text))
        return int(match[1])
    parsed = clock(text)
    if parsed is None:
        raise ValueError(f"{text!r} is neither a time such as 10:15 nor a § such as §12")
    return parsed


def chair_lines(chairs: list[Chair]) -> str:
    """One chair a line: `Name`, or `Name §130-131` for the §§ chaired."""
    return "\n".join(
        chair.name + (f" §{ranges.format(chair.items)}" if chair.items else "") for chair in chairs
    )


def parse_chairs(text: str, old: list[Chair], numbers: list[int]) -> list[Chair]:
    """Chairs from `chair_lines` text; ValueError naming a line it cannot read. Unknown keys of
    unchanged chairs are kept."""
    kept = _by_line(old, lambda chair: chair_lines([chair]))
    chairs = []
    for line in filter(str.strip, text.splitlines()):
        line = line.strip()
        if kept.get(line):
            chairs.append(kept[line].pop(0))
            continue
        name, sign, items = line.partition("§")
        if not name.strip():
            raise ValueError(f"{line!r}: a chair such as Alma Berglund §130-131 has a name")
        try:
            numbers_chaired = ranges.parse(items.replace("§", "")) if sign else []
        except ValueError as error:
            raise ValueError(f"{line!r}: {error}") from None
        if sign and not numbers_chaired:
            raise ValueError(f"{line!r}: the §§ chaired, such as §130-131, after the name")
        _known(numbers, numbers_chaired, repr(line))
        chairs.append(Chair(name.strip(), numbers_chaired))
    return chairs


_APPEAL = re.compile(r"^(.*?)\s*(\d{4}-\d\d-\d\d)(?:\s+(.*))?$")


def appeal_lines(appeals: list[Appeal]) -> str:
    """One appeal a line: `§132 2024-12-01 Name` (the §§ appealed, the day, who)."""
    return "\n".join(
        " ".join(
            filter(
                None,
                [
                    f"§{ranges.format(appeal.items)}" if appeal.items else "",
                    appeal.date.isoformat(),
                    appeal.by,
                ],
            )
        )
        for appeal in appeals
    )


def parse_appeals(text: str, old: list[Appeal], numbers: list[int]) -> list[Appeal]:
    """Appeals from `appeal_lines` text; ValueError naming a line it cannot read. Unknown keys
    of unchanged appeals are kept."""
    kept = _by_line(old, lambda appeal: appeal_lines([appeal]))
    appeals = []
    for line in filter(str.strip, text.splitlines()):
        line = line.strip()
        if kept.get(line):
            appeals.append(kept[line].pop(0))
            continue
        match = _APPEAL.match(line)
        if match is None:
            raise ValueError(f"{line!r} is not an appeal such as §132 2024-12-01 Bertil Ceder")
        try:
            items = ranges.parse(match[1].replace("§", ""))
            date = dt.date.fromisoformat(match[2])
        except ValueError as error:
            raise ValueError(f"{line!r}: {error}") from None
        _known(numbers, items, repr(line))
        appeals.append(Appeal(items, date, (match[3] or "").strip()))
    return appeals
