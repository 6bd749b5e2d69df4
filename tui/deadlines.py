"""The statutory deadlines of a protocol, and where a protocol stands on a given day.

Pure: a meeting, the day it was adjusted and today go in; dates, stages and problems come out.
The day of adjustment (justering) is not in the file: it is the day of the signatures, which
the caller reads from the repository.

The law (kommunallagen 2017:725):
- 6 kap. 35 §: the protocol is adjusted (justeras) "senast fjorton dagar efter sammanträdet";
- 8 kap. 12 §: that it was adjusted is announced on the notice board (anslag) "senast andra
  dagen efter justeringen", and the notice stays up until the time to appeal has run out;
- 13 kap. 5 §: an appeal must reach the court "inom tre veckor från den dag då det tillkännagavs
  på anslagstavlan att protokollet över beslutet justerats".

Lagen (1930:173) om beräkning av lagstadgad tid: by 1 § a time counted in weeks ends on the
same weekday (three weeks after a Tuesday is a Tuesday); by 2 § a day on which an act must be
done at the latest that falls on a Saturday, a Sunday or other public holiday (lagen 1989:253
om allmänna helgdagar), midsommarafton, julafton or nyårsafton moves to the next working day.
2 § speaks of every time by which the law says an act must be done, not only of times counted
in weeks (that is 1 §), and its exceptions name other laws only: so the 14 days of justering
and the second day for the notice move too, not only the appeal period. Both are rules of
order whose breach voids no decision; following the law's letter here means a protocol adjusted
on the Monday after a Saturday fourteenth day is not reported late.

The API:
- `is_day_off(day)`: the days 2 § of lagen (1930:173) skips.
- `justering_due(meeting_date)`, `notice_due(adjusted_on)`, `appeal_ends(posted)`,
  `notice_may_come_down(posted)`: the dates.
- `stage(meeting, adjusted_on, today) -> Stage | None`: where a protocol stands (None for
  minnesanteckningar); `Stage.text(language)` says it in a short Swedish or English phrase.
- `due(rows, today) -> list[Due]`: what is to be done, most urgent first: protocols to adjust,
  notices to post, notices that may come down. A row is (body name, meeting key, meeting,
  adjusted_on).
- `missed(meeting, adjusted_on, today) -> list[Problem]`: every deadline missed (appeals
  lodged late too), as warnings for `minutes check`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import ranges
from .model import Meeting
from .problems import Problem

_DAY = dt.timedelta(days=1)
_JUSTERING_DAYS = 14
_NOTICE_DAYS = 2
_APPEAL_WEEKS = 3


@functools.cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    """Sweden's public holidays (allmänna helgdagar) of a year, Sundays aside.

    The `holidays` package is imported here, not at the top: it costs a quarter of a second
    (it loads every country's calendar), which commands that need no deadline must not pay.
    It covers 1953–2100; outside those years it knows no holidays.
    """
    import holidays

    return frozenset(holidays.Sweden(years=year, categories=holidays.PUBLIC))


def is_day_off(day: dt.date) -> bool:
    """A Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton: a day that
    2 § of lagen (1930:173) moves a deadline off. The three eves are no public holidays, so
    they are named here; midsommarafton is the Friday of 19–25 June."""
    if day.weekday() >= 5:
        return True
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return True
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        return True
    return day in _public_holidays(day.year)


def _working_day_from(day: dt.date) -> dt.date:
    """`day`, or the first working day after it (2 § of lagen 1930:173)."""
    while is_day_off(day):
        day += _DAY
    return day


def justering_due(meeting_date: dt.date) -> dt.date:
    """The last day to adjust the protocol: 14 days after the meeting, moved to a working day."""
    return _working_day_from(meeting_date + _JUSTERING_DAYS * _DAY)


def notice_due(adjusted_on: dt.date) -> dt.date:
    """The last day to post the notice: the second day after adjustment, moved to a working
    day."""
    return _working_day_from(adjusted_on + _NOTICE_DAYS * _DAY)


def appeal_ends(posted: dt.date) -> dt.date:
    """The last day an appeal may reach the court: the same weekday three weeks after the
    notice was posted, moved to a working day."""
    return _working_day_from(posted + dt.timedelta(weeks=_APPEAL_WEEKS))


def notice_may_come_down(posted: dt.date) -> dt.date:
    """The first day the notice may be taken down: the day after the appeal period ends."""
    return appeal_ends(posted) + _DAY


class Step(enum.StrEnum):
    """Where a protocol stands, in the order it gets there."""

    PLANNED = "planned"
    """The meeting is still to come."""
    TO_ADJUST = "to_adjust"
    TO_POST = "to_post"
    """Adjusted; the notice is not posted yet."""
    POSTED = "posted"
    """The notice is up and the appeal period runs."""
    APPEALED = "appealed"
    TAKE_DOWN = "take_down"
    """The appeal period is over and the notice still up."""
    IN_FORCE = "in_force"
    """Laga kraft: the appeal period ended with no appeal, and the notice is down."""


@dataclass(frozen=True)
class Stage:
    """Where a protocol stands on a day, with the dates its phrase names."""

    step: Step
    due: dt.date | None = None
    """The last day of the next act: to adjust, to post the notice; for TAKE_DOWN the first
    day the notice may come down."""
    days_left: int | None = None
    """Days from today to `due`; below zero, days overdue."""
    appeal_ends: dt.date | None = None
    appealed: tuple[int, ...] = ()
    """The §§ appealed, when the appeals name them."""
    appealed_on: dt.date | None = None
    """The day of the first appeal."""
    in_force: dt.date | None = None
    """The day it gained legal force (laga kraft)."""

    def text(self, language: str = "sv") -> str:
        """A short phrase: "justeras senast 2024-11-28 (3 dagar kvar)", "laga kraft 2024-12-14"."""
        words = _WORDS.get(language, _WORDS["sv"])
        if self.step == Step.PLANNED:
            return words["planned"]
        if self.step == Step.POSTED:
            return words["posted"].format(self.appeal_ends)
        if self.step == Step.TAKE_DOWN:
            return words["take_down"].format(self._outcome(words))
        if self.step in (Step.APPEALED, Step.IN_FORCE):
            return self._outcome(words)
        assert self.due is not None and self.days_left is not None
        if self.days_left < 0:
            late = _days(-self.days_left, words)
            return words[f"{self.step}_late"].format(due=self.due, late=late)
        left = (
            words["left"].format(_days(self.days_left, words)) if self.days_left else words["today"]
        )
        return words[self.step].format(due=self.due, left=left)

    def _outcome(self, words: dict[str, str]) -> str:
        """Laga kraft, or the appeals that keep it away."""
        if self.in_force:
            return words["in_force"].format(self.in_force)
        items = f" ({ranges.display(list(self.appealed))})" if self.appealed else ""
        return words["appealed"].format(self.appealed_on) + items


_WORDS = {
    "sv": {
        "planned": "planerat sammanträde",
        "to_adjust": "justeras senast {due} ({left})",
        "to_adjust_late": "skulle ha justerats senast {due} ({late} sedan)",
        "to_post": "justerat; anslås senast {due} ({left})",
        "to_post_late": "justerat; skulle ha anslagits senast {due} ({late} sedan)",
        "posted": "anslaget till {}",
        "appealed": "överklagat {}",
        "in_force": "laga kraft {}",
        "take_down": "{}; anslaget kan tas ned",
        "left": "{} kvar",
        "today": "i dag",
        "day": "dag",
        "days": "dagar",
    },
    "en": {
        "planned": "planned meeting",
        "to_adjust": "to be adjusted by {due} ({left})",
        "to_adjust_late": "should have been adjusted by {due} ({late} ago)",
        "to_post": "adjusted; notice to be posted by {due} ({left})",
        "to_post_late": "adjusted; notice should have been posted by {due} ({late} ago)",
        "posted": "notice up until {}",
        "appealed": "appealed {}",
        "in_force": "in legal force from {}",
        "take_down": "{}; the notice can come down",
        "left": "{} left",
        "today": "today",
        "day": "day",
        "days": "days",
    },
}


def _days(count: int, words: dict[str, str]) -> str:
    return f"{count} {words['day'] if count == 1 else words['days']}"


def stage(meeting: Meeting, adjusted_on: dt.date | None, today: dt.date) -> Stage | None:
    """Where a protocol stands on `today`; None for minnesanteckningar, which have no stages.

    A posted notice counts as adjustment even without `adjusted_on` (a protocol signed on
    paper). An appeal lodged in time keeps the protocol from legal force: the §§ not
    appealed gain it all the same, which the stage does not tell apart. One lodged after the
    appeal period keeps nothing: the court dismisses it (avvisar, KL 13 kap. 5 §).
    """
    if meeting.kind != "protokoll":
        return None
    if today < meeting.date:
        return Stage(Step.PLANNED)
    notice = meeting.notice
    if notice is None:
        if adjusted_on is None:
            by = justering_due(meeting.date)
            return Stage(Step.TO_ADJUST, by, (by - today).days)
        by = notice_due(adjusted_on)
        return Stage(Step.TO_POST, by, (by - today).days)
    ends = appeal_ends(notice.posted)
    appeals = [appeal for appeal in meeting.appeals if appeal.date <= ends]
    outcome = Stage(
        Step.APPEALED if appeals else Step.IN_FORCE,
        appeal_ends=ends,
        appealed=tuple(sorted({n for appeal in appeals for n in appeal.items})),
        appealed_on=min((appeal.date for appeal in appeals), default=None),
        in_force=None if appeals else ends + _DAY,
    )
    if today <= ends:
        return outcome if appeals else Stage(Step.POSTED, appeal_ends=ends)
    if notice.taken_down is None:
        down = ends + _DAY
        return replace(outcome, step=Step.TAKE_DOWN, due=down, days_left=(down - today).days)
    return outcome


@dataclass(frozen=True)
class Due:
    """Something to do about one protocol."""

    body: str
    """The body's name."""
    key: str
    """The meeting's key: `folder/2024-11-14.toml`, its name within the archive."""
    stage: Stage
    language: str = "sv"
    """The protocol's language, for `stage.text`."""


_TO_DO = (Step.TO_ADJUST, Step.TO_POST, Step.TAKE_DOWN)


def due(rows: Iterable[tuple[str, str, Meeting, dt.date | None]], today: dt.date) -> list[Due]:
    """What is to be done about the protocols, as of `today`: those to adjust, notices to post
    and notices that may come down. Each row is (body name, meeting key, meeting, the day it
    was adjusted or None). The deadlines of the law come first, the earliest (the most overdue)
    first; notices that may come down, which no law hurries, come last."""
    found = []
    for body, key, meeting, adjusted_on in rows:
        now = stage(meeting, adjusted_on, today)
        if now is not None and now.step in _TO_DO:
            found.append(Due(body, key, now, meeting.language))
    return sorted(found, key=lambda d: (d.stage.step == Step.TAKE_DOWN, d.stage.due, d.body, d.key))


def missed(meeting: Meeting, adjusted_on: dt.date | None, today: dt.date) -> list[Problem]:
    """Every deadline of a protocol missed by `today`, as warnings with the key they concern.

    Without `adjusted_on` a posted notice shows that the protocol was adjusted, but not when:
    its 14 days are then not checked.
    """
    if meeting.kind != "protokoll":
        return []
    problems = []
    notice = meeting.notice
    adjust_by = justering_due(meeting.date)
    if adjusted_on is not None and adjusted_on > adjust_by:
        message = (
            f"adjusted {adjusted_on}, after the deadline {adjust_by} (14 days after the meeting)"
        )
        problems.append(Problem(message, "signatures", warning=True))
    elif adjusted_on is None and notice is None and today > adjust_by:
        message = f"not adjusted (justerat) by {adjust_by}, 14 days after the meeting"
        problems.append(Problem(message, "signatures", warning=True))
    if adjusted_on is not None:
        post_by = notice_due(adjusted_on)
        if notice is not None and notice.posted > post_by:
            message = (
                f"the notice of adjustment was posted {notice.posted}, after the deadline "
                f"{post_by} (the second day after adjustment)"
            )
            problems.append(Problem(message, "notice.posted", warning=True))
        elif notice is None and today > post_by:
            message = (
                f"no notice of adjustment (anslag) posted by {post_by}, "
                "the second day after adjustment"
            )
            problems.append(Problem(message, "notice", warning=True))
    if notice is not None:
        ends = appeal_ends(notice.posted)
        for index, appeal in enumerate(meeting.appeals):
            if appeal.date > ends:
                message = (
                    f"lodged {appeal.date}, after the appeal period ended {ends}: "
                    "the court dismisses a late appeal"
                )
                problems.append(Problem(message, f"appeals[{index}].date", warning=True))
    if notice is not None and notice.posted > today:
        message = f"posted {notice.posted}, a day still to come: record a notice once it is up"
        problems.append(Problem(message, "notice.posted", warning=True))
    for index, appeal in enumerate(meeting.appeals):
        if appeal.date > today:
            message = f"lodged {appeal.date}, a day still to come"
            problems.append(Problem(message, f"appeals[{index}].date", warning=True))
    if notice is not None and notice.taken_down is not None:
        ends = appeal_ends(notice.posted)
        if notice.taken_down <= ends:
            message = (
                f"the notice came down {notice.taken_down}, before the appeal period ended ({ends})"
            )
            problems.append(Problem(message, "notice.taken_down", warning=True))
    return problems
