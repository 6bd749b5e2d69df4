"""Saving: every save is one commit of one meeting file, and undo is a new commit.

validate → refuse what git or the disk say → atomic write → `git commit -- PATH`, all under the
repository's save lock, so saves from any number of processes happen one after the other.
Whatever else is staged or modified in the repository stays as it was. Nothing an editor typed
is lost: on any refusal the caller still holds the meeting, the files and the index are as they
were, and a file changed on disk since it was loaded is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
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
from .format.names import redated
from .format.reading import MAX_BYTES, read_regular
from .format.writing import write_atomic
from .justering import AFTER_JUSTERING, SignatureTags
from .model import Meeting
from .problems import FormatError
from .repository import GitFailed, Repository, RepositoryError
from .terminal import clean

SUBJECT_LIMIT = 72
FILE_TRAILER = "Meeting-File"
UNDO_TRAILER = "Undoes"
JUSTERAD_TRAILER = "Justerad-Version"
CORRECTION = {"sv": "Rättelse efter justering: ", "en": "Correction after adjustment: "}


class ChangedOnDisk(RepositoryError):
    """The file changed on disk since it was loaded: both versions are kept for the user."""

    def __init__(self, path: Path, ours: str, theirs: str | None):
        self.path, self.ours, self.theirs = path, ours, theirs
        state = "was deleted" if theirs is None else "changed on disk"
        super().__init__(f"{path} {state} since it was read; nothing was written")


@dataclass(frozen=True)
class Saved:
    commit: str | None
    """None when there was nothing to save."""
    subject: str
    changes: list[Change]
    files: tuple[Path, ...] = ()
    """The meeting files the commit wrote or removed."""
    text: str = ""
    """What a saved meeting's file holds now."""


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
    with repository.saving():
        author_env = _ready(repository, path, text, base, author)
        committed = repository.blob_at("HEAD", path)
        if text == base and committed == _encoded(text):
            return Saved(None, "no changes", [], (path,), text)
        old = _read(committed)
        if committed is not None and old is None:  # nothing to compare with, nothing is new
            subject, changes = _shorten(f"{path.stem}: broken file repaired"), []
        else:
            changes = diff_meetings(old, meeting)
            subject = commit_subject(path.stem, changes, new=old is None)
        justerad = _justerad(repository, path, old, changes)
        subject = _corrected(subject, meeting, justerad)
        message = _message(subject, changes, [repository.relative(path)], justerad)
        new = (path,) if committed is None else ()
        commit = _write_and_commit(repository, {path: text}, message, author_env, new)
        return Saved(commit, subject, changes, (path,), text)


def move_meeting(
    repository: Repository,
    path: Path,
    meeting: Meeting,
    base: str | None,
    author: str | None = None,
) -> Saved:
    """Save a meeting whose date changed: its file takes the new date's name, in one commit
    that removes the old name."""
    new_path = path.with_name(redated(path.name, meeting.date))
    text = dumps_meeting(meeting)
    check_before_save(meeting, text, new_path)
    with repository.saving():
        author_env = _ready(repository, path, text, base, author)
        if new_path.exists():
            raise RepositoryError(f"{new_path.name} already exists: that day has a meeting file")
        old = _read(repository.blob_at("HEAD", path))
        changes = diff_meetings(old, meeting)
        moved = f"{path.stem} → {new_path.stem}"
        subject = _shorten(
            f"{moved}: meeting moved" if len(changes) == 1 else f"{moved}: {len(changes)} changes"
        )
        justerad = _justerad(repository, path, old, changes)
        subject = _corrected(subject, meeting, justerad)
        names = [repository.relative(new_path), repository.relative(path)]
        message = _message(subject, changes, names, justerad)
        texts = {new_path: text, path: None}
        commit = _write_and_commit(repository, texts, message, author_env, (new_path,))
        return Saved(commit, subject, changes, (path, new_path), text)


