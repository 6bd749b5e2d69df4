"""What was learnt of each file, remembered between runs while its size and time are unchanged.

Headers, so that listing 10,000 meetings costs a `stat` per file instead of a read and a parse;
and whether a file passed a full check, so the app need not parse every file at each start.
This is how git's index avoids re-reading unchanged files. A file modified within the last
seconds is not remembered (its time stamp may not yet tell two writes apart), nor anything but
a regular file (a link's target can change while the link stays as it was), and a cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from .format.header import Header
from .json_cache import read_json, write_json

T = TypeVar("T")

VERSION = 3
"""2: headers check the format version, so a file of a newer minutes is not listed as read.
3: headers hold the end, the language and whether the meeting is cancelled (the calendar's)."""
RACY_SECONDS = 2.0
_TYPE, _REGULAR = 0o170000, 0o100000


def cache_file(root: Path, kind: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(base) / "minutes" / f"{kind}-{digest}.json"


class StatCache(Generic[T]):
    """Values remembered per file of an archive, each valid while its file's size and
    modification time are unchanged."""

    def __init__(self, file: Path, encode: Callable[[T], Any], decode: Callable[[Any], T]) -> None:
        self.file, self.encode, self.decode = file, encode, decode
        self.kept: dict[str, list] = {}
        self.changed = False
        data = read_json(self.file)
        valid = (
            isinstance(data, dict)
            and data.get("version") == VERSION
            and isinstance(data.get("files"), dict)
        )
        self.known: dict[str, list] = data["files"] if valid else {}

    def get(self, key: str, stat: os.stat_result) -> T | None:
        """The value remembered under `key` (a path inside the archive), if still current;
        `stat` is the file's own (`os.lstat`), not a link's target's."""
        if stat.st_mode & _TYPE != _REGULAR:
            return None
        row = self.known.get(key)
        if not isinstance(row, list) or row[:2] != [stat.st_size, stat.st_mtime_ns]:
            return None
        try:
            value = self.decode(row[2])
        except (ValueError, TypeError, IndexError):
            return None
        self.kept[key] = row
        return value

    def put(self, key: str, stat: os.stat_result, value: T) -> None:
        if stat.st_mode & _TYPE != _REGULAR or time.time() - stat.st_mtime < RACY_SECONDS:
            return
        self.kept[key] = [stat.st_size, stat.st_mtime_ns, self.encode(value)]
        self.changed = True

    def save(self) -> None:
        """Write what this run used (entries of deleted files drop out); atomically."""
        if self.changed or len(self.kept) != len(self.known):
            write_json(self.file, {"version": VERSION, "files": self.kept})


def headers(root: Path) -> StatCache[Header]:
    return StatCache(cache_file(root, "headers"), _encode, _decode)


def verdicts(root: Path) -> StatCache[str]:
    """Whether each file passed a full check: "" when it did, else its first problem."""
    return StatCache(cache_file(root, "verdicts"), str, _text)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _encode(header: Header) -> list:
    return [
        header.kind,
        header.date and header.date.isoformat(),
        header.start and header.start.isoformat("minutes"),
        header.end and header.end.isoformat("minutes"),
        header.place,
        header.language,
        header.cancelled,
        list(header.numbers),
        header.next_date and header.next_date.isoformat(),
        header.next_time and header.next_time.isoformat("minutes"),
        header.next_note,
    ]


def _decode(row: list) -> Header:
    """A remembered header; TypeError or ValueError when the row is not one (a damaged cache
    is not used, however it is damaged)."""
    kind, date, start, end, place, language, cancelled, numbers, next_date, next_time, next_note = (
        row
    )
    if not all(isinstance(text, str) for text in (kind, place, language, next_note)):
        raise TypeError(row)
    if not isinstance(cancelled, bool):
        raise TypeError(row)
    if not isinstance(numbers, list) or not all(type(n) is int for n in numbers):
        raise TypeError(row)
    return Header(
        kind,
        _optional(dt.date.fromisoformat, date),
        _optional(dt.time.fromisoformat, start),
        _optional(dt.time.fromisoformat, end),
        place,
        language,
        cancelled,
        tuple(numbers),
        _optional(dt.date.fromisoformat, next_date),
        _optional(dt.time.fromisoformat, next_time),
        next_note,
    )


def _optional(parse: Callable[[str], T], value: Any) -> T | None:
    return None if value is None else parse(value)  # TypeError where value is no text
