"""The archive: a `meetings/` folder with one folder per body, each holding `body.toml` and one
file per meeting named by its date. Finding meetings, numbering §§, and the next meeting.

Listing reads file names and headers only; a meeting is parsed in full when it is opened.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import ranges
from .format.header import Header, read_header, read_name
from .format.names import date_from_name
from .problems import FormatError, Problem
from .terminal import UNSAFE

if TYPE_CHECKING:
    from .model import Body, Meeting
    from .search import Hit
    from .search_query import Query

MEETINGS = "meetings"
BODY_FILE = "body.toml"
BUNDLED = Path(__file__).resolve().parent.parent
"""The source checkout this package runs from, whose `meetings/` is the default archive."""


_CONTROLS = "has control characters in its name: not a meeting or body until renamed"


class ArchiveError(Exception):
    """The archive cannot be found or a meeting cannot be named; the message says what to do."""


class Entry(NamedTuple):
    """A meeting file, known from its name alone. Ordered by date, then body, then name.

    Its path is made when asked for: an archive of 10,000 meetings is listed at every start."""

    date: dt.date
    folder: str
    """The body's folder name under `meetings/`."""
    name: str
    meetings: Path
    """The archive's `meetings/` folder."""

    @property
    def key(self) -> str:
        """`folder/2024-04-26.toml`: the meeting's name within the archive."""
        return f"{self.folder}/{self.name}"

    @property
    def path(self) -> Path:
        return self.meetings / self.folder / self.name


class Summary(NamedTuple):
    """What a list shows of one meeting: its entry, its header, or why it cannot be read."""

    entry: Entry
    header: Header | None
    problem: FormatError | None


class Upcoming(NamedTuple):
    date: dt.date
    time: dt.time | None
    body: str
    note: str
    source: Path

    def days_from(self, today: dt.date) -> int:
        return (self.date - today).days


