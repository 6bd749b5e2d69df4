"""The archive as an iCalendar feed (RFC 5545), for calendar programs to import or subscribe to:
every meeting file, and every next meeting decided in the minutes that has no file yet.

A meeting keeps its UID whatever is edited, and when it moves to another day:

- a meeting some meeting's `[next_meeting]` names is "the next meeting after" that one, the
  earliest naming it: `FOLDER+STEM+next@HOST`, FOLDER/STEM.toml the deciding file as first
  committed. So is its file once made, found by its date, or by the date its file had first
  (a file the app moved keeps naming the day it left). Moving the decided day keeps the UID;
  so does making, editing or moving the file.
- a meeting no decision names (a body's first, an extra one) is its own file as first
  committed: `FOLDER+STEM@HOST`, followed through git's renames.

Names are percent-encoded, so `+` only separates. HOST is the base URL's host, else
`minutes.invalid` (a name no real host has). The file behind each event and its decider are
the event's sources: SEQUENCE counts the commits that changed them, DTSTAMP is the newest of
those commits (a file not committed yet: its modification time), so the same archive always
gives the same bytes, in any clone.

Times are local to Europe/Stockholm, with a VTIMEZONE of the years they fall in; a meeting
without a known time is a whole-day event. A cancelled meeting stays, marked cancelled.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote, urlsplit

from .archive import Archive, Entry, Summary
from .file_cache import cache_file
from .format.header import Header
from .format.names import date_from_name
from .json_cache import read_json, write_json
from .labels import labels
from .terminal import UNSAFE, clean

if TYPE_CHECKING:
    from icalendar import Event, Timezone

ZONE = "Europe/Stockholm"
DOMAIN = "minutes.invalid"
"""The UIDs' host without a base URL: `.invalid` is reserved (RFC 2606), never a real host."""
PRODID = "-//minutes//meeting calendar//EN"
_SECOND = dt.timedelta(seconds=1)


class Feed(NamedTuple):
    data: bytes
    """The iCalendar file."""
    events: int
    left_out: list[Summary]
    """Meeting files whose header cannot be read: not in the calendar."""


def calendar(archive: Archive, base_url: str | None = None) -> bytes:
    """The archive's meetings as an iCalendar file; ValueError when `base_url` is no http(s)
    address."""
    return feed(archive, base_url).data


def feed(archive: Archive, base_url: str | None = None) -> Feed:
    """The calendar with what it leaves out; ValueError as `calendar`."""
    base = checked_base_url(base_url) if base_url is not None else None
    host = (urlsplit(base).hostname or DOMAIN) if base else DOMAIN
    summaries = archive.summaries()
    readable = [(s.entry, s.header) for s in summaries if s.header is not None]
    lineages = _lineages(archive)
    events = sorted(
        (event for folder in archive.folders() for event in _events(folder, readable, lineages)),
        key=lambda e: (e.date, e.start or dt.time(), e.folder, e.uid),
    )
    events = _unique(events)
    data = _ical(archive, events, lineages, base, host)
    return Feed(data, len(events), [s for s in summaries if s.header is None])


