"""Sharing the archive through a remote: minutes as git's merge driver for meetings, and sync.

Two people editing one meeting meet in git's merge. Registered here, `minutes merge-file`
merges meetings by meaning for every merge and rebase in the clone, `minutes sync`'s and a
plain `git pull`'s alike.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .format.writing import write_atomic
from .merge_records import read, record, records
from .repository import GitFailed, Repository, RepositoryError

DRIVER_NAME = "minutes: meetings merged by meaning"
ATTRIBUTES = (
    "meetings/**/*.toml merge=minutes",
    # A body's own file (its name, its roster) is no meeting: git's own line merge.
    "meetings/**/body.toml merge=text",
)
"""The lines of .gitattributes that send meeting files through the driver, in this order
(a later line wins)."""
ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTES_MESSAGE = f"""\
Meeting files merge by meaning: {ATTRIBUTES_FILE} names minutes' merge driver

Where two people edited one meeting, git merges it through `minutes merge-file`: their
changes to different fields, §§ and words are both kept, and a conflict is recorded in
.git/minutes/conflicts/ rather than written into the file as markers. `minutes init` and
`minutes sync` set the driver up in each clone's git config.
"""


def driver_command() -> str:
    """How git runs this same minutes as the driver: this interpreter (it finds this
    installation, wherever `minutes` is on PATH or not), shell-quoted since git runs it
    through the shell and a venv's path may hold spaces. `-P`: git runs the driver in the
    repository's top folder, and a `tui/` folder there must never be imported instead."""
    program = shlex.join([sys.executable, "-P", "-m", "tui"])
    return f"{program} merge-file %O %A %B %P"


def register_merge_driver(repository: Repository, author: str | None = None) -> list[str]:
    """Make sure git merges meetings through minutes here: the driver in the clone's config,
    the attribute in a committed .gitattributes (committed on its own when it is missing, so
    that every clone gets it). What was done, for the user."""
    done = []
    for key, value in (
        ("merge.minutes.name", DRIVER_NAME),
        ("merge.minutes.driver", driver_command()),
    ):
        if repository.config(key) != value:
            repository.run("config", "--local", key, value)
            done.append(f"git config {key} set in {repository.top}")
    # Also where only this clone reads it: a rebase replays each commit over the remote's
    # files, which may not have .gitattributes yet, and git reads attributes from them.
    info = repository.git_dir / "info" / "attributes"
    info.parent.mkdir(exist_ok=True)
    _add_attribute(info)
    if not _attribute_committed(repository):
        path = repository.top / ATTRIBUTES_FILE
        new = repository.blob_at("HEAD", path) is None
        repository.check_can_commit()
        author_env = repository.author(author)
        _add_attribute(path)
        commit = repository.commit([path], ATTRIBUTES_MESSAGE, author_env, (path,) if new else ())
        done.append(f"[{commit[:8]}] {ATTRIBUTES_MESSAGE.splitlines()[0]}")
    return done


def _attribute_committed(repository: Repository) -> bool:
    committed = repository.blob_at("HEAD", repository.top / ATTRIBUTES_FILE)
    return committed is not None and not _missing(committed.decode("utf-8", errors="replace"))


def _missing(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in ATTRIBUTES if line not in lines]


def _add_attribute(path: Path) -> None:
    """The attributes' lines missing at the end of the file, whatever else it says kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = _missing(text)
    if not missing:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, text + "".join(f"{line}\n" for line in missing))


# --- sync ----------------------------------------------------------------------------------

MEETINGS = "meetings/"
"""Where the meetings' files are, relative to the top of the repository."""
RACE = ("fetch first", "non-fast-forward", "failed to update ref", "cannot lock ref", "stale info")
"""What a push says when the remote moved after our fetch."""
AUTHENTICATION = (
    "permission denied",
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
)


@dataclass(frozen=True)
class Synced:
    remote: str
    branch: str
    """The remote's branch."""
    pulled: int
    pushed: int
    ahead: int
    behind: int
    """Before: commits here that the remote lacked, and the remote's that were not here."""
    registered: list[str]
    """What setting up the merge driver did."""

    def describe(self) -> str:
        where = f"{self.remote}/{self.branch}"
        if not (self.pulled or self.pushed):
            return f"up to date with {where}"
        return (
            f"pulled {self.pulled}, pushed {self.pushed}: {where} and this clone are the same "
            f"(this clone was {self.ahead} ahead, {self.behind} behind)"
        )


