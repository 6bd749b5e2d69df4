from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tui.repository import close_all

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED_FOLDER = "samverkansgrupp-kompetensforsorjning"


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    """A copy of the bundled archive in a temporary folder."""
    shutil.copytree(ROOT / "meetings", tmp_path / "meetings")
    return tmp_path


@pytest.fixture
def seed_path(archive_dir: Path) -> Path:
    return archive_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"


@pytest.fixture
def protocol_dir(tmp_path: Path) -> Path:
    """A copy of the fictional protocol archive."""
    shutil.copytree(DATA / "protocol", tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture(autouse=True)
def keys_delivered(monkeypatch):
    """Pilot's press returns once the app has handled the keys: the app delivers each key
    only after the one before (a burst lands where the focus is), later than Textual would."""
    from textual.pilot import Pilot

    press = Pilot.press

    async def press_and_wait(self, *keys: str) -> None:
        await press(self, *keys)
        for _ in range(200):
            if not getattr(self.app, "keys_pending", False):
                break
            await asyncio.sleep(0.01)
        await self._wait_for_screen()

    monkeypatch.setattr(Pilot, "press", press_and_wait)


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory, monkeypatch):
    """Caches and settings go to folders of the test's own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def home(tmp_path_factory, monkeypatch) -> Path:
    """A HOME whose git knows who we are, and no system configuration."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("MINUTES_AUTHOR", raising=False)
    git(home, "config", "--global", "user.name", "Elin Hellström")
    git(home, "config", "--global", "user.email", "elin@example.org")
    git(home, "config", "--global", "init.defaultBranch", "main")
    yield home
    close_all()


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run real git in a test repository, as a person would."""
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=_git_env()
    )
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def changed_lines(repo: Path, commit: str = "HEAD") -> list[str]:
    """The lines a commit removed (-) and added (+), without diff headers or context."""
    diff = git(repo, "show", "--format=", "--unified=0", commit)
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return env | {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


@pytest.fixture
def repo_dir(archive_dir: Path, monkeypatch) -> Path:
    """The bundled archive in a fresh git repository with one commit and a known identity."""
    monkeypatch.setenv("HOME", str(archive_dir / ".home"))  # no user's global git config
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("MINUTES_AUTHOR", raising=False)
    git(archive_dir, "init", "--quiet", "--initial-branch=main")
    git(archive_dir, "config", "user.name", "Elin Hellström")
    git(archive_dir, "config", "user.email", "elin@example.org")
    git(archive_dir, "add", "-A")
    git(archive_dir, "commit", "--quiet", "-m", "The archive")
    yield archive_dir
    close_all()
