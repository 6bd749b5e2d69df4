"""The archive as a static web site: an index of bodies and years, a page and a PDF per
meeting, the notices of adjustment that are up, and the calendar.

    DIR/index.html                 bodies, each with its years
    DIR/notices.html               the notices (anslag) up today
    DIR/calendar.ics               every planned and decided meeting
    DIR/style.css
    DIR/FOLDER/YEAR.html           a body's meetings of a year
    DIR/FOLDER/STEM.html, .pdf     one meeting (STEM: its file's name, `2024-04-26`)

What is published is what is committed: a site is not made from changes not yet saved. A
manifest in DIR remembers which version of each file every page was made from, so publishing
again after one save renders that meeting alone; the pages made from all meetings are made
again from what the manifest keeps and written only where they differ. A whole site is made in
a process per processor, the PDFs being nearly all of its time.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import web_page
from .archive import ArchiveError
from .deadlines import appeal_ends, notice_may_come_down
from .labels import labels, long_date

if TYPE_CHECKING:
    from .archive import Archive, Entry

MANIFEST = ".minutes-publish.json"
STYLESHEET = "style.css"
_MAKERS = ("render.py", "labels.py", "web_page.py", "web.css", "pdf.py", "protocol.typ")
"""The files that decide how a meeting looks: a change to any makes every page again."""


@dataclass
class Site:
    meetings: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def publish(archive: Archive, folder: Path, today: dt.date, base_url: str | None = None) -> Site:
    """ArchiveError when meetings have changes not committed; ValueError for a base URL that
    is no http(s) address (both before anything is written)."""
    if base_url is not None:
        from .calendar_feed import checked_base_url

        checked_base_url(base_url)
    versions = _versions(archive)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        return _Publisher(archive, folder, today, base_url, versions).run()


def _versions(archive: Archive) -> dict[str, str]:
    """Each meeting and body file (`FOLDER/NAME`) with the id of its version: git's, as
    committed; refused where a file has changes not committed."""
    from .repository import NotARepository, repository_for

    try:
        repository = repository_for(archive.root)
    except NotARepository:
        return {
            f"{path.parent.name}/{path.name}": f"{stat.st_size}:{stat.st_mtime_ns}"
            for path in archive.meetings.glob("*/*.toml")
            if (stat := path.stat())
        }
    prefix = repository.relative(archive.meetings) + "/"
    changed = [name for name in repository.state()[1] if name.startswith(prefix)]
    if changed:
        raise ArchiveError(
            f"{', '.join(changed)}: changes not committed; save or commit them first, "
            "as what is published is what is committed"
        )
    listing = repository.run("ls-tree", "-r", "-z", "HEAD", "--", prefix)
    versions = {}
    for line in filter(None, listing.split("\0")):
        info, _, name = line.partition("\t")
        versions[name.removeprefix(prefix)] = info.split()[2]
    return versions


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One publisher at a time in a folder (any process): the manifest is read and written
    whole."""
    fd = os.open(folder / (MANIFEST + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class _Publisher:
    def __init__(
        self,
        archive: Archive,
        folder: Path,
        today: dt.date,
        base_url: str | None,
        versions: dict[str, str],
    ):
        self.archive, self.folder, self.today, self.base_url = archive, folder, today, base_url
        self.versions = versions
        self.site = Site()
        self.makers = _makers()
        old = _read_manifest(folder / MANIFEST)
        rows = old.get("meetings") if old.get("makers") == self.makers else None
        self.old_rows: dict[str, dict] = {
            key: row for key, row in (rows.items() if isinstance(rows, dict) else ()) if _sound(row)
        }
        files = old.get("files")
        self.old_files: set[str] = {
            name for name in (files if isinstance(files, list) else ()) if _ours(name)
        }
        self.files: set[str] = set()
        self.present = _present(folder)

    def run(self) -> Site:
        entries = [e for e in self.archive.entries() if e.key in self.versions]
        unpublished = [e.key for e in self.archive.entries() if e.key not in self.versions]
        if unpublished:
            raise ArchiveError(
                f"{', '.join(unpublished)}: not committed; save or commit them first, "
                "as what is published is what is committed"
            )
        rows = {}
        stale = [e for e in entries if self._stale(e)]
        from .export import changed_at

        times = changed_at(self.archive, [e.path for e in stale]) if stale else {}
        made = _made(self.archive, [(e, times[e.path]) for e in stale])
        for entry in entries:
            if entry in made:
                row, page, pdf = made[entry]
                rows[entry.key] = {"source": self._source(entry), **row}
                page_file, pdf_file = _meeting_files(entry.folder, row["stem"])
                self._write(page_file, page)
                self._write(pdf_file, pdf)
            else:
                rows[entry.key] = self.old_rows[entry.key]
                self.files.update(_meeting_files(entry.folder, rows[entry.key]["stem"]))
                self.site.unchanged += 2
        self.site.meetings = len(entries)
        self._write(STYLESHEET, web_page.STYLESHEET().encode())
        self._aggregates(entries, rows)
        for name in sorted(self.old_files - self.files):
            (self.folder / name).unlink(missing_ok=True)
            self.site.removed += 1
        _write_file(
            self.folder / MANIFEST,
            json.dumps(
                {"makers": self.makers, "meetings": rows, "files": sorted(self.files)},
                ensure_ascii=False,
            ).encode(),
        )
        return self.site

    def _source(self, entry: Entry) -> str:
        """What a meeting's page is made from: its file's and its body's versions."""
        return self.versions[entry.key] + "+" + self.versions.get(f"{entry.folder}/body.toml", "")

    def _stale(self, entry: Entry) -> bool:
        row = self.old_rows.get(entry.key)
        return (
            row is None
            or row["source"] != self._source(entry)
            or not all(name in self.present for name in _meeting_files(entry.folder, row["stem"]))
        )

    # --- the pages made from every meeting ------------------------------------------------

    def _aggregates(self, entries: list[Entry], rows: dict[str, dict]) -> None:
        from .calendar_feed import calendar

        bodies = {
            folder: list(group)
            for folder, group in groupby(
                sorted(entries, key=lambda e: (e.folder, e.date)), key=lambda e: e.folder
            )
        }
        language = _most(rows[e.key]["language"] for e in entries)
        words = labels(language)
        main = [f"<h1>{web_page.text(words['web_archive'])}</h1>"]
        main += [
            "<ul>",
            f'<li><a href="notices.html">{web_page.text(words["web_notices"])}</a></li>',
            f'<li><a href="calendar.ics">{web_page.text(words["web_calendar"])}</a></li>',
            "</ul>",
        ]
        for folder, meetings in bodies.items():
            name = rows[meetings[-1].key]["body"]
            years = sorted({e.date.year for e in meetings}, reverse=True)
            main.append(f"<h2>{web_page.text(name)}</h2>")
            main.append('<ul class="years">')
            main += [f'<li><a href="{quote(folder)}/{year}.html">{year}</a></li>' for year in years]
            main.append("</ul>")
            for year in years:
                self._year(
                    folder, name, year, [rows[e.key] for e in meetings if e.date.year == year]
                )
        self._write(
            "index.html",
            web_page.document(words["web_archive"], language, main, STYLESHEET).encode(),
        )
        self._notices(entries, rows, language)
        self._write("calendar.ics", calendar(self.archive, self.base_url))

    def _year(self, folder: str, body_name: str, year: int, rows: list[dict]) -> None:
        language = _most(row["language"] for row in rows)
        words = labels(language)
        title = f"{body_name} {year}"
        main = [f"<h1>{web_page.text(title)}</h1>", "<ul>"]
        for row in reversed(rows):
            date = dt.date.fromisoformat(row["date"])
            kind = labels(row["language"]).get(row["kind"], row["kind"])
            stem = quote(row["stem"])
            when = web_page.text(long_date(date, row["language"]))
            main.append(
                f'<li><a href="{stem}.html">{when}</a> {web_page.text(kind)} '
                f'(<a href="{stem}.pdf">PDF</a>)</li>'
            )
        main.append("</ul>")
        nav = [("../index.html", words["web_archive"]), ("", title)]
        page = web_page.document(title, language, main, f"../{STYLESHEET}", nav)
        self._write(f"{folder}/{year}.html", page.encode())

    def _notices(self, entries: list[Entry], rows: dict[str, dict], language: str) -> None:
        words = labels(language)
        up = []
        for entry in entries:
            row = rows[entry.key]
            if not row["notice"]:
                continue
            posted = dt.date.fromisoformat(row["notice"][0])
            down = row["notice"][1]
            until = dt.date.fromisoformat(down) if down else notice_may_come_down(posted)
            if posted <= self.today < until:
                up.append((entry, row, posted))
        main = [f"<h1>{web_page.text(words['web_notices'])}</h1>"]
        if not up:
            main.append(f"<p>{web_page.text(words['web_notices_none'])}</p>")
        else:
            main.append("<ul>")
            for entry, row, posted in up:
                own = labels(row["language"])
                text = (
                    f"{row['body']}, {own.get(row['kind'], row['kind'])} "
                    f"{entry.date.isoformat()}: {own['notice_posted']} {posted.isoformat()}, "
                    f"{own['appeals']} {appeal_ends(posted).isoformat()}"
                )
                href = f"{quote(entry.folder)}/{quote(row['stem'])}.html"
                main.append(
                    f'<li lang="{web_page.text(row["language"])}"><a href="{href}">'
                    f"{web_page.text(text)}</a></li>"
                )
            main.append("</ul>")
        nav = [("index.html", words["web_archive"]), ("", words["web_notices"])]
        self._write(
            "notices.html",
            web_page.document(words["web_notices"], language, main, STYLESHEET, nav).encode(),
        )

    def _write(self, name: str, data: bytes) -> None:
        self.files.add(name)
        path = self.folder / name
        try:
            if path.read_bytes() == data:
                self.site.unchanged += 1
                return
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(path, data)
        self.site.written += 1


def _sound(row: object) -> bool:
    """Whether a manifest's row of a meeting is one this code wrote; any other is made again."""
    if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in _ROW_TEXTS):
        return False
    try:
        dt.date.fromisoformat(row["date"])
        notice = row["notice"]
        if notice is not None:
            posted, down = notice
            dt.date.fromisoformat(posted)
            if down is not None:
                dt.date.fromisoformat(down)
    except (KeyError, TypeError, ValueError):
        return False
    return True


_ROW_TEXTS = ("source", "stem", "date", "kind", "language", "body")


def _ours(name: object) -> bool:
    """Whether a manifest's file could be one publish wrote: a name inside the site. A
    manifest edited by hand cannot make publish remove a file elsewhere."""
    return (
        isinstance(name, str)
        and name != MANIFEST
        and not name.startswith("/")
        and ".." not in name.split("/")
        and "\\" not in name
    )


Made = tuple[dict, bytes, bytes]
"""A meeting's row of the manifest (but its source), its page and its PDF."""

_PER_PROCESS = 16
"""Meetings worth starting another process for: each PDF takes ~50 ms, a process ~0.3 s."""


def _made(archive: Archive, stale: list[tuple[Entry, dt.datetime]]) -> dict[Entry, Made]:
    """Each meeting's page and PDF, made in as many processes as there are processors to
    run them when there are many (a whole site: the PDFs are nearly all of its time)."""
    processes = min(len(os.sched_getaffinity(0)), len(stale) // _PER_PROCESS)
    if processes < 2:
        return {entry: _meeting(archive, entry, changed) for entry, changed in stale}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Spawned, not forked: a fork copies Typst's threads' locks as they are, held or not, and a
    # process that has made a PDF already would hang its children.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, spawn, initializer=_open, initargs=(archive.root,)) as pool:
        made = pool.map(_meeting_in_process, stale, chunksize=8)
        return {entry: result for (entry, _), result in zip(stale, made, strict=True)}


_archive: Archive | None = None
"""The archive a process making pages reads."""


def _open(root: Path) -> None:
    from .archive import Archive

    global _archive
    _archive = Archive(root)


def _meeting_in_process(job: tuple[Entry, dt.datetime]) -> Made:
    assert _archive is not None  # _open ran first
    return _meeting(_archive, *job)


def _meeting(archive: Archive, entry: Entry, changed: dt.datetime) -> Made:
    from .pdf import as_pdf

    meeting, _ = archive.load(entry)
    body_name = archive.body_name(entry.folder)
    stem = entry.name.removesuffix(".toml")
    words = labels(meeting.language)
    page = web_page.meeting_page(
        meeting,
        body_name,
        stylesheet=f"../{STYLESHEET}",
        nav=[
            ("../index.html", words["web_archive"]),
            (f"{entry.date.year}.html", f"{body_name} {entry.date.year}"),
            ("", long_date(entry.date, meeting.language)),
        ],
        pdf=f"{quote(stem)}.pdf",
    )
    notice = meeting.notice
    row = {
        "stem": stem,
        "date": entry.date.isoformat(),
        "kind": meeting.kind,
        "language": meeting.language,
        "body": body_name,
        "notice": [
            notice.posted.isoformat(),
            notice.taken_down and notice.taken_down.isoformat(),
        ]
        if notice
        else None,
    }
    return row, page.encode(), as_pdf(meeting, body_name, changed)


def _present(folder: Path) -> set[str]:
    """The site's files by their names in it: one walk, not a stat for each of 20,000."""
    return {
        f"{os.path.relpath(top, folder)}/{name}".removeprefix("./")
        for top, _, names in os.walk(folder)
        for name in names
    }


def _meeting_files(folder: str, stem: str) -> tuple[str, str]:
    return f"{folder}/{stem}.html", f"{folder}/{stem}.pdf"


def _write_file(path: Path, data: bytes) -> None:
    """Whole or not at all for whoever reads the site meanwhile (a rename). Not flushed to
    disk one by one: after a crash, publishing again repairs the site."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_manifest(path: Path) -> dict:
    try:
        found = json.loads(path.read_bytes())
    except (FileNotFoundError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _makers() -> str:
    """A fingerprint of the code that makes the pages."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _MAKERS:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _most(languages: Iterator[str] | list[str]) -> str:
    """The language most of these are in (Swedish on a tie or none)."""
    counted: dict[str, int] = {}
    for language in languages:
        counted[language] = counted.get(language, 0) + 1
    return max(sorted(counted), key=lambda lang: (counted[lang], lang == "sv"), default="sv")
