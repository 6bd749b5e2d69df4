"""The three-way merge of a meeting: what two versions changed from their common base, both kept.

Changes are merged by meaning, as tui/diff.py sees them: items matched by § and title, people by
name, texts by words. Where both sides changed the same thing differently the merged meeting
keeps ours, and a Conflict records all three values, so no one's text is lost and no conflict
marker ever lands in a file. Pure: three models in, one model and its conflicts out.
"""

from __future__ import annotations

import difflib
import pickle
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypeVar

from .diff import TOKEN, match_items, shared_start, text_of
from .format.encode import dumps_meeting
from .model import Attendance, Attendee, Item, Meeting, NextMeeting, Notice, Signatures
from .problems import errors
from .validation import check_meeting

K = TypeVar("K", bound=Hashable)

ORDER = "§§ order"

TEXTS = {"summary", "proposal", "decision", "note", "text"}
"""Prose, merged word by word: two people may well edit different sentences of one summary."""
STRINGS = {"cases", "documents", "conflicts", "adjusters"}
"""Lists of names and numbers, merged as sets that keep their order."""
SECTIONS = {"present", "adjusted_items"}
"""Lists of §§, merged as sets."""


TEXT, VALUE, KEPT, MEETING = "text", "value", "kept", "meeting"
"""What a conflict is about, so what can settle it: a text (either side, or one written
anew: prose, a title, a place), another value (either side), a § or person removed on one
side and changed on the other (kept as changed: removing it again is an edit like any
other), or the whole meeting (either side's file, where the merged one would break the rules
or both added it)."""


@dataclass(frozen=True)
class Written:
    """A text written for a conflicting text, in place of either side's."""

    text: str


Choice = Literal["ours", "theirs"] | Written
"""How a person settles one conflict; a "kept" one is settled by any choice."""


@dataclass(frozen=True)
class Conflict:
    """Both sides changed one thing differently: the merged meeting holds `ours`."""

    field: str
    """Where, as `minutes set` spells it where it can: `place`, `§11.decision`,
    `attendance.Per Norin.party`, `next_meeting.note`; `meeting` for a merge that would break
    the meeting's rules (the three values are then whole files)."""
    base: str
    ours: str
    theirs: str
    note: str = ""
    """Why, where the values do not say it: the rules the merged meeting would break."""
    kind: str = VALUE

    @property
    def why(self) -> str:
        return self.note or (
            "removed on one side, changed on the other: kept as changed"
            if self.kind == KEPT
            else "both sides changed it differently"
        )


@dataclass
class Merged:
    meeting: Meeting
    conflicts: list[Conflict]

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_meetings(
    base: Meeting | None,
    ours: Meeting,
    theirs: Meeting,
    choices: Mapping[str, Choice] | None = None,
) -> Merged:
    """`base` changed into `ours` and into `theirs`, both sets of changes in one meeting; no
    base where both added the meeting (nothing in common: one conflict, the whole meeting).
    `choices` settle conflicts by field: a merge with a choice for each of its conflicts
    has none left (unless the choices together break the meeting's rules)."""
    choices = choices or {}
    side = choices.get(MEETING)
    if side in ("ours", "theirs"):
        return Merged(theirs if side == "theirs" else ours, [])
    if base is None:
        if ours == theirs:
            return Merged(ours, [])
        both = (dumps_meeting(ours), dumps_meeting(theirs))
        return Merged(ours, [Conflict(MEETING, "", *both, "added on both", MEETING)])
    # Copies: §§ are renumbered in them before the rest is merged. Through pickle: a tenth of
    # deepcopy's time, which was most of a large meeting's merge.
    b, o, t = (pickle.loads(pickle.dumps(m)) for m in (base, ours, theirs))
    merger = _Merger(choices)
    items, gone = _merge_items(merger, b, o, t)
    meeting = Meeting(
        **merger.fields(
            "",
            b,
            o,
            t,
            {
                "items": lambda *_: items,
                "attendance": lambda _, *sides: _merge_attendance(merger, *sides),
                "next_meeting": merger.table,
                "notice": merger.table,
                "signatures": merger.table,
            },
        )
    )
    for number in gone:
        meeting.renumber({}, gone=number)  # references to §§ deleted
    broken = _new_errors(meeting, ours, theirs)
    if broken:
        whole = (dumps_meeting(base), dumps_meeting(ours), dumps_meeting(theirs))
        conflict = Conflict(MEETING, *whole, note="; ".join(broken), kind=MEETING)
        return Merged(ours, [*merger.conflicts, conflict])
    return Merged(meeting, merger.conflicts)


