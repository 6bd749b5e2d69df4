"""The search index: every meeting's places (`tui.search`: each § field, each attendee) in
SQLite's full-text index (FTS5) in the repository's git folder, so that a question to 10,000
meetings is a look-up, not a parse of every file holding its words (~40 s).

It is kept as git keeps its own index: a search first compares every meeting file's size and
modification time with those it was read at, reads again only what changed (after a save, that
one file) and drops what is gone; what is searched is the working tree as it is on disk. A file
changed within the last seconds is read again next time, as its time may not yet tell two
writes apart. The index is a cache, never committed, made anew when it is missing, of another
VERSION or damaged; where it cannot be written (a read-only `.git`) the search scans the files.

Several processes may bring it up to date at once: SQLite locks it, each batch of files is one
short transaction (files are parsed outside it), and whoever writes a file second finds it done.
Only replacing the whole file needs more: it takes `search.lock` exclusively, which every open
index holds shared, so no one is left writing to a file that is gone.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import islice, takewhile
from pathlib import Path
from typing import NamedTuple

from .archive import Archive, Entry
from .problems import FormatError
from .search import Hit, Place, body_matches, hit, places
from .search_query import Query, Term, words

VERSION = 3
"""Stored as the database's `user_version`; an index of another is made anew."""
FILE = "minutes/search.sqlite"
LOCK = "minutes/search.lock"
PATIENCE = 10.0
"""Seconds to wait for another process's write (a batch takes well under one)."""
BATCH = 100
"""Files parsed before they are written in one transaction."""
PER_PROCESS = 500
"""Files to read before another process is worth its start (~0.3 s)."""
RACY_SECONDS = 2.0
ASIDE = 20
"""Files to read before `refresh_aside` has a process of its own read them (~5 ms each): a save
or a small pull is read at once, without the ~0.2 s a process takes to start."""
LIMIT = 100
"""Results returned (each a snippet to make); `Results.total` counts them all."""
RANKED = (
    "title",
    "decision",
    "proposal",
    "motions",
    "votes",
    "reservations",
    "notes",
    "opinions",
    "summary",
    "documents",
    "cases",
    "conflicts",
    "people",
)
"""How results are ranked: first by where the words stand, as that says how much of a § is
about them (a § titled with them, then one that decided on them, …, an attendee's line last),
then the newest meeting first, then as the minutes read. An order the index keeps in its ids
(see _FILES), so FTS5 hands over the first results of a word in every meeting at once.
SQLite's own relevance, bm25, reads the length of every match first (0.3 s for a word in each of
10,000 meetings), and for fields of a few sentences each, all holding every word, it mostly
favours the shortest."""
_CORRUPT, _NOT_A_DATABASE = 11, 26  # SQLite's result codes for a damaged file
_SLOTS, _PLACES, _FILES = 2**12, 2**20, 2**54
"""A file's id is its meeting's day (`date.toordinal()`) times _SLOTS, plus its slot among the
files of that day. A place's id is its field's rank counted down from the last of RANKED, times
_FILES, plus its file's id times _PLACES, plus its place among the file's places counted down.
So the ids alone, which FTS5 answers from its own index, give a place's field, file and day:
the order of results is theirs, highest first; a field's places in a date range are one range
of ids."""
_SCHEMA = """
CREATE TABLE files (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL, mtime INTEGER NOT NULL
);
-- What is searched is the text's words as the scan cuts them (`search_query.words`), a space
-- between: FTS5's own cut takes a character it does not know (a bullet pasted from a word
-- processor, U+F0B7; an emoji newer than its tables) for a letter of the word it touches.
-- The text itself is kept for the snippets. The body is a word of its own column, so FTS5
-- filters by it itself; the field is in the id.
-- remove_diacritics 0: å, ä and ö are letters of their own, not a and o.
CREATE VIRTUAL TABLE words USING fts5 (
    tokens, body, text UNINDEXED, number UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0'
);
"""


Indexed = tuple[Place, str]
"""A place and its words as the scan cuts them (`search_query.words`)."""


class Unavailable(Exception):
    """The index cannot be used here (a `.git` that cannot be written, a full disk): scan."""


class Changes(NamedTuple):
    stale: list[tuple[Entry, tuple[int, int]]]
    """Files to read again, each with what tells its version (size, time)."""
    gone: list[str]
    """The keys of files no longer there."""


class Found(NamedTuple):
    entry: Entry
    hit: Hit


