"""The user's own files: `$XDG_CONFIG_HOME/minutes/settings.toml`, which remembers the chosen
theme, and the theme files: the bundled ones (the checkout's `themes/`, which an installed copy
carries as `tui/themes/`) and the config folder's `themes/`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .archive import BUNDLED
from .format.reading import parse_toml, read_regular
from .problems import FormatError

MAX_BYTES = 2**20
"""A theme file is ~1 KB and the settings file less: anything this large is neither."""


def config_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "minutes"


INSTALLED_THEMES = Path(__file__).resolve().parent / "themes"
"""Where a wheel puts the bundled themes (pyproject.toml's force-include)."""


def theme_folders() -> list[Path]:
    bundled = INSTALLED_THEMES if INSTALLED_THEMES.is_dir() else BUNDLED / "themes"
    return [bundled, config_folder() / "themes"]


def theme_files(folders: list[Path]) -> list[tuple[str, dict[str, Any] | str]]:
    """Each theme file's name with its values, or with why it cannot be read."""
    found: list[tuple[str, dict[str, Any] | str]] = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                found.append((path.name, _read(path)))
            except OSError as error:
                found.append((path.name, str(error.strerror or error)))
            except (UnicodeDecodeError, FormatError) as error:
                found.append((path.name, str(error)))
    return found


def saved_theme() -> str | None:
    try:
        data = _read(config_folder() / "settings.toml")
    except (OSError, UnicodeDecodeError, FormatError):
        return None
    theme = data.get("theme")
    return theme if isinstance(theme, str) else None


def _read(path: Path) -> dict[str, Any]:
    return parse_toml(read_regular(path, MAX_BYTES).decode("utf-8"))


def save_theme(name: str) -> None:
    """Remember the theme; the file is written only when the choice changed."""
    if name == saved_theme():
        return
    import tomli_w

    from .format.writing import write_atomic

    folder = config_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "settings.toml", tomli_w.dumps({"theme": name}))
    except OSError:
        pass  # a preference: not worth an error
