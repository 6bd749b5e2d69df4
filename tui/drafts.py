"""Unsaved edits kept on disk, like an editor's swap file: written whenever an edit changes,
removed when it is saved or given up, and offered again when its meeting is opened after the
app was closed, killed or cut off (a dropped SSH connection).

Drafts live in the repository's git folder, so they are never committed and each clone has its
own. A draft holds the meeting file's text as the edit would save it and the text the file held
when the edit began, so that restoring it meets the same changed-on-disk check a save does.
Each run of the app writes drafts of its own (a file per meeting and run): two people on one
shared account editing the same meeting, or a new edit made before an older draft was decided
on, never write over another's draft.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from .json_cache import read_json

VERSION = 1


class Draft(NamedTuple):
    key: str
    """The meeting's name in the archive: `folder/2024-04-26.toml`."""
    text: str
    """The meeting file's text as the edit would save it."""
    base: str | None
    """What the file held when the edit began; None: a new meeting, no file yet."""
    kept_at: dt.datetime
    path: Path
    """The draft's own file."""


class Drafts:
    def __init__(self, git_dir: Path):
        self.folder = git_dir / "minutes" / "drafts"
        self.run = f"{os.getpid()}-{time.time_ns()}"
        """This run's mark on the files it writes."""

    def keep(self, key: str, text: str, base: str | None) -> None:
        """Write this run's draft of `key`, replacing its earlier one. Atomic (a rename), but
        not forced to the disk: a draft guards against a lost process, not a lost machine,
        and is written at every pause in typing."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._own(key)
        temporary = path.with_name(f".{path.name}.tmp")
        data = {
            "version": VERSION,
            "key": key,
            "text": text,
            "base": base,
            "kept_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        try:
            # ASCII JSON: a file name that is not UTF-8 (held as surrogates) is kept as it is.
            temporary.write_text(json.dumps(data), encoding="ascii")
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def drop_own(self, key: str) -> None:
        """Remove this run's draft of `key`."""
        with contextlib.suppress(OSError):
            self._own(key).unlink(missing_ok=True)

    def drop(self, draft: Draft) -> None:
        """Remove a draft; one that cannot be removed is offered again next time."""
        with contextlib.suppress(OSError):
            draft.path.unlink(missing_ok=True)

    def of(self, key: str) -> list[Draft]:
        """The drafts of `key` that other runs kept, newest first."""
        return [d for d in reversed(self.all()) if d.key == key and d.path != self._own(key)]

    def all(self) -> list[Draft]:
        """Every draft that can be read, oldest first."""
        try:
            names = sorted(n for n in os.listdir(self.folder) if n.endswith(".json"))
        except OSError:
            return []
        found = [_draft(self.folder / name) for name in names]
        return sorted((d for d in found if d is not None), key=lambda d: d.kept_at)

    def _own(self, key: str) -> Path:
        """Named for the key (the start of it, as a file name may be 255 bytes at most) and a
        digest of it, so that two keys never share a file."""
        named = quote(key, safe="", errors="surrogateescape")[:100]
        digest = hashlib.sha256(key.encode(errors="surrogateescape")).hexdigest()[:12]
        return self.folder / f"{named}-{digest}.{self.run}.json"


def _draft(path: Path) -> Draft | None:
    """The draft in a file written by `keep`; None for anything else (damaged, foreign)."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    key, text, base, kept_at = (data.get(k) for k in ("key", "text", "base", "kept_at"))
    if not (isinstance(key, str) and isinstance(text, str) and isinstance(kept_at, str)):
        return None
    if base is not None and not isinstance(base, str):
        return None
    try:
        return Draft(key, text, base, dt.datetime.fromisoformat(kept_at), path)
    except ValueError:
        return None
