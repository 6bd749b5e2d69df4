"""The domain model: a body, its meetings, who attended and what was decided.

Pure data: no file, TOML or git knowledge lives here. Every class keeps the keys this version
does not know in `extra`, so that a file written by a newer tool loses nothing when saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SCHEMA = 1
"""The newest format version this code reads and writes."""

KINDS = ("minnesanteckningar", "protokoll")
LANGUAGES = ("sv", "en")


@dataclass
class Person:
    """Someone on a body's roster."""

    name: str
    party: str = ""
    organisation: str = ""
    role: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


Point = dt.time | int
"""A moment in a meeting: a time of day, or a § by its number."""


@dataclass
class Attendee:
    """Someone present at a meeting.

    `present` lists the §§ they attended; empty means the whole meeting. `replaces` names the
    member a serving substitute stands in for ("X ersätter Y", "X tjg för Y").
    """

    name: str
    party: str = ""
    organisation: str = ""
    role: str = ""
    remote: bool = False
    present: list[int] = field(default_factory=list)
    replaces: str = ""
    present_from: Point | None = None
    """Arrived at this time, or from this § on (the protocol's "från kl. 10.15", "från §12")."""
    present_until: Point | None = None
    """Left at this time, or after this § ("till kl. 11.30", "t.o.m. §14")."""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_person(cls, person: Person) -> Attendee:
        return cls(person.name, person.party, person.organisation, person.role)


@dataclass
class Attendance:
    members: list[Attendee] = field(default_factory=list)
    """Decision-making members (beslutande ledamöter), serving substitutes included."""
    substitutes: list[Attendee] = field(default_factory=list)
    """Substitutes present but not serving (ej tjänstgörande ersättare)."""
    others: list[Attendee] = field(default_factory=list)
    """Others present (övriga närvarande): officials, guests, the secretary."""
    absent: list[Attendee] = field(default_factory=list)
    """Members not present (frånvarande ledamöter), listed as the protocol lists them."""
    extra: dict[str, Any] = field(default_factory=dict)

    GROUPS = ("members", "substitutes", "others", "absent")

    def everyone(self) -> list[Attendee]:
        """Everyone present, in any role; the absent are not."""
        return [*self.members, *self.substitutes, *self.others]


@dataclass
class Statement:
    """Something said for the record by named people: a motion (yrkande), a reservation with
    its reasons, or a protocol note (protokollsanteckning)."""

    by: list[str] = field(default_factory=list)
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Vote:
    """A vote (omröstning): the question put, how each member voted and the outcome."""

    question: str = ""
    yes: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)
    abstain: list[str] = field(default_factory=list)
    result: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def voters(self) -> list[str]:
        return [*self.yes, *self.no, *self.abstain]


@dataclass
class Item:
    """One § of the minutes. Only `number` and `title` are required: an item may hold nothing
    but a summary."""

    number: int
    title: str
    cases: list[str] = field(default_factory=list)
    """Case numbers (diarienummer): most §§ have one, a joint matter several."""
    summary: str = ""
    proposal: str = ""
    """Proposed decision (förslag till beslut)."""
    proposal_heading: str = ""
    """Whose proposal it is, printed as its heading ("Kommunstyrelsens förslag") instead of
    "Förslag till beslut"."""
    motions: list[Statement] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    decision: str = ""
    reservations: list[Statement] = field(default_factory=list)
    notes: list[Statement] = field(default_factory=list)
    """Protocol notes (protokollsanteckningar)."""
    opinions: list[Statement] = field(default_factory=list)
    """Special statements (särskilda yttranden): an opinion given without a reservation."""
    conflicts: list[str] = field(default_factory=list)
    """Members who declared a conflict of interest (jäv) and took no part in this item."""
    documents: list[str] = field(default_factory=list)
    """Decision documents (beslutsunderlag)."""
    adjusted_immediately: bool = False
    """Adjusted at the meeting (omedelbar justering): this § can be signed on its own."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Break:
    """An adjournment (ajournering), optionally during a given §."""

    start: dt.time
    end: dt.time | None = None
    item: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chair:
    """Who chaired (ordförande), and for which §§ when the chair changed during the meeting."""

    name: str
    items: list[int] = field(default_factory=list)
    """The §§ chaired; empty means the whole meeting."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Signatures:
    """Who signs: the secretary always; for protocols also the chair(s) and the adjusters
    (justerare), with where and when the protocol was adjusted (justerat). The signatures
    themselves are signed git tags, not part of the file."""

    secretary: str = ""
    chairs: list[Chair] = field(default_factory=list)
    adjusters: list[str] = field(default_factory=list)
    adjustment_place: str = ""
    adjustment_date: dt.date | None = None
    adjustment_time: dt.time | None = None
    adjusted_items: list[int] = field(default_factory=list)
    """"Justerade paragrafer": the §§ the adjustment covers; empty means all."""
    extra: dict[str, Any] = field(default_factory=dict)

    def signers(self) -> list[str]:
        """Whose signatures make the protocol adjusted: every chair and every adjuster."""
        names = [chair.name for chair in self.chairs] + self.adjusters
        return list(dict.fromkeys(name for name in names if name))


