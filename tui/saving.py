"""Saving: every save is one commit of one meeting file, and undo is a new commit.

validate → refuse what git or the disk say → atomic write → `git commit -- PATH`. Whatever else
is staged or modified in the repository stays as it was. Nothing an editor typed is lost: on any
refusal the caller still holds the meeting, and a file changed on disk since it was loaded is
never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .diff import Change, diff_meetings
from .format.files import (
    check_before_save,
    disk_text,
    dumps_meeting,
    parse_meeting,
    read_version,
)
from .format.writing import write_atomic
from .model import Meeting
from .problems import FormatError
from .repository import GitFailed, Repository, RepositoryError

SUBJECT_LIMIT = 72
FILE_TRAILER = "Meeting-File"
UNDO_TRAILER = "Undoes"


class ChangedOnDisk(RepositoryError):
    """The file changed on disk since it was loaded: both versions are kept for the user."""

    def __init__(self, path: Path, ours: str, theirs: str | None):
        self.path, self.ours, self.theirs = path, ours, theirs
        state = "was deleted" if theirs is None else "changed on disk"
        super().__init__(
            f"{path} {state} since it was opened; your version is kept, nothing was written"
        )


@dataclass(frozen=True)
class Saved:
    commit: str | None
    """None when there was nothing to save."""
    subject: str
    changes: list[Change]


def save_meeting(
    repository: Repository,
    path: Path,
    meeting: Meeting,
    base: str | None,
    author: str | None = None,
) -> Saved:
    """Save `meeting` to `path`, which held `base` when it was loaded (None: a new file)."""
    text = dumps_meeting(meeting)
    check_before_save(meeting, text, path)  # raises FormatError
    return _save(repository, path, meeting, text, base, author)


def save_text(
    repository: Repository, path: Path, text: str, base: str | None, author: str | None = None
) -> Saved:
    """Save a meeting file's text as a person wrote it (in their editor): validated, then
    written as it is, comments and layout included."""
    meeting, _ = parse_meeting(text, path)  # raises FormatError
    return _save(repository, path, meeting, text, base, author)


def _save(
    repository: Repository,
    path: Path,
    meeting: Meeting,
    text: str,
    base: str | None,
    author: str | None,
) -> Saved:
    repository.check_can_commit()
    author_env = repository.author(author)
    current = disk_text(path)
    if current != base:
        raise ChangedOnDisk(path, text, current)
    committed = repository.blob_at("HEAD", path)
    if text == current and committed == _encoded(text):
        return Saved(None, "no changes", [])
    old = _read(committed)
    changes = diff_meetings(old, meeting)
    subject = commit_subject(path.stem, changes, new=old is None)
    message = _message(subject, changes, repository.relative(path))
    write_atomic(path, text)
    return Saved(repository.commit([path], message, author_env), subject, changes)


def undo_last(repository: Repository, author: str | None = None) -> Saved:
    """Revert the latest save made by minutes that is not undone yet, as a new commit.

    Refuses, changing nothing, when the file has uncommitted changes or later commits touched
    the same lines."""
    repository.check_can_commit()
    author_env = repository.author(author)
    target = _latest_save(repository)
    if target is None:
        raise RepositoryError("there is no save by minutes to undo")
    commit, subject, name = target
    path = repository.top / name
    if repository.is_modified(path):
        raise RepositoryError(f"{name} has changes that are not committed; save or discard them")
    before = repository.blob_at(f"{commit}^", path)
    now = disk_text(path)
    restored = _reverse_apply(repository, commit, name)
    if restored is None:
        raise RepositoryError(f'cannot undo "{subject}": later changes to {name} overlap with it')
    old = _read(now.encode() if now is not None else None)
    new = _read(before if restored else None) if before is not None else None
    changes = diff_meetings(old, _read(restored.encode()) if restored else new)
    undo_subject = _shorten(f'Undo "{subject}"')
    message = (
        f"{undo_subject}\n\n"
        + "".join(f"- {c.describe()}\n" for c in changes)
        + f"\n{UNDO_TRAILER}: {commit}\n{FILE_TRAILER}: {name}\n"
    )
    return Saved(repository.commit([path], message, author_env), undo_subject, changes)


def commit_subject(stem: str, changes: list[Change], new: bool = False) -> str:
    """`2024-04-26 §11: decision changed`, `2024-04-26: Per Norin added to attendance`,
    `2024-04-26 §12–§13: 3 changes`."""
    if new:
        return _shorten(f"{stem}: new meeting")
    if not changes:
        return _shorten(f"{stem}: layout tidied")
    if len(changes) == 1:
        (change,) = changes
        separator = " " if change.section == "item" else ": "
        return _shorten(f"{stem}{separator}{change.describe()}")
    numbers = sorted({c.number for c in changes if c.number is not None})
    if numbers and all(c.section == "item" for c in changes):
        span = f"§{numbers[0]}" if len(numbers) == 1 else f"§{numbers[0]}–§{numbers[-1]}"
        return _shorten(f"{stem} {span}: {len(changes)} changes")
    return _shorten(f"{stem}: {len(changes)} changes")


def _message(subject: str, changes: list[Change], name: str) -> str:
    lines = [subject, ""]
    for change in changes:
        lines.append(f"- {change.describe()}")
        if change.is_decision and change.old and change.new:
            marked = "".join(
                text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
                for op, text in change.words
            )
            lines += [f"  {line}" for line in marked.splitlines()]
    return "\n".join([*lines, "", f"{FILE_TRAILER}: {name}", ""])


def _shorten(subject: str) -> str:
    return subject if len(subject) <= SUBJECT_LIMIT else subject[: SUBJECT_LIMIT - 1] + "…"


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8", errors="surrogateescape")


def _read(data: bytes | None) -> Meeting | None:
    if data is None:
        return None
    try:
        return read_version(data)
    except FormatError:
        return None


def _latest_save(repository: Repository) -> tuple[str, str, str] | None:
    """(commit, subject, file) of the newest save whose effect is still there."""
    if not repository.has_commits():
        return None
    records = repository.log(
        "-n",
        "1000",
        f"--format=%H%x1f%s%x1f%(trailers:key={FILE_TRAILER},valueonly,separator=%x1d)"
        f"%x1f%(trailers:key={UNDO_TRAILER},valueonly,separator=%x1d)%x1e",
    )
    undone: set[str] = set()
    for record in records.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) != 4:
            continue
        commit, subject, name, undoes = (f.strip() for f in fields)
        if undoes:
            if commit not in undone:
                undone.add(undoes)
            continue
        if name and commit not in undone:
            return commit, subject, name
    return None


def _reverse_apply(repository: Repository, commit: str, name: str) -> str | None:
    """Apply the reverse of `commit`'s change to `name` in the working tree; the resulting
    text ("" when the file is gone), or None when it does not apply."""
    patch = repository.run_bytes("diff", commit, f"{commit}^", "--binary", "--", name)
    if not patch:
        return None
    patch_file = repository.git_dir / f"minutes-undo-{dt.datetime.now():%H%M%S%f}.patch"
    patch_file.write_bytes(patch)
    try:
        repository.run("apply", "--check", str(patch_file))
        repository.run("apply", str(patch_file))
    except GitFailed:
        return None
    finally:
        patch_file.unlink(missing_ok=True)
    text = disk_text(repository.top / name)
    return "" if text is None else text
