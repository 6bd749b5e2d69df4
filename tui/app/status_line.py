"""The top line: the next meeting on the left (cut to fit), the state of things on the right:
an unsaved edit, broken files, the branch and what is uncommitted. Each is a reactive field;
the line draws itself again when one changes."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ..terminal import clean


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    next_meeting = reactive("Next meeting: …")
    unsaved = reactive(False)
    broken = reactive(0)
    repository = reactive("")

    def state(self) -> Content:
        """The marks in the theme's own text colours, which keep their contrast."""
        parts: list[str | tuple[str, str]] = []
        if self.unsaved:
            parts.append((" unsaved ", "bold $text-warning"))
        if self.broken:
            parts.append((f" {self.broken} broken ", "bold $text-error"))
        if self.repository:
            parts.append(f" {clean(self.repository)}")
        return Content.assemble(*parts)

    def render(self) -> Content:
        state = self.state()
        room = max(0, self.content_region.width - state.cell_length)
        line = clean(self.next_meeting)
        if cell_len(line) > room:
            line = set_cell_size(line, max(0, room - 1)) + "…"
        return Content.assemble((set_cell_size(line, room), "bold"), state)
