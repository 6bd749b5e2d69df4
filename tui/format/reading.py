"""Turning a file on disk into TOML text, refusing what is not a meeting file.

Every refusal is a Problem a secretary can act on; nothing here raises anything else.
"""

from __future__ import annotations

import os
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


_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_TYPE, _REGULAR = 0o170000, 0o100000
"""`st_mode`'s file type bits and a regular file's (as the `stat` module names them)."""
_KINDS = {
    0o040000: "a folder",
    0o010000: "a named pipe (FIFO)",
    0o020000: "a device",
    0o060000: "a device",
    0o140000: "a socket",
}


class Unreadable(OSError):
    """Not read: not a regular file, or over the size limit. Its text says which, as the rest
    of a sentence that starts with the file's name."""

    def __init__(self, reason: str, size: int | None = None):
        super().__init__(reason)
        self.reason, self.size = reason, size


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; Unreadable otherwise, OSError when
    it cannot be opened. Every file the tool reads is read here.

    Opened without blocking, so a named pipe does not wait for a writer, and checked on the open
    descriptor, so what is read is what was checked; never more than `limit` + 1 bytes are read,
    so a device or a file that grows is refused too."""
    fd = os.open(path, _OPEN)
    try:
        info = os.fstat(fd)
        kind = info.st_mode & _TYPE
        if kind != _REGULAR:
            raise Unreadable(f"is {_KINDS.get(kind, 'something else')}, not a regular file")
        if info.st_size > limit:
            raise Unreadable(_too_large(info.st_size, limit), info.st_size)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, max(info.st_size + 1, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise Unreadable(_too_large(limit + 1, limit), limit + 1)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _too_large(size: int, limit: int, what: str = "such files") -> str:
    return f"is {size / 1e6:.1f} MB; {what} are at most {limit / 2**20:g} MB"


def read_file(path: Path, root: Path | None = None) -> bytes:
    """A meeting or body file's bytes; FormatError when it cannot be one.

    `root` is the archive: a file that resolves outside it (through a symbolic link) is refused.
    """
    try:
        if root is not None and not _real(path).is_relative_to(_real(root)):
            raise _refuse(path, "is a link to a file outside the archive; refused")
        return read_regular(path, MAX_BYTES)
    except Unreadable as error:
        too_large = error.size and _too_large(error.size, MAX_BYTES, "meeting files")
        raise _refuse(path, too_large or error.reason) from None
    except OSError as error:
        raise _refuse(path, f"cannot be read: {error.strerror or error}") from None


def _real(path: Path) -> Path:
    """The path with its links followed; unlike `Path.resolve`, not an error on a link loop
    (which opening the file then reports)."""
    return Path(os.path.realpath(path))


def read_text(path: Path, root: Path | None = None) -> tuple[str, list[Problem]]:
    """The file's text and any warnings; FormatError when it cannot be a meeting file (see
    `read_file`)."""
    return decode_text(read_file(path, root), path)


def decode_text(data: bytes, path: Path | None = None) -> tuple[str, list[Problem]]:
    warnings = []
    if len(data) > MAX_BYTES:  # a version from git, which was never checked on disk
        raise _refuse(path, _too_large(len(data), MAX_BYTES, "meeting files"))
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
    check_keys(text, path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FormatError([_syntax_problem(str(error), text, path)]) from None
    except RecursionError:  # tomllib parses nested values by recursion
        raise _too_deep(path) from None
    check_depth(document, path)
    return document


MAX_DEPTH = 32
"""Lists and tables in lists and tables: a meeting needs 6 (items, a vote, its voters). Every
reader after the parser may walk values by recursion (copying, writing, comparing), so depth
is bounded here, far below Python's recursion limit."""


def check_depth(document: dict[str, Any], path: Path | None = None) -> None:
    """FormatError when lists and tables nest more than MAX_DEPTH levels deep."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(path)
        parts = value.values() if isinstance(value, dict) else value
        stack += [(part, depth + 1) for part in parts if isinstance(part, dict | list)]


_KEY_PARTS = 256
"""tomllib's time grows with the square of a dotted key's parts (4,000 cost half a second, the
parts a 2 MB file can hold minutes): a longer key, which would nest too deeply anyway, is
refused before parsing. Keys, table names and inline tables each stay on one line."""
_STRING_OR_COMMENT = re.compile(
    "|".join(
        (
            r'"""(?:[^"\\]++|\\.|"(?!""))*+"""',  # a multi-line basic string
            r"'''.*?'''",  # a multi-line literal string
            r'"(?:[^"\\\n]++|\\.)*+"',  # a basic string
            r"'[^'\n]*+'",  # a literal string
            r"#[^\n]*+",  # a comment
        )
    ),
    re.DOTALL,
)
_LONG_KEY = re.compile(rf'(?<![\w-])(?:(?:[\w-]++|"")[ \t]*+\.[ \t]*+){{{_KEY_PARTS - 1}}}')


def check_keys(text: str, path: Path | None = None) -> None:
    """FormatError, before any parsing, where a key has more than _KEY_PARTS parts."""
    if _long_key(text):
        raise _too_deep(path)


def _long_key(text: str) -> bool:
    """Does a line hold a dotted key of more than _KEY_PARTS parts? Only a line with as many
    dots can, and only outside its strings and comments; most files have fewer dots in all."""
    if text.count(".") < _KEY_PARTS - 1 or not _dotted_lines(text):
        return False
    return any(_LONG_KEY.search(line) for line in _dotted_lines(_STRING_OR_COMMENT.sub('""', text)))


def _dotted_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.count(".") >= _KEY_PARTS - 1]


def _too_deep(path: Path | None) -> FormatError:
    return _refuse(path, f"is nested too deeply: lists and tables over {MAX_DEPTH} levels deep")


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
