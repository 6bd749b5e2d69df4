"""Changing the order of §§ keeps every reference to a § with its item."""

from __future__ import annotations

import copy

import pytest

from tui.format.files import load_meeting

from .conftest import ROOT, SEED_FOLDER


@pytest.fixture
def seed():
    return load_meeting(ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml")[0]


def _titles(meeting):
    return [(i.number, i.title[:12]) for i in meeting.items]


def test_add_an_item_after_another(seed):
    item = seed.add_item(after=11, first_number=1)
    assert item.number == 12 and seed.item(12) is item
    assert seed.numbers() == list(range(9, 19))
    assert seed.item(13).title.startswith("Infrastruktur")
    assert seed.attendance.members[1].present == [9, 10, 11, 13]  # was §§9–12
    assert seed.attendance.others[4].present == [9, 10, 11, 13, 14]  # was §§9–13


def test_add_the_first_item_of_an_empty_meeting(seed):
    empty = copy.deepcopy(seed)
    empty.items = []
    assert empty.add_item(after=None, first_number=18).number == 18


def test_remove_an_item(seed):
    seed.remove_item(10)
    assert seed.numbers() == list(range(9, 17))
    assert seed.item(10).title.startswith("Planering")
    assert seed.attendance.members[1].present == [9, 10, 11]  # §10 gone; 11, 12 moved down


def test_move_an_item(seed):
    assert seed.move_item(12, +1) == 13
    assert _titles(seed)[3:5] == [(12, "Campus Väste"), (13, "Infrastruktu")]
    assert seed.attendance.others[5].present == [15]  # Arne Andersson, §15, untouched
    assert seed.move_item(9, -1) == 9  # already first


def test_number_the_items_from_another_first(seed):
    janeth = seed.attendance.members[1]
    assert janeth.present == [9, 10, 11, 12]
    seed.number_from(1)
    assert seed.numbers() == list(range(1, 10))
    assert janeth.present == [1, 2, 3, 4]
    assert seed.attendance.others[5].present == [7]  # §15 is now §7
