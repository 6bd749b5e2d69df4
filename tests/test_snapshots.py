"""What the main screens look like at 80x24 (pytest --snapshot-update after an intended change)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from .test_app import _app


async def _steady(pilot) -> None:
    """Workers done, cursors still: the same picture every run."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


def test_browse(snap_compare, repo_dir):
    async def open_at_11(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("enter", "g")
        await pilot.pause()
        await pilot.press("1", "1", "enter")
        await _steady(pilot)

    assert snap_compare(_app(repo_dir), run_before=open_at_11, terminal_size=(80, 24))


def test_item_editor(snap_compare, repo_dir):
    async def edit_9(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("enter", "e")
        await _steady(pilot)

    assert snap_compare(_app(repo_dir), run_before=edit_9, terminal_size=(80, 24))


def test_help(snap_compare, repo_dir):
    async def help_(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("question_mark")
        await _steady(pilot)

    assert snap_compare(_app(repo_dir), run_before=help_, terminal_size=(80, 24))
