from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
def own_cache_folder(tmp_path_factory, monkeypatch):
    """Header caches go to a folder of the test's own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
