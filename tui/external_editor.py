"""The user's own editor ($VISUAL, else $EDITOR, else vi) on a meeting file's text."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path


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
