"""The conflicts the merge driver met in a meeting, kept in `.git/minutes/conflicts/` (never
committed): a refused sync names their fields, and `check` asks git about a merge only where
a record exists."""

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


def may_have_conflicts(root: Path) -> bool:
    """Whether a merge may have left conflicts for the repository `root` is in, asked of the
    files alone: `check` of an archive no merge touched runs no git. (A `.git` file, a
    worktree's, is asked of git.)"""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return any((dot_git / FOLDER).glob("*.json"))
        if dot_git.exists():
            return True
    return False


FOLDER = "minutes/conflicts"
"""Where the records are, inside the git folder."""


def records(repository: Repository) -> dict[str, Path]:
    """Every record there is, by the path of its meeting, merged since or not."""
    return {
        file.name.removesuffix(".json").replace("%2F", "/"): file
        for file in sorted((repository.git_dir / FOLDER).glob("*.json"))
    }


def read(file: Path) -> list[Conflict]:
    """A record's conflicts; a damaged record still says there is a conflict."""
    return _conflicts(read_json(file))


def _file(repository: Repository, path: str) -> Path:
    return repository.git_dir / FOLDER / f"{path.replace('/', '%2F')}.json"


def _conflicts(data: object) -> list[Conflict]:
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