class SyncConflict(RepositoryError):
    """Both sides changed the same thing of a meeting differently: nothing was changed."""


def sync(repository: Repository, remote: str | None = None, author: str | None = None) -> Synced:
    """Fetch, bring this clone's commits on top of the remote's branch (a rebase, or a merge
    where the user's git config asks for one), push. Under the save lock, so saves wait. Any
    refusal leaves HEAD, the index and the files as they were (RepositoryError, one line)."""
    with repository.saving():
        branch = ready(repository)
        remote = remote or _default_remote(repository, branch)
        target = _remote_branch(repository, branch, remote)
        committer = _committer(repository, author)
        before = repository.run("rev-parse", "HEAD").strip()
        _fetch(repository, remote)
        ahead, behind = ahead_behind(repository, remote, target)
        registered = register_merge_driver(repository, author)
        try:
            pulled, pushed = _integrate_and_push(repository, remote, branch, target, committer)
        except BaseException:
            back_to(repository, before)
            raise
        _push_signatures(repository, remote)
        return Synced(remote, target, pulled, pushed, ahead, behind, registered)


def fetch(repository: Repository) -> bool:
    """Fetch what the branch's remote has (branches and signatures), changing nothing of this
    clone's own: for ahead/behind counts between syncs. False where there is no remote;
    RepositoryError when it cannot."""
    if not repository.run("remote").split():
        return False
    _fetch(repository, _default_remote(repository, repository.state()[0]))
    return True


def ahead_behind(repository: Repository, remote: str, branch: str | None = None) -> tuple[int, int]:
    """(commits here the remote's branch lacks, its commits not here), as of the last fetch:
    no network. A branch the remote does not have yet lacks every commit."""
    if branch is None:
        here = repository.state()[0]
        branch = _remote_branch(repository, here, remote)
    tracking = _tracking(remote, branch)
    if not repository.is_commit(tracking):
        return int(repository.run("rev-list", "--count", "HEAD").strip() or 0), 0
    counts = repository.run("rev-list", "--left-right", "--count", f"HEAD...{tracking}").split()
    return int(counts[0]), int(counts[1])


def standing(repository: Repository, branch: str) -> tuple[int, int] | None:
    """`ahead_behind` against the remote the branch syncs with, as of the last fetch; None
    where there is none, or nothing fetched from it yet (the app's top line: no network)."""
    try:
        remote = _default_remote(repository, branch)
        target = _remote_branch(repository, branch, remote)
    except RepositoryError:
        return None
    if not repository.is_commit(_tracking(remote, target)):
        return None
    return ahead_behind(repository, remote, target)


def upstream(repository: Repository, remote: str | None = None) -> tuple[str, str]:
    """(`origin/main`, its ref as last fetched): the remote's branch this one syncs with."""
    branch = repository.state()[0]
    remote = remote or _default_remote(repository, branch)
    target = _remote_branch(repository, branch, remote)
    tracking = _tracking(remote, target)
    if not repository.is_commit(tracking):
        raise RepositoryError(f"nothing fetched from {remote} yet: sync first")
    return f"{remote}/{target}", tracking


def ready(repository: Repository) -> str:
    """The branch to sync; refusals of what a rebase or merge would break or refuse."""
    if not repository.has_commits():
        raise RepositoryError(f"nothing to sync in {repository.top}: it has no commits yet")
    repository.check_can_commit()
    branch, changed = repository.state()
    meetings = [path for path in changed if path.startswith(MEETINGS)]
    if meetings:
        raise RepositoryError(
            f"changes to {', '.join(meetings)} are not saved: save (or discard) them, then sync"
        )
    if changed:
        raise RepositoryError(
            f"changes to {', '.join(changed)} are not committed: commit or stash them, then sync"
        )
    return branch


def _default_remote(repository: Repository, branch: str) -> str:
    """The branch's own remote, else the only one, else origin."""
    chosen = repository.config(f"branch.{branch}.remote")
    if chosen:
        return chosen
    remotes = repository.run("remote").split()
    if not remotes:
        raise RepositoryError(
            f"{repository.top} has no remote to sync with: `git remote add origin URL` names one"
        )
    if len(remotes) == 1:
        return remotes[0]
    if "origin" in remotes:
        return "origin"
    raise RepositoryError(f"which remote? `minutes sync REMOTE`, one of: {', '.join(remotes)}")