def merge_words(base: str, ours: str, theirs: str) -> str | None:
    """The text with both sides' word edits, or None where they edit the same words (or
    insert at one place) differently. Words, spaces and punctuation are the tokens, as in the
    diff, so a merged text keeps every side's spacing."""
    tokens = TOKEN.findall(base)
    hunks = sorted(
        [(*h, 0) for h in _hunks(tokens, TOKEN.findall(ours))]
        + [(*h, 1) for h in _hunks(tokens, TOKEN.findall(theirs))],
        key=lambda h: (h[0], h[1]),
    )
    merged: list[str] = []
    done = i = 0
    while i < len(hunks):
        start, end = hunks[i][0], hunks[i][1]
        group = [hunks[i]]
        i += 1
        # Edits overlap where one starts inside another, or both start at one place (two
        # insertions there could go in either order).
        while i < len(hunks) and (hunks[i][0] < end or hunks[i][0] == start):
            end = max(end, hunks[i][1])
            group.append(hunks[i])
            i += 1
        was = tokens[start:end]
        mine, yours = (
            _applied(tokens, start, end, [h for h in group if h[3] == s]) for s in (0, 1)
        )
        if mine != was and yours != was and mine != yours:
            return None
        merged += tokens[done:start] + (yours if mine == was else mine)
        done = end
    return "".join(merged + tokens[done:])


# --- the merger: one value at a time, conflicts kept ---------------------------------------


class _Merger:
    def __init__(self, choices: Mapping[str, Choice]) -> None:
        self.choices = choices
        self.conflicts: list[Conflict] = []

    def conflict(self, where: str, base: Any, ours: Any, theirs: Any, kind: str = VALUE) -> Any:
        """The side chosen for `where`; ours, and a conflict recorded, where none is."""
        choice = self.choices.get(where)
        if choice == "theirs" and kind != KEPT:
            return theirs
        if isinstance(choice, Written) and kind == TEXT:
            return choice.text
        if choice is None or (isinstance(choice, Written) and kind != KEPT):
            values = (text_of(base), text_of(ours), text_of(theirs))
            self.conflicts.append(Conflict(where, *values, kind=kind))
        return ours

    def pick(self, where: str, base: Any, ours: Any, theirs: Any) -> Any:
        """The side that changed; ours where both did, differently."""
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        # A title, a place: a text too, though merged whole.
        kind = TEXT if isinstance(ours, str) and isinstance(theirs, str) else VALUE
        return self.conflict(where, base, ours, theirs, kind)

    def text(self, where: str, base: str, ours: str, theirs: str) -> str:
        if base in (ours, theirs) or ours == theirs:
            return self.pick(where, base, ours, theirs)
        merged = merge_words(base, ours, theirs)
        if merged is not None:
            return merged
        return self.conflict(where, base, ours, theirs, TEXT)

    def strings(self, where: str, base: list, ours: list, theirs: list) -> list:
        """A set-like merge in order: what either side added is in, what either removed out.
        A value may repeat: each repeat is its own member."""
        b, o, t = (_counted(values) for values in (base, ours, theirs))
        order, _ = _merge_order(b, o, t, set(o) - set(b), set(t) - set(b) - set(o))
        return [value for value, _ in order]

    def sections(self, where: str, base: list, ours: list, theirs: list) -> list:
        return sorted(self.strings(where, base, ours, theirs))

    def extra(self, where: str, base: dict, ours: dict, theirs: dict) -> dict:
        """Keys this version does not know, merged key by key."""
        missing = object()
        merged = {}
        for key in dict.fromkeys([*ours, *theirs, *base]):
            sides = (d.get(key, missing) for d in (base, ours, theirs))
            value = self.pick(f"{where}{key}", *sides)
            if value is not missing:
                merged[key] = value
        return merged

    def table(self, where: str, base: Any, ours: Any, theirs: Any) -> Any:
        """A table field by field, when all three have it; else the one that was added,
        removed or kept."""
        if base is None or ours is None or theirs is None:
            return self.pick(where, base, ours, theirs)
        kind: type[NextMeeting | Notice | Signatures] = type(ours)
        return kind(**self.fields(f"{where}.", base, ours, theirs))

    def fields(
        self,
        prefix: str,
        base: Any,
        ours: Any,
        theirs: Any,
        special: dict[str, Callable[..., Any]] | None = None,
    ) -> dict[str, Any]:
        """Each field of a dataclass merged by its kind: prose by words, lists of names as
        sets, the rest whole."""
        merged = {}
        for f in fields(ours):
            name = f.name
            merge = (special or {}).get(name) or (
                self.text
                if name in TEXTS
                else self.strings
                if name in STRINGS
                else self.sections
                if name in SECTIONS
                else self.extra
                if name == "extra"
                else self.pick
            )
            where = prefix if name == "extra" else f"{prefix}{name}"
            merged[name] = merge(where, *(getattr(side, name) for side in (base, ours, theirs)))
        return merged


