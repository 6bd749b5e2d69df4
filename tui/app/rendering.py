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
    render.MARK: "italic",
}

MARK = "reverse"
"""A search's words, in its results and in the meeting: legible in every theme, and where
NO_COLOR leaves no colours."""

HEADER, CLOSING = "header", "closing"
"""The parts that are no §: what comes before the first, and after the last (the next meeting,
a protocol's signatures, notice and appeals)."""

Part = int | str


def sections(blocks: list[render.Block]) -> list[tuple[Part, list[render.Block]]]:
    """The layout cut into the header, one part per § (its number) and the closing."""
    parts: list[tuple[Part, list[render.Block]]] = [(HEADER, [])]
    for role, text in blocks:
        if role == render.ITEM:
            number = int(text[1:].split(" ", 1)[0])
            parts.append((number, []))
        elif role in (render.GROUP, render.MARK) and parts[-1][0] not in (HEADER, CLOSING):
            parts.append((CLOSING, []))  # a § holds neither: the §§ are over
        parts[-1][1].append((role, text))
    return parts


def as_text(blocks: list[render.Block]) -> Text:
    text = Text()
    previous = None
    for role, content in blocks:
        if text and (
            role in (render.GROUP, render.ITEM, render.HEADING, render.MARK)
            or previous == render.PARAGRAPH
        ):
            text.append("\n")
        indent = "  " if role == render.ENTRY else ""
        text.append(indent + clean(content), style=STYLES[role])
        text.append("\n")
        previous = role
    text.rstrip()
    return text
