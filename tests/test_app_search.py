"""The app's search at 80x24 by keyboard: results as you type, from the index, and the scan
where no index can be kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from textual.widgets import Input, OptionList

from tui.app.messages import Indexing, IndexReady
from tui.app.search_screen import SearchScreen
from tui.format.files import dumps_meeting, load_meeting

from .conftest import SEED_FOLDER
from .test_app import _app, _settle
from .test_app_safety import Heard


async def _typed(app, pilot, *keys: str) -> str:
    await pilot.press(*keys)
    await pilot.pause(0.3)  # the pause after typing that starts a search
    await _settle(app, pilot)
    return str(app.screen.query_one("#status").content)


async def test_results_come_as_you_type_and_the_query_keeps_the_focus(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert await _typed(app, pilot, *"skinnskat*") == "1 place"
        results = app.screen.query_one("#results", OptionList)
        prompt = results.get_option_at_index(0).prompt
        assert prompt.plain.startswith("2024-04-26  §13 summary  Samverkansgrupp")
        assert [prompt.plain[s.start : s.end] for s in prompt.spans if s.style == "reverse"] == [
            "Skinnskatteberg"
        ]
        assert app.screen.query_one("#query", Input).has_focus
        assert await _typed(app, pilot, "backspace", "x") == "0 places"
        assert results.option_count == 0
        assert await _typed(app, pilot, *" feild:x") == (
            "feild: is no filter (filters: body:, year:, date:, field:, person:); put text "
            'with a colon in quotes, "feild:x"'
        )
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)


async def test_the_word_being_typed_only_begins_until_a_space_ends_it(repo_dir):
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        assert await _typed(app, pilot, *"skinnskat") == "1 place"
        assert await _typed(app, pilot, "space") == "0 places"  # a whole word now


async def test_text_from_files_shows_as_written_in_the_results(repo_dir):
    path = repo_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    meeting, _ = load_meeting(path)
    meeting.item(11).decision = "Beslut [bold]fett[/bold] \x1b[31m rött"
    path.write_text(dumps_meeting(meeting), encoding="utf-8")
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        assert await _typed(app, pilot, *"fett") == "1 place"
        prompt = app.screen.query_one("#results", OptionList).get_option_at_index(0).prompt
        assert prompt.plain.endswith("Beslut [bold]fett[/bold] ␛[31m rött")


def _copies(repo_dir: Path, count: int) -> None:
    """`count` copies of the seed, a day apart, so that the archive has `count + 1` meetings."""
    seed = repo_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    meeting, _ = load_meeting(seed)
    meeting.next_meeting = None
    for days in range(1, count + 1):
        meeting.date = dt.date(2020, 1, 3) + dt.timedelta(days=days)
        seed.with_name(f"{meeting.date}.toml").write_text(dumps_meeting(meeting), "utf-8")


async def test_a_long_indexing_says_how_far_it_has_come_and_then_searches(repo_dir):
    _copies(repo_dir, 109)
    heard = Heard()
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"mejl")  # typed while the index is read
        await heard.wait_for(IndexReady, pilot)
        told = [(m.done, m.of) for m in heard.messages if isinstance(m, Indexing)]
        assert told[0] == (100, 110)
        await pilot.pause(0.3)  # the keys may land after it: then the pause after typing
        await _settle(app, pilot)
        assert str(app.screen.query_one("#status").content) == "The first 100 of 110 places"


async def test_without_an_index_enter_searches_every_file(repo_dir):
    (repo_dir / ".git" / "minutes").write_text("not a folder\n")  # as a read-only .git refuses
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        status = await _typed(app, pilot, *"mejl")
        assert status == "No search index can be kept here: Enter searches every file (slower)"
        assert await _typed(app, pilot, "enter") == "1 place, every file searched"
        assert app.screen.query_one("#results", OptionList).has_focus


async def test_a_word_deep_in_a_long_summary_is_scrolled_into_view(repo_dir):
    from tui.app.meeting_view import MeetingView

    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await _settle(app, pilot)
        assert await _typed(app, pilot, *"svetsare") == "1 place"  # the end of §11's summary
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        view = app.screen.query_one(MeetingView)
        part = view.parts[11]
        assert view.current == 11 and view.scroll_y > part.virtual_region.y  # not its top


async def test_closing_the_search_while_indexing_stops_it_and_the_next_search_goes_on(repo_dir):
    _copies(repo_dir, 399)
    heard = Heard()
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
        await _settle(app, pilot)
        await pilot.press("s")
        await heard.wait_for(Indexing, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        for _ in range(200):  # its process is ended after the batch it is reading
            if not _refreshing():
                break
            await pilot.pause(0.05)
        db = sqlite3.connect(repo_dir / ".git" / "minutes" / "search.sqlite")
        indexed = db.execute("SELECT count(*) FROM files").fetchone()[0]
        db.close()
        assert 100 <= indexed < 400
        assert not any(isinstance(m, IndexReady) for m in heard.messages)
        await pilot.press("s")
        await heard.wait_for(IndexReady, pilot)
        assert await _typed(app, pilot, *"mejl") == "The first 100 of 400 places"


def _refreshing() -> list[str]:
    """The command lines of processes bringing a search index up to date."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended meanwhile
        if "_refresh_telling" in line:
            found.append(line)
    return found
