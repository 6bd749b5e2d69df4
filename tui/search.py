"""What of a meeting is searched, and which of it a query finds: its places (each § field and
each attendee's line) and the hits among them, with a snippet and where its words are. Pure:
meetings in, hits out.

This is the scan of the files: the search index (`tui.search_index`) stores these same places
and must answer as this does; without an index (a read-only `.git`), this is the search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice, takewhile

from .model import Item, Meeting, Statement
from .search_query import Query, Term, normal, tokens
from .terminal import clean

WIDTH = 60
"""A snippet's characters, about a line of a result list."""


@dataclass(frozen=True)
class Place:
    number: int | None
    """The § it is in; None for an attendee."""
    field: str
    """One of `search_query.FIELDS`."""
    text: str


@dataclass(frozen=True)
class Hit:
    number: int | None
    field: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    """Where the query's words stand in `snippet` (start, end)."""


def places(meeting: Meeting) -> list[Place]:
    """Every text of the meeting that is searched, in the order the minutes read."""
    found = []
    for item in meeting.items:
        for field, text in _item_texts(item):
            if text.strip():
                found.append(Place(item.number, field, normal(text)))
    for person in meeting.attendance.everyone():
        line = ", ".join(
            filter(None, [person.name, person.party, person.organisation, person.role])
        )
        found.append(Place(None, "people", normal(line)))
    return found


def _item_texts(item: Item) -> list[tuple[str, str]]:
    votes = [
        "\n".join(filter(None, [v.question, *(", ".join(n) for n in (v.yes, v.no, v.abstain))]))
        + (f"\n{v.result}" if v.result else "")
        for v in item.votes
    ]
    return [
        ("title", item.title),
        ("cases", "\n".join(item.cases)),
        ("summary", item.summary),
        ("proposal", "\n".join(filter(None, [item.proposal_heading, item.proposal]))),
        ("motions", _said(item.motions)),
        ("votes", "\n\n".join(votes)),
        ("decision", item.decision),
        ("reservations", _said(item.reservations)),
        ("notes", _said(item.notes)),
        ("opinions", _said(item.opinions)),
        ("conflicts", "\n".join(item.conflicts)),
        ("documents", "\n".join(item.documents)),
    ]


def _said(statements: list[Statement]) -> str:
    return "\n".join(f"{', '.join(s.by)}: {s.text}" for s in statements)


def search(meeting: Meeting, query: Query, width: int = WIDTH) -> list[Hit]:
    """The query's hits in `meeting`, but for its `body:` and date filters, which are the
    file's (see `in_range`, `body_matches`)."""
    return [hit(place, query, width) for place in found(places(meeting), query)]


def found(candidates: list[Place], query: Query) -> list[Place]:
    """The places of one meeting that `query` finds.

    Every `person:` must have attended (be in an attendee's line). With words, the places
    holding them all; without, those of the fields asked for, else the people's own lines."""
    people = [tokens(p.text) for p in candidates if p.field == "people"]
    if not all(any(_starts(term, words) for words in people) for term in query.people):
        return []
    if query.fields:
        candidates = [p for p in candidates if p.field in query.fields]
    if query.terms:
        return [p for p in candidates if _holds(query.terms, tokens(p.text))]
    if query.fields:
        return candidates
    return [
        p
        for p in candidates
        if p.field == "people" and any(_starts(term, tokens(p.text)) for term in query.people)
    ]


def _holds(terms: tuple[Term, ...], words: list[str]) -> bool:
    return all(_starts(term, words) for term in terms)


def _starts(term: Term, words: list[str]) -> list[int]:
    """Where `term` starts in `words`: its words in order, the last one begun with a prefix."""
    size = len(term.tokens)
    *whole, last = term.tokens
    return [
        i
        for i in range(len(words) - size + 1)
        if words[i : i + size - 1] == whole
        and (words[i + size - 1].startswith(last) if term.prefix else words[i + size - 1] == last)
    ]


def hit(place: Place, query: Query, width: int = WIDTH) -> Hit:
    """The place as a result: its snippet with the query's words marked, control characters
    made visible (text from files is shown, never obeyed)."""
    text, marks = snippet(place.text, query.terms or query.people, width)
    shown, spans, at = "", [], 0
    for start, end in marks:  # cleaning may lengthen the text: the marks move with it
        shown += clean(text[at:start])
        marked = clean(text[start:end])
        spans.append((len(shown), len(shown) + len(marked)))
        shown, at = shown + marked, end
    return Hit(place.number, place.field, shown + clean(text[at:]), tuple(spans))


def snippet(
    text: str, terms: tuple[Term, ...], width: int = WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About `width` characters of `text` on one line, from a little before the first place
    of a term, with the terms' places marked."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer (İ): no marks
        terms = ()
    # Only the text around the first place is laid on one line: a summary may run to pages.
    begin = max(0, _first(terms, lowered) - width)
    part = text[begin : begin + 6 * width]
    flat = " ".join(part.split())
    lowered = flat.lower()
    first = _first(terms, lowered)
    start = max(0, first - width // 3)
    if start or begin:  # from the start of a word
        space = flat.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + width)
    if end < len(flat):  # to the end of a word
        space = flat.rfind(" ", first + 1, end + 1)
        end = space if space > 0 else end
    marks = _merged(
        (a - start, min(b, end) - start)
        for term in terms
        for a, b in takewhile(lambda span: span[0] < end, _where(term, lowered, start))
    )
    shown = flat[start:end]
    if end < len(flat) or begin + len(part) < len(text):
        shown += "…"
    if start or begin:
        return "…" + shown, tuple((a + 1, b + 1) for a, b in marks)
    return shown, tuple(marks)


def places_of(terms: tuple[Term, ...], text: str) -> list[tuple[int, int]]:
    """Where each term stands in `text` (start, end), as a snippet's marks are found."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return []
    return _merged(span for term in terms for span in _where(term, lowered, 0))


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, those that overlap (two terms on one word) made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _first(terms: tuple[Term, ...], lowered: str) -> int:
    """Where the first term to stand in `lowered` stands; 0 if none does."""
    return min(
        (span[0] for term in terms for span in islice(_where(term, lowered, 0), 1)), default=0
    )


def _where(term: Term, lowered: str, start: int) -> Iterator[tuple[int, int]]:
    """Where a term stands in lower-cased text, from `start`: its words apart by anything but
    letters and digits, as the tokenizer cuts them."""
    for found in _pattern(term).finditer(lowered, start):
        if found.start() == 0 or not lowered[found.start() - 1].isalnum():
            yield found.span()


@cache
def _pattern(term: Term) -> re.Pattern[str]:
    # Starting with a literal, the search skips ahead at C's speed (summaries are long).
    joined = r"[\W_]+".join(re.escape(token) for token in term.tokens)
    return re.compile(joined + (r"[^\W_]*" if term.prefix else r"(?![^\W_])"))


def in_range(query: Query, day) -> bool:
    return (query.since is None or day >= query.since) and (
        query.until is None or day <= query.until
    )


def body_matches(query: Query, folder: str, name: str) -> bool:
    """Is a body (its folder and name) one of the query's `body:`s? Any, when it names none."""
    return not query.bodies or any(
        part in folder.lower() or part in name.lower() for part in query.bodies
    )
