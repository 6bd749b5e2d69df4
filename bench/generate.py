"""Write a synthetic archive: N seed-sized meetings spread over several bodies and years.

python bench/generate.py DEST N
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.format.files import dumps_body, dumps_meeting, load_body, load_meeting  # noqa: E402
from tui.model import NextMeeting  # noqa: E402

SEED = ROOT / "meetings" / "samverkansgrupp-kompetensforsorjning"
BODIES = ["arbetsutskottet", "kompetensradet", "kulturnamnden", "samverkansgruppen", "styrelsen"]


def generate(dest: Path, count: int) -> Path:
    template, _ = load_meeting(SEED / "2024-04-26.toml")
    body, _ = load_body(SEED / "body.toml")
    per_body = -(-count // len(BODIES))
    written = 0
    for b, folder in enumerate(BODIES):
        target = dest / "meetings" / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / "body.toml").write_text(
            dumps_body(dataclasses.replace(body, name=f"{body.name} ({folder})")), encoding="utf-8"
        )
        # Weekly meetings that end a little after today, so some are planned.
        first = dt.date.today() - dt.timedelta(weeks=per_body - 4, days=b)
        number, year = 1, first.year
        for i in range(min(per_body, count - written)):
            date = first + dt.timedelta(weeks=i)
            if date.year != year:
                number, year = 1, date.year
            meeting = copy.deepcopy(template)
            meeting.date = date
            meeting.next_meeting = NextMeeting(date + dt.timedelta(weeks=1), dt.time(9), "")
            for item in meeting.items:
                item.number = number
                item.summary = f"{item.summary}\n\nMöte {i} i {folder}."
                number += 1
            for attendee in meeting.attendance.everyone():
                attendee.present = []
            (target / f"{date}.toml").write_text(dumps_meeting(meeting), encoding="utf-8")
            written += 1
    return dest


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
