"""An installed copy works without the checkout: the wheel carries what the app reads.

The wheel is built and installed for real, into a fresh venv that sees this venv's third-party
packages but not the checkout, so what it runs is what the wheel holds. A few seconds: the
wheel is built with this venv's hatchling, and installed without dependencies or an index.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import sysconfig
from pathlib import Path

from tui.archive import Archive
from tui.pdf import as_pdf
from tui.settings import theme_files

from .conftest import ROOT

APP = """
import asyncio, sys
from pathlib import Path
import tui
from tui.app.app import MinutesApp
from tui.archive import Archive

async def main():
    app = MinutesApp(Archive(Path(sys.argv[1])))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(Path(tui.__file__).parent)
        print(app.theme, *app.theme_problems)
        print(*sorted(app.available_themes))

asyncio.run(main())
"""


def _run(*args: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=120, cwd=cwd
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


PDF = """
import datetime as dt, sys
from pathlib import Path
from tui.archive import Archive
from tui.pdf import as_pdf

archive = Archive(Path(sys.argv[1]))
entry = archive.resolve("2024-04-26")
meeting, _ = archive.load(entry)
modified = dt.datetime(2024, 5, 2, 10, 30, tzinfo=dt.UTC)
Path(sys.argv[2]).write_bytes(as_pdf(meeting, archive.body_name(entry.folder), modified))
"""


def test_an_installed_wheel_has_its_themes_and_pdf_template(tmp_path, archive_dir):
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run(*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path, ROOT, cwd=ROOT)
    (wheel,) = tmp_path.glob("minutes-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # A .pth line adds a folder to the path without reading the .pth files in it: this venv's
    # packages are seen, its editable install's link to the checkout is not.
    site = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    )
    (Path(site.strip()) / "dev-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    package, chosen, available = _run(python, "-c", APP, archive_dir, cwd=tmp_path).splitlines()
    assert Path(package).is_relative_to(venv)  # the wheel's copy, not the checkout
    assert chosen == "minutes"  # the house theme, and no theme file it could not read
    ours = {data["name"] for _, data in theme_files([ROOT / "themes"])}
    assert ours <= set(available.split())
    out = _run(
        venv / "bin" / "minutes",
        "--repo",
        archive_dir,
        "next",
        "--today",
        "2024-05-01",
        cwd=tmp_path,
    )
    assert out.startswith("Fri 13 Sep 2024 09:00 — Samverkansgrupp Kompetensförsörjning 2023")

    # The PDF's template travels too; another process, another copy of the code, the same bytes.
    _run(python, "-c", PDF, archive_dir, tmp_path / "seed.pdf", cwd=tmp_path)
    archive = Archive(archive_dir)
    entry = archive.resolve("2024-04-26")
    meeting, _ = archive.load(entry)
    modified = dt.datetime(2024, 5, 2, 10, 30, tzinfo=dt.UTC)
    here = as_pdf(meeting, archive.body_name(entry.folder), modified)
    assert (tmp_path / "seed.pdf").read_bytes() == here
