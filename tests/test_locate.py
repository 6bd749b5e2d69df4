"""Key paths are placed from one reading of the text; each must land on the line the former
scan, kept here word for word, found for it alone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.format.encode import dumps_meeting
from tui.format.locate import _HEADER, _KEY, _resolve, line_of, lines_of, steps

from .strategies import meetings

MANY = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def reference_line_of(text: str, where: str) -> int | None:
    target = steps(where)
    if not target:
        return None
    best_depth, best_line = 0, None
    table: list[str | int] = []
    arrays: dict[tuple, int] = {}
    closing = ""
    for number, line in enumerate(text.splitlines(), 1):
        if closing:
            if line.count(closing) % 2:
                closing = ""
            continue
        header = _HEADER.match(line)
        key = None if header else _KEY.match(line)
        if header:
            table = _resolve(header[2], header[1] == "[[", arrays)
            candidate = table
        elif key:
            candidate = [*table, key[1].strip("\"'")]
            value = key[2]
            for quotes in ('"""', "'''"):
                if value.startswith(quotes) and value.count(quotes) == 1:
                    closing = quotes
        else:
            continue
        if len(candidate) > best_depth and target[: len(candidate)] == candidate:
            best_depth, best_line = len(candidate), number
    return best_line


NAMES = ["items", "attendance", "members", "others", "votes", "motions", "decision", "yes"]
NAMES += ["title", "present", "next_meeting", "date", "signatures", "x_custom", "Ärende typ"]
step = st.sampled_from(NAMES) | st.integers(0, 4).map(lambda n: f"[{n}]")
where = st.lists(step, max_size=5).map(lambda parts: ".".join(parts).replace(".[", "["))
# A hand-made layout: a table, a repeated key, a multi-line string holding a header.
HAND_MADE = """schema = 1
[attendance]
x = 1
[[attendance.members]]
name = "A"
[[items]]
number = 1
summary = \"\"\"
[[items]]
number = 2
\"\"\"
[[items]]
number = 3
number = 4
"""


@MANY
@given(meetings(), st.lists(where, max_size=8))
def test_each_path_lands_where_it_did(meeting, wheres):
    text = dumps_meeting(meeting)
    assert lines_of(text, wheres) == [reference_line_of(text, w) for w in wheres]


@given(st.lists(where, max_size=8))
def test_each_path_of_a_hand_made_layout_lands_where_it_did(wheres):
    wheres += ["items[1].number", "items[2]", "attendance.x", "attendance.members[0].name"]
    assert lines_of(HAND_MADE, wheres) == [reference_line_of(HAND_MADE, w) for w in wheres]
    assert [line_of(HAND_MADE, w) for w in wheres] == lines_of(HAND_MADE, wheres)
