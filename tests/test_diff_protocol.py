"""The protocol's later records and per-§ presence show in a diff, and so in commit messages."""

from __future__ import annotations

import copy
import datetime as dt

from tui.diff import diff_meetings
from tui.model import Appeal, Attendee, Meeting, Notice
from tui.saving import commit_subject


def _protocol() -> Meeting:
    meeting = Meeting(dt.date(2024, 11, 14), kind="protokoll")
    meeting.attendance.members = [Attendee("Per Norin", present=[1]), Attendee("Ann Ek")]
    meeting.attendance.substitutes = [Attendee("Per Norin", present=[2])]
    return meeting


def test_a_notice_posted_is_named():
    old = _protocol()
    new = copy.deepcopy(old)
    new.notice = Notice(dt.date(2024, 11, 21), storage="Kommunhuset")
    changes = diff_meetings(old, new)
    assert commit_subject("2024-11-14", changes) == "2024-11-14: notice added"
    later = copy.deepcopy(new)
    assert new.notice is not None and later.notice is not None
    later.notice.taken_down = dt.date(2024, 12, 13)
    assert [c.describe() for c in diff_meetings(new, later)] == ["notice taken_down changed"]


def test_an_appeal_recorded_is_named():
    old = _protocol()
    new = copy.deepcopy(old)
    new.appeals = [Appeal([2], dt.date(2024, 12, 1), "Bertil Ceder")]
    assert [c.describe() for c in diff_meetings(old, new)] == ["appeals added"]


def test_a_change_to_a_second_listing_of_a_name_is_seen():
    old = _protocol()
    new = copy.deepcopy(old)
    new.attendance.substitutes[0].present = [2, 3]
    new.attendance.members[1].present_from = 2
    described = [c.describe() for c in diff_meetings(old, new)]
    assert sorted(described) == ["Ann Ek: present_from changed", "Per Norin (2): present changed"]


def test_an_absent_member_is_in_the_attendance_diff():
    old = _protocol()
    new = copy.deepcopy(old)
    new.attendance.absent = [Attendee("Eva Fors")]
    assert [c.describe() for c in diff_meetings(old, new)] == ["Eva Fors added to attendance"]
