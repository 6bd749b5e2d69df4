"""Meeting and body files: read, validate, write canonically.

`load_*` and `parse_*` return the model with its warnings, or raise FormatError carrying every
problem found, each with file, line and key path. See docs/format.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import validation
from ..model import Body, Meeting
from ..problems import FormatError, Problem, errors
from . import decode
from .encode import dumps_body, dumps_meeting
from .locate import lines_of
from .names import date_from_name
from .reading import MAX_BYTES, decode_text, parse_toml, read_regular, read_text

__all__ = [
    "dumps_body",
    "dumps_meeting",
    "load_body",
    "load_meeting",
    "parse_body",
    "parse_meeting",
    "read_version",
]


def parse_meeting(text: str, path: Path | None = None) -> tuple[Meeting, list[Problem]]:
    problems: list[Problem] = []
    meeting = decode.meeting(parse_toml(text, path), problems)
    if not errors(problems):
        problems += _rules(meeting, path)
    return meeting, _placed(problems, text, path)


def check_before_save(meeting: Meeting, text: str, path: Path) -> list[Problem]:
    """The rules a meeting must keep to be saved as `text` at `path`: FormatError if broken.

    Checks the model itself: `text` is its canonical dump, which reads back to the same model
    (a property the tests hold), so parsing it again would only cost time."""
    return _placed(_rules(meeting, path), text, path)


def _rules(meeting: Meeting, path: Path | None) -> list[Problem]:
    problems = validation.check_meeting(meeting)
    if path is not None and meeting.date != dt.date.min:
        named = date_from_name(path.name)
        if named is None:
            problems.append(Problem("the file name must start with the meeting's date", ""))
        elif named != meeting.date:
            problems.append(
                Problem(f"is {meeting.date.isoformat()} but the file name says {named}", "date")
            )
    return problems


def parse_body(text: str, path: Path | None = None) -> tuple[Body, list[Problem]]:
    problems: list[Problem] = []
    body = decode.body(parse_toml(text, path), problems)
    problems += validation.check_body(body)
    return body, _placed(problems, text, path)


def load_meeting(path: Path, root: Path | None = None) -> tuple[Meeting, list[Problem]]:
    text, warnings = read_text(path, root)
    meeting, problems = parse_meeting(text, path)
    return meeting, warnings + problems


def load_body(path: Path, root: Path | None = None) -> tuple[Body, list[Problem]]:
    text, warnings = read_text(path, root)
    body, problems = parse_body(text, path)
    return body, warnings + problems


def read_version(data: bytes) -> Meeting:
    """A past version from git history, as far as it can be read: wrong values take their
    defaults and rules are not checked. FormatError only when it is not a TOML document."""
    text, _ = decode_text(data)
    return decode.meeting(parse_toml(text), [])


def disk_text(path: Path) -> str | None:
    """What is on disk now, decoded as `read_text` would, without refusing its content;
    None where there is no file to read: none, or not a regular file, or too large."""
    try:
        data = read_regular(path, MAX_BYTES)
    except OSError:
        return None
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")


def _placed(problems: list[Problem], text: str, path: Path | None) -> list[Problem]:
    """Problems with their file and line; FormatError if any of them is an error."""
    lines = iter(lines_of(text, [p.where for p in problems if not p.line]))
    placed = [p.at(path, p.line or next(lines)) for p in problems]
    if errors(placed):
        raise FormatError(placed)
    return placed
