"""The minutes' layout (tui.render) as Rich text for the app.

Text from files is appended as plain data, never parsed as markup, with control characters
made visible: `[bold]` in a decision shows as `[bold]`.
"""

from __future__ import annotations

from rich.text import Text

from .. import render
from ..terminal import clean

STYLES = {
    render.TITLE: "bold",
    render.META: "",
    render.GROUP: "bold underline",
    render.ENTRY: "",
    render.ITEM: "bold",
    render.HEADING: "bold italic",
    render.PARAGRAPH: "",
}


def sections(blocks: list[render.Block]) -> list[tuple[int | None, list[render.Block]]]:
    """The layout cut into the header (None) and one part per § (its number)."""
    parts: list[tuple[int | None, list[render.Block]]] = [(None, [])]
    for role, text in blocks:
        if role == render.ITEM:
            number = int(text[1:].split(" ", 1)[0])
            parts.append((number, []))
        parts[-1][1].append((role, text))
    return parts


def as_text(blocks: list[render.Block]) -> Text:
    text = Text()
    previous = None
    for role, content in blocks:
        if text and (
            role in (render.GROUP, render.ITEM, render.HEADING) or previous == render.PARAGRAPH
        ):
            text.append("\n")
        indent = "  " if role == render.ENTRY else ""
        text.append(indent + clean(content), style=STYLES[role])
        text.append("\n")
        previous = role
    text.rstrip()
    return text