@dataclass
class Notice:
    """The notice of adjustment on the notice board (anslag) and its certificate (bevis)."""

    posted: dt.date
    taken_down: dt.date | None = None
    storage: str = ""
    """Where the protocol is kept (förvaringsplats)."""
    certified_by: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Appeal:
    """An appeal (överklagande) lodged against decisions of the protocol."""

    items: list[int]
    """The §§ appealed."""
    date: dt.date
    """The day it was lodged."""
    by: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class NextMeeting:
    """The next meeting as decided at this one."""

    date: dt.date
    time: dt.time | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Meeting:
    date: dt.date
    kind: str = "minnesanteckningar"
    start: dt.time | None = None
    end: dt.time | None = None
    place: str = ""
    language: str = "sv"
    cancelled: bool = False
    """Called off (inställt): kept in the archive and the calendar, but nothing is decided."""
    attendance: Attendance = field(default_factory=Attendance)
    breaks: list[Break] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    next_meeting: NextMeeting | None = None
    signatures: Signatures = field(default_factory=Signatures)
    notice: Notice | None = None
    appeals: list[Appeal] = field(default_factory=list)
    schema: int = SCHEMA
    extra: dict[str, Any] = field(default_factory=dict)

    def item(self, number: int) -> Item | None:
        return next((item for item in self.items if item.number == number), None)

    def numbers(self) -> list[int]:
        return [item.number for item in self.items]

    # --- changing the order of §§: every reference to a § follows its item ---------------

    def add_item(self, after: int | None, first_number: int) -> Item:
        """A new untitled § after § `after` (None: first), the §§ after it moved up by one.
        `first_number` numbers the first § of a meeting that has none."""
        index = 0 if after is None else self.numbers().index(after) + 1
        number = (
            self.items[index - 1].number + 1
            if index
            else (self.items[0].number if self.items else first_number)
        )
        self.renumber({n: n + 1 for n in self.numbers() if n >= number})
        item = Item(number, "")
        self.items.insert(index, item)
        return item

    def remove_item(self, number: int) -> None:
        """Remove § `number`; the §§ after it move down by one."""
        self.items.remove(next(item for item in self.items if item.number == number))
        self.renumber({n: n - 1 for n in self.numbers() if n > number}, gone=number)

    def move_item(self, number: int, by: int) -> int:
        """Swap § `number` with its neighbour `by` (±1) places away; its new number."""
        index = self.numbers().index(number)
        other = index + by
        if not 0 <= other < len(self.items):
            return number
        neighbour = self.items[other].number
        self.renumber({number: neighbour, neighbour: number})
        self.items[index], self.items[other] = self.items[other], self.items[index]
        return neighbour

    def number_from(self, first: int) -> None:
        """Number the §§ in their order from `first`, without gaps; presence and breaks follow."""
        self.renumber({item.number: first + i for i, item in enumerate(self.items)})

    def renumber(self, mapping: dict[int, int], gone: int | None = None) -> None:
        """Give §§ new numbers, in the items and wherever a § is named (presence, breaks);
        references to § `gone` are dropped."""
        for item in self.items:
            item.number = mapping.get(item.number, item.number)
        for attendee in [*self.attendance.everyone(), *self.attendance.absent]:
            attendee.present = sorted(mapping.get(n, n) for n in attendee.present if n != gone)
            for moment in ("present_from", "present_until"):
                point = getattr(attendee, moment)
                if isinstance(point, int):
                    setattr(attendee, moment, None if point == gone else mapping.get(point, point))
        for chair in self.signatures.chairs:
            chair.items = sorted(mapping.get(n, n) for n in chair.items if n != gone)
        s = self.signatures
        s.adjusted_items = sorted(mapping.get(n, n) for n in s.adjusted_items if n != gone)
        for appeal in self.appeals:
            appeal.items = sorted(mapping.get(n, n) for n in appeal.items if n != gone)
        for pause in self.breaks:
            if pause.item == gone:
                pause.item = None
            elif pause.item is not None:
                pause.item = mapping.get(pause.item, pause.item)


@dataclass
class Body:
    """A committee or group that meets, with its roster and the defaults of its meetings."""

    name: str
    kind: str = "minnesanteckningar"
    language: str = "sv"
    place: str = ""
    start: dt.time | None = None
    end: dt.time | None = None
    members: list[Person] = field(default_factory=list)
    substitutes: list[Person] = field(default_factory=list)
    staff: list[Person] = field(default_factory=list)
    """People who attend by office (secretary, officials): copied to "others present"."""
    seats: int | None = None
    """Seats on the body, for quorum; None counts the members on the roster."""
    storage: str = ""
    """Where its protocols are kept (förvaringsplats), as the notice of adjustment says."""
    schema: int = SCHEMA
    extra: dict[str, Any] = field(default_factory=dict)

    def seat_count(self) -> int:
        return len(self.members) if self.seats is None else self.seats

    def new_meeting(self, date: dt.date) -> Meeting:
        """A planned meeting with the body's defaults and its roster as attendance."""
        return Meeting(
            date=date,
            kind=self.kind,
            start=self.start,
            end=self.end,
            place=self.place,
            language=self.language,
            attendance=Attendance(
                members=[Attendee.from_person(p) for p in self.members],
                others=[Attendee.from_person(p) for p in self.staff],
            ),
        )
