"""Settling what two clones changed differently: the meetings whose same fields were changed
on both sides, with each side's version, and the merge commit made from a person's choices.

Two ways to get here. A sync that met a conflict changed nothing: `disagreements` compares
this clone's branch with the remote's as fetched, and `settle` merges them in one step (the
merge, the chosen values written, the commit), or not at all. Or a person's own `git merge`
or `git rebase` stopped on meeting files: `settle` writes the choices into them, adds them
and lets git go on. "Here" is always this clone's side, also in a rebase, where git's "ours"
is the remote's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .archive import BODY_FILE
from .format.encode import dumps_meeting
from .format.files import parse_meeting
from .format.reading import decode_text
from .format.writing import write_atomic
from .merge import KEPT, Choice, Conflict, Merged, merge_meetings
from .merge_records import record
from .model import Meeting
from .problems import FormatError
from .repository import GitFailed, Repository, RepositoryError
from .sync import MEETINGS, abort, back_to, first_line, ready, upstream
from .terminal import clean

HERE = "this clone"


@dataclass(frozen=True)
class Disagreement:
    """One meeting both sides changed: here and there as they are, and what still conflicts."""

    path: str
    base: Meeting | None
    here: Meeting
    there: Meeting
    conflicts: list[Conflict] = field(default_factory=list)

    def settled(self, choices: Mapping[str, Choice]) -> Merged:
        return merge_meetings(self.base, self.here, self.there, choices)


@dataclass(frozen=True)
class Disagreements:
    there: str
    """The other side, as people call it: `origin/main`, or the branch being merged."""
    meetings: list[Disagreement]
    under_way: str = ""
    """"merge" or "rebase" where git stopped in one; "" where nothing is started yet."""
    tracking: str = ""
    """What a merge not yet started merges: the commit of the remote's branch as fetched (a
    fetch since may have moved the branch: the choices were made against this one)."""
    head: str = ""
    """This clone's commit the conflicts were found at: a save since would be undone by
    values chosen against the one before."""


def disagreements(repository: Repository, remote: str | None = None) -> Disagreements:
    """What conflicts now: in the merge or rebase git stopped in, else between this clone and
    the remote's branch as last fetched (no network)."""
    under_way = repository.stopped()
    if under_way:
        return _stopped(repository, under_way)
    name, ref = upstream(repository, remote)
    head, tracking = repository.run("rev-parse", "HEAD", ref).split()
    try:
        base = repository.run("merge-base", head, tracking).strip()
    except GitFailed:
        raise RepositoryError(f"this clone and {name} have no commit in common") from None
    paths = _changed(repository, base, head) & _changed(repository, base, tracking)
    found = []
    for path in sorted(paths):
        sides = [_meeting(repository, rev, path) for rev in (base, head, tracking)]
        found += _disagreement(path, *sides)
    return Disagreements(name, found, tracking=tracking, head=head)


def settle(
    repository: Repository,
    found: Disagreements,
    choices: Mapping[str, Mapping[str, Choice]],
    author: str | None = None,
) -> str:
    """Merge with `choices` (by meeting path, then by field) and commit; what was done, in
    one line. RepositoryError, with nothing changed, where a conflict has no choice or git
    cannot finish the merge; a merge or rebase under way stays under way then."""
    settled = {}
    for meeting in found.meetings:
        merged = meeting.settled(choices.get(meeting.path, {}))
        if merged.conflicts:
            open_ = ", ".join(c.field for c in merged.conflicts)
            raise RepositoryError(f"{meeting.path}: still to choose: {open_}")
        settled[meeting.path] = merged.meeting
    env = repository.author(author)
    with repository.saving():
        if found.under_way:
            return _go_on(repository, found, settled, choices, env)
        ready(repository)  # nothing unsaved: the merge writes the meetings
        before = repository.run("rev-parse", "HEAD").strip()
        if before != found.head:
            raise RepositoryError(
                "this clone has changed since the conflicts were shown: look again"
            )
        try:
            _merge(repository, found, settled, choices, env)
        except BaseException:
            abort(repository)
            back_to(repository, before)
            raise
    return f"merged {found.there}, {_count(found)} settled as chosen"


def _merge(
    repository: Repository,
    found: Disagreements,
    settled: dict[str, Meeting],
    choices: Mapping[str, Mapping[str, Choice]],
    env: dict[str, str],
) -> None:
    try:
        repository.run("merge", "--no-ff", "--no-commit", "--quiet", found.tracking, env=env)
    except GitFailed as failure:
        if repository.stopped() != "merge":  # not the conflicts this is here to settle
            said = first_line(failure.output)
            raise RepositoryError(f"git merge failed, nothing changed: {said}") from None
    _write(repository, settled)
    left = repository.unmerged()
    if left:
        raise RepositoryError(
            f"git cannot merge {', '.join(left)} by itself: merge with git (`git merge "
            f"{found.there}`), nothing was changed here"
        )
    message = _message(f"Merge {found.there}", found, choices)
    repository.run("commit", "--quiet", "-m", message, env=env)


