"""The conflicts a merge left in a meeting, kept in `.git/minutes/conflicts/` (never committed)
while git has the file as not merged: `check` shows them, each with base, ours and theirs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .json_cache import read_json

if TYPE_CHECKING:
    from .merge import Conflict
    from .repository import Repository


def record(repository: Repository, path: str, conflicts: list[Conflict]) -> Path | None:
    """Keep a merge's conflicts of `path` (relative to the top); a clean merge removes an old
    record. The record's file, if one was written."""
    from .format.writing import write_atomic

    file = _file(repository, path)
    if not conflicts:
        file.unlink(missing_ok=True)
        return None
    file.parent.mkdir(parents=True, exist_ok=True)
    listed = [dataclasses.asdict(conflict) for conflict in conflicts]
    write_atomic(file, json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
    return file


def open_conflicts(repository: Repository) -> dict[str, list[Conflict]]:
    """Each file git has as not merged with the conflicts recorded for it. A record of a file
    merged since (resolved and added, or a sync that gave up) is kept for reading, not shown;
    the file's next clean merge removes it."""
    folder = repository.git_dir / "minutes" / "conflicts"
    if not folder.is_dir():
        return {}
    unmerged = set(repository.unmerged())
    found = {}
    for file in sorted(folder.glob("*.json")):
        path = file.name.removesuffix(".json").replace("%2F", "/")
        if path in unmerged:
            found[path] = _conflicts(read_json(file))
    return found


def may_have_conflicts(root: Path) -> bool:
    """Whether a merge may have left conflicts for the repository `root` is in, asked of the
    files alone: `check` of an archive no merge touched runs no git. (A `.git` file, a
    worktree's, is asked of git.)"""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return any((dot_git / "minutes" / "conflicts").glob("*.json"))
        if dot_git.exists():
            return True
    return False


def _file(repository: Repository, path: str) -> Path:
    return repository.git_dir / "minutes" / "conflicts" / f"{path.replace('/', '%2F')}.json"


def _conflicts(data: object) -> list[Conflict]:
    """The record's conflicts; a damaged record still says there is a conflict."""
    from .merge import Conflict

    names = {field.name for field in dataclasses.fields(Conflict)}
    if isinstance(data, list) and all(
        isinstance(row, dict)
        and set(row) <= names
        and all(isinstance(v, str) for v in row.values())
        for row in data
    ):
        try:
            return [Conflict(**row) for row in data]
        except TypeError:
            pass
    return [Conflict("meeting", "", "", "", "the record of this merge cannot be read")]
