"""Sharing an archive: minutes as git's merge driver after `minutes init`, and `minutes sync`
between clones of a bare repository, all in temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FOLDER, git
from tui.cli import main
from tui.format.files import dumps_meeting, load_meeting
from tui.model import Meeting

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"
DECISION = "Informationen noteras och läggs till handlingarna."
TITLE = "Infrastruktur och kompetensförsörjning"
SUMMARY = "Inga övriga frågor tas upp."
CLOSING = "Mötets avslutande"


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


def _edited_on_two_branches(repo: Path) -> None:
    """A new §18 on `theirs`, §17's summary on main: next to each other in the file."""
    git(repo, "checkout", "--quiet", "-b", "theirs")
    edit(repo, close)
    git(repo, "checkout", "--quiet", "main")
    edit(repo, summarise_last)


def test_after_init_a_plain_git_merge_merges_meetings_by_meaning(home, tmp_path, capsys):
    repo = tmp_path / "arkiv"
    assert main(["init", str(repo)]) == 0
    assert "Meeting files merge by meaning" in capsys.readouterr().out
    assert git(repo, "ls-files") == ".gitattributes\n"  # its first commit
    (repo / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, repo / SEED)
    git(repo, "add", SEED)
    git(repo, "commit", "--quiet", "-m", "The seed")
    _edited_on_two_branches(repo)
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
    _edited_on_two_branches(repo)
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
    a, b = two_clones(tmp_path, lambda bare: str(bare))
    capsys.readouterr()
    return a, b


def two_clones(tmp_path: Path, url: Callable[[Path], str], *config: str) -> tuple[Path, Path]:
    """The secretary's clone (`minutes init`, the seed, synced) and the chair's (`git clone`)
    of a bare repository reached at `url`, each with git's `config` (KEY=VALUE)."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["init", str(a)]) == 0
    (a / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, a / SEED)
    git(a, "add", SEED)
    git(a, "commit", "--quiet", "-m", "The seed")
    for setting in config:
        git(a, "config", *setting.split("=", 1))
    git(a, "remote", "add", "origin", url(bare))
    assert minutes(a, "sync")[0] == 0
    options = [item for setting in config for item in ("-c", setting)]
    git(tmp_path, *options, "clone", "--quiet", url(bare), str(b))
    for setting in config:
        git(b, "config", *setting.split("=", 1))
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


def refused(repo: Path) -> str:
    """`minutes sync` in `repo`, refused at once in one line with the clone as it was: the
    line."""
    before = snapshot(repo)
    started = time.monotonic()
    code, out, err = minutes(repo, "sync")
    assert time.monotonic() - started < 10
    assert (code, out) == (2, ""), err
    [line] = err.splitlines()
    assert snapshot(repo) == before
    return line


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


def test_signatures_travel_with_the_meetings(clones, tmp_path):
    """A justering is a tag on the meeting's blob, made without a commit: sync shares it even
    when the branch is up to date, and fetches others' (here unsigned: transport only)."""
    a, b = clones
    blob = git(a, "rev-parse", f"HEAD:{SEED}").strip()
    name = f"justering/samverkansgrupp/2024-04-26/{blob[:12]}/alma-berglund"
    git(a, "tag", "--annotate", "--message", "Justerat", name, blob)
    assert minutes(a, "sync")[:2] == (0, "up to date with origin/main\n")
    assert minutes(b, "sync")[0] == 0
    assert git(b, "rev-parse", f"{name}^{{}}").strip() == blob
    assert git(tmp_path / "shared.git", "tag", "--list", "justering/*").strip() == name


def test_a_remote_without_the_attribute_still_merges_by_meaning(home, tmp_path):
    """The first sync of an archive shared before minutes knew it: the commits replayed on
    the remote's files, which have no .gitattributes yet, still merge through the driver."""
    bare = tmp_path / "old.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(a))
    (a / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, a / SEED)
    git(a, "add", "-A")
    git(a, "commit", "--quiet", "-m", "The seed")
    git(a, "push", "--quiet", str(bare), "main")
    git(tmp_path, "clone", "--quiet", str(bare), str(b))
    edit(a, summarise_last)
    git(a, "push", "--quiet", str(bare), "main")
    edit(b, close)  # against a's §17 edit, git's own line merge conflicts
    code, out, err = minutes(b, "sync")
    assert (code, err) == (0, ""), out
    meeting = meeting_in(b)
    assert meeting.item(17).summary == SUMMARY and meeting.item(18).title == CLOSING