class Archive:
    def __init__(self, root: Path, fallback: bool = False):
        self.root = root
        self.meetings = root / MEETINGS
        self.fallback = fallback
        """Opened only because no archive was found from the current folder: the bundled
        one, which is read but not written."""
        self._names: dict[str, str] = {}

    @classmethod
    def find(cls, repo: Path | None = None, start: Path | None = None) -> Archive:
        """The archive at `repo`, else the nearest one above `start` (as git finds its
        repository), else the one bundled with this checkout."""
        if repo is not None:
            if not (repo / MEETINGS).is_dir():
                raise ArchiveError(
                    f"{repo} has no {MEETINGS}/ folder; create an archive there with "
                    f"`minutes init {repo}`"
                )
            return cls(repo.resolve())
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / MEETINGS).is_dir():
                return cls(folder)
        if (BUNDLED / MEETINGS).is_dir():
            return cls(BUNDLED, fallback=True)
        raise ArchiveError(
            f"no {MEETINGS}/ folder here or above; use --repo PATH or `minutes init`"
        )

    # --- finding meetings -------------------------------------------------------------

    def folders(self) -> list[str]:
        """The bodies' folders: the folders in `meetings/`, and links to folders in the
        archive. A link out of it, or in a loop, is none (`strays` says why)."""
        return sorted(
            entry.name
            for entry in os.scandir(self.meetings)
            if not entry.name.startswith(".") and self._refused(entry) is None
        )

    def _refused(self, entry: os.DirEntry) -> Problem | None:
        """Why an entry of `meetings/` is not a body's folder; None when it is one."""
        path = Path(entry.path)
        if UNSAFE.search(entry.name):
            return Problem(_CONTROLS, path=path, warning=True)
        try:
            if not entry.is_dir():
                return Problem(
                    "is not a meeting file: names start with the date, e.g. 2024-04-26.toml",
                    path=path,
                    warning=True,
                )
        except OSError as error:  # a link in a loop
            return Problem(f"cannot be read: {error.strerror}", path=path)
        if entry.is_symlink() and not _real(path).is_relative_to(_real(self.root)):
            return Problem("is a link to a folder outside the archive; refused", path=path)
        return None

    def entries(self, folder: str | None = None) -> list[Entry]:
        """Meeting files, oldest first, from their names only."""
        found = []
        for name in [folder] if folder else self.folders():
            dated = self._dated(name, files_only=True)
            found += [Entry(date, name, file, self.meetings) for date, file in dated]
        return sorted(found)

    def _dated(self, folder: str, files_only: bool = False) -> list[tuple[dt.date, str]]:
        """(date, file name) of a body's meetings, oldest first: no paths made, no file read.
        With `files_only`, a folder named like a meeting is left out (`strays` reports it),
        at the cost of a directory entry for each name; the next meeting need not ask, as it
        reads what it announces, and a folder cannot be read."""
        path = self.meetings / folder
        names = (
            [entry.name for entry in os.scandir(path) if not _is_folder(entry)]
            if files_only
            else os.listdir(path)
        )
        found = []
        for name in names:
            date = date_from_name(name)
            if date is not None:
                found.append((date, name))
        return sorted(found)

    def new_entry(self, folder: str, date: dt.date) -> Entry:
        """Where a new meeting of a body on a day is written; `taken` if a file is there."""
        return Entry(date, folder, f"{date}.toml", self.meetings)

    def taken(self, folder: str, date: dt.date) -> bool:
        return self.new_entry(folder, date).path.exists()

    def _entry(self, folder: str, date: dt.date, name: str) -> Entry:
        return Entry(date, folder, name, self.meetings)

    def strays(self) -> Iterator[Problem]:
        """What is neither a body's folder, a body file nor named as a meeting file."""
        for entry in os.scandir(self.meetings):
            refused = not entry.name.startswith(".") and self._refused(entry)
            if refused:
                yield refused
        for name in self.folders():
            for file in os.scandir(self.meetings / name):
                if file.name.startswith(".") or file.name == BODY_FILE:
                    continue
                if UNSAFE.search(file.name):
                    yield Problem(_CONTROLS, path=Path(file.path), warning=True)
                elif date_from_name(file.name) is None:
                    yield Problem(
                        "is not a meeting file: names start with the date, e.g. 2024-04-26.toml",
                        path=Path(file.path),
                        warning=True,
                    )
                elif _is_folder(file):
                    yield Problem(
                        "is a folder named like a meeting; a meeting is a file",
                        path=Path(file.path),
                        warning=True,
                    )

    def resolve(self, spec: str) -> Entry:
        """A meeting named by a date, a path, or `latest`."""
        entries = self.entries()
        if spec == "latest":
            today = dt.date.today()
            held = [e for e in entries if e.date <= today] or entries
            if not held:
                raise ArchiveError("the archive has no meetings yet")
            return held[-1]
        path = Path(spec)
        if path.suffix == ".toml" or os.sep in spec:
            by_key = {entry.key: entry for entry in entries}
            key = spec if spec.endswith(".toml") else f"{spec}.toml"
            if key in by_key and not path.exists():  # as `due` and the app name it
                return by_key[key]
            path = _real(path)
            for entry in entries:
                if _real(entry.path) == path:
                    return entry
            raise ArchiveError(f"{spec} is not a meeting file of the archive in {self.root}")
        try:
            date = dt.date.fromisoformat(spec)
        except ValueError:
            raise ArchiveError(
                f"{spec!r} names no meeting: give a date (2024-04-26), a path, or latest"
            ) from None
        matches = [e for e in entries if e.date == date]
        if not matches:
            raise ArchiveError(f"no meeting on {date}")
        if len(matches) > 1:
            paths = ", ".join(str(self.relative(e.path)) for e in matches)
            raise ArchiveError(f"{len(matches)} meetings on {date}: name one by path ({paths})")
        return matches[0]

    def refuse_writing_to_fallback(self) -> None:
        """A write goes to an archive the user chose: found from the current folder or given
        with --repo, never the bundled one only because nothing else was found."""
        if self.fallback:
            raise ArchiveError(
                f"no archive in {Path.cwd()} or above, and the bundled one in {self.root} is "
                "only written from inside it or with --repo; cd into your archive or give "
                "--repo PATH"
            )

    def relative(self, path: Path) -> Path:
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    # --- reading ----------------------------------------------------------------------

    def body(self, folder: str) -> Body:
        """The body of a folder; FormatError if its body file is broken."""
        from .format.files import load_body
        from .model import Body

        path = self.meetings / folder / BODY_FILE
        return load_body(path, self.root)[0] if os.path.lexists(path) else Body(name=folder)

    def body_name(self, folder: str) -> str:
        """The body's name, read without the rest of its file; the folder's if it has none."""
        if folder not in self._names:
            try:
                self._names[folder] = read_name(self.meetings / folder / BODY_FILE, self.root)
            except FormatError:
                self._names[folder] = folder
        return self._names[folder]

    def open(self, entry: Entry) -> tuple[Meeting, list[Problem], str]:
        """A meeting to edit: with its text as read, which a save checks the disk against."""
        from .format.files import parse_meeting
        from .format.reading import read_text

        text, warnings = read_text(entry.path, self.root)
        meeting, problems = parse_meeting(text, entry.path)
        return meeting, warnings + problems, text

    def load(self, entry: Entry) -> tuple[Meeting, list[Problem]]:
        from .format.files import load_meeting

        return load_meeting(entry.path, self.root)

    def header(self, entry: Entry) -> Header:
        return read_header(entry.path, self.root)

    def stats(self) -> list[tuple[Entry, os.stat_result]]:
        """Every meeting file, as `entries` finds them, with its own `lstat` (a link's, not its
        target's): a stat per file, for what must notice any change of any file."""
        found = []
        for folder in self.folders():
            with os.scandir(self.meetings / folder) as scan:
                for file in scan:
                    date = date_from_name(file.name)
                    if date is None or _is_folder(file):
                        continue
                    try:
                        stat = file.stat(follow_symlinks=False)
                    except OSError:  # gone since it was listed
                        continue
                    found.append((Entry(date, folder, file.name, self.meetings), stat))
        return found

    def searched(self, entry: Entry) -> Meeting:
        """A meeting as far as it can be read, for searching: a wrong value takes its default
        and rules are not checked (its text is still there to find). FormatError when the file
        cannot be read or is no TOML."""
        from .format.files import read_version
        from .format.reading import read_file

        return read_version(read_file(entry.path, self.root))

    def search(self, query: Query) -> Iterator[tuple[Entry, Hit]]:
        """The query's hits in every readable meeting, newest first: a scan of the files, for
        where there is no search index (`tui.search_index`). A file is parsed only when its text
        holds every word of the query: most of a large archive then costs one read."""
        from .format.files import read_version
        from .format.reading import read_file
        from .search import body_matches, in_range, search
        from .search_query import normal

        words = [word for term in (*query.terms, *query.people) for word in term.tokens]
        for entry in reversed(self.entries()):
            if not in_range(query, entry.date) or not body_matches(
                query, entry.folder, self.body_name(entry.folder)
            ):
                continue
            try:
                data = read_file(entry.path, self.root)
                if words:
                    text = normal(data.decode("utf-8", "replace")).lower()
                    # A TOML escape (\u00e5) may spell a word: those files are parsed anyway.
                    if "\\" not in text and not all(word in text for word in words):
                        continue
                meeting = read_version(data)
            except FormatError:
                continue
            for hit in search(meeting, query):
                yield entry, hit

    def summaries(self) -> list[Summary]:
        from .file_cache import headers

        cache = headers(self.root)
        result = []
        for entry in self.entries():
            try:
                stat = os.lstat(entry.path)
                header = cache.get(entry.key, stat)
                if header is None:
                    header = self.header(entry)
                    cache.put(entry.key, stat, header)
                result.append(Summary(entry, header, None))
            except FormatError as error:
                result.append(Summary(entry, None, error))
            except OSError as error:
                problem = Problem(f"cannot be read: {error.strerror}", path=entry.path)
                result.append(Summary(entry, None, FormatError([problem])))
        cache.save()
        return result

    def broken(self) -> dict[Entry, str]:
        """Every meeting file that fails a full check, with its first problem. Files that
        passed before and have not changed since are not parsed again."""
        from .file_cache import verdicts

        cache = verdicts(self.root)
        found = {}
        for entry in self.entries():
            try:
                stat = os.lstat(entry.path)
            except OSError as error:
                found[entry] = f"{entry.path}: cannot be read: {error.strerror}"
                continue
            verdict = cache.get(entry.key, stat)
            if verdict is None:
                try:
                    self.load(entry)
                    verdict = ""
                except FormatError as error:
                    verdict = str(error.problems[0])
                cache.put(entry.key, stat, verdict)
            if verdict:
                found[entry] = verdict
        cache.save()
        return found

    # --- numbering --------------------------------------------------------------------

    def first_number(self, folder: str, date: dt.date) -> int:
        """The first § of a new meeting: one after the last § of the body's latest earlier
        meeting in the same year, else 1."""
        earlier = [e for e in self.entries(folder) if e.date.year == date.year and e.date < date]
        for entry in reversed(earlier):
            try:
                numbers = self.header(entry).numbers
            except FormatError:
                continue
            if numbers:
                return max(numbers) + 1
        return 1

    # --- the next meeting -------------------------------------------------------------

    def upcoming(self, today: dt.date) -> tuple[Upcoming | None, Upcoming | None]:
        """(the next meeting on or after today, else None and the latest known date).

        Per body, the candidates are its earliest planned meeting (a file dated today or later)
        and the next meeting decided at its latest held meeting: later decisions replace
        earlier ones, so older meetings need not be read. Planned files are read only when
        their date is the soonest, and only the winner's body file is read. A file that cannot
        be read is no meeting: the body's next planned file takes its place. A cancelled one
        is none either, nor is a decision naming its day; the next meeting it names (the day
        the body meets instead) is one.
        """
        ahead: list[tuple[str, list[tuple[dt.date, str]]]] = []
        """Each body's folder with its planned files' (date, name), latest first."""
        decided: list[Upcoming] = []
        last_held: list[Upcoming] = []
        for folder in self.folders():
            dated = self._dated(folder)
            split = next((i for i, (d, _) in enumerate(dated) if d >= today), len(dated))
            if split < len(dated):
                ahead.append((folder, dated[split:][::-1]))  # the soonest last, to pop
            decision, latest = self._decided(folder, dated[:split])
            if decision:
                decided.append(decision)
            if latest:  # the last known, should no decision stand (one may name a cancelled day)
                last_held.append(latest)
        read: dict[tuple[str, str], Upcoming | None] = {}
        while True:
            dates = [p[-1][0] for _, p in ahead if p] + [u.date for u in decided if u.date >= today]
            if not dates:
                break
            soonest = min(dates)
            files = [(folder, p) for folder, p in ahead if p and p[-1][0] == soonest]
            for folder, planned in files:
                if (folder, planned[-1][1]) not in read:
                    entry = self._entry(folder, *planned[-1])
                    read[folder, planned[-1][1]] = self._planned(entry, decided)
            none = [p for folder, p in files if read[folder, p[-1][1]] is None]
            for planned in none:
                planned.pop()  # that body's next file takes its place
            if none:
                continue  # which may be as soon, or later than another body's
            # Planned files first: where a file and a decision name the same day, the file
            # is the meeting itself and becomes the source.
            candidates = [u for folder, p in files if (u := read[folder, p[-1][1]]) is not None]
            candidates += [u for u in decided if u.date == soonest]
            first = min(candidates, key=_when)
            return self._named(_merged([u for u in candidates if u.body == first.body])), None
        known = decided + last_held
        return None, (self._named(max(known, key=_when)) if known else None)

    def _planned(self, entry: Entry, decided: list[Upcoming]) -> Upcoming | None:
        """A meeting file as a date with its start time; None when its header cannot be read
        or it is cancelled. A cancelled file also takes the decisions naming its day out of
        `decided`, and puts in the next meeting it names."""
        try:
            header = self.header(entry)
        except FormatError:
            return None
        if not header.cancelled:
            return Upcoming(entry.date, header.start, entry.folder, "", entry.path)
        decided[:] = [u for u in decided if (u.body, u.date) != (entry.folder, entry.date)]
        if header.next_date is not None:
            decided.append(_decision(header, entry.folder, entry.path))
        return None

    def _decided(
        self, folder: str, held: list[tuple[dt.date, str]]
    ) -> tuple[Upcoming | None, Upcoming | None]:
        """(the next meeting as decided at the latest held meeting that can be read, or None;
        that meeting itself, or None when none can be read). A cancelled meeting was not
        held: unless it names the next meeting, the one before it decided last, and a decision
        naming a cancelled meeting's day names no meeting."""
        cancelled: set[dt.date] = set()
        for date, name in reversed(held):
            try:
                header = self.header(self._entry(folder, date, name))
            except FormatError:
                continue
            if header.cancelled and header.next_date is None:
                cancelled.add(date)
                continue
            path = self.meetings / folder / name
            itself = Upcoming(date, header.start, folder, "", path)
            if header.next_date is None or header.next_date in cancelled:
                return None, itself
            return _decision(header, folder, path), itself
        return None, None

    def _named(self, upcoming: Upcoming) -> Upcoming:
        """`body` holds the folder until a winner is known; then its name is read."""
        return upcoming._replace(body=self.body_name(upcoming.body))

    # --- checking everything ----------------------------------------------------------

    def check(self) -> list[Problem]:
        """Every problem of every file, and gaps and repeats in each body's yearly § count."""
        problems: list[Problem] = []
        bodies: dict[str, Body] = {}
        for folder in self.folders():
            try:
                bodies[folder] = self.body(folder)
            except FormatError as error:
                problems += error.problems
            if not os.path.lexists(self.meetings / folder / BODY_FILE):
                problems.append(
                    Problem(
                        f"has no {BODY_FILE}: the body's name is taken from the folder",
                        path=self.meetings / folder,
                        warning=True,
                    )
                )
        problems += self.strays()
        numbered: dict[tuple[str, int], list[tuple[Entry, list[int]]]] = {}
        for entry in self.entries():
            try:
                meeting, warnings, text = self.open(entry)
            except FormatError as error:
                problems += error.problems
                continue
            problems += warnings
            if entry.folder in bodies:
                problems += _quorum(meeting, bodies[entry.folder], text, entry.path)
            numbered.setdefault((entry.folder, entry.date.year), []).append(
                (entry, meeting.numbers())
            )
        for (folder, year), meetings in numbered.items():
            problems += self._numbering(folder, year, meetings)
        return problems

    def _numbering(self, folder: str, year: int, meetings) -> list[Problem]:
        problems = []
        seen: dict[int, Entry] = {}
        expected = None
        for entry, numbers in meetings:
            for number in numbers:
                if number in seen:
                    where = "the same meeting" if seen[number] == entry else seen[number].path.name
                    problems.append(Problem(f"§{number} is also in {where}", path=entry.path))
                    continue
                if expected is None and number > 1:
                    problems.append(
                        Problem(
                            f"the archive's first meeting of {year} starts at §{number}: "
                            f"{ranges.display(list(range(1, number)))} are not in the archive",
                            path=entry.path,
                            warning=True,
                        )
                    )
                elif expected is not None and number > expected:
                    missing = ranges.display(list(range(expected, number)))
                    problems.append(
                        Problem(f"{missing} missing in {year}'s numbering", path=entry.path)
                    )
                seen[number] = entry
                expected = max(expected or 0, number) + 1
        return problems


