"""What changed, as the app's history and conflict dialog show it, driven at 80x24."""

from __future__ import annotations

import datetime as dt

from rich.segment import Segment
from textual.geometry import Region
from textual.widgets import Static

from tui.app.conflict import Conflict
from tui.app.history_screen import HistoryScreen
from tui.model import Meeting

from .test_app import _app, _edit_case, _open_seed, _settle
from .test_saving import SEED, _decide, _save


def _start_at(time: dt.time):
    def edit(meeting: Meeting) -> None:
        meeting.start = time

    return edit


async def test_a_short_value_reads_old_to_new_in_the_history(repo_dir):
    _save(repo_dir, _start_at(dt.time(11, 30)))
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        shown = str(app.screen.query_one("#change-text", Static).content)
    assert "start changed\n09:00 → 11:30\n" in shown  # not the glued words 0911:0030


async def test_a_short_value_reads_old_to_new_in_the_conflict_dialog(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _edit_case(app, pilot)
        path = repo_dir / SEED
        path.write_text(path.read_text().replace('start = "09:00"', 'start = "11:30"'))
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, Conflict)
        shown = str(app.screen.query_one(Static).content)
    assert "start changed\n11:30 → 09:00\n" in shown  # from the file on disk to mine


def _rendered(widget) -> tuple[str, list[Segment]]:
    """The widget as the terminal gets it, after Textual's filters (NO_COLOR's among them): its
    lines of text, and its segments."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    text = "\n".join("".join(segment.text for segment in line).rstrip() for line in lines)
    return text, [segment for line in lines for segment in line if segment.text.strip()]


def _look(segments: list[Segment], word: str) -> tuple[bool, ...]:
    """How a word is drawn, colour aside."""
    style = next(s.style for s in segments if word in s.text)
    return (style.bold, style.italic, style.underline, style.strike, style.reverse)


async def test_without_colour_deleted_and_inserted_words_still_differ(repo_dir, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    _save(repo_dir, _decide("Informationen godkänns."))
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("h")
        await _settle(app, pilot)
        text, segments = _rendered(app.screen.query_one("#change-text"))
    colours = {s.style.color.triplet for s in segments if s.style.color}
    assert colours and all(r == g == b for r, g, b in colours)  # NO_COLOR: greys only
    assert "§11: decision changed\nInformationen [-noteras-]{+godkänns+}.\n" in text
    kept, deleted, inserted = (_look(segments, w) for w in ("Informationen", "noteras", "godkä"))
    assert len({kept, deleted, inserted}) == 3  # each drawn its own way, without colour
