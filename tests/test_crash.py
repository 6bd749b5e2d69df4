"""Saves killed at random moments lose no committed edit and never leave a broken file; two
processes saving at once both land."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import time
from pathlib import Path

from tui.format.files import dumps_meeting, load_meeting, parse_meeting
from tui.model import Item, Meeting

from .conftest import SEED_FOLDER, git

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"
WORKER = """
import sys
from pathlib import Path
from tui.format.files import parse_meeting
from tui.format.reading import read_text
from tui.repository import Repository
from tui.saving import save_meeting

root, name, number, start, count = sys.argv[1:]
repository, path = Repository(Path(root)), Path(root) / name
for i in range(int(start), int(start) + int(count)):
    text, _ = read_text(path)
    meeting, _ = parse_meeting(text, path)
    meeting.item(int(number)).decision = f"v{i}."
    save_meeting(repository, path, meeting, text)
    print(i, flush=True)
"""


def _worker(repo_dir: Path, name: str, number: int, start: int, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(repo_dir), name, str(number), str(start), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its session id names the gits it leaves behind
    )


def _in_session(session: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[3]) == session:
            members.append(int(stat.parent.name))
    return members


def _settle(worker: subprocess.Popen) -> None:
    """Let a git orphaned by the kill (a commit, a repack) finish what it was doing: the
    repository is checked once nothing is writing to it, as after a real crash."""
    deadline = time.monotonic() + 30
    while _in_session(worker.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _in_session(worker.pid) == []


def test_killed_saves_leave_files_whole_and_commits_intact(repo_dir):
    rng = random.Random(2024)
    saved: list[int] = []
    start = 0
    for _ in range(6):
        worker = _worker(repo_dir, SEED, 11, start, 1000)
        time.sleep(rng.uniform(0.4, 1.5))
        worker.kill()
        out, _ = worker.communicate()
        saved += [int(n) for n in out.split()]
        _settle(worker)
        meeting, _ = load_meeting(repo_dir / SEED)  # old or new content, never half a file
        assert meeting.item(11).decision.startswith(("v", "Informationen"))
        start = (saved[-1] if saved else start) + 2
    assert len(saved) >= 6
    history = git(repo_dir, "log", "-p", "--format=%s", "--", SEED)
    lost = [n for n in saved if f'+decision = "v{n}."' not in history]
    assert lost == []
    fsck = subprocess.run(
        ["git", "fsck", "--no-dangling"], cwd=repo_dir, capture_output=True, text=True
    )
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr


def test_two_processes_saving_different_meetings_both_land(repo_dir):
    other = f"meetings/{SEED_FOLDER}/2024-09-13.toml"
    (repo_dir / other).write_text(
        dumps_meeting(Meeting(date=dt.date(2024, 9, 13), items=[Item(18, "Inledning")]))
    )
    git(repo_dir, "add", other)
    git(repo_dir, "commit", "--quiet", "-m", "Planned")
    workers = [_worker(repo_dir, SEED, 11, 0, 8), _worker(repo_dir, other, 18, 100, 8)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    assert 'decision = "v7."' in git(repo_dir, "show", f"HEAD:{SEED}")
    assert 'decision = "v107."' in git(repo_dir, "show", f"HEAD:{other}")
    assert int(git(repo_dir, "rev-list", "--count", "HEAD")) == 2 + 16
    assert git(repo_dir, "status", "--porcelain") == ""


SETTER = """
import contextlib, io, sys
from tui.cli import main

root, field, prefix, count = sys.argv[1:]
for i in range(int(count)):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--repo", root, "set", "2024-04-26", field, f"{prefix} {i}"])
    print(code, i, out.getvalue().split("]")[0].lstrip("["), flush=True)
"""


def test_two_processes_setting_one_meeting_each_commit_holds_its_own_edit(repo_dir):
    """Saves to one repository are serialised: every reported commit holds its edit."""
    runs = 50
    edits = {"§11.decision": "Beslut", "place": "Rum"}
    workers = {
        field: subprocess.Popen(
            [sys.executable, "-c", SETTER, str(repo_dir), field, prefix, str(runs)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for field, prefix in edits.items()
    }
    for field, worker in workers.items():
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reports = [line.split() for line in out.splitlines()]
        assert [(code, int(i)) for code, i, _ in reports] == [("0", i) for i in range(runs)]
        key = "decision" if field.startswith("§") else "place"
        for _, i, commit in reports:
            held, _ = parse_meeting(git(repo_dir, "show", f"{commit}:{SEED}"))
            value = held.item(11).decision if key == "decision" else held.place
            assert value == f"{edits[field]} {i}", (field, i, commit)
    assert int(git(repo_dir, "rev-list", "--count", "HEAD")) == 1 + 2 * runs
    final, _ = load_meeting(repo_dir / SEED)
    assert (final.item(11).decision, final.place) == (f"Beslut {runs - 1}", f"Rum {runs - 1}")
    assert git(repo_dir, "status", "--porcelain") == ""