def undo_last(repository: Repository, author: str | None = None) -> Saved:
    """Revert the latest save made by minutes that is not undone yet, as a new commit; one that
    leaves a justerat protocol differing from its justerat text is a correction (`_save`).

    Only the meeting files of that save are reverted, whatever else its commit holds (a commit
    amended by hand). Refuses, changing nothing, when those files have uncommitted changes or
    later commits touched the same lines."""
    with repository.saving():
        repository.check_can_commit()
        author_env = repository.author(author)
        target = _latest_save(repository)
        if target is None:
            raise RepositoryError("there is no save by minutes to undo")
        commit, subject, files = target
        repository.check_has_parent(commit, f'undo "{subject}"')
        names = _saved_files(repository, commit, files)
        paths = [repository.top / name for name in names]
        dirty = [
            name for name, path in zip(names, paths, strict=True) if repository.is_modified(path)
        ]
        if dirty:
            raise RepositoryError(
                f"{', '.join(dirty)}: changes not committed; save or discard them"
            )
        with _put_back_on_failure(paths) as kept:
            before = {path: _read(data) for path, data in kept.items()}
            if not _reverse_apply(repository, commit, names):
                raise RepositoryError(
                    f'cannot undo "{subject}": later changes to {", ".join(names)} overlap with it'
                )
            after = {path: _read(_encoded(disk_text(path))) for path in paths}
            changes = [
                change for path, old in before.items() for change in diff_meetings(old, after[path])
            ]
            undo_subject, justerad = _undo_subject(repository, subject, after)
            message = clean(
                f"{undo_subject}\n\n"
                + "".join(f"- {c.describe()}\n" for c in changes)
                + f"\n{UNDO_TRAILER}: {commit}\n"
                + "".join(f"{FILE_TRAILER}: {name}\n" for name in names)
                + (f"{JUSTERAD_TRAILER}: {justerad}\n" if justerad else "")
            )
            new = tuple(path for path, data in kept.items() if data is None)
            made = repository.commit(paths, message, author_env, new)
        return Saved(made, undo_subject, changes, tuple(paths))


def _ready(
    repository: Repository, path: Path, text: str, base: str | None, author: str | None
) -> dict[str, str]:
    """Refuse a save that git or the disk forbid (the file no longer holds `base`); the
    environment naming its author. Called under the save lock."""
    repository.check_can_commit()
    author_env = repository.author(author)
    current = disk_text(path)
    if current != base:
        raise ChangedOnDisk(path, text, current)
    return author_env


def _write_and_commit(
    repository: Repository,
    texts: dict[Path, str | None],
    message: str,
    author_env: dict[str, str],
    new: tuple[Path, ...],
) -> str:
    """Give each file its text (None: remove it) and commit exactly those files; `new` are
    not in HEAD. Whatever fails, the files are put back as they were (and git leaves the
    index as it was): a refused save changes nothing."""
    with _put_back_on_failure(list(texts)):
        for path, text in texts.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, text)
        return repository.commit(list(texts), message, author_env, new)


@contextmanager
def _put_back_on_failure(paths: list[Path]) -> Iterator[dict[Path, bytes | None]]:
    """Each file's bytes before a save touches it (None: there was no file), put back if
    anything in the block fails."""
    kept: dict[Path, bytes | None] = {}
    for path in paths:
        try:
            kept[path] = read_regular(path, MAX_BYTES)
        except FileNotFoundError:
            kept[path] = None
    try:
        yield kept
    except BaseException:
        _put_back(kept)
        raise


def _put_back(kept: dict[Path, bytes | None]) -> None:
    for path, data in kept.items():
        if data is None:
            path.unlink(missing_ok=True)
            continue
        try:
            write_atomic(path, data)
        except OSError:  # a full disk has no room for a second copy: make room first
            path.unlink(missing_ok=True)
            write_atomic(path, data)


def commit_subject(stem: str, changes: list[Change], new: bool = False) -> str:
    """`2024-04-26 §11: decision changed`, `2024-04-26 Per Norin added to attendance`,
    `2024-04-26 §10: decision changed; next meeting date changed` (two changes, when they
    fit), `2024-04-26 §12–§13: 3 changes`."""
    if new:
        return _shorten(f"{stem}: new meeting")
    if not changes:
        return _shorten(f"{stem}: layout tidied")
    if len(changes) <= 2:
        separator = " " if changes[0].section in ("item", "attendance") else ": "
        subject = f"{stem}{separator}{'; '.join(c.describe() for c in changes)}"
        if len(changes) == 1 or len(subject) <= SUBJECT_LIMIT:
            return _shorten(subject)
    numbers = sorted({c.number for c in changes if c.number is not None})
    if numbers and all(c.section == "item" for c in changes):
        span = f"§{numbers[0]}" if len(numbers) == 1 else f"§{numbers[0]}–§{numbers[-1]}"
        return _shorten(f"{stem} {span}: {len(changes)} changes")
    return _shorten(f"{stem}: {len(changes)} changes")


