"""The git repository under the archive: the one place that runs git.

Git runs with explicit options so that a user's configuration cannot break a save (signing
without an agent, a pager, colours, CRLF conversion), never prompts, and ignores an inherited
GIT_DIR, GIT_WORK_TREE or GIT_INDEX_FILE. Commands go through GitPython's wrapper of git's own
CLI (its index writer has corrupted indexes before); blobs come from its persistent `cat-file`.
One Repository per process: each holds two `git cat-file` children until closed.
"""

from __future__ import annotations

import atexit
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import git

T = TypeVar("T")

GIT_OPTIONS = [
    "commit.gpgsign=false",
    "core.quotepath=false",
    "core.autocrlf=false",
    "core.pager=cat",
    "color.ui=never",
    "log.showSignature=false",
    "i18n.commitEncoding=utf-8",
    "i18n.logOutputEncoding=utf-8",
    "user.useConfigOnly=true",
    "gc.autoDetach=false",
]
INHERITED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")
LOOSE_LIMIT = 256
"""Loose objects tolerated before a save packs them: `git log -p` is ~9x slower on a loose
repository, and git's own `gc --auto` waits for ~6,700 (and only estimates the count)."""
LOCK_PATIENCE = 5.0
"""Seconds to wait for another git process to release a lock before refusing."""
AUTHOR_VARIABLE = "MINUTES_AUTHOR"
"""`Name <email>` for shared accounts, where the git identity is not the person's."""


class RepositoryError(Exception):
    """git cannot or must not do what was asked; the message says why and what to do."""


class NotARepository(RepositoryError):
    pass


