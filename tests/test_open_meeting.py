"""The open meeting's life without a screen: read, edited, saved, restored from a draft."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tui.archive import Archive
from tui.drafts import Drafts
from tui.model import Meeting
from tui.open_meeting import OpenMeeting
from tui.problems import FormatError

from .conftest import SEED_FOLDER


def _seed(archive_dir) -> OpenMeeting:
    archive = Archive(archive_dir)
    (entry,) = archive.entries()
    opened, warnings = OpenMeeting.read(archive, entry)
    assert warnings == []
    return opened


def test_an_edit_is_unsaved_until_saved_and_an_edit_during_the_save_stays(archive_dir):
    opened = _seed(archive_dir)
    assert not opened.unsaved and opened.base == opened.text()
    opened.meeting.item(11).decision = "Noterat."
    assert opened.unsaved
    saved, being_saved = opened.text(), copy.deepcopy(opened.meeting)
    opened.meeting.item(12).decision = "Också."  # typed while the save ran
    opened.saved_as(opened.entry, being_saved, saved)
    assert opened.unsaved and opened.base == saved
    opened.saved_as(opened.entry, opened.meeting, opened.text())
    assert not opened.unsaved


def test_a_form_in_progress_counts_as_unsaved(archive_dir):
    opened = _seed(archive_dir)
    assert not opened.differs(opened.meeting) and not opened.differs(None)
    changed = Meeting(**{**vars(opened.meeting), "place": "Vänern"})
    assert opened.differs(changed)


def test_an_unreadable_file_opens_with_its_problem_and_text(archive_dir):
    path = archive_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    path.write_text("schema = [\n")
    opened = _seed_broken(archive_dir)
    assert opened.meeting is None and not opened.unsaved
    assert opened.base == "schema = [\n" and isinstance(opened.problem, FormatError)


def _seed_broken(archive_dir) -> OpenMeeting:
    archive = Archive(archive_dir)
    (entry,) = archive.entries()
    return OpenMeeting.read(archive, entry)[0]


def test_a_new_meeting_has_no_file_and_is_unsaved(archive_dir):
    archive = Archive(archive_dir)
    entry = archive.new_entry(SEED_FOLDER, dt.date(2024, 9, 13))
    opened = OpenMeeting.new(entry, Meeting(dt.date(2024, 9, 13)))
    assert opened.unsaved and opened.base is None and opened.saved is None


def test_restoring_a_draft_takes_its_edit_and_its_base(archive_dir, tmp_path):
    opened = _seed(archive_dir)
    original = opened.base
    opened.meeting.place = "Vänern"
    Drafts(tmp_path).keep(opened.entry.key, opened.text(), "an older text")
    again = _seed(archive_dir)
    (draft,) = Drafts(tmp_path).of(opened.entry.key)  # as the next run finds it
    again.restore(draft)
    assert again.meeting.place == "Vänern" and again.unsaved
    assert again.base == "an older text" != original  # so a save meets the changed file
    again.write_over(original)
    assert again.base == original


def test_a_draft_that_no_longer_reads_is_refused(archive_dir, tmp_path):
    opened = _seed(archive_dir)
    Drafts(tmp_path).keep(opened.entry.key, "not = [toml", opened.base)
    (draft,) = Drafts(tmp_path).of(opened.entry.key)
    with pytest.raises(FormatError):
        opened.restore(draft)
    assert not opened.unsaved
