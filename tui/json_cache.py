"""A JSON file that remembers work between runs: missing, damaged, too large or not a regular
file means empty, and a write that fails is skipped. Written atomically, so readers never see
half a file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .format.reading import read_regular

MAX_BYTES = 64 * 2**20
"""Far over what this tool writes (an archive of 10,000 meetings remembers ~2 MB of headers):
a larger file is not one of its caches, and reading it would cost more than it saves."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(read_regular(path, MAX_BYTES))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply
        return None


def write_json(path: Path, data: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8"
        ) as out:
            # dumps, not dump: only a whole document is encoded in C (3-4x faster).
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        os.replace(out.name, path)
    except OSError:
        pass