# --- items ---------------------------------------------------------------------------------


def _merge_items(
    merger: _Merger, base: Meeting, ours: Meeting, theirs: Meeting
) -> tuple[list[Item], list[int]]:
    """The §§ of both sides in one order, numbered from the first; each side's references to
    §§ (presence, breaks, chairs …) renumbered to match, so the rest merges as it is. Also the
    numbers that stand for §§ deleted, for their references to be dropped."""
    # Each item's key: ("base", i) for the base's i-th § as each side matches it (by § and
    # title, as the diff does), (side, j) for a § a side added.
    base_keys = [("base", i) for i in range(len(base.items))]
    by_key = [
        _keyed(base.items, side.items, name) for side, name in ((ours, "ours"), (theirs, "theirs"))
    ]
    extras = ({k for k in by_key[0] if k[0] == "ours"}, {k for k in by_key[1] if k[0] == "theirs"})
    orphans = []
    for key, item in zip(base_keys, base.items, strict=True):
        kept = [key in side for side in by_key]
        # Deleted on one side: gone, unless the other side edited it.
        if kept.count(True) == 1 and _unlike(by_key[kept.index(True)][key], item):
            extras[kept.index(True)].add(key)
            orphans.append(key)
    sides = [base_keys, list(by_key[0]), list(by_key[1])]
    theirs_order = merger.choices.get(ORDER) == "theirs"
    order, crossed = _merge_order(base_keys, sides[1], sides[2], *extras, theirs_order)
    everything = {**dict(zip(base_keys, base.items, strict=True)), **by_key[0], **by_key[1]}
    if crossed:
        listings = ("\n".join(everything[key].title for key in side) for side in sides)
        merger.conflict(ORDER, *listings)
    firsts = [side.items[0].number if side.items else None for side in (base, ours, theirs)]
    first = merger.pick("first §", *firsts)
    if first is None:
        first = next((n for n in firsts if n is not None), 1)
    number = {key: first + i for i, key in enumerate(order)}
    gone = {key: -1 - i for i, key in enumerate(base_keys) if key not in number}
    final = number | gone
    in_base = dict(zip(base_keys, base.items, strict=True))
    for side, items in ((base, in_base), (ours, by_key[0]), (theirs, by_key[1])):
        side.renumber({item.number: final[key] for key, item in items.items()})
    for key in orphans:
        base_item, ours_item, theirs_item = (s.get(key) for s in (in_base, *by_key))
        merger.conflict(f"§{number[key]}", base_item, ours_item, theirs_item, KEPT)
    merged = [
        _merge_item(merger, number[key], in_base.get(key), by_key[0].get(key), by_key[1].get(key))
        for key in order
    ]
    return merged, list(gone.values())


def _keyed(base: list[Item], side: list[Item], name: str) -> dict[tuple[str, int], Item]:
    """A side's items in its order by key: the base's key where matched, else its own."""
    pairs, _, _ = match_items(base, side)
    matched = {id(b): s for b, s in pairs}
    of_base = {id(matched[id(b)]): ("base", i) for i, b in enumerate(base) if id(b) in matched}
    return {of_base.get(id(s), (name, j)): s for j, s in enumerate(side)}


def _merge_item(
    merger: _Merger, number: int, base: Item | None, ours: Item | None, theirs: Item | None
) -> Item:
    if base is None or ours is None or theirs is None:
        only = ours or theirs
        assert only is not None
        return replace(only, number=number)
    if base == ours == theirs:  # most §§ of a large meeting: nothing to merge
        return replace(ours, number=number)
    merged = merger.fields(f"§{number}.", base, ours, theirs, {"number": lambda *_: number})
    return Item(**merged)


def _unlike(a: Item, b: Item) -> bool:
    return replace(a, number=0) != replace(b, number=0)


# --- attendance ----------------------------------------------------------------------------


