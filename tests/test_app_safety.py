"""The app never loses an edit: every way out asks, failures are reported and the edit kept,
unsaved edits are kept as drafts and offered again, keys land where the focus is shown."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from tui.app.app import MinutesApp
from tui.app.browse import BrowseScreen
from tui.app.dialogs import Confirm, Message
from tui.app.draft_found import DraftFound
from tui.app.item_editor import ItemEditor
from tui.app.messages import MeetingSaved
from tui.archive import Archive
from tui.drafts import Drafts
from tui.repository import Repository

from .conftest import ROOT, SEED_FOLDER, git
from .test_app import TODAY, _edit_case, _open_seed, _save_a_case, _settle
from .test_saving import _decide, _save

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"


class Heard:
    """The messages the app's parts sent each other, for tests to wait on."""

    def __init__(self) -> None:
        self.messages: list = []

    def __call__(self, message) -> None:
        self.messages.append(message)

    async def wait_for(self, kind: type, pilot, seconds: float = 20):
        for _ in range(int(seconds / 0.05)):
            found = [m for m in self.messages if isinstance(m, kind)]
            if found:
                return found[-1]
            await pilot.pause(0.05)
        raise AssertionError(f"no {kind.__name__} arrived")


async def _until(pilot, done, seconds: float = 10) -> None:
    """Until `done()` holds, as a person waits for the screen to show what they typed."""
    for _ in range(int(seconds / 0.05)):
        try:
            if done():
                return
        except Exception:  # not there yet (a screen still opening)
            pass
        await pilot.pause(0.05)
    assert done()


def _app(root: Path, fallback: bool = False) -> MinutesApp:
    return MinutesApp(Archive(root, fallback), today=TODAY, themes=[ROOT / "themes"])


def _drafts(repo_dir: Path) -> Drafts:
    return Drafts(repo_dir / ".git")


# --- every way out asks ---------------------------------------------------------------------


async def test_every_way_out_asks_when_an_edit_is_unsaved(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        palette_quit = next(
            command for command in app.get_system_commands(app.screen) if command.title == "Quit"
        )
        for way_out in ("q", "ctrl+q", palette_quit.callback):
            if isinstance(way_out, str):
                await pilot.press(way_out)
            else:
                await way_out()
            await pilot.pause()
            assert isinstance(app.screen, Confirm), way_out
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, BrowseScreen)


