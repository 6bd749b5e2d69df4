"""The app, driven by keys through Pilot at 80x24 on real repositories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.color import Color
from textual.widgets import Static, TextArea

from tui.app.app import MinutesApp
from tui.app.browse import BrowseScreen
from tui.app.dialogs import Confirm
from tui.app.help_screen import HelpScreen
from tui.app.history_screen import HistoryScreen
from tui.app.item_editor import ItemEditor
from tui.app.key_bar import KeyBar
from tui.app.meeting_list import MeetingList
from tui.app.meeting_view import MeetingView
from tui.app.status_line import StatusLine
from tui.archive import Archive
from tui.format.files import dumps_meeting
from tui.model import Meeting

from .conftest import ROOT, SEED_FOLDER, changed_lines, git
from .test_saving import SEED, _decide, _save

TODAY = dt.date(2024, 5, 1)


def _app(repo_dir: Path, themes: list[Path] | None = None) -> MinutesApp:
    return MinutesApp(Archive(repo_dir), today=TODAY, themes=themes or [ROOT / "themes"])


def _rows(app) -> list[str]:
    """The meeting list as it reads."""
    meetings = app.screen.query_one(MeetingList)
    return [meetings.get_option_at_index(i).prompt.plain for i in range(meetings.option_count)]


async def _settle(app, pilot) -> None:
    """Until no worker runs: a save's worker starts the archive's readers as it ends, and
    wait_for_complete waits only for the workers running when it is called."""
    await pilot.pause()
    while not all(worker.is_finished for worker in app.workers):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _status(app) -> str:
    status = app.screen.query_one(StatusLine)
    return f"{status.next_meeting} | {status.state().plain}"


def _shown(app) -> str:
    view = app.screen.query_one(MeetingView)
    return "\n".join(str(part.content) for part in view.parts.values())


async def _edit_case(app, pilot) -> None:
    """Edit the current §'s case number in its form and keep the change (not saved yet)."""
    await pilot.press("e")
    await pilot.pause()
    app.screen.query_one("#case").value = "RV 2024/1"
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _save_a_case(app, pilot) -> None:
    """Open the seed meeting, give §9 a case number and press Ctrl+S; until the save is done."""
    await _open_seed(app, pilot)
    await _edit_case(app, pilot)
    await pilot.press("ctrl+s")
    await _settle(app, pilot)


async def _retype_decision(app, pilot, text: str) -> None:
    """In the open item form: replace the decision by typing, as a person would."""
    app.screen.query_one("#decision", TextArea).focus()
    await pilot.press("f7", *text)  # F7 selects all of a TextArea
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _open_seed(app, pilot) -> None:
    await _settle(app, pilot)
    await pilot.press("enter")
    await pilot.pause()


