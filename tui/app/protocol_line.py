"""Where the open protocol stands, above it: who has signed, its deadlines, whether it is
justerat (and so locked) or was changed after justering. Hidden for minnesanteckningar."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ..terminal import clean


class ProtocolLine(Widget):
    DEFAULT_CSS = """
    ProtocolLine {
        height: auto;
        padding: 0 1;
        background: $panel;
        display: none;
    }
    ProtocolLine.-shown {
        display: block;
    }
    """

    phrase = reactive("")
    locked = reactive(False)
    """Justerat: an edit is a correction, asked for first."""
    changed = reactive(False)
    """Changed since the version justerat."""

    def watch_phrase(self, phrase: str) -> None:
        self.set_class(bool(phrase), "-shown")

    def render(self) -> Content:
        style = "bold $text-error" if self.changed else ""
        lock = ("locked · ", "bold") if self.locked else ""
        return Content.assemble(lock, (clean(self.phrase), style), ("  (V)", "$text-muted"))
