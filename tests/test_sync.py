"""Sharing an archive: minutes as git's merge driver after `minutes init`, and `minutes sync`
between clones of a bare repository, all in temporary folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FOLDER, git
from tui.cli import main
from tui.format.files import dumps_meeting, load_meeting
from tui.model import Meeting
from tui.repository import close_all

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"
DECISION = "Informationen noteras och läggs till handlingarna."
TITLE = "Infrastruktur och kompetensförsörjning"
SUMMARY = "Inga övriga frågor tas upp."
CLOSING = "Mötets avslutande"


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


def edit(repo: Path, change: Callable[[Meeting], None], message: str = "An edit") -> None:
    """Change the seed meeting as a person's save would: one commit."""
    path = repo / SEED
    meeting, _ = load_meeting(path)
    change(meeting)
    path.write_text(dumps_meeting(meeting))
    git(repo, "commit", "--quiet", "-am", message)


def decide(meeting: Meeting) -> None:
    meeting.item(11).decision = DECISION


def retitle(meeting: Meeting) -> None:
    meeting.item(12).title = TITLE


def summarise_last(meeting: Meeting) -> None:
    """§17, the last: its summary is the file's last line."""
    meeting.item(17).summary = SUMMARY


def close(meeting: Meeting) -> None:
    """A new §18 after the last, written right after that line."""
    meeting.add_item(17, 1).title = CLOSING


def test_after_init_a_plain_git_merge_merges_meetings_by_meaning(home, tmp_path, capsys):
    repo = tmp_path / "arkiv"
    assert main(["init", str(repo)]) == 0
    assert "Meeting files merge by meaning" in capsys.readouterr().out
    assert git(repo, "ls-files") == ".gitattributes\n"  # its first commit
    (repo / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, repo / SEED)
    git(repo, "add", SEED)
    git(repo, "commit", "--quiet", "-m", "The seed")
    git(repo, "checkout", "--quiet", "-b", "theirs")
    edit(repo, close)
    git(repo, "checkout", "--quiet", "main")
    edit(repo, summarise_last)
    git(repo, "merge", "--no-edit", "theirs")
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    meeting, _ = load_meeting(repo / SEED)
    assert (meeting.item(17).summary, meeting.item(18).title) == (SUMMARY, CLOSING)


def test_without_the_driver_the_same_merge_conflicts(home, tmp_path):
    """The test above proves the driver: git's own line merge cannot merge these edits."""
    repo = tmp_path / "plain"
    (repo / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, repo / SEED)
    git(repo, "init", "--quiet")
    git(repo, "add", SEED)
    git(repo, "commit", "--quiet", "-m", "The seed")
    git(repo, "checkout", "--quiet", "-b", "theirs")
    edit(repo, close)
    git(repo, "checkout", "--quiet", "main")
    edit(repo, summarise_last)
    git(repo, "merge", "--no-edit", "theirs", check=False)
    assert git(repo, "status", "--porcelain").startswith("UU ")


def test_init_twice_commits_the_attribute_once(home, tmp_path):
    repo = tmp_path / "arkiv"
    assert main(["init", str(repo)]) == 0
    assert main(["init", str(repo)]) == 0
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"
