"""Meeting headers remembered between runs, keyed by each file's size and modification time.

Listing 10,000 meetings then costs a `stat` per file instead of a read and a parse, the way git's
index avoids re-reading unchanged files. A file modified within the last seconds is not
remembered (its time stamp may not yet tell two writes apart), and a cache that cannot be read
or written is simply not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

from .format.header import Header
from .json_cache import read_json, write_json

VERSION = 1
RACY_SECONDS = 2.0


def cache_file(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(base) / "minutes" / f"headers-{digest}.json"


class HeaderCache:
    def __init__(self, root: Path):
        self.root = root
        self.file = cache_file(root)
        self.kept: dict[str, list] = {}
        self.changed = False
        data = read_json(self.file)
        valid = (
            isinstance(data, dict)
            and data.get("version") == VERSION
            and isinstance(data.get("headers"), dict)
        )
        self.known: dict[str, list] = data.get("headers", {}) if valid else {}

    def get(self, key: str, stat: os.stat_result) -> Header | None:
        """The header remembered under `key` (a path inside the archive), if still current."""
        row = self.known.get(key)
        if not isinstance(row, list) or row[:2] != [stat.st_size, stat.st_mtime_ns]:
            return None
        try:
            header = _decode(row[2])
        except (ValueError, TypeError):
            return None
        self.kept[key] = row
        return header

    def put(self, key: str, stat: os.stat_result, header: Header) -> None:
        if time.time() - stat.st_mtime < RACY_SECONDS:
            return
        self.kept[key] = [
            stat.st_size,
            stat.st_mtime_ns,
            _encode(header),
        ]
        self.changed = True

    def save(self) -> None:
        """Write what this run used (entries of deleted files drop out); atomically."""
        if self.changed or len(self.kept) != len(self.known):
            write_json(self.file, {"version": VERSION, "headers": self.kept})


def _encode(header: Header) -> list:
    return [
        header.kind,
        header.date and header.date.isoformat(),
        header.start and header.start.isoformat("minutes"),
        header.place,
        list(header.numbers),
        header.next_date and header.next_date.isoformat(),
        header.next_time and header.next_time.isoformat("minutes"),
        header.next_note,
    ]


def _decode(row: list) -> Header:
    kind, date, start, place, numbers, next_date, next_time, next_note = row
    return Header(
        kind,
        date and dt.date.fromisoformat(date),
        start and dt.time.fromisoformat(start),
        place,
        tuple(numbers),
        next_date and dt.date.fromisoformat(next_date),
        next_time and dt.time.fromisoformat(next_time),
        next_note,
    )