async def test_start_shows_meetings_next_meeting_and_repository(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        status = _status(app)
        assert status.startswith(
            "Next: Fri 13 Sep 2024 09:00 (in 135 days) — Samverkansgrupp Kompetensförsörjning"
        )
        assert "main, clean" in status
        assert _rows(app) == [
            "Samverkansgrupp Kompetensförsörjning 2023",
            " ▾ 2024",
            "   2024-04-26 Fri §9–17",
        ]


async def test_open_a_meeting_and_step_through_its_items(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        assert "Beslutande ledamöter" in _shown(app)
        await pilot.press("j", "j", "j")
        assert app.screen.query_one(MeetingView).current == 11
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1", "5", "enter")
        await pilot.pause()
        assert app.screen.query_one(MeetingView).current == 15


async def test_edit_a_decision_and_save_is_one_commit_of_that_line(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("j", "j", "j", "e")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditor)
        await _retype_decision(app, pilot, "Informationen godkänns.")
        assert isinstance(app.screen, BrowseScreen) and app.screen.unsaved
        assert "unsaved" in _status(app)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert not app.screen.unsaved
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26 §11: decision changed\n"
    assert changed_lines(repo_dir) == [
        '-decision = "Informationen noteras."',
        '+decision = "Informationen godkänns."',
    ]


async def test_a_missing_title_is_caught_at_the_field(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#title").value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditor)
        assert "needs a title" in str(app.screen.query_one("#title-problem").content)


async def test_quitting_with_unsaved_changes_asks_first(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    assert git(repo_dir, "status", "--porcelain") == ""  # nothing was written


async def test_a_file_changed_on_disk_shows_both_versions_and_lets_you_choose(repo_dir):
    from tui.app.conflict import Conflict

    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        path = repo_dir / SEED
        path.write_text(path.read_text().replace("Mälaren", "Vänern"))  # someone else's edit
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, Conflict)
        shown = str(app.screen.query_one(Static).content)
        assert "§9: cases added" in shown and "place changed" in shown
        await pilot.press("escape")  # decide later: nothing written, the edit kept
        await pilot.pause()
        assert app.screen.unsaved
        assert "Vänern" in path.read_text() and "RV 2024/1" not in path.read_text()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        app.screen.query_one("#mine").press()  # keep mine
        await _settle(app, pilot)
        assert not app.screen.unsaved
    text = (repo_dir / SEED).read_text()
    assert "RV 2024/1" in text and "Mälaren" in text  # my whole version, theirs replaced


async def test_text_from_files_is_shown_literally(repo_dir):
    path = repo_dir / SEED
    hostile = r'decision = "[bold]Fett[/] [link=https://x.example]länk[/link] \u001b[31mröd"'
    path.write_text(path.read_text().replace('decision = "Informationen noteras."', hostile, 1))
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        assert "[bold]Fett[/] [link=https://x.example]länk[/link] ␛[31mröd" in _shown(app)


async def test_a_broken_file_is_listed_and_shows_its_error(repo_dir):
    broken = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    broken.write_text('schema = 1\nkind = "protokoll"\ndate = 2024-09-13\nend = 5\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert "1 broken" in _status(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "This file cannot be read" in _shown(app)
        assert "2024-09-13.toml:4: end: expected a time" in _shown(app)


async def test_a_broken_file_in_an_older_year_is_in_view_and_named_from_the_archive(repo_dir):
    broken = repo_dir / "meetings" / SEED_FOLDER / "2023-11-10.toml"
    broken.write_text('schema = 1\nkind = "protokoll"\ndate = 2023-11-10\nend = 5\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        rows = _rows(app)
        assert "   2023-11-10 Fri BROKEN" in rows
        app.screen.query_one(MeetingList).highlighted = rows.index("   2023-11-10 Fri BROKEN")
        await pilot.press("enter")
        await pilot.pause()
        assert f"\nmeetings/{SEED_FOLDER}/2023-11-10.toml:4: end: expected" in _shown(app)


async def test_filter_as_you_type(repo_dir):
    other = repo_dir / "meetings" / "kulturnamnden"
    other.mkdir()
    (other / "body.toml").write_text('schema = 1\nname = "Kulturnämnden"\n')
    (other / "2024-03-01.toml").write_text('schema = 1\nkind = "protokoll"\ndate = 2024-03-01\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        meetings = app.screen.query_one(MeetingList)
        assert meetings.option_count == 6
        await pilot.press("slash", *"kultur")
        await pilot.pause()
        assert _rows(app) == ["Kulturnämnden", " ▾ 2024", "   2024-03-01 Fri "]


async def test_help_opens_with_question_mark_and_f1(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, BrowseScreen)


async def test_history_shows_commits_and_what_changed(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "2024-04-26 added" in str(app.screen.query_one("#change-text", Static).content)


async def test_undo_the_latest_save(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _save_a_case(app, pilot)
        await pilot.press("u")
        await _settle(app, pilot)
        assert "RV 2024/1" not in _shown(app)
    assert git(repo_dir, "log", "-1", "--format=%s").startswith('Undo "2024-04-26 §9: case')


async def test_themes_load_a_broken_one_is_reported_and_the_choice_kept(repo_dir, tmp_path):
    mine = tmp_path / "themes"
    mine.mkdir()
    (mine / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
    app = _app(repo_dir, themes=[ROOT / "themes", mine])
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert app.theme == "minutes"
        assert app.screen.styles.background == Color.parse("#17191e")  # its colours, too
        assert {"minutes-light", "minutes-high-contrast", "minutes-ansi"} <= set(
            app.available_themes
        )
        assert "broken" not in app.available_themes
        assert any("broken.toml" in p for p in app.theme_problems)
        app.theme = "minutes-light"
        await pilot.pause()
    again = _app(repo_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "minutes-light"
        assert again.screen.styles.background == Color.parse("#fafafa")


@pytest.mark.parametrize("theme", ["textual-dark", "ansi-light", "minutes-ansi"])
async def test_every_theme_renders(repo_dir, theme):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        app.theme = theme
        await pilot.press("j")
        await pilot.pause()
        assert app.screen.query_one(MeetingView).current == 9


async def test_editing_the_file_checks_it_before_anything_is_committed(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        editor = app.screen.query_one("#toml", TextArea)  # no terminal to suspend: in-app
        editor.text = editor.text.replace('end = "12:00"', 'end = "08:00"')
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "end: ends (08:00) before it starts" in str(
            app.screen.query_one(".question").content
        )
        await pilot.press("y")  # discard (Escape or n would edit again)
        await _settle(app, pilot)
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("E")
        await pilot.pause()
        editor = app.screen.query_one("#toml", TextArea)
        editor.text = editor.text.replace('end = "12:00"', 'end = "11:30"  # ended early')
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26: end changed\n"
    assert 'end = "11:30"  # ended early' in (repo_dir / SEED).read_text()
    assert int(git(repo_dir, "rev-list", "--count", "HEAD")) == 2


async def test_a_broken_file_is_fixed_in_the_editor(repo_dir):
    broken = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    broken.write_text('schema = 1\nkind = "protokoll"\ndate = 2024-09-13\nend = 5\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("enter", "E")
        await pilot.pause()
        editor = app.screen.query_one("#toml", TextArea)
        editor.text = editor.text.replace("end = 5", 'end = "15:00"')
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "broken" not in _status(app)
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-09-13: new meeting\n"


def test_run_editor_uses_the_users_editor(monkeypatch):
    from tui.external_editor import run_editor

    monkeypatch.setenv("VISUAL", "sed -i s/Mälaren/Vänern/")
    assert run_editor('place = "Mälaren"\n', "2024-04-26.toml") == 'place = "Vänern"\n'


async def test_add_delete_and_move_items_then_save(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("j", "j")  # §10
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditor)
        app.screen.query_one("#title").value = "Rapport från kansliet"
        await pilot.press("ctrl+s")
        await pilot.pause()
        meeting = app.screen.open.meeting
        assert meeting.item(11).title == "Rapport från kansliet"
        assert meeting.item(12).title.startswith("Planering")
        await pilot.press("shift+up")  # §11 becomes §10
        assert meeting.item(10).title == "Rapport från kansliet"
        await pilot.press("j", "j", "d")  # delete §12, which is now Planering …
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert meeting.numbers() == list(range(9, 18))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    body = git(repo_dir, "log", "-1", "--format=%B")
    assert body.startswith("2024-04-26: 5 changes\n")
    assert "- §10 Rapport från kansliet added\n" in body
    assert "- §11 Planering och dimensionering av gymnasieutbildning removed\n" in body
    assert "- Janeth Persson: present changed\n" in body  # her §§ follow their items


async def test_an_abandoned_new_item_leaves_no_trace(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.unsaved


async def test_a_new_meeting_continues_the_numbering_and_copies_the_roster(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#date").value == "2024-09-13"  # the decided date
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#title").value = "Inledning"
        await pilot.press("ctrl+s")
        await pilot.pause()
        meeting = app.screen.open.meeting
        assert meeting.numbers() == [18]
        assert len(meeting.attendance.members) == 12
        assert meeting.place.startswith("Sammanträdesrum Mälaren")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "   2024-09-13 Fri §18" in _rows(app)
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-09-13: new meeting\n"
    assert (repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml").exists()


async def test_meeting_facts_are_checked_at_the_field(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#next_time").value = "25:00"
        await pilot.pause()
        assert "Expected a time" in str(editor.query_one("#next_time-problem").content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # not accepted
        editor.query_one("#next_time").value = "10:00"
        editor.query_one("#next_note").value = "Digitalt"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert git(repo_dir, "log", "-1", "--format=%s") == (
        "2024-04-26: next meeting time changed; next meeting note changed\n"
    )
    text = (repo_dir / SEED).read_text()
    assert 'time = "10:00"\nnote = "Digitalt"' in text


async def test_cancelling_is_a_key_in_the_meeting_form(repo_dir):
    planned = repo_dir / "meetings" / SEED_FOLDER / "2024-09-13.toml"
    planned.write_text(dumps_meeting(Meeting(dt.date(2024, 9, 13))), encoding="utf-8")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "Planned")
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)  # the newest: the planned meeting
        assert app.screen.open.entry.path == planned
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("shift+tab", "shift+tab", "space", "ctrl+s")  # Starts, §§ from, Cancelled
        await pilot.pause()
        assert "INSTÄLLT" in _shown(app)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert git(repo_dir, "log", "-1", "--format=%s") == "2024-09-13: meeting cancelled\n"
        assert "Next: " not in _status(app)  # the decision naming that day falls with it
        listed = app.screen.query_one(MeetingList)  # the list says so too
        rows = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert "   2024-09-13 Fri Inställt" in rows, rows
        await pilot.press("escape", "down", "enter")  # the held meeting, which decided things
        await pilot.pause()
        assert app.screen.open.entry.path.name == "2024-04-26.toml"
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("shift+tab", "shift+tab", "space", "ctrl+s")
        await pilot.pause()
        assert str(app.screen.query_one("#cancelled-problem").content) == (
            "§10 decision: a cancelled meeting decides nothing: remove the decision, or it is "
            "not cancelled."
        )
        await pilot.press("space", "ctrl+s")  # untick: the form closes, nothing changed
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen) and not app.screen.unsaved
    assert "\ncancelled = true\n" in planned.read_text(encoding="utf-8")


async def test_numbering_the_items_from_another_first_is_one_save(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        first = app.screen.query_one("#first")
        assert first.value == "9"
        first.value = "0"
        await pilot.pause()
        assert "Expected a § number" in str(app.screen.query_one("#first-problem").content)
        first.value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.open.meeting.numbers() == list(range(1, 10))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    text = (repo_dir / SEED).read_text()
    assert "number = 1\n" in text and "number = 9\n" in text and "number = 17" not in text
    assert 'present = "1-4"' in text  # Janeth Persson, §§9–12 before
    assert git(repo_dir, "log", "-1", "--format=%s").startswith("2024-04-26")


async def test_attendance_add_edit_and_remove(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")  # Janeth Persson
        await pilot.pause()
        app.screen.query_one("#present").value = "9-20"
        await pilot.pause()
        assert "no §§18–20" in str(app.screen.query_one("#present-problem").content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#present").value = "9-11"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#name").value = "Lisa Ek"
        app.screen.query_one("#party").value = "MP"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    body = git(repo_dir, "log", "-1", "--format=%B")
    assert body.startswith(
        "2024-04-26 Janeth Persson: present changed; Lisa Ek added to attendance\n"
    )
    assert (
        "- Janeth Persson: present changed\n  §§9–12 → §§9–11\n- Lisa Ek added to attendance\n"
        in body
    )


async def test_protocol_parts_of_an_item(protocol_dir, monkeypatch):
    git(protocol_dir, "init", "--quiet", "--initial-branch=main")
    git(protocol_dir, "config", "user.name", "Gunilla Holm")
    git(protocol_dir, "config", "user.email", "gunilla@example.org")
    git(protocol_dir, "add", "-A")
    git(protocol_dir, "commit", "--quiet", "-m", "Protokoll")
    app = MinutesApp(Archive(protocol_dir), today=TODAY, themes=[ROOT / "themes"])
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1", "3", "2", "enter", "e")
        await pilot.pause()
        motions = app.screen.query_one("#motions", TextArea)
        assert motions.text.splitlines()[1] == "Bertil Ceder: Taxorna lämnas oförändrade 2025."
        motions.text += "\nEva Fors, Cecilia Dahl: Återremiss."
        app.screen.query_one("#conflicts", TextArea).text = "Bertil Ceder"
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = app.screen.open.meeting.item(132)
        assert item.motions[2].by == ["Eva Fors", "Cecilia Dahl"]
        assert item.conflicts == ["Bertil Ceder"]


async def test_votes_are_edited_as_text_and_voters_checked(protocol_dir):
    git(protocol_dir, "init", "--quiet", "--initial-branch=main")
    app = MinutesApp(Archive(protocol_dir), today=TODAY, themes=[ROOT / "themes"])
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1", "3", "2", "enter", "e")
        await pilot.pause()
        votes = app.screen.query_one("#votes", TextArea)
        assert votes.text.splitlines()[:2] == [
            "Question: Ja för arbetsutskottets förslag, nej för Bertil Ceders yrkande.",
            "Yes: Alma Berglund, Fredrik Gran, Cecilia Dahl",
        ]
        votes.text = votes.text.replace("Abstain: ", "Abstain: Gunilla Holm")
        await pilot.pause()
        assert "Not decision-making members present for §132: Gunilla Holm" in str(
            app.screen.query_one("#votes-problem").content
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#votes-problem")  # still the editor
        votes.text = votes.text.replace("Abstain: Gunilla Holm", "Abstain: Eva Fors")
        await pilot.pause()
        assert "§132: Eva Fors" in str(app.screen.query_one("#votes-problem").content)
        votes.text = votes.text.replace("Abstain: Eva Fors", "Abstain: ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.open.meeting.item(132).votes[0].abstain == []


async def test_search_opens_the_meeting_at_the_matching_item(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"skinnskatteberg mejl", "enter")
        await _settle(app, pilot)
        assert str(app.screen.query_one("#status").content) == "1 place"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        view = app.screen.query_one(MeetingView)
        assert view.current == 13
        shown = view.parts[13].content
        marked = [shown.plain[s.start : s.end] for s in shown.spans if s.style == "reverse"]
        assert marked == ["Skinnskatteberg", "mejl"]


async def test_down_from_the_query_searches_then_reaches_the_results(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"MYH", "down")
        await _settle(app, pilot)
        results = app.screen.query_one("#results")
        assert results.has_focus and results.option_count == 1  # §16


async def test_decision_log_and_comparing_two_versions(repo_dir):
    _save(repo_dir, _decide("Första."))
    _save(repo_dir, _decide("Andra."))
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("D")
        await _settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#versions").option_count == 2
        shown = str(app.screen.query_one("#change-text", Static).content)
        assert "§11: decision changed\nFörsta" in shown.replace("Andra", "")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter", "h")
        await _settle(app, pilot)
        await pilot.press("end", "c", "home")  # compare the first version with the newest
        await pilot.pause()
        shown = str(app.screen.query_one("#change-text", Static).content)
        assert "Compared with" in shown
        assert "Informationen noteras" in shown and "Andra." in shown


async def test_only_the_latest_year_is_open_at_first(repo_dir):
    older = repo_dir / "meetings" / SEED_FOLDER / "2023-11-10.toml"
    older.write_text('schema = 1\nkind = "minnesanteckningar"\ndate = 2023-11-10\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert _rows(app)[-1] == " ▸ 2023 (1)"
        await pilot.press("end", "enter")
        await pilot.pause()
        assert _rows(app)[-2:] == [" ▾ 2023", "   2023-11-10 Fri "]


async def test_every_row_of_a_long_list_stays_one_line(repo_dir):
    folder = repo_dir / "meetings" / SEED_FOLDER
    for day in range(1, 31):
        date = f"2024-01-{day:02}"
        (folder / f"{date}.toml").write_text(f'schema = 1\nkind = "protokoll"\ndate = {date}\n')
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        meetings = app.screen.query_one(MeetingList)
        assert meetings.option_count == 33 and meetings.show_vertical_scrollbar
        assert meetings.virtual_size.height == 33  # the body's long name wraps no more
        assert "   2024-04-26 Fri §9–17" in _rows(app)


async def test_letters_typed_in_a_field_are_text_not_commands(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("slash", *"edq uhsp")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_one("#filter").value == "edq uhsp"
        assert app.is_running


async def test_the_command_palette_lists_every_action(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {
            "Edit §",
            "Edit file",
            "Add §",
            "Delete §",
            "New meeting",
            "Meeting",
            "Attendance",
            "Search",
            "Decisions",
            "Save",
            "Undo save",
            "History",
            "Go to §",
            "Next §",
            "Previous §",
            "Help",
        } <= titles
        step = next(c for c in app.get_system_commands(app.screen) if c.title == "Next §")
        assert step.help == "(], j)"
        await pilot.press("enter")
        await pilot.pause()
        await step.callback()  # as the palette runs it
        await pilot.pause()
        assert app.screen.query_one(MeetingView).current == 9


async def test_breaks_are_edited_as_lines(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        breaks = app.screen.query_one("#breaks", TextArea)
        breaks.text = "10:15-10:30 §40"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "the meeting has no §40" in str(app.screen.query_one("#breaks-problem").content)
        breaks.text = "10:15-10:30 §12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pause = app.screen.open.meeting.breaks[0]
        assert (pause.start, pause.end, pause.item) == (dt.time(10, 15), dt.time(10, 30), 12)
        assert "Ajournering\n  kl. 10:15–10:30 under §12" in _shown(app)


async def test_changing_the_date_renames_the_file(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#date").value = "2024-04-25"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen.open.entry.path.name == "2024-04-25.toml"
        assert not app.screen.unsaved
        assert "   2024-04-25 Thu §9–17" in _rows(app)
        assert git(repo_dir, "log", "-1", "--format=%s") == (
            "2024-04-26 → 2024-04-25: meeting moved\n"
        )
        await pilot.press("u")  # the file takes its old name again, and the app follows it
        await _settle(app, pilot)
        assert app.screen.open.entry.path.name == "2024-04-26.toml"
        assert "Mötesdatum  2024-04-26" in _shown(app)
        assert "   2024-04-26 Fri §9–17" in _rows(app)
        assert "   2024-04-25 Thu §9–17" not in _rows(app)
    assert (repo_dir / SEED).exists()


async def test_the_key_bar_shows_every_action_where_it_applies_in_two_lines(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        bar = app.screen.query_one(KeyBar)
        on_list = {description for _, description, _ in bar.shown_keys()}
        assert {"Open", "Filter", "New meeting", "Search", "Decisions", "Undo save"} <= on_list
        await pilot.press("enter")  # the meeting opens and has the focus
        await pilot.pause()
        on_meeting = {description for _, description, _ in bar.shown_keys()}
        assert "Edit §" in on_meeting and "Filter" not in on_meeting
        for screen_binding in BrowseScreen.BINDINGS:
            group = screen_binding.group
            wanted = group.description if group else screen_binding.description
            # A protocol's line names V itself: the bar has no room for a key of protocols only.
            # Nor for x (export), S (sync) and R (settle conflicts; the top line names it when
            # a merge stopped): in the help (?) and the palette, as V is.
            others = {"Back", "Justering", "Export", "Sync", "Settle conflicts"}
            assert wanted in on_list | on_meeting | others, wanted
        assert {"Step §", "Move §", "Save", "Quit", "Help", "Palette"} <= on_meeting
        lines = bar.render().plain.splitlines()
        assert len(lines) == 2 and bar.size.height == 2
        assert all(len(line) <= 78 for line in lines)
        assert lines[0].startswith("e Edit §  a Add §")


async def test_a_decision_naming_another_day_offers_to_move_the_next_meeting(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("j", "j", "e")  # §9, then §10: Nästa sammanträde
        await pilot.pause()
        await _retype_decision(app, pilot, "Nästa sammanträde hålls den 20 september 2024.")
        assert isinstance(app.screen, Confirm)
        assert "Fri 20 Sep 2024" in app.screen.question
        labels = [str(button.label) for button in app.screen.query("Button")]
        assert labels == ["Set it (y)", "Leave it (n)"]  # the keys, shown where they act
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.open.meeting.next_meeting.date == dt.date(2024, 9, 20)
        assert app.screen.open.meeting.next_meeting.time == dt.time(9)  # the rest is kept
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "Next: Fri 20 Sep 2024 09:00" in _status(app)
    assert git(repo_dir, "log", "-1", "--format=%s") == (
        "2024-04-26 §10: decision changed; next meeting date changed\n"
    )
    assert changed_lines(repo_dir) == [
        "-date = 2024-09-13",
        "+date = 2024-09-20",
        '-decision = "Nästa sammanträde ska äga rum fredagen den 13 september 2024 klockan 09.00."',
        '+decision = "Nästa sammanträde hålls den 20 september 2024."',
    ]
