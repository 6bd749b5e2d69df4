"""Theme files (`themes/*.toml`, and the user's own in the config folder) as Textual themes.

A broken theme file is reported and skipped, never fatal. The chosen theme is remembered in
`$XDG_CONFIG_HOME/minutes/settings.toml`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

from ..archive import BUNDLED

DEFAULT = "minutes"
VARIABLE_DEFAULTS = {"current-item-background": "#80808033"}
"""The app's own colour variables: every theme, built-in ones too, must resolve them."""
_KEYS = {f.name for f in fields(Theme)}


def config_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "minutes"


def theme_folders() -> list[Path]:
    return [BUNDLED / "themes", config_folder() / "themes"]


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    themes, problems = [], []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                unknown = set(data) - _KEYS
                if unknown:
                    raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
                theme = Theme(**data)
                if not isinstance(theme.name, str) or not isinstance(theme.primary, str):
                    raise ValueError("a theme needs a name and a primary colour")
                theme.to_color_system()  # every colour must parse
                themes.append(theme)
            except Exception as error:  # a theme can fail in many ways; none may stop the app
                problems.append(f"theme {path.name} is not used: {error}")
    return themes, problems


def saved_theme() -> str:
    try:
        data = tomllib.loads((config_folder() / "settings.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT
    theme = data.get("theme")
    return theme if isinstance(theme, str) else DEFAULT


def save_theme(name: str) -> None:
    """Remember the theme; the file is written only when the choice changed."""
    if name == saved_theme():
        return
    import tomli_w

    from ..format.writing import write_atomic

    folder = config_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "settings.toml", tomli_w.dumps({"theme": name}))
    except OSError:
        pass  # a preference: not worth an error
