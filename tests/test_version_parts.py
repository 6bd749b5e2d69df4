"""Versions read part by part: the document grows its own lists in place, never the parsed
parts that later versions share."""

from __future__ import annotations

import copy
import dataclasses
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.format.encode import dumps_meeting
from tui.format.versions import VersionReader, _merge

from .strategies import meetings

SLOW = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _repeated(meeting, times: int):
    """The meeting with its §§ and attendance repeated: many parts add to the same lists."""
    bigger = copy.deepcopy(meeting)
    step = max([0, *bigger.numbers()]) + 1
    bigger.items = [
        dataclasses.replace(copy.deepcopy(item), number=item.number + k * step)
        for k in range(times)
        for item in meeting.items
    ]
    for group in ("members", "substitutes", "others"):
        people = getattr(meeting.attendance, group)
        setattr(bigger.attendance, group, [copy.deepcopy(p) for _ in range(times) for p in people])
    return bigger


@SLOW
@given(meetings(), meetings(), st.integers(2, 3))
def test_reading_versions_leaves_the_shared_parts_as_parsed(first, second, times):
    reader = VersionReader()
    for meeting in (first, second, first):
        text = dumps_meeting(_repeated(meeting, times))
        assert reader.document(text) == tomllib.loads(text)
    assert all(parsed == tomllib.loads(part) for part, parsed in reader._parts.items())


def test_each_part_is_appended_to_the_documents_own_list():
    parts = [
        {"items": [{"number": n}], "attendance": {"members": [{"name": f"P{n}"}]}} for n in range(3)
    ]
    document: dict = {}
    owned: set[int] = set()
    _merge(document, parts[0], owned)
    _merge(document, parts[1], owned)
    items, members = document["items"], document["attendance"]["members"]
    _merge(document, parts[2], owned)
    assert document["items"] is items  # grown in place, not copied for every part
    assert document["attendance"]["members"] is members
    assert document == {
        "items": [{"number": 0}, {"number": 1}, {"number": 2}],
        "attendance": {"members": [{"name": "P0"}, {"name": "P1"}, {"name": "P2"}]},
    }
    assert parts[0] == {"items": [{"number": 0}], "attendance": {"members": [{"name": "P0"}]}}
