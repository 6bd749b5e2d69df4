"""Turning a file on disk into TOML text, refusing what is not a meeting file.

Every refusal is a Problem a secretary can act on; nothing here raises anything else.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..problems import FormatError, Problem

MAX_BYTES = 2 * 1024 * 1024
"""A full-day protocol is ~50 KB; anything this large is not a meeting file."""

_BOM = b"\xef\xbb\xbf"
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def read_text(path: Path, root: Path | None = None) -> tuple[str, list[Problem]]:
    """The file's text and any warnings; FormatError when it cannot be a meeting file.

    `root` is the archive: a file that resolves outside it (through a symbolic link) is refused.
    """
    try:
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            raise _refuse(path, "is a link to a file outside the archive; refused")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _refuse(path, f"is {size / 1e6:.1f} MB; meeting files are at most 2 MB")
        data = path.read_bytes()
    except OSError as error:
        raise _refuse(path, f"cannot be read: {error.strerror or error}") from None
    return decode_text(data, path)


def decode_text(data: bytes, path: Path | None = None) -> tuple[str, list[Problem]]:
    warnings = []
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        warnings.append(
            Problem("starts with a byte order mark (BOM); it is dropped on save", warning=True)
        )
    if not data or data.isspace():
        raise _refuse(path, "is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(
            [Problem("is not UTF-8 text (save it as UTF-8)", line=line, path=path)]
        ) from None
    # A substring test first: scanning every line start with the regex costs ~0.1 ms a file.
    has_marker = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    marker = has_marker and _CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise FormatError([Problem("holds an unresolved git merge conflict", line=line, path=path)])
    return text, [w.at(path) for w in warnings]


def parse_toml(text: str, path: Path | None = None) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FormatError([_syntax_problem(str(error), text, path)]) from None


def _syntax_problem(message: str, text: str, path: Path | None) -> Problem:
    position = _TOML_POSITION.search(message)
    reason = message[: position.start()] if position else message
    if position and position[1]:
        line, column = int(position[1]), int(position[2])
    else:  # "end of document": point at the last line
        line, column = text.rstrip("\n").count("\n") + 1, None
    if reason.startswith("Invalid date"):
        reason = "not a valid date or time (does that day exist?)"
    return Problem(
        f"TOML syntax: {reason[0].lower()}{reason[1:]}", line=line, column=column, path=path
    )


def _refuse(path: Path | None, message: str) -> FormatError:
    return FormatError([Problem(message, path=path)])
