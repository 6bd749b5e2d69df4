"""Field paths for scripting: `minutes set 2024-04-26 '§11.decision' 'Informationen noteras.'`.

A path is `FIELD` for the meeting itself, `next_meeting.FIELD`, `signatures.FIELD`, `§N.FIELD`
for an item, or `NAME.FIELD` for an attendee. The value is text as a person types it: times
"09:00", dates 2024-09-13, yes/no, § ranges "9-12", lists one entry per line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from . import ranges
from .format.fields import clock
from .model import Meeting, NextMeeting

MEETING_FIELDS = ("kind", "start", "end", "place", "language")
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
ATTENDEE_FIELDS = ("party", "organisation", "role", "remote", "present", "replaces")
NEXT_FIELDS = ("date", "time", "note")
SIGNATURE_FIELDS = ("secretary", "chair", "adjusters", "adjustment_place", "adjustment_date")

_ITEM = re.compile(r"^§\s*(\d+)$")


def set_field(meeting: Meeting, path: str, value: str) -> None:
    """Set the field `path` names to `value`; ValueError saying what is wrong."""
    target_name, _, field = path.rpartition(".")
    target: Any
    allowed: tuple[str, ...]
    if not target_name:
        target, allowed = meeting, MEETING_FIELDS
    elif target_name == "next_meeting":
        if meeting.next_meeting is None:
            if field != "date":
                raise ValueError("the meeting has no next meeting yet: set next_meeting.date first")
            meeting.next_meeting = NextMeeting(_date(value))
            return
        target, allowed = meeting.next_meeting, NEXT_FIELDS
    elif target_name == "signatures":
        target, allowed = meeting.signatures, SIGNATURE_FIELDS
    elif match := _ITEM.match(target_name):
        target = meeting.item(int(match[1]))
        if target is None:
            raise ValueError(f"the meeting has no §{match[1]}")
        allowed = ITEM_FIELDS
    else:
        target = next((a for a in meeting.attendance.everyone() if a.name == target_name), None)
        if target is None:
            raise ValueError(f"{target_name!r} is neither §N, next_meeting, signatures nor a name")
        allowed = ATTENDEE_FIELDS
    if field not in allowed:
        raise ValueError(f"{path!r}: the fields there are {', '.join(allowed)}")
    # Annotations are strings (`from __future__ import annotations`): "dt.time | None".
    kind = str({f.name: f.type for f in dataclasses.fields(target)}[field])
    setattr(target, field, _value(kind, value))


def _value(kind: str, text: str) -> Any:
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
    if kind == "list[int]":
        return ranges.parse(text)
    if kind == "list[str]":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date such as 2024-09-13") from None


def _time(text: str) -> dt.time:
    parsed = clock(text)
    if parsed is None:
        raise ValueError(f"{text!r} is not a time such as 09:00")
    return parsed
