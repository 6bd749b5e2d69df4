"""Meeting file names: the meeting's ISO date first, e.g. `2024-04-26.toml`."""

from __future__ import annotations

import datetime as dt
import re

from ..terminal import UNSAFE

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_ ].*)?\.toml$")


def redated(name: str, date: dt.date) -> str:
    """A meeting file's name once its meeting moves to `date`: `2024-04-26-b.toml` moved to
    the 25th is `2024-04-25-b.toml`."""
    return date.isoformat() + name[10:]


def date_from_name(name: str) -> dt.date | None:
    """The date a meeting file's name starts with: `2024-04-26.toml`, `2024-04-26-b.toml`.
    A name holding control characters is no meeting's: it could not be shown, nor named in a
    commit message, as it is."""
    match = _DATED_NAME.match(name)
    if not match or UNSAFE.search(name):
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        return None
