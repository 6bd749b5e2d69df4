"""Meeting file names: the meeting's ISO date first, e.g. `2024-04-26.toml`."""

from __future__ import annotations

import datetime as dt
import re

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_ ].*)?\.toml$")


def date_from_name(name: str) -> dt.date | None:
    """The date a meeting file's name starts with: `2024-04-26.toml`, `2024-04-26-b.toml`."""
    match = _DATED_NAME.match(name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        return None
