"""The meeting being edited: its file, what the file held when it was read, the version last
saved, and the edit. UI-free, so the rules of an edit's life are tested without a screen; the
app shows one of these and changes it only through its methods.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .format.files import disk_text, dumps_meeting, parse_meeting
from .problems import FormatError, Problem

if TYPE_CHECKING:
    from .archive import Archive, Entry
    from .drafts import Draft
    from .model import Meeting


@dataclass
class OpenMeeting:
    entry: Entry
    meeting: Meeting | None
    """The edit; None while the file cannot be read (it is then fixed as text)."""
    saved: Meeting | None
    """The version last read or saved; None for a new meeting not saved yet."""
    base: str | None
    """The file's text when it was read or saved: a save checks the disk against it, so that
    nobody's change on disk is overwritten. None: there is no file yet."""
    problem: FormatError | None = None
    """Why the file cannot be read."""

    @classmethod
    def read(cls, archive: Archive, entry: Entry) -> tuple[OpenMeeting, list[Problem]]:
        """The meeting in a file and its warnings; a file that cannot be read opens with its
        problem and its text."""
        try:
            meeting, warnings, text = archive.open(entry)
        except FormatError as error:
            return cls(entry, None, None, disk_text(entry.path), error), []
        return cls(entry, meeting, copy.deepcopy(meeting), text), warnings

    @classmethod
    def new(cls, entry: Entry, meeting: Meeting) -> OpenMeeting:
        return cls(entry, meeting, None, None)

    @property
    def unsaved(self) -> bool:
        return self.meeting is not None and self.meeting != self.saved

    def differs(self, meeting: Meeting | None) -> bool:
        """Would `meeting` (the edit, or the edit with a form's values) need saving?"""
        return meeting is not None and meeting != self.saved

    def text(self, meeting: Meeting | None = None) -> str:
        """The file's text as a save would write the edit (or `meeting`)."""
        chosen = meeting or self.meeting
        assert chosen is not None, "a file that cannot be read has no edit"
        return dumps_meeting(chosen)

    def saved_as(self, entry: Entry, meeting: Meeting, base: str) -> None:
        """`meeting` was saved to `entry`'s file, which now holds `base`. An edit made while
        the save ran stays, and is still unsaved."""
        self.entry, self.saved, self.base = entry, copy.deepcopy(meeting), base

    def write_over(self, theirs: str | None) -> None:
        """Keep my edit over the version on disk: the next save writes over `theirs`."""
        self.base = theirs

    def restore(self, draft: Draft) -> None:
        """Take up an edit kept from an earlier run. Its base is what the file held when that
        edit began: if the file changed since, saving shows both versions. FormatError if the
        draft no longer reads as a meeting."""
        self.edit_as(draft.text, draft.base)

    def edit_as(self, text: str, base: str | None) -> None:
        """The meeting this file text holds becomes the edit (a file edited as text that could
        not be saved; a kept draft), begun when the file held `base`. FormatError if it does
        not read as a meeting."""
        meeting, _ = parse_meeting(text, self.entry.path)
        self.meeting, self.base = meeting, base