def _quorum(meeting: Meeting, body: Body, text: str, path: Path) -> list[Problem]:
    """The §§ handled without a quorum of the body's seats, placed at their lines: the one
    rule of a meeting that needs its body, so it is checked here and not with the file."""
    from .format.locate import lines_of
    from .validation import check_quorum

    found = check_quorum(meeting, body)
    return [
        p.at(path, line)
        for p, line in zip(found, lines_of(text, [p.where for p in found]), strict=True)
    ]


def _is_folder(entry: os.DirEntry) -> bool:
    """Is the entry a folder, or a link to one? A link in a loop is not (reading it says so)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _real(path: Path) -> Path:
    """The path with its links followed; unlike `Path.resolve`, not an error on a loop."""
    return Path(os.path.realpath(path))


def _decision(header: Header, folder: str, path: Path) -> Upcoming:
    """The next meeting a meeting's header names; `body` holds its folder (see `_named`)."""
    assert header.next_date is not None
    return Upcoming(header.next_date, header.next_time, folder, header.next_note, path)


def _when(upcoming: Upcoming) -> tuple:
    return (upcoming.date, upcoming.time or dt.time())


def _merged(twins: list[Upcoming]) -> Upcoming:
    """A planned file and a decision naming the same date are one meeting: keep the decision's
    note and whichever time is known."""
    first = twins[0]
    note = next((u.note for u in twins if u.note), "")
    time = next((u.time for u in twins if u.time), None)
    return Upcoming(first.date, time, first.body, note, first.source)


def create_archive(root: Path, body: str | None = None) -> list[str]:
    """Make `root`, in a git repository (`repository.ensure_repository`), an archive: a
    `meetings/` folder, and optionally a first body. Returns what was done, for the user."""
    from .format.files import dumps_body
    from .format.writing import write_atomic
    from .model import Body

    done = []
    (root / MEETINGS).mkdir(parents=True, exist_ok=True)
    done.append(f"the archive is {root / MEETINGS}")
    if body:
        folder = root / MEETINGS / folder_name(body)
        folder.mkdir(exist_ok=True)
        if not (folder / BODY_FILE).exists():
            write_atomic(folder / BODY_FILE, dumps_body(Body(name=body)))
            done.append(f"created {folder / BODY_FILE}: add its members and defaults there")
    return done


def folder_name(name: str) -> str:
    """A body's folder name: "Samverkansgrupp Kompetensförsörjning" → samverkansgrupp-
    kompetensforsorjning (ASCII, so every terminal and tool can type it)."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return "-".join(words) or "body"