def test_the_same_words_changed_differently_refuse_and_change_nothing(clones):
    a, b = clones
    edit(a, lambda m: setattr(m.item(11), "decision", "Informationen godkänns."))
    edit(b, lambda m: setattr(m.item(11), "decision", "Informationen avslås."))
    assert minutes(a, "sync")[0] == 0
    line = refused(b)
    assert line.startswith("minutes: this clone and origin changed the same thing differently")
    assert f"{SEED}: §11.decision" in line
    assert meeting_in(b).item(11).decision == "Informationen avslås."  # nothing lost
    assert not list((b / ".git" / "minutes" / "conflicts").glob("*"))  # check runs no git


def test_words_of_one_text_changed_on_both_sides_merge(clones):
    a, b = clones
    first = "Emma Linnman och Annette Wisén ger en kort uppdatering"
    last = "den nya utbildningen Internationell svetsare."

    def early(m: Meeting) -> None:
        m.item(11).summary = m.item(11).summary.replace(first, first.replace("kort", "utförlig"))

    def late(m: Meeting) -> None:
        m.item(11).summary = m.item(11).summary.replace(
            last, last.replace("svetsare", "plåtslagare")
        )

    edit(a, early)
    edit(b, late)
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0
    assert minutes(a, "sync")[0] == 0
    for repo in (a, b):
        summary = meeting_in(repo).item(11).summary
        assert "en utförlig uppdatering" in summary and "Internationell plåtslagare." in summary


def test_a_merge_where_git_config_asks_for_one(clones):
    a, b = clones
    edit(a, decide)
    edit(b, retitle)
    git(b, "config", "pull.rebase", "false")
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0
    assert len(git(b, "log", "-1", "--format=%p").split()) == 2  # a merge commit
    meeting = meeting_in(b)
    assert (meeting.item(11).decision, meeting.item(12).title) == (DECISION, TITLE)


def test_a_push_that_loses_a_race_is_tried_again(clones, tmp_path):
    """b pushes between a's fetch and a's push: a's pre-push hook makes it, once."""
    a, b = clones
    edit(a, decide)
    edit(b, retitle)
    hook = a / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        f"if [ ! -e '{tmp_path}/raced' ]; then touch '{tmp_path}/raced'\n"
        f"  env -u GIT_DIR -u GIT_INDEX_FILE -u GIT_WORK_TREE git -C '{b}' push -q origin HEAD:main"
        "\nfi\n"
    )
    hook.chmod(0o755)
    code, out, err = minutes(a, "sync")
    assert (code, err) == (0, "") and out.startswith("pulled 1, pushed 1")
    assert (tmp_path / "raced").exists()
    meeting = meeting_in(a)
    assert (meeting.item(11).decision, meeting.item(12).title) == (DECISION, TITLE)
    assert git(a, "rev-parse", "HEAD") == git(a, "rev-parse", "origin/main")


@pytest.mark.parametrize("url", ["/no/such/repository.git", "ssh://127.0.0.1:1/x"])
def test_an_unreachable_remote_is_one_line_at_once_and_changes_nothing(clones, url):
    a, _ = clones
    edit(a, decide)
    git(a, "remote", "set-url", "origin", url)
    assert refused(a).startswith(f"minutes: cannot fetch from origin ({url}): ")


def test_a_remote_hook_that_refuses_is_quoted_and_the_commits_kept(clones, tmp_path):
    a, _ = clones
    hook = tmp_path / "shared.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'Protokollet är låst för ändringar' >&2\nexit 1\n")
    hook.chmod(0o755)
    edit(a, decide)
    assert "refused the push: Protokollet är låst för ändringar;" in refused(a)
    assert meeting_in(a).item(11).decision == DECISION


def test_without_a_remote_sync_says_so(home, tmp_path):
    repo = tmp_path / "arkiv"
    assert main(["init", str(repo)]) == 0
    code, out, err = minutes(repo, "sync")
    assert (code, out) == (2, "")
    assert (
        err
        == f"minutes: {repo} has no remote to sync with: `git remote add origin URL` names one\n"
    )


