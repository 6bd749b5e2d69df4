"""Typed values out of a TOML table: each wrong value becomes a Problem naming its key path.

Knows TOML's value types, the format's conventions (times as "09:00", § ranges as "9-12",
line ends as \\n) and its version, but nothing of the model built from them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import ranges
from ..problems import Problem

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_SECTION = re.compile(r"^§\s*(\d+)$")
_CRLF = re.compile(r"\r+\n")

SCHEMA = 1
"""The newest format version this code reads and writes. `tui.model.SCHEMA` is the same number
(a test holds them equal): the model knows nothing of files, and `minutes next`, which checks
each header's version, does not load the model."""


def clock(text: str) -> dt.time | None:
    """A time of day as people write it, "09:00" or "9.00"; None if it is not one."""
    match = _CLOCK.match(text.strip())
    return dt.time(int(match[1]), int(match[2])) if match else None


def describe(value: Any) -> str:
    match value:
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case list():
            return "a list"
        case dict():
            return "a table"
        case dt.datetime():
            return "a date with a time"
        case dt.date():
            return "a date"
        case dt.time():
            return "a time"
    return type(value).__name__


class Fields:
    """Takes typed values out of one TOML table, noting what is wrong."""

    def __init__(self, table: dict[str, Any], where: str, problems: list[Problem]):
        self.values = dict(table)
        self.where = where
        self.problems = problems

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(message, self.path(key)))

    def _take(self, key: str, accepts: Any, wanted: str, required: bool) -> Any:
        if key not in self.values:
            if required:
                self.problem(key, f"missing: expected {wanted}")
            return None
        value = self.values.pop(key)
        if not accepts(value):
            self.problem(key, f"expected {wanted}, got {describe(value)}")
            return None
        return value

    def text(self, key: str, required: bool = False) -> str:
        value = self._take(key, lambda v: isinstance(v, str), "text", required)
        if required and value is not None and not value.strip():
            self.problem(key, "is empty")
        return line_ends(value or "")

    def number(self, key: str, required: bool = False) -> int | None:
        return self._take(
            key, lambda v: isinstance(v, int) and not isinstance(v, bool), "a number", required
        )

    def flag(self, key: str) -> bool:
        return bool(self._take(key, lambda v: isinstance(v, bool), "true or false", False))

    def date(self, key: str, required: bool = False) -> dt.date | None:
        return self._take(
            key,
            lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
            "a date such as 2024-04-26",
            required,
        )

    def time(self, key: str, required: bool = False) -> dt.time | None:
        value = self._take(
            key, lambda v: isinstance(v, str | dt.time), 'a time such as "09:00"', required
        )
        if isinstance(value, str):
            parsed = clock(value)
            if parsed is None:
                self.problem(key, f'expected a time such as "09:00", got {value!r}')
            return parsed
        return value

    def point(self, key: str) -> dt.time | int | None:
        """A moment of the meeting: a time "10:15", or a § "§12"."""
        value = self._take(key, lambda v: isinstance(v, str), 'a time "10:15" or a § "§12"', False)
        if value is None:
            return None
        if match := _SECTION.match(value.strip()):
            return int(match[1])
        parsed = clock(value)
        if parsed is None:
            self.problem(key, f'expected a time "10:15" or a § "§12", got {value!r}')
        return parsed

    def one_or_more(self, key: str) -> list[str]:
        """Texts given as one text or as a list of texts."""
        if isinstance(self.values.get(key), str):
            return [self.text(key)]
        return self.names(key)

    def names(self, key: str) -> list[str]:
        value = self._take(key, lambda v: isinstance(v, list), "a list of texts", False)
        if value is None:
            return []
        for index, element in enumerate(value):
            if not isinstance(element, str):
                self.problems.append(
                    Problem(f"expected text, got {describe(element)}", f"{self.path(key)}[{index}]")
                )
        return [line_ends(element) for element in value if isinstance(element, str)]

    def sections(self, key: str) -> list[int]:
        value = self._take(key, lambda v: isinstance(v, str), 'a § range such as "9-12"', False)
        try:
            return ranges.parse(value or "")
        except ValueError as error:
            self.problem(key, str(error))
            return []

    def table(self, key: str) -> Fields | None:
        value = self._take(key, lambda v: isinstance(v, dict), "a table", False)
        return None if value is None else Fields(value, self.path(key), self.problems)

    def tables(self, key: str) -> list[Fields]:
        value = self._take(key, lambda v: isinstance(v, list), "a list of tables", False)
        result = []
        for index, element in enumerate(value or []):
            where = f"{self.path(key)}[{index}]"
            if isinstance(element, dict):
                result.append(Fields(element, where, self.problems))
            else:
                self.problems.append(Problem(f"expected a table, got {describe(element)}", where))
        return result

    def rest(self) -> dict[str, Any]:
        """The keys nobody took: kept, with a warning each."""
        for key in self.values:
            self.problems.append(
                Problem("unknown key; kept as it is", self.path(key), warning=True)
            )
        return self.values


def line_ends(text: str) -> str:
    """Line ends as \\n: TOML turns CRLF in multi-line strings into LF anyway, so the model keeps
    one convention and a file saved on Windows reads the same."""
    return _CRLF.sub("\n", text)


def schema(fields: Fields) -> int:
    """The file's format version, checked: a newer one is refused, never rewritten."""
    version = fields.number("schema", required=True)
    if version is not None and version > SCHEMA:
        fields.problem(
            "schema",
            f"format version {version} is newer than this minutes understands ({SCHEMA}); "
            "upgrade minutes to read or save this file",
        )
    elif version is not None and version < 1:
        fields.problem("schema", f"format version {version} does not exist")
    return SCHEMA
