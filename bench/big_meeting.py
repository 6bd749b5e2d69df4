"""Write a repository whose one meeting has N §§, with a few versions of it.

    python bench/big_meeting.py DEST 10000

The §§ repeat the seed meeting's titles and decisions (titles repeat, as "Övriga frågor" does in
life) with a one-line summary, so that 10,000 of them fit in a meeting file's 2 MB; the
attendance is the seed's with every member present for a range of §§, and each later version
changes one decision, as `minutes set` does.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.history_repo import fast_import  # noqa: E402
from tui.format.files import dumps_meeting, load_meeting  # noqa: E402
from tui.model import Item  # noqa: E402

FOLDER = "samverkansgrupp-kompetensforsorjning"
MEETING = f"meetings/{FOLDER}/2024-04-26.toml"


def big_meeting(count: int):
    """The seed meeting with `count` §§."""
    seed, _ = load_meeting(ROOT / "meetings" / FOLDER / "2024-04-26.toml")
    meeting = copy.deepcopy(seed)
    meeting.items = []
    for n in range(1, count + 1):
        like = seed.items[(n - 1) % len(seed.items)]
        decision = like.decision or "Informationen noteras."
        meeting.items.append(Item(n, like.title, summary=f"Ärende {n}.", decision=decision))
    for i, attendee in enumerate(meeting.attendance.everyone()):
        # Some leave early: a presence list as long as the meeting, or half of it.
        attendee.present = list(range(1, count + 1 if i % 2 else count // 2 + 1))
    return meeting


def build(dest: Path, count: int, versions: int) -> Path:
    """A repository at `dest` whose meeting has `count` §§, committed `versions` times."""
    meeting = big_meeting(count)
    commits = []
    for n in range(versions):
        if n:
            meeting.items[(n * 7919) % count].decision = f"Version {n}: beslutet ändras."
        commits.append((f"Version {n}", MEETING, dumps_meeting(meeting).encode()))
    return fast_import(dest, commits)


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if sys.argv[3:] else 5)
