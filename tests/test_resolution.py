"""Settling a conflict between clones: `minutes resolve` after a sync that refused, and after
a person's own `git merge` or `git rebase` stopped on a meeting. Real clones of a bare
repository, `minutes` as a process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.test_sync import SEED, TITLE, clones, edit, meeting_in, minutes, retitle, snapshot
from tui.model import Meeting

__all__ = ["clones"]  # the fixture, shared

HERS, HIS = "Informationen godkänns.", "Informationen avslås."


def decides(text: str):
    def change(meeting: Meeting) -> None:
        meeting.item(11).decision = text

    return change


def at_odds(a: Path, b: Path) -> None:
    """a's decision is on the remote; b decided otherwise and retitled §12 too."""
    edit(a, decides(HERS))
    assert minutes(a, "sync")[0] == 0
    edit(b, decides(HIS))
    edit(b, retitle)
    assert minutes(b, "sync")[0] == 2  # refused, nothing changed


def test_resolve_shows_both_values_then_merges_as_chosen(clones):
    a, b = clones
    at_odds(a, b)
    code, out, _ = minutes(b, "resolve")
    assert code == 1
    assert out.splitlines() == [
        "here: this clone; there: origin/main",
        f"{SEED}: §11.decision: both sides changed it differently",
        "  base   Informationen noteras.",
        f"  here   {HIS}",
        f"  there  {HERS}",
    ]
    code, out, err = minutes(b, "resolve", "§11.decision=there")
    assert (code, err) == (0, ""), err
    assert (
        out == "merged origin/main, 1 conflict settled as chosen\n`minutes sync` sends the merge\n"
    )
    assert git(b, "log", "-1", "--format=%B") == (
        "Merge origin/main\n\n2024-04-26 §11.decision: as origin/main had it\n\n"
    )
    assert len(git(b, "log", "-1", "--format=%p").split()) == 2
    assert git(b, "status", "--porcelain", "--untracked-files=no") == ""
    assert minutes(b, "sync")[0] == 0
    assert minutes(a, "sync")[0] == 0
    for repo in (a, b):
        meeting = meeting_in(repo)
        assert (meeting.item(11).decision, meeting.item(12).title) == (HERS, TITLE)
        git(repo, "fsck", "--strict")
    assert minutes(b, "resolve")[1] == "nothing to settle: no meeting conflicts with origin/main\n"


def test_a_choice_missing_or_wrong_changes_nothing(clones):
    a, b = clones
    at_odds(a, b)
    edit(a, lambda m: setattr(m, "place", "Kalmar"))
    assert minutes(a, "sync")[0] == 0
    edit(b, lambda m: setattr(m, "place", "Växjö"))
    git(b, "fetch", "--quiet")
    before = snapshot(b)
    for choice, said in (
        ("§11.decision=here", f"minutes: {SEED}: still to choose: place\n"),
        (
            "§11.decision=mine",
            "minutes: '§11.decision=mine': a choice is FIELD=here or FIELD=there\n",
        ),
        (
            "§12.title=here",
            "minutes: '§12.title=here' names no conflict: `minutes resolve` lists them\n",
        ),
    ):
        assert minutes(b, "resolve", choice) == (2, "", said)
        assert snapshot(b) == before
    assert minutes(b, "resolve", "all=here")[0] == 0
    meeting = meeting_in(b)
    assert (meeting.item(11).decision, meeting.place) == (HIS, "Växjö")


def test_a_rebase_git_stopped_in_is_settled_and_goes_on(clones):
    """In a rebase git calls the remote's side "ours": here is still this clone's."""
    a, b = clones
    at_odds(a, b)
    git(b, "pull", "--rebase", "--quiet", check=False)
    assert "UU" in git(b, "status", "--porcelain")
    code, out, _ = minutes(b, "check")
    assert code == 1 and f"  here   {HIS}\n" in out and f"  there  {HERS}\n" in out
    code, out, err = minutes(b, "resolve", "all=here")
    assert (code, out, err) == (0, "1 conflict settled, rebase finished\n", "")
    assert not (b / ".git" / "rebase-merge").exists()
    meeting = meeting_in(b)
    assert (meeting.item(11).decision, meeting.item(12).title) == (HIS, TITLE)
    assert git(b, "rev-list", "--count", "origin/main..HEAD") == "2\n"  # both of b's, on top


def test_a_merge_git_stopped_in_is_settled_and_committed(clones):
    a, b = clones
    at_odds(a, b)
    git(b, "merge", "--quiet", "origin/main", check=False)
    code, out, _ = minutes(b, "resolve", "§11.decision=there")
    assert (code, out) == (0, "1 conflict settled, merge committed\n")
    assert git(b, "log", "-1", "--format=%s").startswith("Merge remote-tracking branch")
    assert meeting_in(b).item(11).decision == HERS
    assert git(b, "status", "--porcelain", "--untracked-files=no") == ""


async def test_s_in_the_app_shows_a_conflict_side_by_side_and_merges_the_choice(clones):
    """The chair's app at 80x24: S meets the secretary's decision; t takes hers, Enter merges
    and sends it."""
    from tui.app.resolve_screen import ConflictCard, ResolveScreen

    from .test_app import _app, _open_seed, _settle

    a, b = clones
    at_odds(a, b)
    app = _app(b)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("S")
        await _settle(app, pilot)
        assert isinstance(app.screen, ResolveScreen)
        card = app.screen.query_one(ConflictCard)
        shown = " ".join(str(s.render()) for s in card.query("Static"))
        assert HIS in shown and HERS in shown and "Informationen noteras." in shown
        await pilot.press("enter")  # nothing chosen yet: stays
        assert isinstance(app.screen, ResolveScreen)
        await pilot.press("t", "enter")
        await _settle(app, pilot)
        assert not isinstance(app.screen, ResolveScreen)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("merged origin/main, 1 conflict settled") for m in said), said
        assert app.screen.open.meeting.item(11).decision == HERS
    assert git(b, "rev-parse", "HEAD") == git(b, "rev-parse", "origin/main")
    assert minutes(a, "sync")[0] == 0
    assert (meeting_in(a).item(11).decision, meeting_in(a).item(12).title) == (HERS, TITLE)


