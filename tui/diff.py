"""The semantic diff of two versions of a meeting: what changed, as the minutes' reader sees it.

Items are matched by § and title, attendees by name; each changed text carries a word-level diff.
Decisions come first: they are what people look for. Pure: two models in, changes out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any

from .model import Attendee, Item, Meeting, Statement

ADDED, REMOVED, CHANGED, RENUMBERED, MOVED = "added", "removed", "changed", "renumbered", "moved"
CANCELLED, UNCANCELLED = "cancelled", "no longer cancelled"

ITEM_FIELDS = (
    "decision",
    "proposal",
    "votes",
    "motions",
    "reservations",
    "notes",
    "summary",
    "title",
    "cases",
    "proposal_heading",
    "opinions",
    "conflicts",
    "documents",
    "adjusted_immediately",
    "extra",
)
ATTENDEE_FIELDS = (
    "group",
    "party",
    "organisation",
    "role",
    "remote",
    "present",
    "replaces",
    "present_from",
    "present_until",
)
MEETING_FIELDS = ("kind", "date", "start", "end", "place", "language", "schema")

SHORT = 60
"""The most characters of a value shown whole, `old → new`, rather than as changed words."""

Word = tuple[str, str]
"""("=", kept text), ("-", deleted text) or ("+", inserted text)."""


@dataclass(frozen=True)
class Change:
    section: str
    """"item", "attendance", "next_meeting", "meeting", "signatures", "notice", "appeals",
    "breaks" or "other"."""
    subject: str
    """What changed: "§11", "Per Norin", "place"."""
    field: str = ""
    kind: str = CHANGED
    old: str = ""
    new: str = ""
    number: int | None = None
    """The § of an item change."""
    words: tuple[Word, ...] | None = None
    """The word diff of a changed field, made on creation unless given (as from a cache)."""

    def __post_init__(self) -> None:
        if self.words is None:
            words = word_diff(self.old, self.new) if self.field else []
            object.__setattr__(self, "words", tuple(words))

    @property
    def is_decision(self) -> bool:
        return self.section == "item" and self.field == "decision"

    @property
    def is_short(self) -> bool:
        """A value read whole, `old → new` (or the one value when added or removed), not word
        by word: a date, a time, a name, each side one line of at most 60 characters. A changed
        decision is always read by its words, however short: they are what people look for."""
        return (
            bool(self.field)
            and not (self.is_decision and self.old and self.new)
            and all("\n" not in value and len(value) <= SHORT for value in (self.old, self.new))
        )

    def describe(self) -> str:
        if self.section == "item":
            if self.kind == RENUMBERED:
                return f"{self.subject} renumbered to {self.new}"
            if not self.field:
                return f"{self.subject} {self.kind}"
            return f"{self.subject}: {self.field} {self.kind}"
        if self.section == "attendance":
            if self.kind == ADDED:
                return f"{self.subject} added to attendance"
            if self.kind == REMOVED:
                return f"{self.subject} removed from attendance"
            return f"{self.subject}: {self.field} {self.kind}"
        if self.section in ("next_meeting", "notice"):
            return f"{self.subject} {self.field} {self.kind}".replace("  ", " ")
        if self.section == "signatures":
            return f"signatures: {self.field} {self.kind}"
        return f"{self.subject} {self.kind}"


def diff_meetings(old: Meeting | None, new: Meeting | None) -> list[Change]:
    """Every change from `old` to `new`, decisions first. None stands for "no such file"."""
    if old is None or new is None:
        if old is new:
            return []
        meeting = new or old
        assert meeting is not None
        return [Change("meeting", meeting.date.isoformat(), kind=ADDED if new else REMOVED)]
    items = _items(old.items, new.items)
    changes = []
    if old.cancelled != new.cancelled:  # before decisions: no meeting, or one again
        changes.append(
            Change("meeting", "meeting", kind=CANCELLED if new.cancelled else UNCANCELLED)
        )
    changes += [c for c in items if c.is_decision]
    changes += [c for c in items if not c.field]
    changes += [c for c in items if c.field and not c.is_decision]
    changes += _table("next_meeting", "next meeting", old.next_meeting, new.next_meeting)
    changes += _attendance(old, new)
    changes += [
        Change(
            "meeting", name, name, CHANGED, text_of(getattr(old, name)), text_of(getattr(new, name))
        )
        for name in MEETING_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    if old.breaks != new.breaks:
        changes.append(
            Change("breaks", "breaks", "", CHANGED, text_of(old.breaks), text_of(new.breaks))
        )
    changes += _table("notice", "notice", old.notice, new.notice)
    if old.appeals != new.appeals:
        kind = CHANGED if old.appeals and new.appeals else (ADDED if new.appeals else REMOVED)
        changes.append(
            Change("appeals", "appeals", "", kind, text_of(old.appeals), text_of(new.appeals))
        )
    changes += [
        Change("signatures", "signatures", f.name, CHANGED, text_of(a), text_of(b))
        for f in fields(old.signatures)
        if (a := getattr(old.signatures, f.name)) != (b := getattr(new.signatures, f.name))
    ]
    for name in ("extra",):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(Change("other", "other keys", "", CHANGED, text_of(a), text_of(b)))
    if old.attendance.extra != new.attendance.extra:
        changes.append(
            Change(
                "other",
                "attendance keys",
                "",
                CHANGED,
                text_of(old.attendance.extra),
                text_of(new.attendance.extra),
            )
        )
    return changes


def decisions(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.is_decision]


# --- items ---------------------------------------------------------------------------------


def _items(old: list[Item], new: list[Item]) -> list[Change]:
    pairs, added, removed = match_items(old, new)
    changes: list[Change] = []
    for a, b in pairs:
        if a == b:
            continue  # as most §§ of a version are: one comparison, not one per field
        label = f"§{b.number}"
        if a.number != b.number:
            changes.append(
                Change("item", f"§{a.number}", "", RENUMBERED, f"§{a.number}", label, b.number)
            )
        for name in ITEM_FIELDS:
            before, after = getattr(a, name), getattr(b, name)
            if before != after:
                kind = CHANGED if before and after else (ADDED if after else REMOVED)
                changes.append(
                    Change("item", label, name, kind, text_of(before), text_of(after), b.number)
                )
    at_old, at_new = _positions(old), _positions(new)
    order_old = [a.number for a, _ in sorted(pairs, key=lambda p: at_old[id(p[0])])]
    order_new = [a.number for a, _ in sorted(pairs, key=lambda p: at_new[id(p[1])])]
    if order_old != order_new:
        moved = [n for n, m in zip(order_old, order_new, strict=True) if n != m]
        changes += [Change("item", f"§{n}", "", MOVED, number=n) for n in moved]
    changes += [
        Change("item", f"§{i.number} {i.title}", "", ADDED, "", _item_text(i), i.number)
        for i in added
    ]
    changes += [
        Change("item", f"§{i.number} {i.title}", "", REMOVED, _item_text(i), "", i.number)
        for i in removed
    ]
    # By §; where an item left and another took its number, the leaving one first.
    return sorted(changes, key=lambda c: (c.number or 0, c.kind != REMOVED))


def match_items(old: list[Item], new: list[Item]):
    """Pairs of the same item: same § and title, else same title (renumbered), else same §
    (retitled). What is left was added or removed.

    Each pass pairs every item still unpaired in `new`, in order, with the first item still
    unpaired in `old` that has its key: a stack of `old`'s positions per key, so a meeting of
    thousands of §§ costs a few dict look-ups per §, not a scan of the others."""
    numbers = [i.number for i in old], [i.number for i in new]
    titles = [i.title for i in old], [i.title for i in new]
    both = [(i.number, i.title) for i in old], [(i.number, i.title) for i in new]
    left, right = list(range(len(old))), list(range(len(new)))
    pairs = []
    for keys_old, keys_new in (both, titles, numbers):
        waiting: dict[Any, list[int]] = {}
        for a in reversed(left):  # the first in `old` on top
            waiting.setdefault(keys_old[a], []).append(a)
        paired, unpaired = set(), []
        for b in right:
            stack = waiting.get(keys_new[b])
            if stack:
                a = stack.pop()
                pairs.append((old[a], new[b]))
                paired.add(a)
            else:
                unpaired.append(b)
        left, right = [a for a in left if a not in paired], unpaired
    return pairs, [new[b] for b in right], [old[a] for a in left]


def _positions(items: list[Item]) -> dict[int, int]:
    """Where each item (by id) stands, as `items.index(item)` says: an item equal to one
    before it (same § and title, and every other field) stands where that one does."""
    positions = {}
    before: dict[tuple[int, str], list[int]] = {}
    for i, item in enumerate(items):
        alike = before.setdefault((item.number, item.title), [])
        positions[id(item)] = (
            next((j for j in alike if items[j] is item or items[j] == item), i) if alike else i
        )
        alike.append(i)
    return positions


def _item_text(item: Item) -> str:
    return "\n".join(
        f"{name}: {text_of(getattr(item, name))}" for name in ITEM_FIELDS if getattr(item, name)
    )


# --- attendance and the rest ---------------------------------------------------------------


def _attendance(old: Meeting, new: Meeting) -> list[Change]:
    before, after = _people(old), _people(new)
    changes = []
    for name, b in after.items():
        a = before.get(name)
        if a is None:
            changes.append(Change("attendance", name, "", ADDED, "", _person_text(b)))
            continue
        for field in ATTENDEE_FIELDS:
            x, y = a[field], b[field]
            if x != y:
                changes.append(Change("attendance", name, field, CHANGED, text_of(x), text_of(y)))
    changes += [
        Change("attendance", name, "", REMOVED, _person_text(a), "")
        for name, a in before.items()
        if name not in after
    ]
    return changes


def _people(meeting: Meeting) -> dict[str, dict[str, Any]]:
    """Everyone listed, by name; a name listed again (serving in some §§, present without
    serving in others) is told apart by its place: "Per Norin (2)"."""
    people: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for group in meeting.attendance.GROUPS:
        for attendee in getattr(meeting.attendance, group):
            seen[attendee.name] += 1
            count = seen[attendee.name]
            key = attendee.name if count == 1 else f"{attendee.name} ({count})"
            people[key] = _person(attendee, group)
    return people


def _person(attendee: Attendee, group: str) -> dict[str, Any]:
    values = {f: getattr(attendee, f) for f in ATTENDEE_FIELDS if f != "group"}
    return {"group": group, **values, "extra": attendee.extra}


def _person_text(person: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}: {text_of(v)}" for k, v in person.items() if v not in ("", [], False, {})
    )


def _table(section: str, subject: str, a: Any, b: Any) -> list[Change]:
    """A table the meeting has at most one of (the next meeting, the notice): added, removed,
    or changed field by field. Its first field (a date) stands for it whole."""
    if a == b:
        return []
    if a is None or b is None:
        first = fields(b or a)[0].name
        return [
            Change(
                section,
                subject,
                "",
                ADDED if b else REMOVED,
                text_of(a and getattr(a, first)),
                text_of(b and getattr(b, first)),
            )
        ]
    return [
        Change(section, subject, f.name, CHANGED, text_of(x), text_of(y))
        for f in fields(a)
        if (x := getattr(a, f.name)) != (y := getattr(b, f.name))
    ]


def text_of(value: Any) -> str:
    """A value as the text a reader compares."""
    match value:
        case None:
            return ""
        case bool():
            return "yes" if value else "no"
        case dt.time():
            return f"{value:%H:%M}"
        case dt.date():
            return value.isoformat()
        case str():
            return value
        case Statement():
            return f"{', '.join(value.by)}: {value.text}" if value.text else ", ".join(value.by)
        case list() if value and all(isinstance(v, int) for v in value):
            from . import ranges

            return ranges.display(value)
        case list():
            return "\n".join(text_of(v) for v in value)
        case dict():
            return "\n".join(f"{k} = {text_of(v)}" for k, v in value.items())
    if hasattr(value, "__dataclass_fields__"):
        return "; ".join(
            f"{f.name}: {text_of(getattr(value, f.name))}"
            for f in fields(value)
            if getattr(value, f.name) not in ("", [], None, {})
        )
    return str(value)


# --- words ---------------------------------------------------------------------------------

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[Word]:
    """The words deleted and inserted between two texts, runs of one kind merged.

    Paragraphs are matched first and words only within changed ones: one edited sentence in
    a long summary costs a diff of that paragraph, not of the whole text.
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    result: list[Word] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            _add(result, "=", "".join(a[i1:i2]))
        elif i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                _words(result, x, y)
        else:
            _words(result, "".join(a[i1:i2]), "".join(b[j1:j2]))
    return result


def _words(result: list[Word], old: str, new: str) -> None:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    # What both share at either end needs no matching: typically all but a few words.
    start = shared_start(a, b)
    end = shared_start(a[start:][::-1], b[start:][::-1])
    _add(result, "=", "".join(a[:start]))
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    for op, i1, i2, j1, j2 in _opcodes(middle_a, middle_b):
        if op == "equal":
            _add(result, "=", "".join(middle_a[i1:i2]))
        else:
            _add(result, "-", "".join(middle_a[i1:i2]))
            _add(result, "+", "".join(middle_b[j1:j2]))
    _add(result, "=", "".join(a[len(a) - end :]))


def shared_start(a: list[str], b: list[str]) -> int:
    """How many leading tokens `a` and `b` share (a binary search of C-speed slice compares)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _opcodes(a: list[str], b: list[str]):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _add(words: list[Word], op: str, text: str) -> None:
    if not text:
        return
    if words and words[-1][0] == op:
        words[-1] = (op, words[-1][1] + text)
    else:
        words.append((op, text))
