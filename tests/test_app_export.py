"""Exporting the open meeting from the app at 80x24: x, a file name, Enter."""

from __future__ import annotations

from tui.app.prompt import Prompt

from .conftest import SEED_FOLDER
from .test_app import _app, _open_seed, _settle


async def test_x_exports_the_open_meeting_as_pdf_where_asked(
    repo_dir, tmp_path_factory, monkeypatch
):
    here = tmp_path_factory.mktemp("here")
    monkeypatch.chdir(here)
    app = _app(repo_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_seed(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        suggested = f"{SEED_FOLDER}-2024-04-26.pdf"
        assert app.screen.query_one("Input").value == suggested
        await pilot.press("enter")
        await _settle(app, pilot)
        assert (here / suggested).read_bytes().startswith(b"%PDF-")
        # Another name picks another format; a folder that is not there is said, not raised.
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("Input").value = "protokoll.html"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert "<h1>" in (here / "protokoll.html").read_text()
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("Input").value = "nowhere/x.pdf"
        await pilot.press("enter")
        await _settle(app, pilot)
        shown = [n.message for n in app._notifications]
        assert "Not exported: No such file or directory (nowhere/x.pdf)" in shown, shown
        assert any(m == f"Exported to {here / suggested}" for m in shown), shown
