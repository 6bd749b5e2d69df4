"""The next meeting's day in a decision's words and in `[next_meeting]` must agree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.format.files import load_meeting
from tui.labels import labels
from tui.spoken_dates import dates_named
from tui.validation import check_meeting, next_meeting_decided

from .conftest import ROOT, SEED_FOLDER


@pytest.fixture
def seed():
    return load_meeting(ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml")[0]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Nästa sammanträde ska äga rum fredagen den 13 september 2024 klockan 09.00.", [(9, 13)]),
        ("The next meeting is on September 13, 2024, at nine.", [(9, 13)]),
        ("Mötet hålls den 1:e december 2024 eller 2024-12-08.", [(12, 1), (12, 8)]),
        ("den 31 februari 2024, 2024-02-30", []),
        ("13 Sept 2024, den 13 septembers 2024, 2024-09-130", []),
    ],
)
def test_dates_written_in_prose(text, dates):
    assert dates_named(text) == [dt.date(2024, month, day) for month, day in dates]


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.sampled_from(["sv", "en"]))
def test_any_date_written_out_is_read_back(date, language):
    month = labels(language)["months"].split()[date.month - 1]
    assert dates_named(f"Den {date.day} {month} {date.year}.") == [date]
    assert dates_named(f"on {month} {date.day}, {date.year}") == [date]


def test_the_seed_agrees_with_itself(seed):
    item, date = next_meeting_decided(seed)
    assert (item.number, date) == (10, seed.next_meeting.date)
    assert not [p for p in check_meeting(seed) if "next_meeting" in p.where]


def test_a_decision_naming_another_day_is_a_warning(seed):
    seed.item(10).decision = "Nästa sammanträde ska äga rum den 20 september 2024."
    (problem,) = [p for p in check_meeting(seed) if "next_meeting" in p.where]
    assert problem.warning and problem.where == "next_meeting.date"
    assert problem.message == "is 2024-09-13, but §10's decision names 2024-09-20"
    seed.next_meeting = None
    (problem,) = [p for p in check_meeting(seed) if "next_meeting" in p.where]
    assert problem.warning and "no next meeting is given" in problem.message


def test_only_a_next_meeting_item_with_one_date_counts(seed):
    seed.item(10).decision = "Den 20 september 2024 eller den 27 september 2024."
    assert next_meeting_decided(seed) is None
    seed.item(10).decision = "Den 20 september 2024."
    seed.item(10).title = "Övriga frågor"
    assert next_meeting_decided(seed) is None
    seed.item(10).title = "Next meeting"
    assert next_meeting_decided(seed) == (seed.item(10), dt.date(2024, 9, 20))