def _remote_branch(repository: Repository, branch: str, remote: str) -> str:
    """The remote's branch this one follows (its upstream there), else one of its name."""
    if remote not in repository.run("remote").split():
        hint = f": `git remote add origin {remote}` names it" if "/" in remote else ""
        raise RepositoryError(f"there is no remote named {remote!r} in {repository.top}{hint}")
    if repository.config(f"branch.{branch}.remote") == remote:
        merge = repository.config(f"branch.{branch}.merge")
        if merge.startswith("refs/heads/"):
            return merge.removeprefix("refs/heads/")
    return branch


def _tracking(remote: str, branch: str) -> str:
    return f"refs/remotes/{remote}/{branch}"


def _committer(repository: Repository, author: str | None) -> dict[str, str]:
    """Who commits the rebased or merged commits: refused at once when git knows nobody.
    Only the committer: a rebase keeps each commit's author."""
    env = repository.author(author)
    return {key: value for key, value in env.items() if key.startswith("GIT_COMMITTER_")}


SIGNATURES = "refs/tags/justering/*:refs/tags/justering/*"
"""The justering's signed tags: they travel with the meetings, so every clone can verify.
Never forced: a signature once shared is not replaced."""


def _fetch(repository: Repository, remote: str) -> None:
    branches = f"+refs/heads/*:{_tracking(remote, '*')}"
    code, output = repository.run_remote("fetch", "--quiet", remote, branches, SIGNATURES)
    if code:
        raise _network_failure(repository, remote, "fetch from", output)


def _push_signatures(repository: Repository, remote: str) -> None:
    """Signatures made here since: a signature is a tag, not a commit, so it is pushed even
    when the branch is up to date."""
    if not repository.run("for-each-ref", "--count=1", "refs/tags/justering/").strip():
        return
    code, output = repository.run_remote("push", "--porcelain", remote, SIGNATURES)
    if code:
        raise _network_failure(repository, remote, "push signatures to", output)


def _integrate_and_push(
    repository: Repository, remote: str, branch: str, target: str, committer: dict[str, str]
) -> tuple[int, int]:
    """(commits pulled, commits pushed); once more when another push came between our fetch
    and our push."""
    pulled = 0
    for attempt in (1, 2):
        ahead, behind = ahead_behind(repository, remote, target)
        if behind:
            _integrate(repository, remote, branch, target, committer)
            pulled += behind
            ahead = ahead_behind(repository, remote, target)[0]
        if not ahead:
            return pulled, 0
        code, output = repository.run_remote(
            "push", *_push_args(repository, branch, remote, target)
        )
        if not code:
            return pulled, ahead
        raced = attempt == 1 and any(words in output for words in RACE)
        if not raced:
            raise _network_failure(repository, remote, "push to", output)
        _fetch(repository, remote)
    raise AssertionError("unreachable")  # the second attempt returns or raises


def _push_args(repository: Repository, branch: str, remote: str, target: str) -> list[str]:
    """Push HEAD to the remote's branch; make it the branch's upstream where it has none, so
    that a plain `git pull` finds it too."""
    upstream = [] if repository.config(f"branch.{branch}.remote") else ["--set-upstream"]
    return ["--porcelain", *upstream, remote, f"HEAD:refs/heads/{target}"]


def _integrate(
    repository: Repository, remote: str, branch: str, target: str, committer: dict[str, str]
) -> None:
    """The remote's commits under ours: rebase, or merge where the user's config says
    `pull.rebase=false` (or the branch's `rebase=false`) or a conflict was settled here.
    Never left half done: on any failure it is aborted, and a conflict the merge driver
    recorded is named."""
    tracking = _tracking(remote, target)
    records = _conflict_records(repository)
    if _rebases(repository, branch) and not _settled_here(repository, tracking):
        command = ["rebase", "--quiet", "--no-autosquash", tracking]
    else:
        command = ["merge", "--quiet", "--no-edit", "--ff", tracking]
    no_surprises = ["-c", "rebase.autoStash=false", "-c", "rebase.updateRefs=false"]
    try:
        repository.run(*no_surprises, "-c", "rerere.enabled=false", *command, env=committer)
    except BaseException as failure:
        abort(repository)
        conflicts = _new_conflicts(repository, records)
        if conflicts:
            for path in conflicts:  # nothing is left not merged: `minutes resolve` finds them
                record(repository, path, [])
            raise SyncConflict(_conflict_message(conflicts, remote)) from None
        if isinstance(failure, GitFailed):
            said = first_line(failure.output)
            raise RepositoryError(f"git {command[0]} failed, nothing changed: {said}") from None
        raise


