"""Write a repository with N commits, half of them changing one meeting, the rest other files.

    python bench/history_repo.py DEST 1000

Built with `git fast-import`, so it is packed like a repository that has seen `git gc`.
"""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.format.files import dumps_meeting, load_meeting  # noqa: E402

FOLDER = "samverkansgrupp-kompetensforsorjning"
MEETING = f"meetings/{FOLDER}/2024-04-26.toml"
WORDS = [
    "noteras",
    "godkänns",
    "bordläggs",
    "återremitteras",
    "informationen",
    "beslutet",
    "gruppen",
]


def build(dest: Path, commits: int) -> Path:
    meeting, _ = load_meeting(ROOT / "meetings" / FOLDER / "2024-04-26.toml")
    rng = random.Random(1)
    changes = []
    for n in range(commits):
        if n % 2 == 0:
            meeting = copy.deepcopy(meeting)
            item = rng.choice(meeting.items)
            if rng.random() < 0.5:
                item.decision = " ".join(rng.choices(WORDS, k=rng.randint(2, 8))).capitalize() + "."
            else:
                item.summary += f" {rng.choice(WORDS)}"
            changes.append((f"Change {n}", MEETING, dumps_meeting(meeting).encode()))
        else:
            changes.append((f"Change {n}", f"notes/note-{n % 50}.txt", f"note {n}\n".encode()))
    return fast_import(dest, changes)


def fast_import(dest: Path, commits: list[tuple[str, str, bytes]]) -> Path:
    """A repository at `dest` with one commit per (message, path, content) on main, the body
    file in the first: written by `git fast-import` and packed, as after `git gc`."""
    body = (ROOT / "meetings" / FOLDER / "body.toml").read_bytes()
    dest.mkdir(parents=True)
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(dest)], check=True)
    stream = bytearray()
    for n, (message, path, data) in enumerate(commits):
        files = [(path, data)] + ([(f"meetings/{FOLDER}/body.toml", body)] if n == 0 else [])
        stream += (
            f"commit refs/heads/main\ncommitter Bench <bench@example.org> {1700000000 + n * 60}"
            f" +0000\ndata <<END\n{message}\nEND\n"
        ).encode()
        for name, content in files:
            stream += f"M 100644 inline {name}\ndata {len(content)}\n".encode() + content + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "--quiet", "main"], cwd=dest, check=True)
    subprocess.run(["git", "gc", "--quiet"], cwd=dest, check=True)
    for key, value in (("user.name", "Bench"), ("user.email", "bench@example.org")):
        subprocess.run(["git", "config", key, value], cwd=dest, check=True)
    return dest


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]))