class Repository:
    def __init__(self, path: Path):
        import git

        for variable in INHERITED:
            os.environ.pop(variable, None)
        try:
            self.repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise NotARepository(
                f"{path} is not in a git repository; `minutes init {path}` creates one"
            ) from None
        self.top = Path(self.repo.working_tree_dir or path).resolve()
        self.git_dir = Path(self.repo.git_dir).resolve()
        self.git = self.repo.git
        self.git.set_persistent_git_options(c=GIT_OPTIONS)
        self.git.update_environment(GIT_TERMINAL_PROMPT="0", GIT_EDITOR="true")
        self._blobs: dict[str, bytes] = {}

    def close(self) -> None:
        self.repo.close()

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()

    # --- may we commit? -----------------------------------------------------------------

    def check_can_commit(self) -> None:
        """Refuse, saying how to get out of it, where a commit would land in the wrong place."""
        if self.repo.head.is_detached:
            raise RepositoryError(
                "HEAD is detached (no branch is checked out); `git switch main` first"
            )
        for marker, doing in (
            ("MERGE_HEAD", "a merge"),
            ("rebase-merge", "a rebase"),
            ("rebase-apply", "a rebase or `git am`"),
            ("CHERRY_PICK_HEAD", "a cherry-pick"),
            ("REVERT_HEAD", "a revert"),
        ):
            if (self.git_dir / marker).exists():
                raise RepositoryError(
                    f"{doing} is in progress in {self.top}; finish or abort it first"
                )
        unmerged = self.git.ls_files("--unmerged")
        if unmerged:
            paths = sorted({line.split("\t", 1)[1] for line in unmerged.splitlines()})
            raise RepositoryError(f"unmerged paths, resolve them first: {', '.join(paths)}")

    def author(self, override: str | None = None) -> dict[str, str]:
        """The environment that names the commit's author; refuses when git knows nobody."""
        import git

        given = override or os.environ.get(AUTHOR_VARIABLE)
        if given:
            name, _, email = given.partition("<")
            if not name.strip() or not email.endswith(">"):
                raise RepositoryError(f"{given!r} is not an author such as 'Ada Lind <ada@x.se>'")
            env = {"GIT_AUTHOR_NAME": name.strip(), "GIT_AUTHOR_EMAIL": email[:-1].strip()}
            try:
                self.git.var("GIT_COMMITTER_IDENT")
            except git.GitCommandError:
                env |= {
                    "GIT_COMMITTER_NAME": env["GIT_AUTHOR_NAME"],
                    "GIT_COMMITTER_EMAIL": env["GIT_AUTHOR_EMAIL"],
                }
            return env
        try:
            self.git.var("GIT_AUTHOR_IDENT")
            self.git.var("GIT_COMMITTER_IDENT")
        except git.GitCommandError:
            raise RepositoryError(
                "git does not know who you are: run\n"
                '  git config --global user.name "Your Name"\n'
                '  git config --global user.email "you@example.org"\n'
                f"or give --author 'Name <email>' (or set {AUTHOR_VARIABLE})"
            ) from None
        return {}

    # --- committing ---------------------------------------------------------------------

    def commit(self, paths: list[Path], message: str, author_env: dict[str, str]) -> str:
        """Commit exactly `paths` (as `git commit -- PATH`): whatever else is staged or modified
        stays as it was. Returns the new commit's id."""
        import git

        names = [self.relative(p) for p in paths]
        self._patiently(lambda: self.git.add("--all", "--", *names))
        try:
            self._patiently(
                lambda: self.git.commit(
                    "--quiet", "--only", "-m", message, "--", *names, env=author_env
                )
            )
        except git.GitCommandError as error:
            raise RepositoryError(self._commit_failure(error)) from None
        self._keep_packed()
        return self.git.rev_parse("HEAD")

    def _keep_packed(self) -> None:
        import git

        try:
            counts = dict(line.split(": ") for line in self.git.count_objects("-v").splitlines())
            if int(counts.get("count", 0)) >= LOOSE_LIMIT:
                self.git.repack("-d", "--quiet")  # the loose objects into one more pack
                self.git.gc("--auto", "--quiet")  # which joins packs once there are many
        except (git.GitCommandError, ValueError):
            pass  # housekeeping only: the commit has landed

    def _commit_failure(self, error: git.GitCommandError) -> str:
        output = _output(error)
        hooks = Path(self._config("core.hooksPath") or self.git_dir / "hooks")
        for hook in ("pre-commit", "commit-msg"):
            if os.access(hooks / hook, os.X_OK):
                return f"git commit failed; the {hook} hook may have refused it:\n{output}"
        return f"git commit failed:\n{output}"

    def _config(self, key: str) -> str:
        import git

        try:
            return self.git.config("--get", key)
        except git.GitCommandError:
            return ""

    def _patiently(self, action: Callable[[], T]) -> T:
        """Run a git command, retrying while another git process holds a lock."""
        import git

        deadline = time.monotonic() + LOCK_PATIENCE
        while True:
            try:
                return action()
            except git.GitCommandError as error:
                output = _output(error)
                if ".lock" not in output or time.monotonic() > deadline:
                    if ".lock" in output:
                        raise RepositoryError(self._lock_message(output)) from None
                    raise
                time.sleep(0.05)

    def _lock_message(self, output: str) -> str:
        lock = self.git_dir / "index.lock"
        holders = _holders(lock)
        who = f"held by {holders}" if holders else "left behind by a git that stopped"
        return (
            f"another git process is using this repository ({lock} is {who}); "
            f"waited {LOCK_PATIENCE:.0f} s. If no git is running, remove {lock}.\n{output}"
        )

    # --- reading history ----------------------------------------------------------------

    def blob(self, sha: str) -> bytes:
        """A file's content by blob id, from git's persistent object reader; cached."""
        if sha not in self._blobs:
            self._blobs[sha] = self.git.get_object_data(sha)[3]
        return self._blobs[sha]

    def blob_at(self, rev: str, path: Path) -> bytes | None:
        """A file's content at a revision; None where it did not exist."""
        import git

        try:
            return self.blob(self.git.rev_parse(f"{rev}:{self.relative(path)}"))
        except git.GitCommandError:
            return None

    def log(self, *args: str) -> str:
        return self.git.log("--no-abbrev", "--no-ext-diff", "--no-color", *args)

    def is_modified(self, path: Path) -> bool:
        """Does the file differ from HEAD (or is it new)?"""
        return bool(self.git.status("--porcelain", "--", self.relative(path)))

    def has_commits(self) -> bool:
        return self.repo.head.is_valid()


def _output(error: Exception) -> str:
    stderr = getattr(error, "stderr", "") or ""
    stdout = getattr(error, "stdout", "") or ""
    text = f"{stdout}\n{stderr}".strip()
    for prefix in ("stderr: '", "stdout: '"):
        text = text.replace(prefix, "")
    return text.strip("' \n")


def _holders(lock: Path) -> str:
    """Which processes have `lock` open (Linux /proc); empty where that cannot be known."""
    found = []
    try:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(lock) for fd in fds):
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                    found.append(f"pid {pid} ({command.decode(errors='replace').strip()})")
            except OSError:
                continue
    except OSError:
        return ""
    return ", ".join(found)


_open: dict[Path, Repository] = {}


def repository_for(path: Path) -> Repository:
    """The process's Repository for the archive at `path`, closed when the process ends."""
    key = path.resolve()
    if key not in _open:
        _open[key] = Repository(key)
    return _open[key]


@atexit.register
def close_all() -> None:
    for repository in _open.values():
        repository.close()
    _open.clear()
