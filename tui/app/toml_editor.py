"""Editing a meeting's TOML: in $EDITOR with the app suspended, or, where the app cannot be
suspended (tests, a browser), in a TextArea of its own."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from .dialogs import Editor
from .key_bar import KeyBar


def editor_command() -> list[str]:
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def run_editor(text: str, name: str) -> str:
    """`text` after the user's editor has had it, in a temporary file named like the meeting
    (so the editor knows it is TOML). Raises OSError when the editor cannot be started."""
    with tempfile.TemporaryDirectory(prefix="minutes-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        subprocess.run([*editor_command(), str(path)], check=False)
        return path.read_text(encoding="utf-8", errors="surrogateescape")


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
