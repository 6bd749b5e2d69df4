"""The git repository under the archive: the one place that runs git.

Git runs with explicit options so that a user's configuration cannot break a save (signing
without an agent, a pager, colours, CRLF conversion), never prompts, and ignores an inherited
GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE or GIT_OBJECT_DIRECTORY (a hook or another repository's
git sets them). Commands run git's own CLI (GitPython's index writer has corrupted indexes
before); reading many blobs goes through one persistent `git cat-file --batch`, opened on first
use and run like every other git here. (GitPython's reader took its environment from the
process and its repository from GIT_DIR and GIT_OBJECT_DIRECTORY, which it can add to but not
drop.) One Repository per process: its reader is a `git cat-file` child until closed.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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
INHERITED = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_EXTERNAL_DIFF",
)
"""What git itself drops on entering another repository (`git rev-parse --local-env-vars`),
but for the configuration it passes on: each names another repository's places; and a program
git would run for every diff it shows."""
LOOSE_LIMIT = 256
"""Loose objects tolerated before a save packs them: `git log -p` is ~9x slower on a loose
repository, and git's own `gc --auto` waits for ~6,700 (and only estimates the count)."""
LOCK_PATIENCE = 5.0
"""Seconds to wait for another git process to release a lock before refusing."""
SAVE_PATIENCE = 30.0
"""Seconds to wait for another save to this repository (by any process) to finish."""
NETWORK_PATIENCE = 60.0
"""Seconds a fetch or push may take before it is stopped, with the ssh it started."""
BATCH_SSH = "ssh -o BatchMode=yes -o ConnectTimeout=15"
"""ssh that fails at once where it would ask for a password, a passphrase or a host key."""
SAVE_LOCK = "minutes/save.lock"
"""In the git folder: held (flock) by whoever is saving, from reading the file to the commit."""
_SUMMARY = re.compile(r"^\[.* ([0-9a-f]{4,64})\] ", re.MULTILINE)
"""`git commit`'s summary line, `[main 1a2b3c4] subject`: the commit it made."""
AUTHOR_VARIABLE = "MINUTES_AUTHOR"
"""`Name <email>` for shared accounts, where the git identity is not the person's."""


class RepositoryError(Exception):
    """git cannot or must not do what was asked; the message says why and what to do."""


class NotARepository(RepositoryError):
    pass


class GitFailed(RepositoryError):
    def __init__(self, args: tuple[str, ...], output: str):
        self.output = output
        super().__init__(f"git {' '.join(args[:2])} failed:\n{output}")


