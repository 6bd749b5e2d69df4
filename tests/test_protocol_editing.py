"""The protocol fields edited in the app by keys alone at 80x24, saved, and shown; each field
reached with Tab, visible where it is typed, and its text read back to what it shows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Checkbox, Input, TextArea

from tui.app.app import MinutesApp
from tui.app.attendance import AttendanceScreen, PersonEditor
from tui.app.item_editor import ItemEditor
from tui.app.key_bar import KeyBar
from tui.app.meeting_editor import MeetingEditor
from tui.app.meeting_view import MeetingView
from tui.app.rendering import CLOSING
from tui.archive import Archive
from tui.format.files import load_meeting
from tui.model import Appeal, Chair

from .conftest import ROOT, git
from .test_app import _open_seed, _settle, _shown
from .test_render_protocol import EXTENSIONS, FOLDER

TODAY = dt.date(2024, 12, 20)


def _commit(root: Path) -> None:
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Gunilla Holm")
    git(root, "config", "user.email", "gunilla@example.org")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Protokoll")


@pytest.fixture
def protocol(protocol_dir: Path, monkeypatch) -> Path:
    """The fictional protocol as it is, in a git repository."""
    monkeypatch.setenv("HOME", str(protocol_dir / ".home"))
    _commit(protocol_dir)
    return protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"


@pytest.fixture
def extended(protocol_dir: Path, monkeypatch) -> Path:
    """The fictional protocol with every protocol part, in a git repository."""
    monkeypatch.setenv("HOME", str(protocol_dir / ".home"))
    path = protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in EXTENSIONS:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    _commit(protocol_dir)
    return path


def _app(path: Path) -> MinutesApp:
    return MinutesApp(Archive(path.parents[2]), today=TODAY, themes=[ROOT / "themes"])


async def _tab_to(pilot, field: str) -> None:
    """Tab until `field` has the focus, as a person without a mouse gets there; then it is
    on the screen, above the key bar."""
    app = pilot.app
    for _ in range(40):
        if app.focused is not None and app.focused.id == field:
            break
        await pilot.press("tab")
    else:
        raise AssertionError(f"Tab never reaches #{field}")
    await pilot.pause()
    widget, keys = app.focused, app.screen.query_one(KeyBar)
    visible = widget.parent.region  # the form's scrolled window
    assert widget.region.y >= visible.y and widget.region.bottom <= keys.region.y, field


async def _type(pilot, field: str, text: str, clear: bool = False) -> None:
    """Type `text` into a field reached by Tab; lines of a many-line field with Enter."""
    await _tab_to(pilot, field)
    if clear:
        await pilot.press("f7" if isinstance(pilot.app.focused, TextArea) else "ctrl+u")
    for number, line in enumerate(text.split("\n")):
        await pilot.press(*(["enter"] if number else []))
        await _keys(pilot, line)


async def _keys(pilot, text: str) -> None:
    """Keys as a terminal sends them. Pilot makes "§" a key without its character (it finds
    no character named "section_sign"); a Swedish keyboard's § key sends the character."""
    for part in re.split("(§)", text):
        if part == "§":
            pilot.app.post_message(events.Key("section_sign", "§"))
            await pilot.press()  # until the app has handled it
        else:
            await pilot.press(*part)


def _problem(app, field: str) -> str:
    return str(app.screen.query_one(f"#{field}-problem").content)


