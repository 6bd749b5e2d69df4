"""Theme files as Textual themes. A broken theme file is reported and skipped, never fatal."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

from ..settings import theme_files

DEFAULT = "minutes"
VARIABLE_DEFAULTS = {"current-item-background": "#80808033"}
"""The app's own colour variables: every theme, built-in ones too, must resolve them."""
_KEYS = {f.name for f in fields(Theme)}


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    themes, problems = [], []
    for name, data in theme_files(folders):
        try:
            if isinstance(data, str):
                raise ValueError(data)
            unknown = set(data) - _KEYS
            if unknown:
                raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
            theme = Theme(**data)
            if not isinstance(theme.name, str) or not isinstance(theme.primary, str):
                raise ValueError("a theme needs a name and a primary colour")
            theme.to_color_system()  # every colour must parse
            themes.append(theme)
        except Exception as error:  # a theme can fail in many ways; none may stop the app
            problems.append(f"theme {name} is not used: {error}")
    return themes, problems