def test_unsaved_edits_of_a_meeting_are_refused(clones):
    a, _ = clones
    text = (a / SEED).read_text().replace("Informationen noteras.", "Ändrat.", 1)
    (a / SEED).write_text(text)
    before = snapshot(a)
    code, _, err = minutes(a, "sync")
    assert code == 2
    assert err == f"minutes: changes to {SEED} are not saved: save (or discard) them, then sync\n"
    assert snapshot(a) == before and (a / SEED).read_text() == text


def test_a_rebase_under_way_is_refused(clones):
    a, _ = clones
    (a / ".git" / "rebase-merge").mkdir()
    code, _, err = minutes(a, "sync")
    assert code == 2 and "a rebase is in progress" in err and len(err.splitlines()) == 1


def test_ahead_behind_counts_from_the_last_fetch(clones):
    from tui.repository import Repository
    from tui.sync import ahead_behind

    a, b = clones
    edit(a, decide)
    edit(b, retitle)
    edit(b, close)
    assert minutes(b, "sync")[0] == 0
    repository = Repository(a)
    assert ahead_behind(repository, "origin") == (1, 0)  # not fetched yet
    git(a, "fetch", "--quiet")
    assert ahead_behind(repository, "origin") == (1, 2)
    repository.close()


async def test_s_in_the_app_syncs_and_shows_the_others_saves(clones):
    """The secretary's app at 80x24: S brings the chair's save in and sends hers out."""
    from .test_app import _app, _open_seed, _settle, _status

    a, b = clones
    edit(b, retitle)
    assert minutes(b, "sync")[0] == 0
    edit(a, decide)
    app = _app(a)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _settle(app, pilot)
        assert "main ↑1 ↓1, clean" in _status(app)  # fetched in the background at the start
        await pilot.press("S")
        await _settle(app, pilot)
        assert "main, clean" in _status(app)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("pulled 1, pushed 1") for m in said), said
        assert app.screen.open.meeting.item(12).title == TITLE  # the open meeting read again
    assert minutes(b, "sync")[:2] == (
        0,
        "pulled 1, pushed 0: origin/main and this clone are the same (this clone was 0 ahead, "
        "1 behind)\n",
    )
    assert meeting_in(b).item(11).decision == DECISION


async def test_a_remote_out_of_reach_is_named_in_the_top_line(clones):
    from .test_app import _app, _settle, _status

    a, _ = clones
    git(a, "remote", "set-url", "origin", str(a.parent / "gone.git"))
    app = _app(a)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert _status(app).endswith("main, clean, not fetched"), _status(app)


async def test_s_says_why_it_did_not_sync(home, tmp_path):
    from textual.widgets import Static

    from .test_app import _app, _open_seed, _settle

    repo = tmp_path / "alone"
    assert main(["init", str(repo)]) == 0
    (repo / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, repo / SEED)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "The seed")
    app = _app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("S")
        await _settle(app, pilot)
        shown = str(app.screen.query_one(".message", Static).content)  # the refusal's dialog
        assert "remote" in shown, shown


def test_a_bodys_own_file_merges_line_by_line(clones):
    """body.toml is no meeting: the driver would refuse it; git's line merge takes both."""
    a, b = clones
    body = f"meetings/{SEED_FOLDER}/body.toml"
    for repo in (a, b):
        shutil.copy(ROOT / body, repo / body)
    git(a, "add", body)
    git(a, "commit", "--quiet", "-m", "The body")
    assert minutes(a, "sync")[0] == 0
    (b / body).unlink()
    code, out, err = minutes(b, "sync")
    assert code == 0, (out, err)
    text = (a / body).read_text()
    for repo, old, new in (
        (a, 'place = "Sammanträdesrum Mälaren', 'place = "Sammanträdesrum Vänern'),
        (b, 'role = "Ordförande"', 'role = "Ordförande, sammankallande"'),
    ):
        (repo / body).write_text(text.replace(old, new, 1))
        git(repo, "commit", "--quiet", "-am", "The body changed")
    assert minutes(a, "sync")[0] == 0
    code, _, err = minutes(b, "sync")
    assert (code, err) == (0, "")
    merged = (b / body).read_text()
    assert "Sammanträdesrum Vänern" in merged and "Ordförande, sammankallande" in merged