def _merge_attendance(
    merger: _Merger, base: Attendance, ours: Attendance, theirs: Attendance
) -> Attendance:
    """People by name: added on either side, removed on either, each field merged; a person
    removed on one side and changed on the other stays, as changed."""
    b, o, t = (_people(a) for a in (base, ours, theirs))
    extras = set(o) - set(b), set(t) - set(b) - set(o)
    for key, (group, person) in b.items():
        sides = [o.get(key), t.get(key)]
        if (sides[0] is None) != (sides[1] is None):
            kept = sides[0] or sides[1]
            assert kept is not None
            if kept != (group, person):
                extras[sides.index(kept)].add(key)
                ours_, theirs_ = (side and side[1] for side in sides)
                merger.conflict(f"attendance.{person.name}", person, ours_, theirs_, KEPT)
    order, _ = _merge_order(list(b), list(o), list(t), *extras)
    groups: dict[str, list[Attendee]] = {group: [] for group in Attendance.GROUPS}
    for key in order:
        group, person = _merge_person(merger, b.get(key), o.get(key), t.get(key))
        groups[group].append(person)
    extra = merger.extra("attendance.", base.extra, ours.extra, theirs.extra)
    return Attendance(**groups, extra=extra)


def _people(attendance: Attendance) -> dict[tuple[str, int], tuple[str, Attendee]]:
    """Everyone listed, by name and which listing of that name (as the diff tells them)."""
    people = {}
    seen: Counter[str] = Counter()
    for group in Attendance.GROUPS:
        for person in getattr(attendance, group):
            seen[person.name] += 1
            people[(person.name, seen[person.name])] = (group, person)
    return people


def _merge_person(merger: _Merger, *sides: tuple[str, Attendee] | None) -> tuple[str, Attendee]:
    base, ours, theirs = sides
    if ours is None or theirs is None:
        only = ours or theirs
        assert only is not None
        return only
    if base == ours == theirs:
        return ours
    # Added on both sides: merged as if from someone listed with nothing known.
    base = base or ("", Attendee(ours[1].name))
    where = f"attendance.{ours[1].name}"
    group = merger.pick(f"{where}.group", base[0], ours[0], theirs[0])
    person = Attendee(**merger.fields(f"{where}.", base[1], ours[1], theirs[1]))
    return group, person


# --- sequences -----------------------------------------------------------------------------


def _merge_order(
    base: list[K],
    ours: list[K],
    theirs: list[K],
    ours_new: set[K],
    theirs_new: set[K],
    theirs_order: bool = False,
) -> tuple[list[K], bool]:
    """What all three hold, in the order a side changed it to, and what each side brings
    (`*_new`) after what stands before it on that side; ours first where both bring something
    to one place. True as well when both sides reordered differently (ours' order kept, or
    theirs where chosen)."""
    common = set(base) & set(ours) & set(theirs)
    in_order = [[key for key in side if key in common] for side in (base, ours, theirs)]
    crossed = in_order[0] != in_order[1] != in_order[2] != in_order[0]
    result = in_order[2] if in_order[1] == in_order[0] or theirs_order else in_order[1]
    placed = set(result)
    for side, new, other in ((ours, ours_new, set()), (theirs, theirs_new, ours_new)):
        for i, key in enumerate(side):
            if key not in new:
                continue
            before = next((k for k in reversed(side[:i]) if k in placed), None)
            at = 0 if before is None else result.index(before) + 1
            while at < len(result) and result[at] in other:
                at += 1
            result.insert(at, key)
            placed.add(key)
    return result, crossed


def _counted(values: list) -> list[tuple[Any, int]]:
    seen: Counter[Any] = Counter()
    counted = []
    for value in values:
        seen[value] += 1
        counted.append((value, seen[value]))
    return counted


def _hunks(base: list[str], side: list[str]) -> list[tuple[int, int, list[str]]]:
    """What a side replaced: (start, end) of the base's tokens and the tokens put there.
    What both share at either end is left out of the matching: usually all but a few words."""
    start = shared_start(base, side)
    end = shared_start(base[start:][::-1], side[start:][::-1])
    a, b = base[start : len(base) - end], side[start : len(side) - end]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (start + i1, start + i2, b[j1:j2])
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _applied(tokens: list[str], start: int, end: int, hunks: list) -> list[str]:
    """`tokens[start:end]` with one side's hunks in it applied."""
    result, at = [], start
    for h_start, h_end, new, _ in hunks:
        result += tokens[at:h_start] + new
        at = h_end
    return result + tokens[at:end]


def _new_errors(merged: Meeting, ours: Meeting, theirs: Meeting) -> list[str]:
    """Errors of the merged meeting that neither side has: each side was fine alone, the two
    together are not (a vote by someone the other side removed)."""
    found = [p.message for p in errors(check_meeting(merged))]
    if not found:
        return []
    known = {p.message for side in (ours, theirs) for p in errors(check_meeting(side))}
    return [message for message in found if message not in known]
