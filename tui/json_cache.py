"""A JSON file that remembers work between runs: missing or damaged means empty, and a write
that fails is skipped. Written atomically, so readers never see half a file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8"
        ) as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(out.name, path)
    except OSError:
        pass
