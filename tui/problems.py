"""Problems found in a file: what is wrong, where, and whether it stops the file being used."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    message: str
    where: str = ""
    """Key path inside the document, e.g. `items[3].decision`."""
    line: int | None = None
    column: int | None = None
    path: Path | None = None
    warning: bool = False

    def at(self, path: Path | None, line: int | None = None) -> Problem:
        return self._replace(path=path, line=self.line if line is None else line)

    def __str__(self) -> str:
        place = ":".join(
            str(part) for part in (self.path, self.line, self.column) if part is not None
        )
        parts = [p for p in (place, self.where) if p]
        label = "warning: " if self.warning else ""
        return ": ".join([*parts, label + self.message])


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


class FormatError(Exception):
    """A file cannot be used; carries every problem found, errors first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.warning)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Rebuilt from its problems, not its message: pages are made in other processes.
        return FormatError, (self.problems,)