async def test_a_text_written_anew_and_leaving_changes_nothing(clones):
    from tui.app.resolve_screen import ResolveScreen, WriteText

    from .test_app import _app, _open_seed, _settle

    a, b = clones
    at_odds(a, b)
    before = snapshot(b)
    app = _app(b)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("R")
        await _settle(app, pilot)
        assert isinstance(app.screen, ResolveScreen)
        await pilot.press("escape")
        await _settle(app, pilot)
        assert snapshot(b) == before
        await pilot.press("R")
        await _settle(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, WriteText)
        await pilot.press("home", "shift+end", *"Bordläggs.", "ctrl+s", "enter")
        await _settle(app, pilot)
    assert meeting_in(b).item(11).decision == "Bordläggs."
    assert git(b, "log", "-1", "--format=%b").startswith("2024-04-26 §11.decision: written anew")
    assert git(a, "fetch", "--quiet") == "" and meeting_in(b).item(12).title == TITLE


def test_an_unsaved_edit_is_never_written_over(clones):
    a, b = clones
    at_odds(a, b)
    path = b / SEED
    unsaved = path.read_text().replace("Infrastruktur", "Ändrat men inte sparat", 1)
    path.write_text(unsaved)
    code, _, err = minutes(b, "resolve", "all=there")
    assert code == 2 and "not saved" in err, err
    assert path.read_text() == unsaved
    assert not (b / ".git" / "MERGE_HEAD").exists()


def test_choices_hold_only_for_the_commits_they_were_made_against(clones):
    """A fetch after the conflicts were shown brings a newer remote commit: the settling merges
    the commit shown, the newer one comes with the next sync. A save here meanwhile: refused."""
    from tui.repository import Repository, RepositoryError
    from tui.resolution import disagreements, settle

    a, b = clones
    at_odds(a, b)
    repository = Repository(b)
    found = disagreements(repository)
    edit(a, lambda m: setattr(m.item(15), "title", "Nytt från sekreteraren"))
    assert minutes(a, "sync")[0] == 0
    git(b, "fetch", "--quiet")
    settle(repository, found, {SEED: {"§11.decision": "theirs"}})
    assert git(b, "rev-parse", "HEAD^2") != git(b, "rev-parse", "origin/main")
    assert minutes(b, "sync")[0] == 0
    meeting = meeting_in(b)
    assert (meeting.item(11).decision, meeting.item(15).title) == (HERS, "Nytt från sekreteraren")

    edit(a, decides("Återremitteras."))
    assert minutes(a, "sync")[0] == 0
    edit(b, decides("Bordläggs."))
    git(b, "fetch", "--quiet")
    found = disagreements(repository)
    edit(b, lambda m: setattr(m.item(16), "title", "Sparat under tiden"))
    with pytest.raises(RepositoryError, match="changed since"):
        settle(repository, found, {SEED: {"§11.decision": "ours"}})
    assert meeting_in(b).item(16).title == "Sparat under tiden"
    repository.close()


async def test_a_card_shows_text_from_files_as_text(clones):
    """Markup in a value is the value's text, not styling: the card shows the brackets."""
    from tui.app.resolve_screen import ConflictCard

    from .test_app import _app, _settle

    a, b = clones
    edit(a, decides("Godkänns [bold]utan[/bold] ändring."))
    assert minutes(a, "sync")[0] == 0
    edit(b, decides("Avslås [link=x]här[/link]."))
    assert minutes(b, "sync")[0] == 2
    app = _app(b)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("R")
        await _settle(app, pilot)
        card = app.screen.query_one(ConflictCard)
        shown = " ".join(str(s.render()) for s in card.query("Static"))
        assert "[bold]utan[/bold]" in shown and "[link=x]här[/link]" in shown


def test_a_body_file_changed_on_both_sides_is_left_to_git(clones):
    """body.toml is no meeting: changed on both sides (lines apart) beside a meeting's
    conflict, resolve still settles the meeting, and git merges the body's file."""
    a, b = clones
    body = SEED.replace("2024-04-26.toml", "body.toml")
    text = (ROOT / body).read_text()
    (a / body).write_text(text)
    git(a, "add", body)
    git(a, "commit", "--quiet", "-m", "The body")
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0
    for repo, old, new in (
        (a, 'place = "Sammanträdesrum Mälaren', 'place = "Sammanträdesrum Vänern'),
        (b, 'role = "Ordförande"', 'role = "Ordförande, sammankallande"'),
    ):
        (repo / body).write_text(text.replace(old, new, 1))
        git(repo, "commit", "--quiet", "-am", "The body changed")
    at_odds(a, b)
    code, _, err = minutes(b, "resolve", "all=there")
    assert (code, err) == (0, ""), err
    merged = (b / body).read_text()
    assert "Sammanträdesrum Vänern" in merged and "Ordförande, sammankallande" in merged
    assert meeting_in(b).item(11).decision == HERS
