"""What the workers report. A worker reads or writes in a thread and posts one of these; the
screen that started it handles it. A worker that fails posts nothing: its error reaches the
screen's `Worker.StateChanged` handler, which says what happened and keeps the app running."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..archive import Entry, Summary, Upcoming
    from ..deadlines import Due
    from ..history import History, Version
    from ..lifecycle import ProtocolState
    from ..model import Meeting
    from ..resolution import Disagreements
    from ..saving import Saved
    from ..search_index import Results
    from ..search_query import Query


@dataclass
class NextMeetingRead(Message):
    upcoming: Upcoming | None
    last: Upcoming | None


@dataclass
class SummariesRead(Message):
    summaries: list[Summary]


@dataclass
class BrokenRead(Message):
    broken: dict[str, str]
    """Meeting key → its first problem."""


@dataclass
class RepositoryRead(Message):
    state: str
    """The branch and what is uncommitted, or why there is no repository."""


@dataclass
class MeetingSaved(Message):
    before: Entry
    after: Entry
    """Another file than `before` when the meeting moved to a new date."""
    meeting: Meeting | None
    """What was saved; None when it was saved as text."""
    base: str
    """The file's text now."""
    saved: Saved


@dataclass
class SaveUndone(Message):
    saved: Saved
    entries: list[Entry]


@dataclass
class SyncDone(Message):
    said: str
    """What happened, as `minutes sync` says it."""
    entries: list[Entry]
    title: str = "Synced"


@dataclass
class Fetched(Message):
    """A fetch in the background ended: why it failed, or "" when it did not."""

    failure: str


@dataclass
class ConflictsFound(Message):
    """What this clone and the other side changed differently, to be settled by a person."""

    found: Disagreements


@dataclass
class EditChanged(Message):
    """A form's fields changed: the unsaved edit's draft is due."""


@dataclass
class HistoryRead(Message):
    history: History
    versions: list[Version]


@dataclass
class Indexing(Message):
    """The search index is being brought up to date: `done` of `of` files read."""

    done: int
    of: int


@dataclass
class IndexReady(Message):
    git_dir: Path | None
    """Where the index is; None: there is none to be had, searches scan the files."""


@dataclass
class SearchDone(Message):
    asked: int
    """Which search of the screen's this answers: an answer to an older one is dropped."""
    query: Query
    results: Results
    bodies: dict[str, str]
    """The name of each found meeting's body, by its folder."""


@dataclass
class ProtocolRead(Message):
    key: str
    """The meeting it is about: the open one may have changed since."""
    state: ProtocolState | None


@dataclass
class ProtocolsRead(Message):
    due: list[Due]
    every: list[ProtocolState]


@dataclass
class Exported(Message):
    path: str
    """Where the document was written; empty when it was not."""
    problem: str
