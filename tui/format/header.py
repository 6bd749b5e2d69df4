"""A meeting's header without parsing the whole file: what lists and `minutes next` need.

Parsing a seed-sized meeting costs ~4.6 ms, so an archive of 1,000 would take seconds to list.
Canonical files put every top-level key first and `[next_meeting]` as the first table, and each
`[[items]]` starts with its number: those few lines are cut out and parsed alone. When the cut
does not fit (a hand-edited layout), the whole file is parsed instead, so the answer is the
same either way; only the cost differs.

Nothing here needs the domain model, so `minutes next` starts without it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..problems import FormatError, Problem, errors
from .fields import Fields, schema
from .reading import parse_toml, read_text

_ITEM_NUMBER = re.compile(r"\n\[\[items\]\]\nnumber = (\d+)\n")
_NEXT = "\n[next_meeting]\n"


class Header(NamedTuple):
    kind: str
    date: dt.date | None
    start: dt.time | None
    end: dt.time | None
    place: str
    language: str
    cancelled: bool
    numbers: tuple[int, ...]
    next_date: dt.date | None
    """The next meeting as decided at this one."""
    next_time: dt.time | None
    next_note: str


def read_header(path: Path, root: Path | None = None) -> Header:
    """FormatError when the file cannot be read or its header is wrong."""
    text, _ = read_text(path, root)
    return header_of(text, path)


def header_of(text: str, path: Path | None = None) -> Header:
    document, numbers = _cut(text) or _whole(text, path)
    problems: list[Problem] = []
    fields = Fields(document, "", problems)
    schema(fields)  # a file from a newer minutes is not a meeting this one can tell of
    following = fields.table("next_meeting") or Fields({}, "next_meeting", problems)
    header = Header(
        kind=fields.text("kind"),
        date=fields.date("date"),
        start=fields.time("start"),
        end=fields.time("end"),
        place=fields.text("place"),
        language=fields.text("language") or "sv",
        cancelled=fields.flag("cancelled"),
        numbers=numbers,
        next_date=following.date("date"),
        next_time=following.time("time"),
        next_note=following.text("note"),
    )
    if errors(problems):
        raise FormatError([p.at(path) for p in problems])
    return header


def read_name(path: Path, root: Path | None = None) -> str:
    """The `name` of a body file, from its top-level keys; FormatError if it has none."""
    text, _ = read_text(path, root)
    try:
        document = parse_toml(_top_level(text))
    except FormatError:
        document = parse_toml(text, path)
    problems: list[Problem] = []
    name = Fields(document, "", problems).text("name", required=True)
    if errors(problems):
        raise FormatError([p.at(path) for p in problems])
    return name


def _cut(text: str) -> tuple[dict, tuple[int, ...]] | None:
    """The header from the canonical layout's few lines, or None where the layout differs."""
    numbers = tuple(int(n) for n in _ITEM_NUMBER.findall(text))
    if len(numbers) != text.count("\n[[items]]\n"):
        return None
    cut = _top_level(text)
    start = text.find(_NEXT)
    if start >= 0:
        end = text.find("\n[", start + len(_NEXT))
        cut += text[start : None if end < 0 else end + 1]
    try:
        document = parse_toml(cut)
    except FormatError:
        return None
    # A cut inside a multi-line string can still parse: into a string holding a table header.
    if any("\n[" in value for value in _strings(document)):
        return None
    return document, numbers


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for part in value.values() if isinstance(value, dict) else value:
            yield from _strings(part)


def _top_level(text: str) -> str:
    """The lines before the first table header."""
    first_table = text.find("\n[")
    return text if first_table < 0 else text[: first_table + 1]


def _whole(text: str, path: Path | None) -> tuple[dict, tuple[int, ...]]:
    document = parse_toml(text, path)
    items = document.get("items")
    if not isinstance(items, list):
        return document, ()
    numbers = (i.get("number") for i in items if isinstance(i, dict))
    return document, tuple(n for n in numbers if isinstance(n, int) and not isinstance(n, bool))
