"""One meeting as a document to hand on: PDF, HTML, Markdown or plain text.

A document made twice from the same file is the same bytes: its date is the time of the commit
that last changed the file (the file's own time while it has changes not yet committed), so
a published copy can be checked against the archive.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .archive import Archive, Entry

FORMATS = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
"""Each format with the suffix of its files."""


def format_of(path: Path | None) -> str:
    """The format a file's suffix names; PDF for any other."""
    suffix = path.suffix.lower() if path else ""
    return next((form for form, known in FORMATS.items() if known == suffix), "pdf")


def export_to(archive: Archive, entry: Entry, path: Path, form: str | None = None) -> Path:
    """Write the meeting to `path` whole or not at all; the file written, made absolute."""
    from .format.writing import write_atomic

    document = export(archive, entry, form or format_of(path))
    write_atomic(path, document)
    return path.absolute()


def export(archive: Archive, entry: Entry, form: str) -> bytes:
    meeting, _ = archive.load(entry)
    body_name = archive.body_name(entry.folder)
    if form == "pdf":
        from .pdf import as_pdf

        return as_pdf(meeting, body_name, changed_at(archive, [entry.path])[entry.path])
    if form == "html":
        from .web_page import meeting_page

        return meeting_page(meeting, body_name).encode()
    from . import render

    layout = render.blocks(meeting, body_name)
    dressed = render.as_markdown(layout) if form == "markdown" else render.as_text(layout)
    return dressed.encode()


def changed_at(archive: Archive, paths: Iterable[Path]) -> dict[Path, dt.datetime]:
    """When each file last changed: its latest commit's time, found in one walk of the
    history; the file's modification time where it has changes git has not committed, or
    the archive is no repository."""
    wanted = {path.resolve(): path for path in paths}
    found: dict[Path, dt.datetime] = {}
    committed = _committed(archive, wanted)
    for real, path in wanted.items():
        found[path] = committed.get(real) or dt.datetime.fromtimestamp(
            os.stat(path).st_mtime, dt.UTC
        )
    return found


def _committed(archive: Archive, wanted: dict[Path, Path]) -> dict[Path, dt.datetime]:
    """The files of `wanted` unchanged since their latest commit, with its time."""
    from .archive import MEETINGS
    from .repository import RepositoryError, repository_for

    try:
        repository = repository_for(archive.root)
        changed = {repository.top / name for name in repository.state()[1]}
        if not repository.has_commits():
            return {}
        names = [repository.relative(path) for path in wanted]
        # A few files are found fastest by name; many by walking the folder once.
        specs = names if len(names) <= 64 else [MEETINGS]
        log = repository.log("--format=%x00%ct", "--name-only", "HEAD", "--", *specs)
    except RepositoryError:
        return {}
    times: dict[Path, dt.datetime] = {}
    left = set(wanted) - changed
    for commit in log.split("\0")[1:]:
        stamp, *names = commit.split("\n")
        for name in filter(None, names):
            path = repository.top / name
            if path in left:
                times[path] = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
                left.discard(path)
        if not left:
            break
    return times