def _go_on(
    repository: Repository,
    found: Disagreements,
    settled: dict[str, Meeting],
    choices: Mapping[str, Mapping[str, Choice]],
    env: dict[str, str],
) -> str:
    """Settle the files git stopped on, and let the merge or rebase go on."""
    _write(repository, settled)
    left = repository.unmerged()
    if left:
        return f"{_count(found)} settled; git still has {', '.join(left)} not merged"
    if found.under_way == "merge":
        message_file = repository.git_dir / "MERGE_MSG"
        said = message_file.read_text("utf-8", errors="replace") if message_file.exists() else ""
        subject = said.splitlines()[0] if said.strip() else f"Merge {found.there}"
        repository.run("commit", "--quiet", "-m", _message(subject, found, choices), env=env)
        return f"{_count(found)} settled, merge committed"
    try:
        repository.run("rebase", "--continue", env=env | {"GIT_EDITOR": "true"})
    except GitFailed:
        return f"{_count(found)} settled; the rebase stopped again at a later commit"
    return f"{_count(found)} settled, rebase finished"


def _write(repository: Repository, settled: dict[str, Meeting]) -> None:
    for path, meeting in settled.items():
        write_atomic(repository.top / path, dumps_meeting(meeting))
        record(repository, path, [])
    if settled:
        repository.run("add", "--", *settled)


def _message(
    subject: str, found: Disagreements, choices: Mapping[str, Mapping[str, Choice]]
) -> str:
    lines = [subject, ""]
    for meeting in found.meetings:
        chosen = choices.get(meeting.path, {})
        for conflict in meeting.conflicts:
            choice = chosen.get(conflict.field)
            how = (
                "kept as changed"
                if conflict.kind == KEPT
                else f"as {HERE} had it"
                if choice == "ours"
                else f"as {found.there} had it"
                if choice == "theirs"
                else "written anew"
            )
            lines.append(f"{Path(meeting.path).stem} {conflict.field}: {how}")
    return clean("\n".join(lines) + "\n")


def _count(found: Disagreements) -> str:
    n = sum(len(m.conflicts) for m in found.meetings)
    return f"{n} {'conflict' if n == 1 else 'conflicts'}"


def _stopped(repository: Repository, under_way: str) -> Disagreements:
    """The meeting files git stopped on; in a rebase git's "ours" (stage 2) is the remote's."""
    found = []
    for path in repository.unmerged():
        if not _is_meeting(path):
            continue
        base, ours, theirs = (_meeting(repository, f":{n}", path) for n in (1, 2, 3))
        here, there = (theirs, ours) if under_way == "rebase" else (ours, theirs)
        found += _disagreement(path, base, here, there)
    other = "the branch being merged" if under_way == "merge" else "the branch rebased onto"
    return Disagreements(other, found, under_way)


def _disagreement(
    path: str, base: Meeting | None, here: Meeting | None, there: Meeting | None
) -> list[Disagreement]:
    if here is None or there is None:  # deleted on one side: git's own conflict
        return []
    conflicts = merge_meetings(base, here, there).conflicts
    return [Disagreement(path, base, here, there, conflicts)] if conflicts else []


def _changed(repository: Repository, base: str, rev: str) -> set[str]:
    names = repository.run("diff", "--name-only", "--no-renames", "-z", base, rev, "--", MEETINGS)
    return {name for name in names.split("\0") if _is_meeting(name)}


def _is_meeting(path: str) -> bool:
    """A meeting's file, not a body's own (which git merges line by line)."""
    name = PurePosixPath(path).name
    return path.startswith(MEETINGS) and name.endswith(".toml") and name != BODY_FILE


def _meeting(repository: Repository, rev: str, path: str) -> Meeting | None:
    """The meeting at `rev` (a commit, or `:N` for a stage of the index); None where absent.
    FormatError naming the side where it is no meeting."""
    data = repository.blob_at(rev, repository.top / path)
    if data is None:
        return None
    try:
        return parse_meeting(decode_text(data)[0], Path(path))[0]
    except FormatError as error:
        raise RepositoryError(
            f"{path} at {rev} is no meeting ({error.problems[0].message}): merge it with git"
        ) from None