def _justerad(
    repository: Repository, path: Path, old: Meeting | None, changes: list[Change]
) -> str | None:
    """The version of a protocol that was justerat, when the committed file has been and the
    save changes more than the records kept after justering: it is then a correction (the
    signatures stay on the version they signed)."""
    if old is None or old.kind != "protokoll":
        return None
    if all(change.section in AFTER_JUSTERING for change in changes):
        return None
    tags = SignatureTags(repository)
    if not tags.names(repository.relative(path)):
        return None
    return tags.status(path, old).version


def _undo_subject(
    repository: Repository, subject: str, after: dict[Path, Meeting | None]
) -> tuple[str, str | None]:
    """The subject of the undo of the save `subject`, and the version justerat of a protocol
    the undo leaves differing from it (`after`: each file as the undo left it). An undo that
    reaches back past justering, to a save the signers signed, is a correction; one that
    brings the justerat text back is none, and one of a correction already says so."""
    undo = _shorten(f'Undo "{subject}"')
    for path, meeting in after.items():
        if meeting is None or meeting.kind != "protokoll":
            continue
        tags = SignatureTags(repository)
        if not tags.names(repository.relative(path)):
            continue
        justering = tags.status(path, meeting)
        if justering.version is None or not justering.working_changed:
            continue
        if subject.startswith(tuple(CORRECTION.values())):
            return undo, justering.version
        return _corrected(undo, meeting, justering.version), justering.version
    return undo, None


def _corrected(subject: str, meeting: Meeting, justerad: str | None) -> str:
    if justerad is None:
        return subject
    return _shorten(CORRECTION.get(meeting.language, CORRECTION["sv"]) + subject)


def _message(
    subject: str, changes: list[Change], names: list[str], justerad: str | None = None
) -> str:
    """The commit message, with control characters from the files made visible: `git log`
    prints messages to terminals as they are."""
    lines = [subject, ""]
    for change in changes:
        lines.append(f"- {change.describe()}")
        if change.is_decision and change.old and change.new:
            marked = "".join(
                text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
                for op, text in change.words or ()
            )
            lines += [f"  {line}" for line in marked.splitlines()]
        elif change.is_short:
            old, new = change.old, change.new
            lines.append(f"  {old} → {new}" if old and new else f"  {old or new}")
    trailers = [f"{FILE_TRAILER}: {name}" for name in names]
    trailers += [f"{JUSTERAD_TRAILER}: {justerad}"] if justerad else []
    return clean("\n".join([*lines, "", *trailers, ""]))


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


def _latest_save(repository: Repository) -> tuple[str, str, list[str]] | None:
    """(commit, subject, meeting files) of the newest save whose effect is still there."""
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
        commit, subject, names, undoes = (f.strip() for f in fields)
        if undoes:
            if commit not in undone:
                undone.add(undoes)
            continue
        if names and commit not in undone:
            return commit, subject, [name.strip() for name in names.split("\x1d")]
    return None


def _saved_files(repository: Repository, commit: str, files: list[str]) -> list[str]:
    """The paths a save's commit changed of its meeting files: the files its trailers name,
    and the old name of one it renamed (saves before both names were trailers)."""
    fields = repository.run(
        "diff-tree", "--no-commit-id", "-r", "-M", "--name-status", "-z", commit
    ).split("\0")
    names: list[str] = []
    index = 0
    while index < len(fields) - 1:
        status = fields[index]
        count = 2 if status[:1] in ("R", "C") else 1
        paths = fields[index + 1 : index + 1 + count]
        index += 1 + count
        if paths[-1] in files or paths[0] in files:
            names += [path for path in paths if path not in names]
    if not names:
        raise RepositoryError(
            f"the save {commit[:10]} changed none of its files: {', '.join(files)}"
        )
    return names


def _reverse_apply(repository: Repository, commit: str, names: list[str]) -> bool:
    """Apply the reverse of `commit`'s changes to `names` to the working tree; False when it
    does not apply."""
    patch_file = repository.git_dir / f"minutes-undo-{dt.datetime.now():%H%M%S%f}.patch"
    try:
        patch = repository.diff("--binary", commit, f"{commit}^", "--", *names)
        if not patch:
            return False
        patch_file.write_bytes(patch)
        repository.run("apply", "--check", str(patch_file))
        repository.run("apply", str(patch_file))
        return True
    except GitFailed:
        return False
    finally:
        patch_file.unlink(missing_ok=True)