async def test_the_meeting_form_edits_chairs_justering_notice_and_appeals(protocol):
    app = _app(protocol)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        await _type(pilot, "chairs", "Alma Berglund §130-131\nBertil Ceder §132-140", clear=True)
        assert _problem(app, "chairs") == "'Bertil Ceder §132-140': the meeting has no §§134–140."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingEditor)  # not accepted
        await pilot.press("backspace", "backspace", "3", "3")
        assert _problem(app, "chairs") == ""
        await _type(pilot, "adjustment_time", "10.00")
        await _type(pilot, "adjusted_items", "130-134")
        assert _problem(app, "adjusted_items") == "Expected §§ of this meeting: it has no §134."
        await pilot.press("backspace", "3")
        await _type(pilot, "taken_down", "2024-12-12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _problem(app, "posted") == "The notice needs the day it was posted."
        assert app.focused.id == "posted"
        await pilot.press(*"2024-11-20")
        await _type(pilot, "storage", "Kommunhuset, Exempelby")
        await _type(pilot, "certified_by", "Gunilla Holm")
        await _type(pilot, "appeals", "§132 2024-12-01 Bertil Ceder")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = _shown(app)
        assert "Ordförande  Alma Berglund §§130–131, Bertil Ceder §§132–133" in shown
        assert "Underskrift  ____________________  Gunilla Holm" in shown
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    meeting, _ = load_meeting(protocol)
    s = meeting.signatures
    assert s.chairs == [Chair("Alma Berglund", [130, 131]), Chair("Bertil Ceder", [132, 133])]
    assert (s.adjustment_time, s.adjusted_items) == (dt.time(10, 0), [130, 131, 132, 133])
    notice = meeting.notice
    assert notice is not None
    assert (notice.posted, notice.taken_down, notice.storage, notice.certified_by) == (
        dt.date(2024, 11, 20),
        dt.date(2024, 12, 12),
        "Kommunhuset, Exempelby",
        "Gunilla Holm",
    )
    assert meeting.appeals == [Appeal([132], dt.date(2024, 12, 1), "Bertil Ceder")]
    assert git(protocol.parents[2], "rev-list", "--count", "HEAD") == "2\n"


async def test_emptying_the_posting_day_removes_the_notice(extended):
    app = _app(extended)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        for field in ("posted", "taken_down", "storage", "certified_by"):
            await _type(pilot, field, "", clear=True)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ANSLAG/BEVIS" not in _shown(app)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    assert "[notice]" not in extended.read_text(encoding="utf-8")


async def test_the_item_form_edits_heading_statements_cases_and_immediate_adjustment(protocol):
    app = _app(protocol)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1", "3", "2", "enter", "e")
        await pilot.pause()
        await _type(pilot, "case", ", KFN 2024/7")
        await _type(pilot, "proposal_heading", "Arbetsutskottets förslag")
        await _tab_to(pilot, "adjusted_immediately")
        await pilot.press("space")
        assert app.screen.query_one("#adjusted_immediately", Checkbox).value
        await _type(pilot, "opinions", "Eva Fors: Vänsterpartiet vill ha lägre taxor.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = _shown(app)
        assert "Arbetsutskottets förslag\nTaxorna höjs" in shown
        assert "Paragrafen justeras omedelbart." in shown
        assert "Särskilt yttrande\n  Eva Fors: Vänsterpartiet vill ha lägre taxor." in shown
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    item = load_meeting(protocol)[0].item(132)
    assert item.cases == ["KFN 2024/61", "KFN 2024/7"]
    assert (item.proposal_heading, item.adjusted_immediately) == ("Arbetsutskottets förslag", True)
    assert [(o.by, o.text) for o in item.opinions] == [
        (["Eva Fors"], "Vänsterpartiet vill ha lägre taxor.")
    ]


async def test_attendance_edits_arrival_leaving_and_the_absent(protocol):
    app = _app(protocol)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # Eva Fors
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Eva Fors"
        await _type(pilot, "present_from", "13.15")
        await _type(pilot, "present_until", "§134")
        assert _problem(app, "present_until") == "'§134': the meeting has no §134."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonEditor)  # not accepted
        await pilot.press("backspace", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("a")  # a new person, made absent with the group's list
        await pilot.pause()
        await pilot.press(*"David Eklund")
        await _tab_to(pilot, "group")
        await pilot.press("enter", "down", "down", "down", "enter")
        await _type(pilot, "party", "S")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        people = app.screen.query_one("#people")
        rows = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
        assert "  Eva Fors (V) · remote · §§130–131 · from 13:15 · through §131" in rows
        assert rows[-2:] == ["Absent members", "  David Eklund (S)"]
        await pilot.press("escape")
        await pilot.pause()
        shown = _shown(app)
        assert "Eva Fors (V) (deltar på distans) §§130–131 från kl. 13:15 t.o.m. §131" in shown
        assert "Frånvarande ledamöter\n  David Eklund (S)" in shown
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    attendance = load_meeting(protocol)[0].attendance
    eva = attendance.members[3]
    assert (eva.name, eva.present_from, eva.present_until) == ("Eva Fors", dt.time(13, 15), 131)
    assert [(a.name, a.party) for a in attendance.absent] == [("David Eklund", "S")]


async def test_what_the_forms_show_reads_back_unchanged(extended):
    """Every form opened on a protocol with every part reads, untouched, as the same values:
    what a form shows is what it keeps."""
    app = _app(extended)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        meeting = app.screen.open.meeting
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.edited() == meeting
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("1", "3", "2", "enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditor)
        assert app.screen.edited() == meeting.item(132)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        for _ in range(7):  # everyone, the absent too
            await pilot.press("enter")
            await pilot.pause()
            group, person = app.screen.edited()
            assert person in getattr(meeting.attendance, group)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("down")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.unsaved


async def test_the_close_of_a_protocol_is_a_part_of_its_own(extended):
    """The sign lines, the notice and the appeals follow the last §, not inside it: stepping
    to §133 does not mark them."""
    app = _app(extended)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        view = app.screen.query_one(MeetingView)
        assert view.numbers == [130, 131, 132, 133]
        closing = str(view.parts[CLOSING].content)
        assert closing.startswith("Justerandes signatur: ______\n\nNästa sammanträde")
        assert "ANSLAG/BEVIS" in closing and "Överklagat" in closing
        assert "ANSLAG" not in str(view.parts[133].content)
        assert view.jump(133)
        assert not view.parts[CLOSING].has_class("-current")
        assert view.parts[133].has_class("-current")
