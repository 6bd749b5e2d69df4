"""History: the commits that changed a meeting, each with its semantic diff.

One `git log --raw` pass names every version's blob; blobs come from git's persistent object
reader, and each (old blob, new blob) diff is remembered in the repository's git folder: blob ids
name content, so a remembered diff can never go stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .diff import Change, diff_meetings
from .format.versions import VersionReader
from .json_cache import read_json, write_json
from .model import Meeting
from .problems import FormatError
from .repository import GitFailed, Repository

ABSENT = "0" * 40
_FORMAT = "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s"
_CACHE_VERSION = 3
"""3: `cancelled` is a known key, no longer one of the "other keys"."""


@dataclass(frozen=True)
class Version:
    """One commit's change to one meeting file."""

    commit: str
    author: str
    email: str
    date: dt.datetime
    subject: str
    path: str
    """The file's path in the repository at that commit."""
    changes: list[Change]
    problem: str = ""
    blob: str = ABSENT
    """The file's content after this commit, as a blob id (ABSENT: the file was removed)."""
    """Why no diff could be made: a version that is not a TOML document."""

    @property
    def decisions(self) -> list[Change]:
        return [c for c in self.changes if c.is_decision]


class History:
    """Reads versions through one repository, remembering diffs between runs."""

    def __init__(self, repository: Repository):
        self.repository = repository
        self._cache_file = repository.git_dir / "minutes" / "diffs.json"
        cached = read_json(self._cache_file)
        valid = isinstance(cached, dict) and cached.get("version") == _CACHE_VERSION
        self._diffs: dict[str, list] = cached["diffs"] if valid else {}
        self._meetings: dict[str, Meeting | str] = {}
        self._missing: set[str] = set()
        """Blobs git did not have: what is said of them is not remembered."""
        self._reader = VersionReader()
        self._new = False

    def of(self, path: Path, limit: int | None = None) -> list[Version]:
        """The versions of one meeting file, newest first, following renames."""
        name = self.repository.relative(path)
        return self._versions(["--follow", "-M", *_limit(limit), "--", name])

    def everything(self, folder: Path, limit: int | None = None) -> list[Version]:
        """Every change to any meeting file under `folder`, newest first."""
        return self._versions(["-M", *_limit(limit), "--", self.repository.relative(folder)])

    def decision_log(self, folder: Path, limit: int | None = None) -> list[Version]:
        """The versions that changed a decision, each with only its decision changes."""
        found = []
        for version in self.everything(folder):
            if version.decisions:
                found.append(replace(version, changes=version.decisions))
                if limit and len(found) >= limit:
                    break
        return found

    def diff(
        self, old: bytes | None, new: bytes | None, names: tuple[str, str] = ("old", "new")
    ) -> list[Change]:
        """The semantic diff of two versions given as file contents (None: no file);
        FormatError, naming the version by `names`, where one is not a TOML document."""
        return diff_meetings(self._read(old, names[0]), self._read(new, names[1]))

    def _read(self, data: bytes | None, name: str) -> Meeting | None:
        if data is None:
            return None
        try:
            return self._reader.read(data)
        except FormatError as error:
            raise FormatError([p.at(Path(name)) for p in error.problems]) from None

    def compare(self, older: Version, newer: Version) -> tuple[list[Change], str]:
        """What changed between two versions of a meeting, however far apart."""
        return self._diff(older.blob, newer.blob)

    def _versions(self, args: list[str]) -> list[Version]:
        if not self.repository.has_commits():
            return []
        output = self.repository.log("--raw", _FORMAT, *args)
        versions = []
        for record in output.split("\x1e")[1:]:
            header, _, raw = record.partition("\n")
            commit, author, email, date, subject = header.split("\x1f")
            for line in raw.splitlines():
                if not line.startswith(":"):
                    continue
                meta, *paths = line.split("\t")
                _, _, old, new, _ = meta.split(" ")
                if not paths[-1].endswith(".toml") or paths[-1].endswith("/body.toml"):
                    continue
                changes, problem = self._diff(old, new)
                when = dt.datetime.fromisoformat(date)
                versions.append(
                    Version(commit, author, email, when, subject, paths[-1], changes, problem, new)
                )
        if self._new:
            write_json(self._cache_file, {"version": _CACHE_VERSION, "diffs": self._diffs})
            self._new = False
        return versions

    def _diff(self, old: str, new: str) -> tuple[list[Change], str]:
        key = f"{old}:{new}"
        try:
            problem, rows = self._diffs[key]
            if not isinstance(problem, str):
                raise TypeError(problem)
            return [_change(row) for row in rows], problem
        except (KeyError, TypeError, ValueError):
            pass  # not remembered, or remembered in a shape this version does not read
        a, b = self._meeting(old), self._meeting(new)
        if isinstance(a, str) or isinstance(b, str):
            problem, changes = a if isinstance(a, str) else str(b), []
        else:
            problem, changes = "", diff_meetings(a, b)
        if not {old, new} & self._missing:  # a blob fetched later would read
            self._diffs[key] = [problem, [_row(c) for c in changes]]
            self._new = True
        return changes, problem

    def _meeting(self, blob: str) -> Meeting | str | None:
        """The meeting of a blob; None for no file; the reason where it does not read."""
        if blob == ABSENT:
            return None
        if blob not in self._meetings:
            try:
                self._meetings[blob] = self._reader.read(self.repository.blob(blob))
            except FormatError as error:
                self._meetings[blob] = f"this version cannot be read: {error.problems[0]}"
            except GitFailed as error:  # not in this clone, or damaged
                self._meetings[blob] = (
                    f"this version cannot be read: its content is not in this repository "
                    f"(git: {error.output})"
                )
                self._missing.add(blob)
        return self._meetings[blob]


def _row(change: Change) -> list:
    return [
        change.section,
        change.subject,
        change.field,
        change.kind,
        change.old,
        change.new,
        change.number,
        [list(word) for word in change.words or ()],
    ]


def _change(row: list) -> Change:
    """A remembered change; TypeError or ValueError when the row is not one (a damaged cache
    is not used, however it is damaged)."""
    *texts, number, words = row
    words = tuple((op, text) for op, text in words)
    strings = [*texts, *(part for word in words for part in word)]
    if len(texts) != 6 or not all(isinstance(t, str) for t in strings):
        raise TypeError(row)
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise TypeError(row)
    section, subject, field, kind, old, new = texts
    return Change(section, subject, field, kind, old, new, number, words)


def _limit(limit: int | None) -> list[str]:
    return [f"-n{limit}"] if limit else []
