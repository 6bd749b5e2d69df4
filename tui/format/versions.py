"""Reading many versions of one meeting, as history does.

Consecutive versions differ in a table or two. Each version is cut at its top-level tables
(an item with its votes and motions is one part) and every distinct part is parsed once; a
version whose parts do not parse alone (a hand-made layout, a string holding a line that
starts with "[") is parsed whole. Either way the result is what tomllib makes of the text.
"""

from __future__ import annotations

import tomllib
from typing import Any

from ..model import Meeting
from . import decode
from .reading import check_depth, check_keys, decode_text, parse_toml


class _Clash(Exception):
    """Two parts define the same key: only the whole text can say what that means."""


class VersionReader:
    def __init__(self) -> None:
        self._parts: dict[str, dict[str, Any]] = {}

    def read(self, data: bytes) -> Meeting:
        """A past version as far as it can be read (see files.read_version); FormatError only
        when it is not a TOML document."""
        text, _ = decode_text(data)
        return decode.meeting(self.document(text), [])

    def document(self, text: str) -> dict[str, Any]:
        check_keys(text)  # the parts are parsed below, without parse_toml's guard
        try:
            document: dict[str, Any] = {}
            owned: set[int] = set()
            for part in _parts(text):
                parsed = self._parts.get(part)
                if parsed is None:
                    parsed = self._parts[part] = tomllib.loads(part)
                _merge(document, parsed, owned)
        except (tomllib.TOMLDecodeError, _Clash, RecursionError):
            return parse_toml(text)
        check_depth(document)
        return document


def _parts(text: str) -> list[str]:
    """The text cut before each header that starts a new top-level table or array element;
    headers of tables inside it (`[[items.votes]]` after `[[items]]`) stay with it."""
    parts, start, root = [], 0, None
    position = 0
    while True:
        position = text.find("\n[", position)
        if position < 0:
            break
        end = text.find("]", position)
        name = text[position + 1 : end + 1].strip("[]").strip()
        first = name.split(".", 1)[0]
        if not (first == root and "." in name):
            parts.append(text[start : position + 1])
            start, root = position + 1, first
        position += 2
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def _merge(into: dict[str, Any], new: dict[str, Any], owned: set[int]) -> None:
    """Merge a part's tables into the document, copying containers so that the parsed parts,
    which later versions share, are never changed.

    `owned` holds the ids of the document's own copies: those grow in place, so each
    container is copied once, not once per part (10,000 §§ were 10,000 copies of a growing
    list of items)."""
    for key, value in new.items():
        if key not in into:
            into[key] = _own(value, owned)
        elif isinstance(into[key], list) and isinstance(value, list):
            _owned(into, key, owned).extend(value)
        elif isinstance(into[key], dict) and isinstance(value, dict):
            _merge(_owned(into, key, owned), value, owned)
        else:
            raise _Clash(key)


def _own(value: Any, owned: set[int]) -> Any:
    """A copy of a list or table that the document may change; other values as they are."""
    if isinstance(value, list):
        value = list(value)
    elif isinstance(value, dict):
        value = dict(value)
    else:
        return value
    owned.add(id(value))
    return value


def _owned(table: dict[str, Any], key: str, owned: set[int]) -> Any:
    """`table[key]`, first copied if it is a parsed part's own (a table's inner list)."""
    if id(table[key]) not in owned:
        table[key] = _own(table[key], owned)
    return table[key]