def checked_base_url(url: str) -> str:
    """The base URL of the published pages without its last `/`; ValueError saying what an
    address must be."""
    wanted = f"the base URL {url!r} is not an http:// or https:// address such as " + (
        "https://example.org/protokoll"
    )
    if UNSAFE.search(url) or any(c.isspace() for c in url):
        raise ValueError(f"{wanted}: it has spaces or control characters")
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is no number in range raises ValueError
    except ValueError as error:
        raise ValueError(f"{wanted}: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(wanted)
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{wanted}: pages are found below it, without ?, # or a password")
    return url.rstrip("/")


# --- history: where each file began, and the commits that changed it ---------------------------


@dataclass
class _Lineage:
    """One meeting file through its renames."""

    first: str
    """Its key (`folder/name.toml`) when first committed."""
    born: int
    """How many lineages began before it: of two begun under one name, the elder keeps it."""
    commits: set[str] = field(default_factory=set)
    newest: int | None = None
    """The time of the newest commit that changed it (seconds since the epoch)."""


def _lineages(archive: Archive) -> dict[str, _Lineage]:
    """Each meeting file's lineage by its key now, read from one `git log`; empty where the
    archive is in no repository or has no commits."""
    from .repository import NotARepository, repository_for

    try:
        repository = repository_for(archive.root)
    except NotARepository:
        return {}
    if not repository.has_commits():
        return {}
    meetings = repository.relative(archive.meetings)
    output = repository.log(
        "--reverse", "-M", "--raw", "-z", "--format=%x1e%H%x1f%ct", "--", f":(literal){meetings}"
    )
    by_key: dict[str, _Lineage] = {}
    born = itertools.count()
    for commit, time, changes in _records(output):
        for status, paths in changes:
            old, new = (_key(path, meetings) for path in (paths[0], paths[-1]))
            # A rename carries the lineage to the new name; a file deleted ends its own (one
            # made again under that name begins a new one, with the same first name).
            lineage = by_key.pop(old, None) if old and status in ("R", "D") else None
            if new is None or status == "D":
                continue
            first = old if status == "R" and old else new
            lineage = lineage or by_key.get(new) or _Lineage(first, next(born))
            by_key[new] = lineage
            lineage.commits.add(commit)
            lineage.newest = max(time, lineage.newest or time)
    return by_key


def _records(output: str) -> Iterator[tuple[str, int, list[tuple[str, list[str]]]]]:
    """(commit, its time, [(status letter, its paths)]) of `git log --raw -z` output: NUL
    separated, each path taken by count, so no file name can pass for a commit or a change."""
    tokens = output.split("\0")
    record: tuple[str, int, list[tuple[str, list[str]]]] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith("\x1e"):
            if record is not None:
                yield record
            commit, time = token[1:].split("\x1f")
            record = commit, int(time), []
        elif token.startswith(":") and record is not None:
            status = token.rsplit(" ", 1)[-1][:1]
            count = 2 if status in ("R", "C") else 1
            record[2].append((status, tokens[index : index + count]))
            index += count
    if record is not None:
        yield record


def _key(path: str, meetings: str) -> str | None:
    """`folder/name.toml` of a meeting file's path in the repository; None for anything else."""
    folder, _, name = path.removeprefix(f"{meetings}/").partition("/")
    if not path.startswith(f"{meetings}/") or "/" in name or date_from_name(name) is None:
        return None
    return f"{folder}/{name}"


# --- events --------------------------------------------------------------------------------


class _Event(NamedTuple):
    uid: str
    """Without its host, added when written."""
    born: int
    """The `born` of the file the UID comes from."""
    folder: str
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    place: str
    note: str
    cancelled: bool
    language: str
    page: Entry
    """The meeting's file, or for a meeting without one the file that decided it."""
    sources: tuple[Entry, ...]


def _events(
    folder: str, readable: list[tuple[Entry, Header]], lineages: dict[str, _Lineage]
) -> Iterator[_Event]:
    """A body's meetings: each file, joined with the decisions naming it, and each decided
    meeting that has no file."""
    files = [(entry, header) for entry, header in readable if entry.folder == folder]
    on_the_day: dict[dt.date, list[Entry]] = defaultdict(list)
    begun_on: dict[dt.date | None, list[Entry]] = defaultdict(list)
    for entry, _ in files:
        on_the_day[entry.date].append(entry)
        begun_on[_first_date(entry, lineages)].append(entry)
    deciders: dict[Entry | dt.date, list[tuple[Entry, Header]]] = defaultdict(list)
    for entry, header in files:  # oldest first: the first decider gives the UID
        if header.next_date is not None:
            target = _named(header.next_date, on_the_day, begun_on)
            deciders[target or header.next_date].append((entry, header))
    for entry, header in files:
        decided = deciders.get(entry, [])
        named_by = decided[0][0] if decided else entry
        latest = decided[-1][1] if decided else None
        yield _Event(
            _uid(named_by, lineages, "+next" if decided else ""),
            _lineage(named_by, lineages).born,
            folder,
            entry.date,
            header.start or (latest.next_time if latest else None),
            header.end,
            header.place,
            latest.next_note if latest else "",
            header.cancelled,
            header.language,
            entry,
            (entry, *(e for e, _ in decided)),
        )
    for date, decided in deciders.items():
        if isinstance(date, dt.date):
            first, (page, latest) = decided[0][0], decided[-1]
            yield _Event(
                _uid(first, lineages, "+next"),
                _lineage(first, lineages).born,
                folder,
                date,
                latest.next_time,
                None,
                "",
                latest.next_note,
                False,
                latest.language,
                page,
                tuple(e for e, _ in decided),
            )


def _named(
    date: dt.date,
    on_the_day: dict[dt.date, list[Entry]],
    begun_on: dict[dt.date | None, list[Entry]],
) -> Entry | None:
    """The file of the meeting a decision naming `date` means: the one named for that day
    (`2024-09-13.toml` before `2024-09-13-extra.toml`), else one that had that day's name
    when first committed (the meeting moved since); None when it has no file."""
    files = on_the_day.get(date) or begun_on.get(date)
    if not files:
        return None
    return next((e for e in files if e.name == f"{date}.toml"), files[0])


def _first_date(entry: Entry, lineages: dict[str, _Lineage]) -> dt.date | None:
    return date_from_name(_lineage(entry, lineages).first.rpartition("/")[2])


def _uid(entry: Entry, lineages: dict[str, _Lineage], suffix: str = "") -> str:
    """The UID of the file's lineage, without its host: its folder and name when first
    committed (a body's folder renamed in git keeps its meetings' UIDs)."""
    folder, _, name = _lineage(entry, lineages).first.rpartition("/")
    return f"{quote(folder, safe='')}+{quote(name.removesuffix('.toml'), safe='')}{suffix}"


def _unique(events: list[_Event]) -> list[_Event]:
    """Two events never share a UID (two files begun under one name: one moved away, another
    made in its place): the file begun first keeps it, the others get `+2`, `+3` …"""
    taken: dict[str, int] = {}
    uids = {}
    for index, event in sorted(enumerate(events), key=lambda pair: pair[1].born):
        taken[event.uid] = taken.get(event.uid, 0) + 1
        count = taken[event.uid]
        uids[index] = f"{event.uid}+{count}" if count > 1 else event.uid
    return [event._replace(uid=uids[index]) for index, event in enumerate(events)]


# --- iCalendar -----------------------------------------------------------------------------


def _ical(
    archive: Archive,
    events: list[_Event],
    lineages: dict[str, _Lineage],
    base: str | None,
    host: str,
) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    names = ", ".join(archive.body_name(folder) for folder in archive.folders())
    if names:
        calendar.add("x-wr-calname", _one_line(names))
    calendar.add("x-wr-timezone", ZONE)
    timed = [event.date for event in events if event.start is not None]
    if timed:
        calendar.add_component(_timezone(min(timed).year, max(timed).year))
    head = calendar.to_ical()
    assert head.endswith(_END)  # the events go in before it, as icalendar would put them
    remembered = _Remembered(cache_file(archive.root, "calendar"))
    written = [remembered.vevent(_properties(archive, e, lineages, base, host)) for e in events]
    remembered.save()
    return b"".join([head.removesuffix(_END), *written, _END])


_END = b"END:VCALENDAR\r\n"
_CACHE_VERSION = 1


class _Remembered:
    """Each event as written before, by the properties it was written from: icalendar takes
    ~0.5 ms an event (folding lines a character at a time), too long for 10,000 meetings
    published again after one save. Only this run's events are kept."""

    def __init__(self, file: Path) -> None:
        self.file = file
        data = read_json(file)
        valid = isinstance(data, dict) and data.get("version") == _CACHE_VERSION
        self.known: dict[str, str] = data["events"] if valid else {}
        self.kept: dict[str, str] = {}

    def vevent(self, properties: list[tuple[str, object]]) -> bytes:
        key = repr(properties)  # types included: a date and a time of day differ
        text = self.known.get(key)
        if not isinstance(text, str):
            text = _vevent(properties).to_ical().decode()
        self.kept[key] = text
        return text.encode()

    def save(self) -> None:
        if self.kept != self.known:
            write_json(self.file, {"version": _CACHE_VERSION, "events": self.kept})


def _properties(
    archive: Archive, event: _Event, lineages: dict[str, _Lineage], base: str | None, host: str
) -> list[tuple[str, object]]:
    """The event's properties in the order they are written."""
    from zoneinfo import ZoneInfo

    commits = set().union(*(_lineage(s, lineages).commits for s in event.sources))
    name = _one_line(archive.body_name(event.folder))
    if event.cancelled:  # also for programs that do not show STATUS
        name = f"{labels(event.language)['cancelled']}: {name}"
    properties: list[tuple[str, object]] = [
        ("uid", f"{event.uid}@{host}"),
        ("dtstamp", _stamp(event.sources, lineages)),
        ("sequence", len(commits)),
        ("summary", name),
    ]
    if event.start is None:
        properties.append(("dtstart", event.date))
        properties.append(("dtend", event.date + dt.timedelta(days=1)))
    else:
        zone = ZoneInfo(ZONE)
        properties.append(("dtstart", dt.datetime.combine(event.date, event.start, zone)))
        if event.end is not None and event.end > event.start:
            properties.append(("dtend", dt.datetime.combine(event.date, event.end, zone)))
    if event.place.strip():
        properties.append(("location", _one_line(event.place)))
    if event.note.strip():
        properties.append(("description", clean(event.note.strip())))
    if base is not None:
        page = event.page
        stem = page.name.removesuffix(".toml")
        url = f"{base}/{quote(page.folder, safe='')}/{quote(stem, safe='')}.html"
        properties.append(("url", url))
    properties.append(("status", "CANCELLED" if event.cancelled else "CONFIRMED"))
    return properties


def _vevent(properties: list[tuple[str, object]]) -> Event:
    from icalendar import Event

    vevent = Event()
    for name, value in properties:
        vevent.add(name, value)
    return vevent


def _lineage(entry: Entry, lineages: dict[str, _Lineage]) -> _Lineage:
    """Its lineage; a file not committed yet is one of its own, younger than any other."""
    return lineages.get(entry.key) or _Lineage(entry.key, sys.maxsize)


def _stamp(sources: tuple[Entry, ...], lineages: dict[str, _Lineage]) -> dt.datetime:
    """When the event's sources last changed: their newest commit, else (nothing committed
    yet) their newest modification time; never the clock, so the same archive gives the same
    calendar."""
    committed = [n for s in sources if (n := _lineage(s, lineages).newest) is not None]
    seconds = max(committed) if committed else max(map(_modified, sources))
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _modified(entry: Entry) -> int:
    try:
        return int(os.stat(entry.path).st_mtime)
    except OSError:
        return 0


def _one_line(text: str) -> str:
    """A text from a file as one line with its control characters shown: a summary or a place
    with a line break is refused by some programs (calcurse)."""
    return " ".join(clean(text).split())


def _timezone(first_year: int, last_year: int) -> Timezone:
    """The zone's VTIMEZONE for the years given, each change of offset at its exact moment,
    found in the system's zone data. (icalendar's own `Timezone.from_tzinfo` gives spring's
    change an hour late: RFC 5545 wants the moment in the offset before the change.)"""
    from zoneinfo import ZoneInfo

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(ZONE)
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    timezone = Timezone()
    timezone.add("tzid", ZONE)
    for moment in [start, *_changes(zone, start, end)]:
        before, after = (moment - _SECOND).astimezone(zone), moment.astimezone(zone)
        if moment == start:
            before = after
        observance = TimezoneDaylight() if after.dst() else TimezoneStandard()
        offset = before.utcoffset()
        assert offset is not None  # a ZoneInfo time has one
        observance.add("dtstart", (moment + offset).replace(tzinfo=None))
        observance.add("tzoffsetfrom", offset)
        observance.add("tzoffsetto", after.utcoffset())
        observance.add("tzname", after.tzname())
        timezone.add_component(observance)
    return timezone


def _changes(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    """Each moment from `start` to `end` at which the zone's offset changes, to the second:
    a day at a time, then halving the day it changed in (zones change at most once a day)."""
    day = start
    while day < end:
        following = day + dt.timedelta(days=1)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = day, following
            while high - low > _SECOND:
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            yield high.replace(microsecond=0)
        day = following
