"""The search's question as typed: words, "phrases", `prefix*`, and filters (`body:`, `year:`,
`date:`, `field:`, `person:`), parsed into a `Query`. Pure: text in, a query or one line on
what is wrong out.

Words are cut as SQLite's `unicode61` tokenizer cuts them (runs of letters and digits, any
case, å/ä/ö kept as letters of their own), so the index and a scan of the files agree on
what a word is. A query is data: quotes, stars and FTS5's own syntax (`NEAR(`, `AND`, `^`)
are read as the words they hold, never as operators.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

FIELDS = (
    "title",
    "summary",
    "proposal",
    "decision",
    "documents",
    "votes",
    "cases",
    "motions",
    "reservations",
    "notes",
    "opinions",
    "conflicts",
    "people",
)
"""Where in a meeting a text is: a § field, or `people` for an attendee (name, party,
organisation, role, whom they replace)."""
FILTERS = ("body", "year", "date", "field", "person")

_WORD = re.compile(r"[^\W_]+")
"""A token: letters and digits (Python's `isalnum`, the tokenizer's L* and N*)."""
_PART = re.compile(r'(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')
"""A part of the query: an optional filter name, then a quoted value (a stray quote runs to
the end) or a bare word."""


class QueryError(ValueError):
    """The query cannot be read; the message says why in one line."""


@dataclass(frozen=True)
class Term:
    """Words that must stand together, in order; with `prefix`, the last one only begins."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    bodies: tuple[str, ...] = ()
    """Any of these (lower case) in a body's folder or name."""
    since: dt.date | None = None
    until: dt.date | None = None
    fields: frozenset[str] = frozenset()
    """Only these fields; empty: every field."""
    people: tuple[Term, ...] = ()
    """Each attended the meeting: the words stand together in an attendee's line."""

    def __bool__(self) -> bool:
        """Does it ask for anything? (Bodies and dates only narrow what the rest finds.)"""
        return bool(self.terms or self.people or self.fields)


def normal(text: str) -> str:
    """Text as it is compared: composed (NFC), so a decomposed å is the letter å."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def words(text: str) -> str:
    """The text's tokens, a space between (what the search index has FTS5 index)."""
    return " ".join(_WORD.findall(normal(text))).lower()


def tokens(text: str) -> list[str]:
    return words(text).split()


def parse(text: str, typing: bool = False) -> Query:
    """The query `text` means; QueryError when a filter cannot be read. `typing`: the query
    is still being typed, so its last word, not yet ended by a space, only begins (`yrkeshög`
    finds Yrkeshögskola as it is typed)."""
    terms: list[Term] = []
    people: list[Term] = []
    bodies: list[str] = []
    fields: set[str] = set()
    since: dt.date | None = None
    until: dt.date | None = None
    for match in _PART.finditer(normal(text)):
        name, quoted, bare = match[1], match[2], match[3]
        value = quoted if quoted is not None else bare
        if name is not None and not value:
            name, value = None, match[0]  # `Temapass:` is a word with a colon
        if name is None or name.lower() not in FILTERS:
            if name is not None:
                raise QueryError(
                    f"{name}: is no filter (filters: {', '.join(f + ':' for f in FILTERS)}); "
                    f'put text with a colon in quotes, "{name}:{value}"'
                )
            term = _term(value)
            if term:
                terms.append(term)
            continue
        name = name.lower()
        if name == "body":
            bodies.append(value.lower())
        elif name == "field":
            fields.update(_field(part) for part in value.split(","))
        elif name == "person":
            term = _term(value)
            if term is None:
                raise QueryError(f"person:{value} names nobody: give a name, person:Norin")
            people.append(term)
        else:
            first, last = _dates(value, name == "year")
            since = first if since is None or (first and first > since) else since
            until = last if until is None or (last and last < until) else until
    ending = list(_PART.finditer(normal(text)))[-1:] if typing and text[-1:].isalnum() else []
    if ending and ending[0][1] is None and ending[0][3] is not None and terms:
        terms[-1] = Term(terms[-1].tokens, prefix=True)
    query = Query(tuple(terms), tuple(bodies), since, until, frozenset(fields), tuple(people))
    if not query and (bodies or since or until):
        raise QueryError(
            'body:, year: and date: narrow a search: give words, a "phrase", '
            "field: or person: as well"
        )
    return query


def _term(text: str) -> Term | None:
    """A word or phrase; None when it holds no word (`*`, `"`, `-`)."""
    words = tokens(text)
    if not words:
        return None
    return Term(tuple(words), text.rstrip().endswith("*"))


def _field(text: str) -> str:
    """A field's name, or the one field it begins (`field:dec`)."""
    text = text.strip().lower()
    known = [f for f in FIELDS if f == text] or [f for f in FIELDS if text and f.startswith(text)]
    if len(known) != 1:
        raise QueryError(f"field:{text} is no field; fields are {', '.join(FIELDS)}")
    return known[0]


def _dates(text: str, year_only: bool) -> tuple[dt.date | None, dt.date | None]:
    """`2023`, `2023..2024`, `2023..`, `..2022`; for `date:` also months and days
    (`2024-04`, `2024-01-01..2024-06-30`). Each end is as wide as it is written."""
    start, dots, end = text.partition("..")
    first, last = _day(start, year_only, True), _day(end, year_only, False)
    if not dots:
        last = _day(start, year_only, False)
    if (first, last) == (None, None) or (first and last and first > last):
        what = "year:2023, year:2023.., year:2021..2023" if year_only else "date:2024-04-26, "
        what += "" if year_only else "date:2024-04, date:2023..2024-06-30"
        raise QueryError(f"{'year' if year_only else 'date'}:{text} is no range: try {what}")
    return first, last


def _day(text: str, year_only: bool, first: bool) -> dt.date | None:
    if not text:
        return None
    pattern = r"\d{4}" if year_only else r"\d{4}(-\d{2}(-\d{2})?)?"
    if not re.fullmatch(pattern, text):
        raise QueryError(
            f"{text} is no {'year (2023)' if year_only else 'date (2024, 2024-04, 2024-04-26)'}"
        )
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 3:
            return dt.date(*parts)
        year, month = parts[0], parts[1] if len(parts) == 2 else (1 if first else 12)
        day = 1 if first else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except ValueError as error:
        raise QueryError(f"{text} is no date: {error}") from None
