"""A meeting's header without parsing the whole file: what lists and `minutes next` need.

Parsing a seed-sized meeting costs ~4.6 ms, so an archive of 1,000 would take seconds to list.
Canonical files put every top-level key first and `[next_meeting]` as the first table, and each
`[[items]]` starts with its number: those few lines are cut out and parsed alone. When the cut
does not parse (a hand-edited layout), the whole file is parsed instead, so the answer is the
same either way; only the cost differs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import NextMeeting
from ..problems import FormatError, Problem, errors
from . import decode
from .reading import parse_toml, read_text

_ITEM_NUMBER = re.compile(r"^\[\[items\]\]\nnumber = (\d+)$", re.MULTILINE)
_NEXT = "\n[next_meeting]\n"


@dataclass(frozen=True)
class Header:
    kind: str
    date: dt.date | None
    start: dt.time | None
    place: str
    numbers: tuple[int, ...]
    next_meeting: NextMeeting | None


def read_header(path: Path, root: Path | None = None) -> Header:
    """FormatError when the file cannot be read or its header is wrong."""
    text, _ = read_text(path, root)
    return header_of(text, path)


def header_of(text: str, path: Path | None = None) -> Header:
    first_table = text.find("\n[")
    cut = text if first_table < 0 else text[: first_table + 1]
    numbers = tuple(int(n) for n in _ITEM_NUMBER.findall(text))
    start = text.find(_NEXT)
    if start >= 0:
        end = text.find("\n[", start + len(_NEXT))
        cut += text[start : None if end < 0 else end + 1]
    try:
        document = parse_toml(cut)
    except FormatError:
        document = parse_toml(text, path)
        numbers = tuple(i.get("number") for i in document.get("items", []) if isinstance(i, dict))
    problems: list[Problem] = []
    fields = decode.Fields(document, "", problems)
    next_table = fields.table("next_meeting")
    header = Header(
        kind=fields.text("kind"),
        date=fields.date("date"),
        start=fields.time("start"),
        place=fields.text("place"),
        numbers=numbers,
        next_meeting=None if next_table is None else decode.next_meeting(next_table),
    )
    if errors(problems):
        raise FormatError([p.at(path) for p in problems])
    return header
