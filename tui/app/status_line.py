"""The top line: the next meeting on the left (cut to fit), the state of things on the right:
an unsaved edit, broken files, the branch and what is uncommitted. Each is a reactive field;
the line draws itself again when one changes."""

from __future__ import annotations

from rich.text import Text
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

    def state(self) -> Text:
        state = Text()
        if self.unsaved:
            state.append(" unsaved ", style="bold yellow")
        if self.broken:
            state.append(f" {self.broken} broken ", style="bold red")
        if self.repository:
            state.append(f" {clean(self.repository)}")
        return state

    def render(self) -> Text:
        state = self.state()
        room = max(0, self.content_region.width - state.cell_len)
        line = Text(clean(self.next_meeting), style="bold")
        if line.cell_len > room:
            line.truncate(max(0, room - 1))
            line.append("…", style="bold")
        line.pad_right(room - line.cell_len)
        return line + state