class Results(NamedTuple):
    found: list[Found]
    """The first `limit`, in the order of RANKED."""
    total: int | None
    """How many there are in all; None: more than `found`, not counted."""
    indexed: bool
    """Answered from the index; False: by scanning the files (slower)."""


def search(
    archive: Archive,
    query: Query,
    git_dir: Path | None,
    limit: int = LIMIT,
    progress: Callable[[int, int], object] | None = None,
) -> Results:
    """The query's results from the index in `git_dir`, brought up to date first; from a scan
    of the files where there is no git folder or the index cannot be used."""
    if git_dir is not None:
        try:
            with SearchIndex(archive, git_dir) as index:
                index.refresh(progress)
                return index.search(query, limit)
        except Unavailable:
            pass
    return scan(archive, query, limit)


def refresh_aside(
    archive: Archive, git_dir: Path, progress: Callable[[int, int], object] | None = None
) -> None:
    """Bring the index up to date as `SearchIndex.refresh` does, but with much to read (a first
    build, a large pull) in a process of its own, for a full-screen app: there `sys.stderr` is
    the app's and has no file (a pool of processes, which a build starts, then fails: "bad
    value(s) in fds_to_keep"), what such processes print would land on the screen, and parsing
    in a thread competes with the screen for Python's lock. `progress` may raise to stop: the
    process and its pool are ended at once; what was written until then is kept."""
    with SearchIndex(archive, git_dir) as index:
        changes = index.changes()
        if len(changes.stale) < ASIDE:
            index.update(changes, progress)
            return
    import signal
    import subprocess
    import sys

    code = "import sys, tui.search_index as s; s._refresh_telling(*sys.argv[1:])"
    here = str(Path(__file__).resolve().parent.parent)  # where this package is found
    path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    child = subprocess.Popen(
        # -P: not the current folder first on its path, where another `tui` may be.
        [sys.executable, "-P", "-c", code, str(archive.root), str(git_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        start_new_session=True,  # its own group: ended with the processes it reads in
    )
    try:
        assert child.stdout is not None and child.stderr is not None
        for line in child.stdout:
            if progress is not None:
                progress(*map(int, line.split()))
        error = child.stderr.read()
    except BaseException:
        with suppress(ProcessLookupError):  # ended already
            os.killpg(child.pid, signal.SIGKILL)
        raise
    finally:
        child.wait()
    if child.returncode != 0:
        raise Unavailable(error.strip().splitlines()[-1] if error.strip() else "indexing failed")


def _refresh_telling(root: str, git_dir: str) -> None:
    """`refresh_aside`'s process: the index brought up to date, its progress a line a batch."""
    try:
        with SearchIndex(Archive(Path(root)), Path(git_dir)) as index:
            index.refresh(lambda done, of: print(done, of, flush=True))
    except Unavailable as error:
        raise SystemExit(str(error)) from None


def scan(archive: Archive, query: Query, limit: int = LIMIT) -> Results:
    """The query's results from every file, in the index's order."""
    found = [Found(entry, hit) for entry, hit in archive.search(query)]  # as the minutes read
    found.sort(key=lambda f: (RANKED.index(f.hit.field), -f.entry.date.toordinal(), f.entry.key))
    return Results(found[:limit], len(found), indexed=False)


class SearchIndex:
    def __init__(self, archive: Archive, git_dir: Path):
        self.archive = archive
        self.path = git_dir / FILE
        try:
            self.path.parent.mkdir(exist_ok=True)
            self._lock = os.open(git_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        except OSError as error:
            raise Unavailable(f"{self.path.parent}: {error.strerror}") from None
        try:
            _flock(self._lock, fcntl.LOCK_SH)
            with self._guarded():
                self.db = self._open()
        except BaseException:
            os.close(self._lock)
            raise

    def close(self) -> None:
        self.db.close()
        os.close(self._lock)  # and with it the lock

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    # --- keeping it up to date --------------------------------------------------------------

    def refresh(self, progress: Callable[[int, int], object] | None = None) -> int:
        """Bring the index up to date with the files; how many were read again."""
        return self.update(self.changes(), progress)

    def changes(self) -> Changes:
        """What changed on disk since it was indexed: a `stat` of every meeting file."""
        on_disk = {entry.key: (entry, _stamp(stat)) for entry, stat in self.archive.stats()}
        with self._guarded():
            known = {
                key: (size, mtime)
                for key, size, mtime in self.db.execute("SELECT key, size, mtime FROM files")
            }
        return Changes(
            [
                (entry, stamp)
                for key, (entry, stamp) in on_disk.items()
                if stamp[0] < 0 or known.get(key) != stamp
            ],
            [key for key in known if key not in on_disk],
        )

    def update(self, changes: Changes, progress: Callable[[int, int], object] | None = None) -> int:
        """Read the changed files again and drop those gone; how many were read.
        `progress(done, of)` is told after each batch, and may raise to stop: what was read
        until then is kept."""
        stale = changes.stale
        with self._guarded():
            if changes.gone:
                with self._writing():
                    for key in changes.gone:
                        self._drop(key)
            done = 0
            for batch, read in self._parsed(stale):
                with self._writing():
                    rows = [
                        row
                        for (entry, stamp), found in zip(batch, read, strict=True)
                        for row in self._put(entry, stamp, found)
                    ]
                    # Ids rising: FTS5 writes out what it holds whenever an id is lower than
                    # the last, and a segment a file made a build spend most of its time merging.
                    rows.sort(key=lambda row: row[0])
                    self.db.executemany(
                        "INSERT INTO words (rowid, tokens, body, text, number) "
                        "VALUES (?, ?, ?, ?, ?)",
                        rows,
                    )
                done += len(batch)
                if progress is not None:
                    progress(done, len(stale))
        return len(stale)

    def _parsed(
        self, stale: list[tuple[Entry, tuple[int, int]]]
    ) -> Iterator[tuple[list, list[list[Indexed]]]]:
        """Each batch of the files with their places, read in as many processes as there are
        processors when there are many (a first build: parsing is nearly all of its time)."""
        batches = [stale[start : start + BATCH] for start in range(0, len(stale), BATCH)]
        processes = min(len(os.sched_getaffinity(0)), len(stale) // PER_PROCESS)
        if processes < 2:
            for batch in batches:
                yield batch, [_places(self.archive, entry) for entry, _ in batch]
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Spawned, not forked: the app's threads hold locks a fork would copy as they are.
        spawn = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(processes, spawn)
        try:
            jobs = [(self.archive.root, [entry for entry, _ in batch]) for batch in batches]
            yield from zip(batches, pool.map(_read_in_process, jobs), strict=True)
        finally:
            pool.shutdown(cancel_futures=True)  # stopped early: what was read is kept

    def _put(self, entry: Entry, stamp: tuple[int, int], found: list[Indexed]) -> list[tuple]:
        """The file's version noted, its places dropped; its places' rows to insert."""
        known = self.db.execute(
            "SELECT id, size, mtime FROM files WHERE key = ?", (entry.key,)
        ).fetchone()
        if known is not None and stamp[0] >= 0 and tuple(known[1:]) == stamp:
            return []  # another process read it meanwhile
        if known is None:
            file = self._free_slot(entry.date)
            self.db.execute(
                "INSERT INTO files (id, key, size, mtime) VALUES (?, ?, ?, ?)",
                (file, entry.key, *stamp),
            )
        else:
            file = known[0]
            self._drop_places(file)
            self.db.execute("UPDATE files SET size = ?, mtime = ? WHERE id = ?", (*stamp, file))
        body = _body(entry.folder)
        return [
            (_tier(p.field) + file * _PLACES + _PLACES - 1 - i, cut, body, p.text, p.number)
            for i, (p, cut) in enumerate(found)
        ]

    def _free_slot(self, day: dt.date) -> int:
        first = day.toordinal() * _SLOTS
        taken = {
            i
            for (i,) in self.db.execute(
                "SELECT id FROM files WHERE id BETWEEN ? AND ?", (first, first + _SLOTS - 1)
            )
        }
        free = next((i for i in range(first, first + _SLOTS) if i not in taken), None)
        if free is None:  # not a StopIteration out of the search
            raise Unavailable(f"more than {_SLOTS} meeting files dated {day}")
        return free

    def _drop(self, key: str) -> None:
        row = self.db.execute("SELECT id FROM files WHERE key = ?", (key,)).fetchone()
        if row is not None:
            self._drop_places(row[0])
            self.db.execute("DELETE FROM files WHERE id = ?", row)

    def _drop_places(self, file: int) -> None:
        for field in RANKED:
            first = _tier(field) + file * _PLACES
            self.db.execute(
                "DELETE FROM words WHERE rowid BETWEEN ? AND ?", (first, first + _PLACES - 1)
            )

    # --- asking -----------------------------------------------------------------------------

    def search(self, query: Query, limit: int = LIMIT) -> Results:
        """The first `limit` places for `query`, in the order of RANKED."""
        folders = [
            f for f in self.archive.folders() if body_matches(query, f, self.archive.body_name(f))
        ]
        if not query or not folders:
            return Results([], 0, indexed=True)
        match, fields = _match(query, folders if query.bodies else [])
        where = _where(match, fields, query)
        with self._guarded():
            # One person's own lines need no look-up of whom each meeting had: they are those.
            alone = len(query.people) == 1 and not query.terms and not query.fields
            files = self._attended(query) if query.people and not alone else None
            first = self._first(where, limit, files)
            total: int | None = len(first)
            if len(first) == limit:  # those of meetings attended would be counted one by one
                total = None if files is not None else self._count(where)
            found = list(self._read(first, query))
        return Results(found, total, indexed=True)

    def _first(self, where: Where, limit: int, files: set[int] | None) -> list[tuple[int, str]]:
        """The first `limit` places `where` holds for (with `files`, only those in these files),
        each with its file's key: highest id first, but the meetings of one day by their keys,
        as a scan ranks them (their ids' slots tell only which was indexed first)."""
        rows = self.db.execute(
            f"SELECT rowid FROM words WHERE {where.sql} ORDER BY rowid DESC", where.values
        )
        found = (i for (i,) in rows if files is None or _file(i) in files)
        ids = list(islice(found, limit))
        if ids and len(ids) == limit:  # the rest of the last one's field and day may rank before
            ids += takewhile(lambda i: _field_and_day(i) == _field_and_day(ids[limit - 1]), found)
        keys = {
            file: self.db.execute("SELECT key FROM files WHERE id = ?", (file,)).fetchone()[0]
            for file in {_file(i) for i in ids}
        }
        ids.sort(key=lambda i: (-_field_and_day(i), keys[_file(i)], -i))
        return [(i, keys[_file(i)]) for i in ids[:limit]]

    def _count(self, where: Where) -> int:
        return self.db.execute(
            f"SELECT count(*) FROM words WHERE {where.sql}", where.values
        ).fetchone()[0]

    def _attended(self, query: Query) -> set[int]:
        """The files of the meetings every `person:` attended."""
        files: set[int] | None = None
        for person in query.people:
            where = _where(f"tokens : {_phrase(person)}", ["people"], query)
            rows = self.db.execute(f"SELECT rowid FROM words WHERE {where.sql}", where.values)
            attended = {_file(i) for (i,) in rows}
            files = attended if files is None else files & attended
        return files or set()

    def _read(self, first: list[tuple[int, str]], query: Query) -> Iterator[Found]:
        """Each place (its id and its file's key) with its meeting and its hit."""
        for i, key in first:
            text, number = self.db.execute(
                "SELECT text, number FROM words WHERE rowid = ?", (i,)
            ).fetchone()
            folder, name = key.split("/", 1)
            day = dt.date.fromordinal(_file(i) // _SLOTS)
            entry = Entry(day, folder, name, self.archive.meetings)
            field = RANKED[len(RANKED) - 1 - i // _FILES]
            yield Found(entry, hit(Place(number, field, text), query))

    # --- the file ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """The index, made anew when it is missing, of another version or damaged."""
        return _current(self.path) or self._remake()

    def _remake(self) -> sqlite3.Connection:
        _flock(self._lock, fcntl.LOCK_EX)
        try:
            db = _current(self.path)  # made anew by another process while this one waited?
            if db is not None:
                return db
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = _connect(self.path)
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version = {VERSION}; COMMIT;")
            return db
        finally:
            _flock(self._lock, fcntl.LOCK_SH)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")  # the write lock first: no deadlock between two
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """SQLite's failures as Unavailable; a file found damaged is made anew for next time."""
        try:
            yield
        except OSError as error:
            raise Unavailable(f"{self.path}: {error.strerror}") from None
        except sqlite3.DatabaseError as error:
            if _damaged(error) and hasattr(self, "db"):
                self.db.close()
                self.db = self._remake()
            raise Unavailable(f"{self.path}: {error}") from None


def _match(query: Query, bodies: list[str]) -> tuple[str, list[str]]:
    """The FTS5 query for `query`'s words (without, its people's own lines) in these bodies
    (none: any), "" for any place; and the fields to look in, in the order of RANKED."""
    fields = [field for field in RANKED if not query.fields or field in query.fields]
    if query.terms:
        parts = [f"tokens : ({' AND '.join(_phrase(term) for term in query.terms)})"]
    elif not query.fields:
        parts = [f"tokens : ({' OR '.join(_phrase(person) for person in query.people)})"]
        fields = ["people"]
    else:
        parts = []
    if bodies:
        parts.append(_any("body", [_body(folder) for folder in bodies]))
    return " AND ".join(parts), fields


class Where(NamedTuple):
    sql: str
    values: tuple


def _where(match: str, fields: list[str], query: Query) -> Where:
    """Where to look: the places matching `match` ("": any) of `fields` (in the order of RANKED)
    in the query's days. One FTS5 query, whatever the filters: each query of a prefix (`k*`, as
    a word is typed) has FTS5 gather every word it begins, ~0.1 s at 10,000 meetings, so what
    is left out between the first id and the last is filtered from the ids FTS5 hands over."""
    since = (query.since or dt.date.min).toordinal() * _SLOTS * _PLACES
    until = ((query.until or dt.date.max).toordinal() + 1) * _SLOTS * _PLACES - 1
    sql = ["rowid BETWEEN ? AND ?"]
    values: list = [_tier(fields[-1]) + since, _tier(fields[0]) + until]
    if match:
        sql.insert(0, "words MATCH ?")
        values.insert(0, match)
    if len(fields) < RANKED.index(fields[-1]) - RANKED.index(fields[0]) + 1:  # not all between
        sql.append(f"rowid / {_FILES} IN ({', '.join(str(_tier(f) // _FILES) for f in fields)})")
    if len(fields) > 1 and (query.since or query.until):  # in one field, the days are the range
        sql.append(f"rowid % {_FILES} BETWEEN ? AND ?")
        values += [since, until]
    return Where(" AND ".join(sql), tuple(values))


def _tier(field: str) -> int:
    """What a field adds to its places' ids: the first of RANKED the most."""
    return (len(RANKED) - 1 - RANKED.index(field)) * _FILES


def _file(place: int) -> int:
    return place % _FILES // _PLACES


def _field_and_day(place: int) -> int:
    """A place's field (its tier) and its meeting's day, as one number that ranks them."""
    return place // (_SLOTS * _PLACES)


def _any(column: str, words: list[str]) -> str:
    quoted = " OR ".join(f'"{word}"' for word in words)
    return f"{column} : ({quoted})"


def _phrase(term: Term) -> str:
    """FTS5's phrase for a term: its tokens quoted (they are letters and digits only, so FTS5
    reads no operator in them)."""
    return f'"{" ".join(term.tokens)}"' + (" *" if term.prefix else "")


def _body(folder: str) -> str:
    """A body's folder as one word of letters and digits, as FTS5 keeps it whole."""
    return "b" + folder.encode().hex()


def _read_in_process(job: tuple[Path, list[Entry]]) -> list[list[Indexed]]:
    archive = Archive(job[0])
    return [_places(archive, entry) for entry in job[1]]


def _places(archive: Archive, entry: Entry) -> list[Indexed]:
    """The meeting's places, each with its words as FTS5 is to index them: cut here, in the
    processes that read, not in the one that writes (~0.7 ms a meeting)."""
    try:
        return [(place, words(place.text)) for place in places(archive.searched(entry))]
    except FormatError:
        return []  # no meeting to search until it is fixed (and so changed)


def _stamp(info: os.stat_result) -> tuple[int, int]:
    """What tells a file changed; (-1, 0) for one to read every time: not a regular file (a
    link's target may change while the link stays), or changed too recently to tell."""
    if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < RACY_SECONDS:
        return (-1, 0)
    return (info.st_size, info.st_mtime_ns)


def _current(path: Path) -> sqlite3.Connection | None:
    """The index at `path` where it is whole and of this version; None where it is to be
    made anew."""
    try:
        db = _connect(path)
        if _version(db) == VERSION:
            return db
        db.close()
    except sqlite3.DatabaseError as error:
        if not _damaged(error):
            raise
    return None


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level None: transactions are begun and ended here, explicitly.
    return sqlite3.connect(path, timeout=PATIENCE, isolation_level=None, check_same_thread=False)


def _version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _damaged(error: sqlite3.DatabaseError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in (_CORRUPT, _NOT_A_DATABASE)


def _flock(fd: int, how: int) -> None:
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise Unavailable(
                    "the search index is being made anew by another process"
                ) from None
            time.sleep(0.02)