class Repository:
    def __init__(self, path: Path):
        self._env = _environment()
        self._reader: subprocess.Popen[bytes] | None = None
        self._reading = threading.Lock()
        self._save_lock = threading.RLock()
        self._save_depth = 0
        self._save_fd = -1
        self._identified = False
        """Known to have an identity; not remembered while it has none, so a fix is seen."""
        try:
            top, git_dir = self.run(
                "rev-parse", "--show-toplevel", "--absolute-git-dir", cwd=path
            ).splitlines()
        except GitFailed as failure:
            raise _unusable(path, failure.output) from None
        except ValueError:
            raise NotARepository(
                f"{path} is not in a git repository; `minutes init {path}` creates one"
            ) from None
        except OSError as error:
            if error.filename != "git":  # the folder, not the program
                raise RepositoryError(f"{path}: {error.strerror}") from None
            raise RepositoryError(
                f"git cannot be run ({error.strerror}): is it installed?"
            ) from None
        self.top = Path(top).resolve()
        self.git_dir = Path(git_dir).resolve()

    def close(self) -> None:
        with self._reading:
            if self._reader is not None:
                stdin, stdout = _pipes(self._reader)
                stdin.close()  # cat-file ends at the end of its input
                stdout.close()
                self._reader.wait()
                self._reader = None

    def relative(self, path: Path) -> str:
        """The file's path in the repository: its folders' links followed, not its own (git
        keeps a link as a link), and never an error on a loop (os.path.realpath)."""
        real = Path(os.path.realpath(path.parent)) / path.name
        if not real.is_relative_to(self.top):
            raise RepositoryError(f"{path} is not in the repository at {self.top}")
        return real.relative_to(self.top).as_posix()

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        given: bytes | None = None,
    ) -> str:
        """git's output as text; GitFailed with what git said when it fails."""
        return self.run_bytes(*args, env=env, cwd=cwd, given=given).decode(
            "utf-8", errors="replace"
        )

    def run_bytes(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        given: bytes | None = None,
    ) -> bytes:
        """git's output; `given` is its input (none: it reads nothing)."""
        result = self._process(args, env, cwd, given)
        if result.returncode:
            output = (result.stdout + result.stderr).decode("utf-8", errors="replace").strip()
            raise GitFailed(args, output)
        return result.stdout

    def _process(
        self,
        args: tuple[str, ...],
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        given: bytes | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        options = [item for option in GIT_OPTIONS for item in ("-c", option)]
        return subprocess.run(
            ["git", *options, *args],
            cwd=cwd or self.top,
            env=self._env | (env or {}),
            input=given,
            stdin=subprocess.DEVNULL if given is None else None,
            capture_output=True,
        )

    def run_remote(self, *args: str) -> tuple[int, str]:
        """A git command that talks to a remote (fetch, push): (its exit code, what it said).
        It can never wait for a person: no terminal (a session of its own), no input, no
        prompts, ssh in batch mode unless the user chose an ssh command; and it is stopped,
        with every process it started, after NETWORK_PATIENCE seconds."""
        options = [item for option in GIT_OPTIONS for item in ("-c", option)]
        process = subprocess.Popen(
            ["git", *options, *args],
            cwd=self.top,
            env=self._env | self._batch_ssh(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=NETWORK_PATIENCE)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RepositoryError(
                f"git {args[0]} had no answer in {NETWORK_PATIENCE:.0f} s; nothing changed here"
            ) from None
        return process.returncode, output.decode("utf-8", errors="replace")

    def _batch_ssh(self) -> dict[str, str]:
        chosen = "GIT_SSH_COMMAND" in self._env or "GIT_SSH" in self._env
        if chosen or self.config("core.sshCommand"):
            return {"SSH_ASKPASS_REQUIRE": "never"}
        return {"GIT_SSH_COMMAND": BATCH_SSH, "SSH_ASKPASS_REQUIRE": "never"}

    # --- may we commit? -----------------------------------------------------------------

    def check_can_commit(self) -> None:
        """Refuse, saying how to get out of it, where a commit would land in the wrong place."""
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
        # One status answers both: is a branch checked out, and is anything unmerged?
        status = self.run("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no")
        entries = status.split("\0")
        if "# branch.head (detached)" in entries:
            raise RepositoryError(
                "HEAD is detached (no branch is checked out); `git switch main` first"
            )
        unmerged = sorted(e.split(" ", 10)[-1] for e in entries if e.startswith("u "))
        if unmerged:
            raise RepositoryError(f"unmerged paths, resolve them first: {', '.join(unmerged)}")

    def author(self, override: str | None = None) -> dict[str, str]:
        """The environment that names the commit's author; refuses when git knows nobody."""
        given = override or os.environ.get(AUTHOR_VARIABLE)
        if given:
            name, _, email = given.partition("<")
            if not name.strip() or not email.endswith(">"):
                raise RepositoryError(f"{given!r} is not an author such as 'Ada Lind <ada@x.se>'")
            env = {"GIT_AUTHOR_NAME": name.strip(), "GIT_AUTHOR_EMAIL": email[:-1].strip()}
            if not self._knows("GIT_COMMITTER_IDENT"):
                env["GIT_COMMITTER_NAME"] = env["GIT_AUTHOR_NAME"]
                env["GIT_COMMITTER_EMAIL"] = env["GIT_AUTHOR_EMAIL"]
            return env
        if self._identified:
            return {}
        self._identified = self._knows("GIT_AUTHOR_IDENT") and self._knows("GIT_COMMITTER_IDENT")
        if not self._identified:
            raise RepositoryError(
                "git does not know who you are: run\n"
                '  git config --global user.name "Your Name"\n'
                '  git config --global user.email "you@example.org"\n'
                f"or give --author 'Name <email>' (or set {AUTHOR_VARIABLE})"
            )
        return {}

    def _knows(self, identity: str) -> bool:
        try:
            self.run("var", identity)
            return True
        except GitFailed:
            return False

    # --- committing ---------------------------------------------------------------------

    @contextmanager
    def saving(self) -> Iterator[None]:
        """The repository's save lock, held from reading a file to committing it, so that
        saves by any number of processes and threads happen one after the other. Reentrant
        within a thread: `minutes set` holds it around its read and the save it calls."""
        with self._save_lock:
            if self._save_depth == 0:
                self._save_fd = self._lock_for_saving()
            self._save_depth += 1
            try:
                yield
            finally:
                self._save_depth -= 1
                if self._save_depth == 0:
                    os.close(self._save_fd)  # closing releases the flock

    def _lock_for_saving(self) -> int:
        path = self.git_dir / SAVE_LOCK
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        try:
            self._wait_for_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        try:  # who holds it, for the message of a save that waits too long
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass  # a full disk: the lock is held all the same, and the save may yet fit
        return fd

    def _wait_for_lock(self, fd: int) -> None:
        deadline = time.monotonic() + SAVE_PATIENCE
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                    raise RepositoryError(
                        f"another save to {self.top} has not finished in {SAVE_PATIENCE:.0f} s"
                        + (f" (pid {holder})" if holder.isdigit() else "")
                        + "; try again when it has"
                    ) from None
                time.sleep(0.02)

    def commit(
        self,
        paths: list[Path],
        message: str,
        author_env: dict[str, str],
        new: tuple[Path, ...] = (),
    ) -> str:
        """Commit exactly `paths` as they are in the working tree (as `git commit --only --
        PATH`): whatever else is staged or modified stays as it was. `new` are files git
        may not know yet (not in HEAD). Returns the id git reports for the commit it made. When git
        refuses, the index is as it was."""
        names = [self.relative(p) for p in paths]
        added = [self.relative(p) for p in new]
        if added:  # a file not in HEAD may still be in the index
            known = set(self.run("ls-files", "-z", "--", *added).split("\0"))
            added = [name for name in added if name not in known]
        if added:  # `commit --only` takes only paths git knows: announce the new ones
            self._patiently("add", "--intent-to-add", "--", *added)
        try:
            summary = self._patiently(
                "commit", "--only", "-m", message, "--", *names, env=author_env
            )
        except (GitFailed, RepositoryError) as failure:
            reason = (
                self._commit_failure(failure.output)
                if isinstance(failure, GitFailed)
                else str(failure)
            )
            if added:
                try:
                    self._patiently("rm", "--cached", "--quiet", "--", *added)
                except (GitFailed, RepositoryError) as cleanup:
                    reason += (
                        f"\nThe index still announces {', '.join(added)}: "
                        f"`git rm --cached -- PATH` removes it.\n{cleanup}"
                    )
            raise RepositoryError(reason) from None
        made = _SUMMARY.search(summary)
        if made is None:
            raise RepositoryError(f"git committed but did not say which commit:\n{summary}")
        commit = self.run("rev-parse", "--verify", f"{made[1]}^{{commit}}").strip()
        self._keep_packed()
        return commit

    def _keep_packed(self) -> None:
        objects = self.git_dir / "objects"
        try:
            loose = sum(
                len(os.listdir(objects / folder))
                for folder in os.listdir(objects)
                if len(folder) == 2  # the fan-out folders 00..ff; not pack/ or info/
            )
            if loose >= LOOSE_LIMIT:
                self.run("repack", "-d", "--quiet")  # the loose objects into one more pack
                # which joins packs once there are many; in the foreground, inside the save lock,
                # so that no git is still rewriting the store when the save has returned
                self.run("-c", "gc.autoDetach=false", "gc", "--auto", "--quiet")
        except (GitFailed, OSError):
            pass  # housekeeping only: the commit has landed

    def _commit_failure(self, output: str) -> str:
        hooks = Path(self.config("core.hooksPath") or self.git_dir / "hooks")
        for hook in ("pre-commit", "commit-msg"):
            if os.access(hooks / hook, os.X_OK):
                return f"git commit failed; the {hook} hook may have refused it:\n{output}"
        return f"git commit failed:\n{output}"

    def config(self, key: str) -> str:
        """A setting as git sees it here (the repository's, the user's, the system's); "" when
        unset."""
        try:
            return self.run("config", "--get", key).strip()
        except GitFailed:
            return ""

    def _patiently(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run a git command, retrying while another git process holds a lock."""
        deadline = time.monotonic() + LOCK_PATIENCE
        while True:
            try:
                return self.run(*args, env=env)
            except GitFailed as failure:
                # A lock file held, or HEAD moved by another commit while this one was made.
                if ".lock" not in failure.output and "cannot lock ref" not in failure.output:
                    raise
                if time.monotonic() > deadline:
                    raise RepositoryError(self._lock_message(failure.output)) from None
                time.sleep(0.05)

    def _lock_message(self, output: str) -> str:
        lock = self.git_dir / "index.lock"
        holders = _holders(lock)
        who = f"held by {holders}" if holders else "left behind by a git that stopped"
        return (
            f"another git process is using this repository ({lock} is {who}); "
            f"waited {LOCK_PATIENCE:.0f} s. If no git is running, remove {lock}.\n{output}"
        )

    # --- reading ------------------------------------------------------------------------

    def blob(self, sha: str) -> bytes:
        """A blob's content from the persistent `git cat-file --batch` (one process for all
        reads, instead of a process each); GitFailed when git has no such object."""
        with self._reading:
            reader = self._reader
            if reader is None or reader.poll() is not None:
                options = [item for option in GIT_OPTIONS for item in ("-c", option)]
                reader = self._reader = subprocess.Popen(
                    ["git", *options, "cat-file", "--batch"],
                    cwd=self.top,
                    env=self._env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            stdin, stdout = _pipes(reader)
            stdin.write(f"{sha}\n".encode())
            stdin.flush()
            header = stdout.readline()  # "<sha> blob <size>", or "<sha> missing"
            parts = header.split()
            if len(parts) != 3 or not parts[2].isdigit():
                answer = header.decode("utf-8", errors="replace").strip() or "no answer"
                raise GitFailed(("cat-file", sha), answer)
            size = int(parts[2])
            return stdout.read(size + 1)[:size]  # the content, then a newline

    def blob_at(self, rev: str, path: Path) -> bytes | None:
        """One file's content at a revision; None where it did not exist."""
        try:
            return self.run_bytes("cat-file", "blob", f"{rev}:{self.relative(path)}")
        except GitFailed:
            return None

    def is_commit(self, rev: str) -> bool:
        try:
            self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
            return True
        except GitFailed:
            return False

    def check_has_parent(self, commit: str, doing: str) -> None:
        """Refuse `doing` (what needs `commit`'s parent) where that parent is not here: the
        oldest commit of a shallow clone, or the repository's first commit."""
        if self.is_commit(f"{commit}^"):
            return
        if self.run("rev-parse", "--is-shallow-repository").strip() == "true":
            raise RepositoryError(
                f"cannot {doing}: the commit before it is not in this shallow clone; "
                "`git fetch --unshallow` fetches the rest of the history"
            )
        raise RepositoryError(f"cannot {doing}: it is the repository's first commit")

    def log(self, *args: str) -> str:
        return self.run("log", "--no-abbrev", "--no-ext-diff", "--no-textconv", "--no-color", *args)

    def diff(self, *args: str) -> bytes:
        """A diff as git computes it, never through a user's external diff or text filter."""
        return self.run_bytes("diff", "--no-ext-diff", "--no-textconv", "--no-color", *args)

    def is_modified(self, path: Path) -> bool:
        """Does the file differ from HEAD (or is it new)?"""
        return bool(self.run("status", "--porcelain", "--", self.relative(path)))

    def state(self) -> tuple[str, list[str]]:
        """(the branch checked out, or "(detached)"; the paths changed but not committed)."""
        status = self.run("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no")
        branch, changed = "", []
        for entry in status.split("\0"):
            if entry.startswith("# branch.head "):
                branch = entry.removeprefix("# branch.head ")
            elif entry[:2] in ("1 ", "2 ", "u "):
                changed.append(entry.split(" ", 8 if entry[0] == "1" else 9)[-1])
        return branch, changed

    def stopped(self) -> str:
        """The operation git stopped in, "merge" or "rebase"; "" where none is under way."""
        if (self.git_dir / "rebase-merge").exists() or (self.git_dir / "rebase-apply").exists():
            return "rebase"
        return "merge" if (self.git_dir / "MERGE_HEAD").exists() else ""

    def unmerged(self) -> list[str]:
        """The paths a merge or rebase left not merged, relative to the top."""
        status = self.run("status", "--porcelain=v2", "-z", "--untracked-files=no")
        return sorted(e.split(" ", 10)[-1] for e in status.split("\0") if e.startswith("u "))

    def blob_id(self, rev: str, path: Path) -> str | None:
        """The id of one file's blob at a revision; None where it did not exist."""
        try:
            return self.run(
                "rev-parse", "--verify", "--quiet", f"{rev}:{self.relative(path)}"
            ).strip()
        except GitFailed:
            return None

    # --- signed tags --------------------------------------------------------------------

    def store_blob(self, data: bytes) -> str:
        """Write `data` into the object store as a blob (`git hash-object -w`); its id."""
        return self.run("hash-object", "-w", "--stdin", given=data).strip()

    def signed_tag(self, name: str, target: str, message: str, env: dict[str, str]) -> None:
        """Make the annotated tag `name` on the object `target`, signed as the user's git is set
        up to sign (gpg.format, user.signingkey); `env` names the tagger."""
        try:
            self.run("tag", "--sign", "--message", message, "--", name, target, env=env)
        except GitFailed as failure:
            if "already exists" in failure.output:
                raise RepositoryError(f"the tag {name} already exists") from None
            raise RepositoryError(f"git could not sign the tag {name}:\n{failure.output}") from None

    def tags(self, fields: list[str]) -> list[list[str]]:
        """Every tag as the values of `fields` (for-each-ref's `%(…)` names), in one call."""
        format_ = "".join(f"%({field})%00" for field in fields)
        output = self.run("for-each-ref", f"--format={format_}", "refs/tags")
        values = output.split("\0")
        records = []
        for start in range(0, len(values) - len(fields), len(fields)):
            record = values[start : start + len(fields)]
            record[0] = record[0].removeprefix("\n")  # for-each-ref ends each record with one
            records.append(record)
        return records

    def verify_tag(self, tag: str, allowed_signers: Path) -> tuple[bool, str]:
        """(is the tag's signature good, what the signing program said: `verify-tag --raw`).
        SSH signatures are checked against `allowed_signers`, not the user's own list."""
        result = self._process(
            (
                "-c",
                f"gpg.ssh.allowedSignersFile={allowed_signers}",
                "verify-tag",
                "--raw",
                tag,
            )
        )
        output = (result.stdout + result.stderr).decode("utf-8", errors="replace")
        return result.returncode == 0, output

    def has_commits(self) -> bool:
        try:
            self.run("rev-parse", "--verify", "--quiet", "HEAD")
            return True
        except GitFailed:
            return False


def _environment() -> dict[str, str]:
    """The environment git runs in here: the process's, without what names another
    repository, never prompting, in English (messages are read), and without the index
    writes `git status` makes only to be faster next time (they contend with a save's lock,
    and fail on a full disk where reading would not)."""
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    return env | {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_EDITOR": "true",
        "LC_ALL": "C",
        "GIT_OPTIONAL_LOCKS": "0",
    }


def _unusable(path: Path, output: str) -> RepositoryError:
    """Why git cannot use the repository at `path`, from what it said."""
    if "detected dubious ownership" in output:
        top = output.partition("repository at '")[2].partition("'")[0] or path
        return RepositoryError(
            f"git refuses the repository at {top}: another user owns it. If you trust it, run "
            f"`git config --global --add safe.directory {top}`"
        )
    if "not a git repository" in output:
        return NotARepository(
            f"{path} is not in a git repository; `minutes init {path}` creates one"
        )
    said = output.splitlines()[0] if output else "no reason given"
    return RepositoryError(f"git cannot use the repository at {path}: {said}")


def ensure_repository(path: Path) -> bool:
    """Make `path` a git repository unless it is in one; True when one was made. Refuses
    (RepositoryError, nothing made) when it is in one git cannot use."""
    try:
        Repository(path).close()
        return False
    except NotARepository:
        pass
    result = subprocess.run(
        ["git", "init", "--quiet", str(path)],
        env=_environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    if result.returncode:
        said = (result.stdout + result.stderr).decode("utf-8", errors="replace").strip()
        raise RepositoryError(f"git init failed:\n{said}")
    return True


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """The input and output of a process started with both as pipes."""
    assert process.stdin is not None and process.stdout is not None
    return process.stdin, process.stdout


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
