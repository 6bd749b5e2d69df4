"""The statutory deadlines of a protocol: the law's days off, the appeal period, and where a
protocol stands on a given day. Every expected date is computed by hand from a calendar."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.deadlines import (
    Step,
    appeal_ends,
    due,
    is_day_off,
    justering_due,
    missed,
    notice_due,
    notice_may_come_down,
    stage,
)
from tui.model import Appeal, Meeting, Notice

from .conftest import ROOT

D = dt.date


@pytest.mark.parametrize(
    ("posted", "ends"),
    [
        # Easter 2024 is 31 March. Posted Fri 8 March: day 21 is Good Friday 29 March, then
        # Saturday, Easter Sunday, Easter Monday 1 April: Tuesday 2 April.
        (D(2024, 3, 8), D(2024, 4, 2)),
        # Posted Mon 11 March: day 21 is Easter Monday 1 April: Tuesday 2 April.
        (D(2024, 3, 11), D(2024, 4, 2)),
        # Ascension Day 2024 is Thu 9 May (Easter + 39 days). Posted Thu 18 April: day 21 is
        # Ascension Day; the Friday after is a working day in law: Friday 10 May.
        (D(2024, 4, 18), D(2024, 5, 10)),
        # National Day 2025 is a Friday, 6 June; Whitsunday 2025 is Sunday 8 June (Easter 20
        # April + 49) and Whit Monday has been no holiday since 2005. Posted Fri 16 May:
        # Friday 6, Saturday 7, Sunday 8: Monday 9 June.
        (D(2025, 5, 16), D(2025, 6, 9)),
        # Before 2005 Whit Monday was a holiday: Whitsunday 2004 is 30 May. Posted Mon 10 May:
        # day 21 is Whit Monday 31 May: Tuesday 1 June.
        (D(2004, 5, 10), D(2004, 6, 1)),
        # Midsummer Eve 2024 is Fri 21 June (the Friday of 19–25 June), Midsummer Day Sat 22.
        # Posted Fri 31 May: Friday 21, Saturday 22, Sunday 23: Monday 24 June.
        (D(2024, 5, 31), D(2024, 6, 24)),
        # Posted Thu 30 May: day 21 is Thu 20 June, the day before Midsummer Eve, a working day.
        (D(2024, 5, 30), D(2024, 6, 20)),
        # Christmas 2024: Eve Tue 24, Day Wed 25, Boxing Day Thu 26. Posted Tue 3 December:
        # day 21 is Christmas Eve: Friday 27 December.
        (D(2024, 12, 3), D(2024, 12, 27)),
        # Christmas 2021 falls on Fri–Sun; Sweden moves no holiday off a weekend. Posted Fri 3
        # December: Christmas Eve Fri 24, Saturday 25, Sunday 26 (Boxing Day): Monday 27.
        (D(2021, 12, 3), D(2021, 12, 27)),
        # New Year's Eve 2024 is a Tuesday, New Year's Day Wed 1 January 2025. Posted Tue 10
        # December: day 21 is New Year's Eve: Thursday 2 January 2025.
        (D(2024, 12, 10), D(2025, 1, 2)),
        # Epiphany 2025 is Mon 6 January. Posted Mon 16 December 2024: Tuesday 7 January.
        (D(2024, 12, 16), D(2025, 1, 7)),
        # Twelfth Night (trettondagsafton) is no holiday (RÅ 2004 not 40): posted Mon 15
        # December 2003, day 21 is Mon 5 January 2004 and the period ends on it.
        (D(2003, 12, 15), D(2004, 1, 5)),
        # All Saints' Day 2024 is Sat 2 November (the Saturday of 31 October–6 November).
        # Posted Sat 12 October: Saturday 2, Sunday 3: Monday 4 November.
        (D(2024, 10, 12), D(2024, 11, 4)),
        # Its eve, Fri 1 November 2024, is a working day: posted Fri 11 October, ends that day.
        (D(2024, 10, 11), D(2024, 11, 1)),
        # May Day 2024 is a Wednesday; Walpurgis Eve, Tue 30 April, is a working day.
        # Posted Wed 10 April: Thursday 2 May. Posted Tue 9 April: Tuesday 30 April.
        (D(2024, 4, 10), D(2024, 5, 2)),
        (D(2024, 4, 9), D(2024, 4, 30)),
        # An ordinary weekend: posted Sat 16 November 2024 (a digital notice board), day 21 is
        # Sat 7 December: Monday 9 December.
        (D(2024, 11, 16), D(2024, 12, 9)),
        # An ordinary Friday: posted Fri 22 November 2024, ends Fri 13 December.
        (D(2024, 11, 22), D(2024, 12, 13)),
    ],
)
def test_appeal_period_ends_on_the_hand_computed_day(posted, ends):
    assert appeal_ends(posted) == ends
    assert notice_may_come_down(posted) == ends + dt.timedelta(days=1)


def test_a_year_has_the_days_off_counted_by_hand():
    # 2024 starts on a Monday and has 366 days: 52 weeks and a Monday and Tuesday, so 104
    # weekend days. Off on weekdays: New Year's Day (Mon), Good Friday, Easter Monday, May Day
    # (Wed), Ascension (Thu), National Day (Thu), Midsummer Eve (Fri), Christmas Eve (Tue),
    # Christmas Day (Wed), Boxing Day (Thu), New Year's Eve (Tue): 11. Epiphany is a Saturday.
    days = [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    assert sum(map(is_day_off, days)) == 104 + 11


@given(st.dates(D(1953, 1, 1), D(2099, 12, 1)))
def test_the_appeal_period_ends_on_the_first_working_day_from_day_21(posted):
    ends = appeal_ends(posted)
    day_21 = posted + dt.timedelta(weeks=3)
    assert not is_day_off(ends)
    assert ends >= day_21
    assert all(is_day_off(day_21 + dt.timedelta(days=n)) for n in range((ends - day_21).days))


def test_the_fourteen_days_and_the_second_day_move_off_days_off_too():
    # Meeting Tue 10 December 2024: day 14 is Christmas Eve; 25 and 26 are holidays: Friday 27.
    assert justering_due(D(2024, 12, 10)) == D(2024, 12, 27)
    assert justering_due(D(2024, 11, 14)) == D(2024, 11, 28)  # Thursday to Thursday
    # Adjusted Fri 29 November 2024: the second day is Sunday 1 December: Monday 2 December.
    assert notice_due(D(2024, 11, 29)) == D(2024, 12, 2)
    assert notice_due(D(2024, 11, 26)) == D(2024, 11, 28)


MEETING = D(2024, 11, 14)  # a Thursday: adjusted by Thursday 28 November


def protocol(notice: Notice | None = None, appeals: list[Appeal] | None = None) -> Meeting:
    return Meeting(MEETING, kind="protokoll", notice=notice, appeals=appeals or [])


def test_minnesanteckningar_have_no_stage_and_no_deadlines():
    notes = Meeting(MEETING)
    assert stage(notes, None, D(2025, 1, 1)) is None
    assert missed(notes, None, D(2025, 1, 1)) == []
    assert due([("Gruppen", "2024-11-14", notes, None)], D(2025, 1, 1)) == []


def test_a_meeting_still_to_come_is_planned():
    now = stage(protocol(), None, MEETING - dt.timedelta(days=1))
    assert now is not None and now.step == Step.PLANNED
    assert now.text() == "planerat sammanträde"


def test_to_be_adjusted_counts_the_days_left_and_the_fourteenth_day_is_not_overdue():
    now = stage(protocol(), None, D(2024, 11, 25))
    assert now is not None and now.step == Step.TO_ADJUST
    assert (now.due, now.days_left) == (D(2024, 11, 28), 3)
    assert now.text() == "justeras senast 2024-11-28 (3 dagar kvar)"
    assert now.text("en") == "to be adjusted by 2024-11-28 (3 days left)"

    last = stage(protocol(), None, D(2024, 11, 28))
    assert last is not None and last.days_left == 0
    assert last.text() == "justeras senast 2024-11-28 (i dag)"
    assert missed(protocol(), None, D(2024, 11, 28)) == []

    late = stage(protocol(), None, D(2024, 11, 29))
    assert late is not None and late.days_left == -1
    assert late.text() == "skulle ha justerats senast 2024-11-28 (1 dag sedan)"
    assert late.text("en") == "should have been adjusted by 2024-11-28 (1 day ago)"
    (problem,) = missed(protocol(), None, D(2024, 11, 29))
    assert problem.warning and problem.where == "signatures"
    assert "2024-11-28" in problem.message


def test_adjusted_late_is_reported_and_adjusted_on_the_last_day_is_not():
    assert missed(protocol(), D(2024, 11, 28), D(2024, 11, 28)) == []
    (problem,) = missed(protocol(), D(2024, 11, 29), D(2024, 11, 29))
    assert problem.where == "signatures" and "2024-11-29" in problem.message


def test_adjusted_and_to_be_posted_by_the_second_day():
    now = stage(protocol(), D(2024, 11, 26), D(2024, 11, 26))
    assert now is not None and now.step == Step.TO_POST
    assert (now.due, now.days_left) == (D(2024, 11, 28), 2)
    assert now.text() == "justerat; anslås senast 2024-11-28 (2 dagar kvar)"
    assert missed(protocol(), D(2024, 11, 26), D(2024, 11, 28)) == []

    late = stage(protocol(), D(2024, 11, 26), D(2024, 11, 30))
    assert late is not None and late.days_left == -2
    assert late.text() == "justerat; skulle ha anslagits senast 2024-11-28 (2 dagar sedan)"
    (problem,) = missed(protocol(), D(2024, 11, 26), D(2024, 11, 29))
    assert problem.where == "notice"


def test_a_notice_posted_late_is_reported():
    adjusted = D(2024, 11, 26)
    assert missed(protocol(Notice(D(2024, 11, 28))), adjusted, D(2024, 12, 1)) == []
    (problem,) = missed(protocol(Notice(D(2024, 11, 29))), adjusted, D(2024, 12, 1))
    assert problem.where == "notice.posted"


def test_a_posted_notice_shows_adjustment_even_without_its_day():
    # Signed on paper: no signature tags, so no adjustment day, and no 14-day warning.
    now = stage(protocol(Notice(D(2024, 11, 22))), None, D(2024, 12, 2))
    assert now is not None and now.step == Step.POSTED
    assert missed(protocol(Notice(D(2024, 12, 20))), None, D(2024, 12, 20)) == []


def test_the_notice_is_up_until_the_appeal_period_ends():
    # Posted Fri 22 November 2024: the appeal period ends Fri 13 December.
    posted = protocol(Notice(D(2024, 11, 22)))
    now = stage(posted, D(2024, 11, 21), D(2024, 12, 13))
    assert now is not None and now.step == Step.POSTED
    assert now.appeal_ends == D(2024, 12, 13)
    assert now.text() == "anslaget till 2024-12-13"
    assert now.text("en") == "notice up until 2024-12-13"


def test_after_the_appeal_period_the_notice_may_come_down_and_the_decisions_are_final():
    up = protocol(Notice(D(2024, 11, 22)))
    now = stage(up, D(2024, 11, 21), D(2024, 12, 14))
    assert now is not None and now.step == Step.TAKE_DOWN
    assert (now.due, now.days_left, now.in_force) == (D(2024, 12, 14), 0, D(2024, 12, 14))
    assert now.text() == "laga kraft 2024-12-14; anslaget kan tas ned"

    down = protocol(Notice(D(2024, 11, 22), taken_down=D(2024, 12, 16)))
    final = stage(down, D(2024, 11, 21), D(2024, 12, 20))
    assert final is not None and final.step == Step.IN_FORCE
    assert final.text() == "laga kraft 2024-12-14"
    assert final.text("en") == "in legal force from 2024-12-14"
    assert missed(down, D(2024, 11, 21), D(2024, 12, 20)) == []


def test_a_notice_taken_down_on_the_last_day_of_the_appeal_period_is_too_early():
    early = protocol(Notice(D(2024, 11, 22), taken_down=D(2024, 12, 13)))
    (problem,) = missed(early, D(2024, 11, 21), D(2024, 12, 20))
    assert problem.where == "notice.taken_down" and "2024-12-13" in problem.message
    on_time = protocol(Notice(D(2024, 11, 22), taken_down=D(2024, 12, 14)))
    assert missed(on_time, D(2024, 11, 21), D(2024, 12, 20)) == []


def test_an_appeal_keeps_the_protocol_from_legal_force():
    appeals = [Appeal([7, 5], D(2024, 12, 2)), Appeal([6], D(2024, 11, 29))]
    appealed = protocol(Notice(D(2024, 11, 22)), appeals)
    now = stage(appealed, D(2024, 11, 21), D(2024, 12, 10))
    assert now is not None and now.step == Step.APPEALED
    assert (now.appealed, now.appealed_on, now.in_force) == ((5, 6, 7), D(2024, 11, 29), None)
    assert now.text() == "överklagat 2024-11-29 (§§5–7)"
    assert now.text("en") == "appealed 2024-11-29 (§§5–7)"

    later = stage(appealed, D(2024, 11, 21), D(2024, 12, 20))
    assert later is not None and later.step == Step.TAKE_DOWN and later.in_force is None
    assert later.text() == "överklagat 2024-11-29 (§§5–7); anslaget kan tas ned"

    appealed.notice = Notice(D(2024, 11, 22), taken_down=D(2024, 12, 16))
    done = stage(appealed, D(2024, 11, 21), D(2024, 12, 20))
    assert done is not None and done.step == Step.APPEALED


def test_due_lists_the_deadlines_of_the_law_first_the_most_overdue_first():
    today = D(2024, 12, 20)
    rows = [
        ("Nämnden", "2024-11-14-posted", protocol(Notice(D(2024, 12, 2))), D(2024, 11, 28)),
        ("Nämnden", "2024-11-14-down", protocol(Notice(D(2024, 11, 22))), D(2024, 11, 21)),
        ("Nämnden", "2024-12-19", Meeting(D(2024, 12, 19), kind="protokoll"), None),
        ("Nämnden", "2024-11-14", protocol(), None),  # adjustment overdue since 28 November
        ("Gruppen", "2024-12-18", Meeting(D(2024, 12, 18), kind="protokoll"), D(2024, 12, 19)),
        ("Gruppen", "2024-12-12", Meeting(D(2024, 12, 12)), None),  # minnesanteckningar
        ("Gruppen", "2025-01-09", Meeting(D(2025, 1, 9), kind="protokoll"), None),  # planned
        (
            "Gruppen",
            "2024-10-10",
            Meeting(
                D(2024, 10, 10), kind="protokoll", notice=Notice(D(2024, 10, 15), D(2024, 11, 6))
            ),
            D(2024, 10, 14),
        ),
    ]
    found = [(d.key, d.stage.step, d.stage.due) for d in due(rows, today)]
    assert found == [
        ("2024-11-14", Step.TO_ADJUST, D(2024, 11, 28)),
        # Adjusted Thu 19 December: the second day is Saturday 21: Monday 23 December.
        ("2024-12-18", Step.TO_POST, D(2024, 12, 23)),
        # Met Thu 19 December: day 14 is Thu 2 January 2025.
        ("2024-12-19", Step.TO_ADJUST, D(2025, 1, 2)),
        ("2024-11-14-down", Step.TAKE_DOWN, D(2024, 12, 14)),
    ]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(result.stdout.split())


def test_the_holiday_calendar_loads_only_when_a_day_is_asked_about():
    assert "holidays" not in _loaded_after("import tui.deadlines")
    loaded = _loaded_after(
        "import datetime, tui.deadlines\ntui.deadlines.is_day_off(datetime.date(2024, 5, 9))"
    )
    assert "holidays" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "git", "rich")}
    assert "tui.archive" not in loaded


def test_a_notice_or_an_appeal_dated_after_today_is_warned_of():
    """A form takes any date; a notice or an appeal still to come is a slip of the keys."""
    meeting = Meeting(dt.date(2024, 11, 14), kind="protokoll")
    meeting.notice = Notice(dt.date(2024, 12, 30))
    meeting.appeals = [Appeal([1], dt.date(2025, 1, 5))]
    found = {(p.where, p.message) for p in missed(meeting, dt.date(2024, 11, 19), D(2024, 11, 20))}
    assert (
        "notice.posted",
        "posted 2024-12-30, a day still to come: record a notice once it is up",
    ) in found
    assert ("appeals[0].date", "lodged 2025-01-05, a day still to come") in found