def _settled_here(repository: Repository, tracking: str) -> bool:
    """Whether the commits to bring on top include a merge: a conflict settled here, which a
    rebase would replay commit by commit and so meet again."""
    return repository.run("rev-list", "--merges", "--count", f"{tracking}..HEAD").strip() != "0"


def _rebases(repository: Repository, branch: str) -> bool:
    setting = repository.config(f"branch.{branch}.rebase") or repository.config("pull.rebase")
    return setting.lower() not in ("false", "no", "off", "0")


def abort(repository: Repository) -> None:
    """Undo the merge or rebase git stopped in, if any."""
    stopped = repository.stopped()
    if stopped:
        repository.run(stopped, "--abort")


def back_to(repository: Repository, before: str) -> None:
    """HEAD, the index and the files as they were before sync (they were clean, so nothing
    of the user's is touched): a commit made here on the way is dropped, not lost."""
    if repository.run("rev-parse", "HEAD").strip() != before:
        repository.run("reset", "--quiet", "--keep", before)


def _conflict_records(repository: Repository) -> dict[str, int]:
    """Each meeting's merge record with when it was written."""
    return {path: file.stat().st_mtime_ns for path, file in records(repository).items()}


def _new_conflicts(repository: Repository, before: dict[str, int]) -> dict[str, list[str]]:
    """What the merge driver recorded during this sync: each meeting's conflicting fields."""
    found = {}
    for path, file in records(repository).items():
        if before.get(path) != file.stat().st_mtime_ns:
            found[path] = [conflict.field for conflict in read(file)]
    return found


def _conflict_message(conflicts: dict[str, list[str]], remote: str) -> str:
    both = "; ".join(f"{path}: {', '.join(fields)}" for path, fields in conflicts.items())
    return (
        f"this clone and {remote} changed the same thing differently ({both}); nothing was "
        "changed here: `minutes resolve` shows both and merges as you choose, then sync again"
    )


def _network_failure(
    repository: Repository, remote: str, doing: str, output: str
) -> RepositoryError:
    """git's failure to fetch or push, in one line with the way out."""
    url = repository.config(f"remote.{remote}.url")
    where = f"{remote} ({url})" if url else remote
    lower = output.lower()
    if "hook declined" in lower:
        hook = [line for line in output.splitlines() if line.startswith("remote:")]
        said = "; ".join(filter(None, (line.removeprefix("remote:").strip() for line in hook)))
        return RepositoryError(
            f"{where} refused the push: {said or first_line(output)}; your commits are kept here"
        )
    if "host key verification failed" in lower:
        return RepositoryError(
            f"{where}: this computer does not know the server's host key yet, and minutes "
            f"never asks: connect once by hand (`{_ssh_to(url)}`), check the key and accept it, "
            "then sync"
        )
    if any(words in lower for words in AUTHENTICATION):
        return RepositoryError(
            f"{where} needs to know who you are, and minutes never asks for a password: for "
            "SSH make a key (`ssh-keygen -t ed25519`), give its .pub to whoever keeps the "
            "server and load it (`ssh-add`); for HTTPS set up a credential helper"
        )
    if any(words in output for words in RACE):
        return RepositoryError(
            f"{where} changed again while syncing; nothing changed here, sync again"
        )
    return RepositoryError(f"cannot {doing} {where}: {first_line(output)}; nothing changed here")


def _ssh_to(url: str) -> str:
    """The ssh command that reaches the server of an ssh:// or scp-like git address."""
    if "://" in url:
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        port = f"-p {parts.port} " if parts.port else ""
        return f"ssh {port}{user}{parts.hostname}"
    return f"ssh {url.split(':', 1)[0]}"


def first_line(output: str) -> str:
    """What git said first, for a message of one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[0] if lines else "git gave no reason"
