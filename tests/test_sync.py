"""Sharing an archive: minutes as git's merge driver after `minutes init`, and `minutes sync`
between clones of a bare repository, all in temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


# --- sync ----------------------------------------------------------------------------------


@pytest.fixture
def clones(home, tmp_path, capsys) -> tuple[Path, Path]:
    """Two people's clones of one bare repository holding the seed, made with `minutes init`
    and `minutes sync`."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["init", str(a)]) == 0
    (a / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, a / SEED)
    git(a, "add", SEED)
    git(a, "commit", "--quiet", "-m", "The seed")
    git(a, "remote", "add", "origin", str(bare))
    assert minutes(a, "sync")[0] == 0
    git(tmp_path, "clone", "--quiet", str(bare), str(b))
    capsys.readouterr()
    return a, b


def minutes(repo: Path, *args: str) -> tuple[int, str, str]:
    """`minutes --repo REPO ARGS…` as a process: (exit code, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def meeting_in(repo: Path) -> Meeting:
    return load_meeting(repo / SEED)[0]


def snapshot(repo: Path) -> tuple[str, ...]:
    """All a failed sync must leave as it was: HEAD and its branch, the index, the files, and
    no rebase or merge under way."""
    return (
        git(repo, "rev-parse", "HEAD"),
        git(repo, "symbolic-ref", "HEAD"),
        git(repo, "ls-files", "--stage"),
        git(repo, "status", "--porcelain"),
        (repo / SEED).read_text(),
        str(sorted(p.name for p in (repo / ".git").iterdir() if "REBASE" in p.name.upper())),
        str((repo / ".git" / "MERGE_HEAD").exists()),
    )


def test_edits_of_different_items_meet_on_both_clones(clones):
    a, b = clones
    edit(a, decide)
    edit(a, summarise_last)
    edit(b, retitle)
    edit(b, close)  # against a's §17 edit, git's own line merge would conflict
    assert minutes(a, "sync") == (
        0,
        "pulled 0, pushed 2: origin/main and this clone are the "
        "same (this clone was 2 ahead, 0 behind)\n",
        "",
    )
    code, out, err = minutes(b, "sync")
    assert (code, err) == (0, "") and out.endswith(
        "pulled 2, pushed 2: origin/main and this "
        "clone are the same (this clone was 2 "
        "ahead, 2 behind)\n"
    )
    assert minutes(a, "sync")[:2] == (
        0,
        "pulled 2, pushed 0: origin/main and this clone are "
        "the same (this clone was 0 ahead, 2 behind)\n",
    )
    assert minutes(b, "sync")[:2] == (0, "up to date with origin/main\n")
    for repo in (a, b):
        meeting = meeting_in(repo)
        assert meeting.item(11).decision == DECISION
        assert meeting.item(12).title == TITLE
        assert meeting.item(17).summary == SUMMARY
        assert meeting.item(18).title == CLOSING
        assert "<<<<<<<" not in (repo / SEED).read_text()
        assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
        git(repo, "fsck", "--strict")
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")
    assert git(a, "rev-list", "--count", "HEAD") == "6\n"  # .gitattributes, seed, 4 edits


def test_the_same_words_changed_differently_refuse_and_change_nothing(clones):
    a, b = clones
    edit(a, lambda m: setattr(m.item(11), "decision", "Informationen godkänns."))
    edit(b, lambda m: setattr(m.item(11), "decision", "Informationen avslås."))
    assert minutes(a, "sync")[0] == 0
    before = snapshot(b)
    code, out, err = minutes(b, "sync")
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith("minutes: this clone and origin changed the same thing differently")
    assert f"{SEED}: §11.decision" in line
    assert snapshot(b) == before
    assert meeting_in(b).item(11).decision == "Informationen avslås."  # nothing lost