async def test_quitting_from_a_form_with_changes_asks(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("e", *"xyz")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running
    assert _drafts(repo_dir).all() == []  # lost by choice: no draft offered later


async def test_escape_from_a_persons_form_asks_before_dropping_changes(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        app.screen.query_one("#party", Input).value = "MP"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Discard the changes to this person?" in app.screen.question


# --- failures are reported, the edit kept ---------------------------------------------------


async def test_a_refused_save_is_reported_keeps_the_edit_and_changes_nothing(repo_dir):
    hook = repo_dir / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no saves on Fridays' >&2\nexit 1\n")
    hook.chmod(0o755)
    original = (repo_dir / SEED).read_text()
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        for _ in range(2):  # and again: the same refusal, never a conflict
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            assert isinstance(app.screen, Message)
            assert "no saves on Fridays" in app.screen.message
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.unsaved
    assert (repo_dir / SEED).read_text() == original
    assert git(repo_dir, "status", "--porcelain") == ""


def _mount(kind: str, where: Path, *options: str) -> None:
    result = subprocess.run(
        ["mount", "-t", kind, "-o", ",".join(options), kind, str(where)], capture_output=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a {kind} here: {result.stderr.decode().strip()}")


@pytest.fixture
def small_disk(repo_dir, tmp_path_factory):
    """The test repository on a tmpfs of its own, which the test can fill or make read-only."""
    disk = tmp_path_factory.mktemp("disk")
    _mount("tmpfs", disk, "size=2m")
    root = disk / "archive"
    shutil.copytree(repo_dir, root, symlinks=True)
    yield root
    subprocess.run(["umount", "-l", str(disk)], check=False)


async def _save_fails_and_the_app_goes_on(root: Path, expected: str) -> MinutesApp:
    app = _app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await _save_a_case(app, pilot)
        assert app.is_running
        assert isinstance(app.screen, Message), app.screen
        assert expected in app.screen.message and "Your edit is kept" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.unsaved
        assert app.screen.open.meeting.item(9).cases == ["RV 2024/1"]
    return _app(root)


async def test_a_full_disk_is_reported_and_the_edit_kept(small_disk):
    filler = small_disk.parent / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError:  # full
        pass
    finally:
        os.close(descriptor)
    original = (small_disk / SEED).read_bytes()
    app = await _save_fails_and_the_app_goes_on(small_disk, "No space left on device")
    assert (small_disk / SEED).read_bytes() == original
    filler.unlink()  # room again: the next save lands (nothing of the failed one is held)
    assert git(small_disk, "status", "--porcelain") == ""
    async with app.run_test(size=(80, 24)) as pilot:
        await _save_a_case(app, pilot)
        assert not app.screen.unsaved
    assert git(small_disk, "log", "-1", "--format=%s") == "2024-04-26 §9: cases added\n"


async def test_a_read_only_disk_is_reported_and_the_edit_kept(small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk.parent)], check=True)
    await _save_fails_and_the_app_goes_on(small_disk, "Read-only file system")


async def test_a_save_is_never_cancelled_by_the_readers_started_after_it(repo_dir):
    heard = Heard()
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        await pilot.press("ctrl+s")
        screen = app.screen
        for _ in range(3):
            screen.read_repository()
            screen.read_archive()
        saved = await heard.wait_for(MeetingSaved, pilot)
        await _settle(app, pilot)
        assert not app.screen.unsaved
    assert git(repo_dir, "log", "-1", "--format=%H") == f"{saved.saved.commit}\n"


async def test_the_bundled_archive_opened_by_default_is_not_written(repo_dir):
    _save(repo_dir, _decide("Första."))  # a save there is, for u to undo
    app = _app(repo_dir, fallback=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _save_a_case(app, pilot)  # Ctrl+S
        assert isinstance(app.screen, Message) and "not written" in app.screen.message
        await pilot.press("escape", "E")  # the file as text
        await pilot.pause()
        assert isinstance(app.screen, Message) and "not written" in app.screen.message
        await pilot.press("escape", "escape", "u")  # from the list: undo
        await _settle(app, pilot)
        assert isinstance(app.screen, Message) and "not written" in app.screen.message
        await pilot.press("escape")
        await pilot.pause(0.5)
    assert git(repo_dir, "rev-list", "--count", "HEAD") == "2\n"
    assert not (repo_dir / ".git" / "minutes" / "drafts").exists()


async def test_a_save_names_the_repository_it_committed_to(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _save_a_case(app, pilot)
        (note,) = [n for n in app._notifications if n.title == "Saved"]
        assert note.message == f"2024-04-26 §9: cases added\nin {repo_dir}"


# --- drafts ------------------------------------------------------------------------------------


async def _kept_edit(repo_dir: Path) -> None:
    """An app that edits the seed and ends without saving (as a killed one would)."""
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        await pilot.pause(0.5)  # the draft is written after a pause
    assert len(_drafts(repo_dir).all()) == 1


async def test_a_kept_edit_is_offered_and_restored(repo_dir):
    await _kept_edit(repo_dir)
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        assert isinstance(app.screen, DraftFound)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.unsaved and app.screen.open.meeting.item(9).cases == ["RV 2024/1"]
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26 §9: cases added\n"
    assert _drafts(repo_dir).all() == []


async def test_a_kept_edit_stays_until_discarded(repo_dir):
    await _kept_edit(repo_dir)
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("escape")  # decide later
        await pilot.pause()
        await pilot.press("e", "escape")  # a form opened and closed changes nothing
        await pilot.pause(0.5)
        assert len(_drafts(repo_dir).all()) == 1
        assert not app.screen.unsaved
    again = _app(repo_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await _open_seed(again, pilot)
        assert isinstance(again.screen, DraftFound)
        await pilot.press("d")
        await pilot.pause()
        assert not again.screen.unsaved
    assert _drafts(repo_dir).all() == []


async def test_a_kept_edit_of_a_file_changed_since_shows_both_versions_when_saved(repo_dir):
    from tui.app.conflict import Conflict

    await _kept_edit(repo_dir)
    path = repo_dir / SEED
    path.write_text(path.read_text().replace("Mälaren", "Vänern"))
    git(repo_dir, "commit", "-qam", "someone else's edit")
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        question = str(app.screen.query_one("#draft-question").content)
        assert "The file has changed since" in question
        await pilot.press("r", "ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, Conflict)


# --- fields and keys -------------------------------------------------------------------------


async def test_a_burst_of_keys_lands_where_the_focus_is_shown(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        burst = [("e", "e"), ("tab", "\t"), *((c, c) for c in "RV1"), ("tab", "\t")]
        burst += [(c, c) for c in "XYZ"]
        for key, character in burst:  # all at once, as a terminal delivers a quick typist
            app.post_message(events.Key(key, character))

        def typed() -> str:
            return app.screen.query_one("#summary", TextArea).text[-3:]

        await _until(pilot, lambda: isinstance(app.screen, ItemEditor) and typed() == "XYZ")
        assert app.screen.query_one("#case", Input).value == "RV1"


async def test_entering_a_field_keeps_its_text_and_adds_to_it(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("e", *" del 1", "tab", "tab", *" Mer.")
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == "Inledning del 1"
        summary = app.screen.query_one("#summary", TextArea).text
        assert (
            summary
            == "Ordförande inleder och hälsar samverkansgrupp kompetensförsörjning välkomna. Mer."
        )


async def test_end_goes_to_the_end_of_a_wrapped_line(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("j", "j", "j", "e")
        await pilot.pause()
        summary = app.screen.query_one("#summary", TextArea)
        summary.focus()
        await pilot.pause()
        summary.move_cursor((0, 0))
        line = summary.document.get_line(0)
        assert summary.wrapped_document.get_offsets(0)  # it wraps
        await pilot.press("end")
        assert summary.cursor_location == (0, len(line))
        await pilot.press("home")
        assert summary.cursor_location == (0, 0)


async def test_a_next_meeting_note_without_a_date_is_not_dropped(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#next_date", Input).value = ""
        app.screen.query_one("#next_note", Input).value = "Digitalt"
        await pilot.press("ctrl+s")
        await pilot.pause()
        problem = str(app.screen.query_one("#next_date-problem").content)
        assert problem == "The next meeting needs a date for its time and note."


def test_the_signal_handlers_are_the_apps_only_while_it_runs(repo_dir):
    import signal

    before = signal.getsignal(signal.SIGTERM)

    async def run() -> None:
        app = _app(repo_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert signal.getsignal(signal.SIGTERM) == app._stopped

    asyncio.run(run())
    assert signal.getsignal(signal.SIGTERM) == before


async def test_a_history_that_cannot_be_read_is_reported_and_the_app_goes_on(repo_dir):
    from textual.widgets import Static

    from tui.app.history_screen import HistoryScreen

    def unreadable(history):
        raise OSError(5, "Input/output error", str(repo_dir / ".git" / "objects"))

    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        app.push_screen(HistoryScreen(Repository(repo_dir), "History", unreadable))
        await _settle(app, pilot)
        shown = str(app.screen.query_one("#change-text", Static).content)
        assert shown.startswith("The history cannot be read: Input/output error (")
        await pilot.press("escape")
        assert app.is_running and isinstance(app.screen, BrowseScreen)


async def test_e_on_a_file_that_is_not_text_says_why(repo_dir):
    os.mkfifo(repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml")
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#meetings").highlighted = 2  # the pipe, the newest row
        await pilot.press("enter", "E")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("It cannot be edited as text: ") for n in notes), notes
        assert "not a regular file" in notes[-1]


async def test_a_new_edit_never_writes_over_an_older_kept_one(repo_dir):
    await _kept_edit(repo_dir)  # §9's case number
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("escape")  # decide later, and edit anew
        await pilot.press("e", *" ny", "ctrl+s")
        await pilot.pause(0.5)
    assert len(_drafts(repo_dir).all()) == 2
    again = _app(repo_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await _open_seed(again, pilot)
        question = str(again.screen.query_one("#draft-question").content)
        assert "1 older kept edit(s) follow" in question  # the newest first: the title
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(again.screen, DraftFound)  # then the older one
        await pilot.press("r")
        await pilot.pause()
        meeting = again.screen.open.meeting
        assert meeting.item(9).cases == ["RV 2024/1"] and meeting.item(9).title == "Inledning"


async def _edit_the_file(app, pilot, old: str, new: str) -> None:
    """E, in the app's own text editor (no terminal to suspend), then Ctrl+S."""
    await pilot.press("E")
    await pilot.pause()
    editor = app.screen.query_one("#toml", TextArea)
    editor.text = editor.text.replace(old, new)
    await pilot.press("ctrl+s")
    await _settle(app, pilot)


async def test_a_file_edited_as_text_that_is_refused_becomes_the_apps_edit(repo_dir):
    hook = repo_dir / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_the_file(app, pilot, "Mälaren", "Vänern")
        assert isinstance(app.screen, Message) and "comments are not kept" in app.screen.message
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert app.screen.unsaved and "Vänern" in app.screen.open.meeting.place
        assert len(_drafts(repo_dir).all()) == 1  # kept, as any edit
        hook.unlink()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26: place changed\n"


async def test_a_file_edited_as_text_meets_a_change_on_disk_with_both_versions(repo_dir):
    from tui.app.conflict import Conflict

    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        path = repo_dir / SEED
        path.write_text(path.read_text().replace('end = "12:00"', 'end = "12:30"'))
        await _edit_the_file(app, pilot, "Mälaren", "Vänern")
        assert isinstance(app.screen, Conflict)
        assert app.screen.query_one("#mine")  # keep mine, take theirs, decide later


async def test_saving_twice_quickly_is_one_save(repo_dir):
    from tui.app.conflict import Conflict

    heard = Heard()
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        app.post_message(events.Key("ctrl+s", None))
        app.post_message(events.Key("ctrl+s", None))
        await heard.wait_for(MeetingSaved, pilot)
        await _settle(app, pilot)
        assert not isinstance(app.screen, Conflict | Message)
        assert not app.screen.unsaved
    assert git(repo_dir, "rev-list", "--count", "HEAD") == "2\n"
