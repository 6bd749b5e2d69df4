"""Concurrent edits to one meeting, merged by minutes' driver and by git's line merge.

Each pair is two people editing one meeting of a generated archive in different places: two
§§' decisions, two sentences of one summary, an attendee and a § title, the place and a
decision. The edits are disjoint, so a right merge holds both: the merged file equals the base
with both edits applied, and is a valid meeting.
"""

from __future__ import annotations

import copy
import random
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from tui.format.files import dumps_meeting, parse_meeting
from tui.merge import merge_meetings
from tui.model import Attendee, Meeting

Edit = Callable[[Meeting], None]


def _decision(number: int, text: str) -> Edit:
    def edit(meeting: Meeting) -> None:
        meeting.items[number].decision = text

    return edit


def _summary_sentence(number: int, first: bool, text: str) -> Edit:
    """Rewrite the first or the last sentence of a §'s summary."""

    def edit(meeting: Meeting) -> None:
        item = meeting.items[number]
        head, dot, tail = item.summary.partition(". ")
        item.summary = f"{text}{dot}{tail}" if first else f"{head}{dot}{text}"

    return edit


def _attendee(name: str) -> Edit:
    def edit(meeting: Meeting) -> None:
        meeting.attendance.others.append(Attendee(name, role="gäst"))

    return edit


def _title(number: int, text: str) -> Edit:
    def edit(meeting: Meeting) -> None:
        meeting.items[number].title = text

    return edit


def _place(text: str) -> Edit:
    def edit(meeting: Meeting) -> None:
        meeting.place = text

    return edit


def pair(rng: random.Random, meeting: Meeting) -> tuple[Edit, Edit]:
    """Two edits to different parts of `meeting`."""
    one, other = rng.sample(range(len(meeting.items)), 2)
    word = rng.choice(["Godkänt", "Noterat", "Bordlagt", "Återremitterat"])
    kind = rng.randrange(4)
    if kind == 0:
        return _decision(one, f"{word} av A."), _decision(other, f"{word} av B.")
    if kind == 1:
        with_sentences = [i for i, item in enumerate(meeting.items) if ". " in item.summary]
        number = rng.choice(with_sentences) if with_sentences else one
        return (
            _summary_sentence(number, True, f"{word} inledning"),
            _summary_sentence(number, False, "Avslutning ändrad."),
        )
    if kind == 2:
        return _attendee(f"Gäst {rng.randrange(1000)}"), _title(other, f"{word} rubrik")
    return _place(f"Rum {rng.randrange(100)}"), _decision(one, f"{word}.")


def applied(base: Meeting, *edits: Edit) -> Meeting:
    meeting = copy.deepcopy(base)
    for edit in edits:
        edit(meeting)
    return meeting


def compare(files: list[Path], pairs: int, seed: int = 1) -> dict[str, int]:
    """How many of `pairs` edit pairs each merge gets right (clean, both edits, valid)."""
    rng = random.Random(seed)
    right = {"minutes": 0, "git": 0}
    with tempfile.TemporaryDirectory(prefix="minutes-merge-") as folder:
        work = Path(folder)
        for _ in range(pairs):
            base, _ = parse_meeting(rng.choice(files).read_text(encoding="utf-8"))
            mine, yours = pair(rng, base)
            ours, theirs = applied(base, mine), applied(base, yours)
            wanted = dumps_meeting(applied(base, mine, yours))
            merged = merge_meetings(base, ours, theirs)
            right["minutes"] += merged.clean and dumps_meeting(merged.meeting) == wanted
            right["git"] += _git_right(work, base, ours, theirs, wanted)
    return right


def _git_right(work: Path, base: Meeting, ours: Meeting, theirs: Meeting, wanted: str) -> bool:
    names = []
    for name, meeting in (("ours", ours), ("base", base), ("theirs", theirs)):
        (work / name).write_text(dumps_meeting(meeting), encoding="utf-8")
        names.append(str(work / name))
    result = subprocess.run(
        ["git", "merge-file", "-p", *names], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:  # conflicts (their number) or a failure
        return False
    merged, problems = parse_meeting(result.stdout)
    return not any(not p.warning for p in problems) and dumps_meeting(merged) == wanted
