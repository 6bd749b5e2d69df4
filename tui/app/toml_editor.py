"""Editing a meeting's TOML where the app cannot be suspended for $EDITOR (tests, a browser):
in a TextArea of its own."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from .dialogs import Editor
from .key_bar import KeyBar


class TomlEditor(Editor[str]):
    """The in-app fallback: returns the edited text, or None when abandoned."""

    DISCARD = "Discard your changes to the file?"

    def __init__(self, text: str, name: str):
        super().__init__()
        self.text, self.name_text = text, name

    def compose(self) -> ComposeResult:
        yield Static(f"{self.name_text} — Ctrl+S checks and saves, Escape cancels", id="status")
        yield TextArea(self.text, id="toml", soft_wrap=True, show_line_numbers=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def changed(self) -> bool:
        return self.query_one(TextArea).text != self.text
