"""Sharing the archive through a remote: minutes as git's merge driver for meetings, and sync.

Two people editing one meeting meet in git's merge. Registered here, `minutes merge-file`
merges meetings by meaning for every merge and rebase in the clone, `minutes sync`'s and a
plain `git pull`'s alike.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .format.writing import write_atomic
from .repository import Repository

DRIVER_NAME = "minutes: meetings merged by meaning"
ATTRIBUTE = "meetings/**/*.toml merge=minutes"
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
    return committed is not None and _has_attribute(committed.decode("utf-8", errors="replace"))


def _has_attribute(text: str) -> bool:
    return ATTRIBUTE in (line.strip() for line in text.splitlines())


def _add_attribute(path: Path) -> None:
    """The attribute's line at the end of the file, whatever else the file says kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if _has_attribute(text):
        return
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, f"{text}{ATTRIBUTE}\n")
