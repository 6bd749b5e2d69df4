"""Exporting one meeting, and publishing an archive of 10,000 as a web site."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
SEED = "2024-04-26"


def committed(folder: Path) -> Path:
    for args in (
        ["init", "-q", "--initial-branch=main"],
        ["add", "-A"],
        ["-c", "user.name=Bench", "-c", "user.email=bench@example.org", "commit", "-q", "-m", "x"],
    ):
        subprocess.run(["git", "-C", str(folder), *args], check=True)
    return folder


def seed_archive(workdir: Path) -> Path:
    repo = workdir / "export"
    shutil.copytree(ROOT / "meetings", repo / "meetings")
    return committed(repo)


def full_build(archive_dir: Path, site: Path, sample: int = 10) -> tuple[float, float]:
    """(seconds to publish every meeting, seconds to make each one's PDF and page alone).
    The baseline makes every `sample`th meeting's and counts it `sample` times: the whole
    of it would double a run that takes minutes, and the meetings are alike."""
    from tui.archive import Archive
    from tui.pdf import as_pdf
    from tui.publish import publish
    from tui.web_page import meeting_page

    archive = Archive(archive_dir)
    started = time.perf_counter()
    publish(archive, site, dt.date(2024, 5, 1))
    ours = time.perf_counter() - started
    started = time.perf_counter()
    moment = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    for entry in archive.entries()[::sample]:
        meeting, _ = archive.load(entry)
        name = archive.body_name(entry.folder)
        as_pdf(meeting, name, moment)
        meeting_page(meeting, name)
    return ours, (time.perf_counter() - started) * sample


def archive_of(workdir: Path, count: int) -> Path:
    return committed(generate(workdir / f"site-{count}", count))
