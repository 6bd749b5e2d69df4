"""A protocol's justering in the app at 80x24: where it stands above it, locked once justerat
(an edit asks first and is committed as a correction), its signatures and changes on `V`, the
archive's deadlines on `J`. Real repository, real SSH keys, real git."""

from __future__ import annotations

import datetime as dt

from tui.app.app import MinutesApp
from tui.app.deadlines_screen import DeadlinesScreen
from tui.app.dialogs import Confirm
from tui.app.justering_screen import JusteringScreen
from tui.app.protocol_line import ProtocolLine
from tui.archive import Archive

from .conftest import ROOT, git
from .test_app import _open_seed, _settle
from .test_justering import FILE, keys, repo  # noqa: F401 (fixtures)
from .test_lifecycle import _justera, _sign_on

TODAY = dt.date(2024, 11, 20)


def _app(path) -> MinutesApp:
    return MinutesApp(Archive(path), today=TODAY, themes=[ROOT / "themes"])


def _line(app) -> str:
    """The protocol's line, without the key it names for more."""
    line = app.screen.query_one(ProtocolLine).render().plain
    assert line.endswith("  (V)")
    return line.removesuffix("  (V)")


async def test_the_protocol_line_follows_its_signatures(repo, keys, monkeypatch, capsys):  # noqa: F811
    _sign_on(repo, keys, monkeypatch, capsys, "alma", "Alma Berglund", "2024-11-19T10:00+01:00")
    app = _app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _settle(app, pilot)
        assert _line(app) == (
            "signerat av 1 av 2 (saknas: Cecilia Dahl) · justeras senast 2024-11-28 (8 dagar kvar)"
        )
        # Not locked: an edit opens at once.
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        await pilot.press("escape")
        await pilot.pause()
        # The justerare signs from her own terminal meanwhile: V reads the signatures afresh.
        _sign_on(
            repo, keys, monkeypatch, capsys, "cecilia", "Cecilia Dahl", "2024-11-19T11:00+01:00"
        )
        await pilot.press("V")
        await _settle(app, pilot)
        assert isinstance(app.screen, JusteringScreen)
        report = app.screen.query_one("#justering").query_one("Static").render().plain
        assert "signed  Cecilia Dahl, adjuster, 2024-11-19 11:00" in report
        await pilot.press("escape")
        await pilot.pause()
        assert _line(app).startswith("locked · justerat; anslås senast 2024-11-21")


async def test_a_justerat_protocol_asks_before_a_correction(repo, keys, monkeypatch, capsys):  # noqa: F811
    _justera(repo, keys, monkeypatch, capsys)
    app = _app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await _settle(app, pilot)
        assert _line(app) == "locked · justerat; anslås senast 2024-11-21 (1 dag kvar)"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # leave it
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # asked again: nothing was chosen
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("end", "space", "x", "ctrl+s")  # the title of §130
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert _line(app).startswith("locked · ÄNDRAT EFTER JUSTERING · justerat")
        await pilot.press("V")
        await pilot.pause()
        assert isinstance(app.screen, JusteringScreen)
        report = app.screen.query_one("#justering").query_one("Static").render().plain
        assert "signed  Alma Berglund, chair, 2024-11-19 10:00" in report
        assert "Changed since the version justerat:" in report and "§130: title changed" in report
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")  # each correction is asked for, not only the first
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject == "Rättelse efter justering: 2024-11-14 §130: title changed\n"
    assert "Val av justerare x" in (repo / FILE).read_text()


async def test_the_protocols_list_shows_each_one_and_opens_it(repo):  # noqa: F811
    app = _app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("J")
        await _settle(app, pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        status = app.screen.query_one("#status").render().plain
        assert status == "Protocols on 2024-11-20: 1 to act on, 1 in all"
        listed = app.screen.query_one("#due")
        lines = [listed.get_option_at_index(i).prompt for i in range(listed.option_count)]
        assert [str(line).splitlines()[-1].strip() for line in lines] == [
            "To act on",
            "justeras senast 2024-11-28 (8 dagar kvar)",
            "Every protocol, newest first",
            "utkast · justeras senast 2024-11-28 (8 dagar kvar)",
        ]
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.screen.open is not None and app.screen.open.entry.key.endswith("2024-11-14.toml")
        assert _line(app) == "utkast · justeras senast 2024-11-28 (8 dagar kvar)"
