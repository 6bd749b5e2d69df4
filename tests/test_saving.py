"""Every save is one commit of one file; refusals lose nothing. Real repositories throughout."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import repository as repository_module
from tui.format.files import dumps_meeting, parse_meeting
from tui.format.reading import read_text
from tui.model import Meeting
from tui.problems import FormatError
from tui.repository import NotARepository, Repository, RepositoryError
from tui.saving import ChangedOnDisk, save_meeting, save_text, undo_last

from .conftest import SEED_FOLDER, changed_lines, git

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"


def _open(repo_dir: Path):
    path = repo_dir / SEED
    text, _ = read_text(path)
    meeting, _ = parse_meeting(text, path)
    return path, meeting, text


def _save(repo_dir: Path, edit, author: str | None = None):
    path, meeting, text = _open(repo_dir)
    edit(meeting)
    return save_meeting(Repository(repo_dir), path, meeting, text, author)


def _decide(text: str):
    def edit(meeting: Meeting) -> None:
        meeting.item(11).decision = text

    return edit


def _commits(repo_dir: Path) -> int:
    return int(git(repo_dir, "rev-list", "--count", "HEAD"))


def test_a_decision_edit_is_one_commit_touching_only_that_line(repo_dir):
    saved = _save(repo_dir, _decide("Informationen noteras och godkänns."))
    assert saved.subject == "2024-04-26 §11: decision changed"
    assert _commits(repo_dir) == 2
    assert git(repo_dir, "show", "--format=", "--name-only", "HEAD").split() == [SEED]
    assert changed_lines(repo_dir) == [
        '-decision = "Informationen noteras."',
        '+decision = "Informationen noteras och godkänns."',
    ]
    message = git(repo_dir, "log", "-1", "--format=%B")
    assert message == (
        "2024-04-26 §11: decision changed\n\n- §11: decision changed\n"
        "  Informationen noteras{+ och godkänns+}.\n\n"
        f"Meeting-File: {SEED}\n\n"
    )
    assert git(repo_dir, "log", "-1", "--format=%an <%ae>") == "Elin Hellström <elin@example.org>\n"


def test_subjects_for_attendance_and_several_items(repo_dir):
    def remote(meeting):
        meeting.attendance.substitutes[0].remote = True

    assert _save(repo_dir, remote).subject == "2024-04-26 Per Norin: remote changed"

    def two_items(meeting):
        meeting.item(12).decision = "Noterat."
        meeting.item(13).title = "Campus Västervik"
        meeting.item(13).proposal = "Noterat."

    assert _save(repo_dir, two_items).subject == "2024-04-26 §12–§13: 3 changes"
    assert len(git(repo_dir, "log", "-1", "--format=%s").strip()) <= 72


def test_unchanged_content_makes_no_commit(repo_dir):
    saved = _save(repo_dir, lambda meeting: None)
    assert saved.commit is None
    assert _commits(repo_dir) == 1


def test_other_staged_and_modified_files_stay_as_they_were(repo_dir):
    (repo_dir / "notes.txt").write_text("staged\n")
    git(repo_dir, "add", "notes.txt")
    body = repo_dir / "meetings" / SEED_FOLDER / "body.toml"
    body.write_text(body.read_text() + "\n# edited by hand\n")
    _save(repo_dir, _decide("Noterat."))
    assert git(repo_dir, "show", "--format=", "--name-only", "HEAD").split() == [SEED]
    status = git(repo_dir, "status", "--porcelain").splitlines()
    assert sorted(status) == sorted([f" M meetings/{SEED_FOLDER}/body.toml", "A  notes.txt"])


def test_a_new_meeting_file_is_committed(repo_dir):
    path = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    meeting = Meeting(date=dt.date(2024, 9, 13))
    saved = save_meeting(Repository(repo_dir), path, meeting, None)
    assert saved.subject == "2024-09-13: new meeting"
    assert path.read_text() == dumps_meeting(meeting)
    assert git(repo_dir, "status", "--porcelain") == ""


def test_an_invalid_meeting_is_refused_before_anything_is_written(repo_dir):
    path, meeting, text = _open(repo_dir)
    meeting.end = meeting.start.replace(hour=8)
    with pytest.raises(FormatError, match=r"ends .* before it starts"):
        save_meeting(Repository(repo_dir), path, meeting, text)
    assert path.read_text() == text


# --- refusals ------------------------------------------------------------------------------


def test_not_a_repository(archive_dir):
    with pytest.raises(NotARepository, match="minutes init"):
        Repository(archive_dir)


def test_a_file_changed_on_disk_since_it_was_loaded_is_not_overwritten(repo_dir):
    path, meeting, text = _open(repo_dir)
    theirs = text.replace("Mälaren", "Hjälmaren")
    path.write_text(theirs)
    meeting.item(11).decision = "Noterat."
    with pytest.raises(ChangedOnDisk, match=r"since it was read; nothing was written$") as refused:
        save_meeting(Repository(repo_dir), path, meeting, text)
    assert path.read_text() == theirs
    assert refused.value.theirs == theirs
    assert 'decision = "Noterat."' in refused.value.ours
    assert _commits(repo_dir) == 1


def test_detached_head(repo_dir):
    git(repo_dir, "checkout", "--quiet", "--detach")
    with pytest.raises(RepositoryError, match="HEAD is detached"):
        _save(repo_dir, _decide("Noterat."))


def test_merge_in_progress_and_unmerged_paths(repo_dir):
    git(repo_dir, "checkout", "--quiet", "-b", "other")
    _save(repo_dir, _decide("Från grenen."))
    git(repo_dir, "checkout", "--quiet", "main")
    _save(repo_dir, _decide("Från main."))
    git(repo_dir, "merge", "other", check=False)
    with pytest.raises(RepositoryError, match="a merge is in progress"):
        Repository(repo_dir).check_can_commit()
    git(repo_dir, "merge", "--abort")
    git(repo_dir, "checkout", "--quiet", "other")
    git(repo_dir, "cherry-pick", "main", check=False)
    (repo_dir / ".git" / "CHERRY_PICK_HEAD").unlink()
    with pytest.raises(RepositoryError, match=f"unmerged paths.*{SEED}"):
        Repository(repo_dir).check_can_commit()


def test_a_held_index_lock_is_waited_for_then_named(repo_dir, monkeypatch):
    monkeypatch.setattr(repository_module, "LOCK_PATIENCE", 0.5)
    lock = repo_dir / ".git" / "index.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"f = open({str(lock)!r}, 'w'); import time; time.sleep(30)"]
    )
    try:
        while not lock.exists():
            pass
        with pytest.raises(RepositoryError, match=rf"held by pid {holder.pid} .*remove"):
            _save(repo_dir, _decide("Noterat."))
        assert lock.exists()  # never removed behind the holder's back
    finally:
        holder.kill()
        holder.wait()
        lock.unlink()


def test_a_lock_released_in_time_is_waited_for(repo_dir):
    lock = repo_dir / ".git" / "index.lock"
    lock.write_text("")
    subprocess.Popen(
        [sys.executable, "-c", f"import time, os; time.sleep(0.7); os.remove({str(lock)!r})"]
    )
    assert _save(repo_dir, _decide("Noterat.")).commit


def test_unknown_identity_says_how_to_fix_it(repo_dir):
    git(repo_dir, "config", "--unset", "user.name")
    git(repo_dir, "config", "--unset", "user.email")
    with pytest.raises(RepositoryError, match=r"git config --global user\.name"):
        _save(repo_dir, _decide("Noterat."))
    saved = _save(repo_dir, _decide("Noterat."), author="Per Norin <per@example.org>")
    assert saved.commit
    assert git(repo_dir, "log", "-1", "--format=%an|%cn") == "Per Norin|Per Norin\n"


def test_author_from_the_environment_for_shared_accounts(repo_dir, monkeypatch):
    monkeypatch.setenv("MINUTES_AUTHOR", "Annette Wisén <annette@example.org>")
    _save(repo_dir, _decide("Noterat."))
    assert git(repo_dir, "log", "-1", "--format=%an|%cn") == "Annette Wisén|Elin Hellström\n"


def test_user_config_cannot_break_a_save(repo_dir):
    git(repo_dir, "config", "commit.gpgsign", "true")
    git(repo_dir, "config", "gpg.program", "/nonexistent/gpg")
    git(repo_dir, "config", "core.autocrlf", "true")
    assert _save(repo_dir, _decide("Noterat.")).commit
    assert b"\r\n" not in git(repo_dir, "show", f"HEAD:{SEED}").encode()


def _refusing_hook(repo_dir: Path) -> None:
    hook = repo_dir / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no saves on Fridays' >&2\nexit 1\n")
    hook.chmod(0o755)


def _untouched(repo_dir: Path, files: dict[str, str | None]) -> None:
    """The files hold what they held, and git sees no change and nothing staged."""
    for name, text in files.items():
        path = repo_dir / name
        assert (path.read_text() if path.exists() else None) == text, name
    assert git(repo_dir, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_refused_save_leaves_files_and_index_as_they_were(repo_dir):
    _refusing_hook(repo_dir)
    original = (repo_dir / SEED).read_text()
    for _ in range(2):  # and saving again meets the same refusal, not a conflict
        with pytest.raises(RepositoryError, match=r"pre-commit hook.*\n.*no saves on Fridays"):
            _save(repo_dir, _decide("Noterat."))
        _untouched(repo_dir, {SEED: original})
    assert _commits(repo_dir) == 1


def test_a_refused_new_meeting_or_move_leaves_no_file_behind(repo_dir):
    from tui.saving import move_meeting

    _refusing_hook(repo_dir)
    planned = f"meetings/{SEED_FOLDER}/2024-09-13.toml"
    with pytest.raises(RepositoryError, match="pre-commit"):
        save_meeting(Repository(repo_dir), repo_dir / planned, Meeting(dt.date(2024, 9, 13)), None)
    path, meeting, text = _open(repo_dir)
    meeting.date = dt.date(2024, 4, 25)
    with pytest.raises(RepositoryError, match="pre-commit"):
        move_meeting(Repository(repo_dir), path, meeting, text)
    moved = f"meetings/{SEED_FOLDER}/2024-04-25.toml"
    _untouched(repo_dir, {SEED: text, planned: None, moved: None})


def test_a_save_that_waits_too_long_for_the_index_changes_nothing(repo_dir, monkeypatch):
    monkeypatch.setattr(repository_module, "LOCK_PATIENCE", 0.3)
    original = (repo_dir / SEED).read_text()
    lock = repo_dir / ".git" / "index.lock"
    lock.write_text("")
    with pytest.raises(RepositoryError, match="another git process"):
        _save(repo_dir, _decide("Noterat."))
    lock.unlink()
    _untouched(repo_dir, {SEED: original})


def test_control_characters_never_reach_a_commit_message(repo_dir):
    def retitle(meeting: Meeting) -> None:
        meeting.item(11).title = "Rapport \x1b]0;hacked\x07 \x1b[31mröd\u202e"
        meeting.item(11).decision = "Beslut \x1b]52;c;aGk=\x07."

    _save(repo_dir, retitle)
    message = git(repo_dir, "log", "-1", "--format=%B")
    assert not {"\x1b", "\x07", "\u202e"} & set(message)
    assert "␛]0;hacked␇" in message


def test_inherited_git_variables_are_ignored(repo_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "elsewhere-index"))
    monkeypatch.setenv("GIT_DIR", str(tmp_path))
    assert _save(repo_dir, _decide("Noterat.")).commit
    assert not (tmp_path / "elsewhere-index").exists()


# --- undo ----------------------------------------------------------------------------------


def test_undo_reverts_saves_newest_first_as_new_commits(repo_dir):
    _save(repo_dir, _decide("Första."))
    _save(repo_dir, _decide("Andra."))
    repository = Repository(repo_dir)
    assert undo_last(repository).subject == 'Undo "2024-04-26 §11: decision changed"'
    assert _open(repo_dir)[1].item(11).decision == "Första."
    undo_last(repository)
    assert _open(repo_dir)[1].item(11).decision == "Informationen noteras."
    assert _commits(repo_dir) == 5
    with pytest.raises(RepositoryError, match="no save by minutes to undo"):
        undo_last(repository)


def test_undo_refuses_over_uncommitted_changes_and_overlaps(repo_dir):
    _save(repo_dir, _decide("Första."))
    path = repo_dir / SEED
    original = path.read_text()
    path.write_text(original.replace("Mälaren", "Vänern"))
    with pytest.raises(RepositoryError, match="not committed"):
        undo_last(Repository(repo_dir))
    path.write_text(original.replace('decision = "Första."', 'decision = "Ändrat för hand."'))
    git(repo_dir, "commit", "--quiet", "-am", "by hand")
    with pytest.raises(RepositoryError, match=r"later changes .* overlap"):
        undo_last(Repository(repo_dir))
    assert git(repo_dir, "status", "--porcelain") == ""


def test_undo_touches_only_the_meeting_file_of_the_save(repo_dir):
    """A save commit amended by hand to hold another file: undo leaves that file alone."""
    _save(repo_dir, _decide("Första."))
    (repo_dir / "notes.txt").write_text("kept\n")
    git(repo_dir, "add", "notes.txt")
    git(repo_dir, "commit", "--quiet", "--amend", "--no-edit")
    undo_last(Repository(repo_dir))
    assert (repo_dir / "notes.txt").read_text() == "kept\n"
    assert _open(repo_dir)[1].item(11).decision == "Informationen noteras."
    assert git(repo_dir, "show", "--format=", "--name-only", "HEAD").split() == [SEED]
    assert git(repo_dir, "status", "--porcelain") == ""


def test_a_refused_undo_changes_nothing(repo_dir):
    _save(repo_dir, _decide("Första."))
    _refusing_hook(repo_dir)
    saved = (repo_dir / SEED).read_text()
    with pytest.raises(RepositoryError, match="pre-commit"):
        undo_last(Repository(repo_dir))
    _untouched(repo_dir, {SEED: saved})


def test_undo_runs_no_external_diff_or_text_filter(repo_dir, tmp_path, monkeypatch):
    ran = tmp_path / "ran"
    program = tmp_path / "prog"
    program.write_text(f'#!/bin/sh\necho $0 >> {ran}\ncat "$1" 2>/dev/null\n')
    program.chmod(0o755)
    git(repo_dir, "config", "diff.external", str(program))
    git(repo_dir, "config", "diff.evil.textconv", str(program))
    (repo_dir / ".git" / "info" / "attributes").write_text("*.toml diff=evil\n")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(program))
    _save(repo_dir, _decide("Första."))
    undo_last(Repository(repo_dir))
    assert _open(repo_dir)[1].item(11).decision == "Informationen noteras."
    assert not ran.exists()


def test_undo_in_a_shallow_clone_says_what_is_missing(repo_dir, tmp_path):
    _save(repo_dir, _decide("Första."))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo_dir}", str(clone))
    git(clone, "config", "user.name", "Elin Hellström")
    git(clone, "config", "user.email", "elin@example.org")
    with pytest.raises(RepositoryError, match=r"shallow clone.*git fetch --unshallow"):
        undo_last(Repository(clone))


def test_undo_of_a_new_meeting_removes_it(repo_dir):
    path = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    save_meeting(Repository(repo_dir), path, Meeting(date=dt.date(2024, 9, 13)), None)
    undo_last(Repository(repo_dir))
    assert not path.exists()
    assert git(repo_dir, "status", "--porcelain") == ""


def test_the_repository_stays_packed(repo_dir):
    repository = Repository(repo_dir)
    for n in range(70):
        path, meeting, text = _open(repo_dir)
        meeting.item(11).decision = f"Version {n}."
        save_meeting(repository, path, meeting, text)
    counts = dict(line.split(": ") for line in git(repo_dir, "count-objects", "-v").splitlines())
    assert int(counts["count"]) < repository_module.LOOSE_LIMIT
    assert os.path.exists(repo_dir / ".git" / "objects" / "pack")


def test_a_changed_date_moves_the_file_in_one_commit_and_undo_moves_it_back(repo_dir):
    from tui.saving import move_meeting

    path, meeting, text = _open(repo_dir)
    meeting.date = dt.date(2024, 4, 25)
    saved = move_meeting(Repository(repo_dir), path, meeting, text)
    assert saved.subject == "2024-04-26 → 2024-04-25: meeting moved"
    moved = f"meetings/{SEED_FOLDER}/2024-04-25.toml"
    (status,) = git(repo_dir, "show", "--format=", "--name-status", "HEAD").splitlines()
    assert status.startswith("R") and status.endswith(f"\t{SEED}\t{moved}")  # a rename
    assert git(repo_dir, "status", "--porcelain") == ""
    undo_last(Repository(repo_dir))
    assert (repo_dir / SEED).exists() and not (repo_dir / moved).exists()
    assert git(repo_dir, "status", "--porcelain") == ""


def test_a_short_value_shows_old_and_new_in_the_message(repo_dir):
    def postpone(meeting: Meeting) -> None:
        meeting.next_meeting.date = dt.date(2024, 9, 20)

    _save(repo_dir, postpone)
    body = git(repo_dir, "log", "-1", "--format=%b")
    assert "- next meeting date changed\n  2024-09-13 → 2024-09-20\n" in body


def test_repairing_a_broken_committed_file_says_so(repo_dir):
    path = repo_dir / SEED
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("schema = 1", "schema = ["), encoding="utf-8")
    git(repo_dir, "commit", "-qam", "broken by hand")
    broken = path.read_text(encoding="utf-8")
    saved = save_text(Repository(repo_dir), path, good, broken)
    assert saved.subject == "2024-04-26: broken file repaired" and saved.changes == []
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26: broken file repaired\n"
