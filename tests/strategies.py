"""Hypothesis strategies for meetings with awkward text: Swedish letters, quotes, backslashes,
[brackets], newlines, tabs, emoji, empty and very long strings."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from tui.format.fields import line_ends
from tui.model import (
    Appeal,
    Attendance,
    Attendee,
    Body,
    Break,
    Chair,
    Item,
    Meeting,
    NextMeeting,
    Notice,
    Person,
    Signatures,
    Statement,
    Vote,
)

_AWKWARD = [
    "å",
    "ä",
    "ö",
    "Å",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "[b]",
    "[/]",
    "\n",
    "\t",
    "\r\n",
    "🗳️",
    " ",
    "§",
    "–",
    "#",
    "=",
    "\x1b[31m",
]

_chars = st.characters(exclude_categories=("Cs",))
texts = st.one_of(
    st.text(_chars, max_size=40),
    st.lists(st.sampled_from(_AWKWARD) | st.text(_chars, max_size=5), max_size=12).map("".join),
    st.text("abcåäö .,\n", min_size=1, max_size=20).map(lambda s: s * 400),
).map(line_ends)  # the format keeps line ends as \n (see test_format)
names = st.text(st.characters(categories=("L",)), min_size=1, max_size=12).map(
    lambda s: s.strip() or "A"
)
required = texts.filter(lambda s: s.strip() != "")
dates = st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31))
clocks = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
optional_clock = st.none() | clocks
extras = st.dictionaries(
    st.sampled_from(["x_custom", "future-key", "Ärende typ"]),
    st.one_of(
        texts,
        st.integers(-10, 10**6),
        st.booleans(),
        st.lists(texts, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b c"]), st.integers() | texts, max_size=2),
    ),
    max_size=2,
)
section_lists = st.sets(st.integers(1, 999), max_size=4).map(sorted)
statements = st.builds(Statement, st.lists(names, max_size=3), texts, extras)
votes = st.builds(
    Vote,
    texts,
    st.lists(names, max_size=3),
    st.lists(names, max_size=3),
    st.lists(names, max_size=2),
    texts,
    extras,
)


@st.composite
def items(draw, number: int) -> Item:
    return Item(
        number=number,
        title=draw(required),
        cases=draw(st.lists(required, max_size=3)),
        summary=draw(texts),
        proposal=draw(texts),
        proposal_heading=draw(texts),
        motions=draw(st.lists(statements, max_size=2)),
        votes=draw(st.lists(votes, max_size=2)),
        decision=draw(texts),
        reservations=draw(st.lists(statements, max_size=2)),
        notes=draw(st.lists(statements, max_size=1)),
        opinions=draw(st.lists(statements, max_size=1)),
        conflicts=draw(st.lists(names, max_size=2)),
        documents=draw(st.lists(texts, max_size=3)),
        adjusted_immediately=draw(st.booleans()),
        extra=draw(extras),
    )


@st.composite
def attendees(draw, numbers: list[int]) -> Attendee:
    return Attendee(
        name=draw(required),
        party=draw(texts),
        organisation=draw(texts),
        role=draw(texts),
        remote=draw(st.booleans()),
        present=sorted(draw(st.sets(st.sampled_from(numbers)))) if numbers else [],
        replaces=draw(texts),
        present_from=draw(st.none() | clocks | st.integers(1, 999)),
        present_until=draw(st.none() | clocks | st.integers(1, 999)),
        extra=draw(extras),
    )


@st.composite
def meetings(draw) -> Meeting:
    first = draw(st.integers(1, 300))
    numbers = list(range(first, first + draw(st.integers(0, 4))))
    people = st.lists(attendees(numbers), max_size=3)
    return Meeting(
        date=draw(dates),
        kind=draw(st.sampled_from(["minnesanteckningar", "protokoll"])),
        start=draw(optional_clock),
        end=draw(optional_clock),
        place=draw(texts),
        language=draw(st.sampled_from(["sv", "en"])),
        cancelled=draw(st.booleans()),
        attendance=Attendance(draw(people), draw(people), draw(people), draw(people), draw(extras)),
        breaks=draw(
            st.lists(
                st.builds(Break, clocks, optional_clock, st.none() | st.integers(1, 99), extras),
                max_size=2,
            )
        ),
        items=[draw(items(n)) for n in numbers],
        next_meeting=draw(st.none() | st.builds(NextMeeting, dates, optional_clock, texts, extras)),
        signatures=draw(
            st.builds(
                Signatures,
                texts,
                st.lists(st.builds(Chair, names, section_lists, extras), max_size=2),
                st.lists(names, max_size=2),
                texts,
                st.none() | dates,
                optional_clock,
                section_lists,
                extras,
            )
        ),
        notice=draw(st.none() | st.builds(Notice, dates, st.none() | dates, texts, texts, extras)),
        appeals=draw(st.lists(st.builds(Appeal, section_lists, dates, texts, extras), max_size=2)),
        extra=draw(extras),
    )


people = st.builds(Person, required, texts, texts, texts, extras)
bodies = st.builds(
    Body,
    name=required,
    kind=st.sampled_from(["minnesanteckningar", "protokoll"]),
    language=st.sampled_from(["sv", "en"]),
    place=texts,
    start=optional_clock,
    end=optional_clock,
    members=st.lists(people, max_size=3),
    substitutes=st.lists(people, max_size=2),
    staff=st.lists(people, max_size=2),
    seats=st.none() | st.integers(0, 101),
    storage=texts,
    extra=extras,
)
