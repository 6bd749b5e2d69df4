"""Changes and versions as terminal text. Changed words are coloured in a terminal (red struck
through, green) and marked `[-…-]{+…+}` when piped, as `git diff --word-diff` does; a short value
(a date, a time, a name) reads whole, `old → new`. Only the paragraphs a change touches are
shown. Text from files has its control characters made visible.
"""

from __future__ import annotations

from .diff import Change, Word
from .history import Version
from .terminal import clean

_DELETED, _INSERTED, _DIM, _YELLOW, _RESET = (
    "\x1b[31;9m",
    "\x1b[32m",
    "\x1b[2m",
    "\x1b[33m",
    "\x1b[0m",
)


def change_lines(change: Change, colour: bool) -> list[str]:
    lines = [clean(change.describe())]
    if change.is_short:
        lines.append(f"    {_whole(change, colour)}")
    elif change.field and (change.old or change.new):
        lines += [f"    {line}" for line in _changed_paragraphs(change.words or (), colour)]
    return lines


def version_lines(version: Version, colour: bool) -> list[str]:
    commit = f"commit {version.commit}"
    lines = [
        f"{_YELLOW}{commit}{_RESET}" if colour else commit,
        clean(f"Author: {version.author} <{version.email}>"),
        f"Date:   {version.date:%Y-%m-%d %H:%M %z}",
        clean(f"File:   {version.path}"),
        "",
        clean(f"    {version.subject}"),
        "",
    ]
    if version.problem:
        lines.append(clean(f"  {version.problem}"))
    for change in version.changes:
        lines += [f"  {line}" for line in change_lines(change, colour)]
    return [*lines, ""]


def _changed_paragraphs(words: tuple[Word, ...], colour: bool) -> list[str]:
    paragraphs: list[list[Word]] = [[]]
    for op, text in words:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                paragraphs.append([])
            if part:
                paragraphs[-1].append((op, part))
    shown: list[str] = []
    skipped = False
    for paragraph in paragraphs:
        if any(op != "=" for op, _ in paragraph):
            if skipped and shown:
                shown.append(f"{_DIM}…{_RESET}" if colour else "…")
            shown.append("".join(_mark(op, clean(text), colour) for op, text in paragraph))
            skipped = False
        elif paragraph:
            skipped = True
    return shown


def _whole(change: Change, colour: bool) -> str:
    """`old → new`, or the one value of an added or removed one; the arrow says which is old."""
    old, new = clean(change.old), clean(change.new)
    if colour:
        old, new = old and _mark("-", old, True), new and _mark("+", new, True)
    return f"{old} → {new}" if old and new else old or new


def _mark(op: str, text: str, colour: bool) -> str:
    if op == "=":
        return text
    if colour:
        return f"{_DELETED if op == '-' else _INSERTED}{text}{_RESET}"
    return f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
