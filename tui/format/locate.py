"""Finding the line of a key path such as `items[3].decision` in TOML text.

tomllib reports no positions for values, so problems found after parsing are placed by
scanning the text's table headers and keys the way TOML resolves them.
"""

from __future__ import annotations

import re

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_HEADER = re.compile(r"^\s*(\[\[?)([^\[\]]+)\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.*)$""")


def steps(where: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(where)]


def line_of(text: str, where: str) -> int | None:
    """The line defining `where`, or the closest enclosing key or table; None if not found."""
    return lines_of(text, [where])[0]


def lines_of(text: str, wheres: list[str]) -> list[int | None]:
    """The line of each key path, as `line_of` says, from one reading of the text: a file of
    10,000 §§ with a warning each is read once, not 10,000 times."""
    if not wheres:
        return []
    first = _first_lines(text)
    found: list[int | None] = []
    for where in wheres:
        target = tuple(steps(where))
        # The first line of the deepest table or key on the way to `where`.
        depth = next((n for n in range(len(target), 0, -1) if target[:n] in first), 0)
        found.append(first[target[:depth]] if depth else None)
    return found


def _first_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The first line that defines each table and key path the text holds."""
    first: dict[tuple[str | int, ...], int] = {}
    table: list[str | int] = []
    arrays: dict[tuple, int] = {}
    closing = ""
    for number, line in enumerate(text.splitlines(), 1):
        if closing:
            if line.count(closing) % 2:
                closing = ""
            continue
        header = _HEADER.match(line)
        key = None if header else _KEY.match(line)
        if header:
            table = _resolve(header[2], header[1] == "[[", arrays)
            candidate = table
        elif key:
            candidate = [*table, key[1].strip("\"'")]
            value = key[2]
            for quotes in ('"""', "'''"):
                if value.startswith(quotes) and value.count(quotes) == 1:
                    closing = quotes
        else:
            continue
        first.setdefault(tuple(candidate), number)
    return first


def _resolve(dotted: str, is_array: bool, arrays: dict[tuple, int]) -> list[str | int]:
    """A header's full path, with the index of the latest element of each array on the way."""
    path: list[str | int] = []
    names = [name.strip().strip("\"'") for name in dotted.split(".")]
    for name in names[:-1]:
        path.append(name)
        if tuple(path) in arrays:
            path.append(arrays[tuple(path)])
    path.append(names[-1])
    if is_array:
        index = arrays.get(tuple(path), -1) + 1
        arrays[tuple(path)] = index
        path.append(index)
    return path
