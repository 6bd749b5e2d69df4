"""One meeting laid out as its minutes read, one block per §, with a current § to act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from .. import render
from ..search import places_of
from .rendering import HEADER, MARK, Part, as_text, sections

if TYPE_CHECKING:
    from ..model import Meeting
    from ..search_query import Term


class MeetingView(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding(
            "right_square_bracket,j",
            "next_item",
            "Next §",
            show=False,
            group=Binding.Group("Step §"),
        ),
        Binding(
            "left_square_bracket,k",
            "previous_item",
            "Previous §",
            show=False,
            group=Binding.Group("Step §"),
        ),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.numbers: list[int] = []
        self.current: int | None = None
        self.parts: dict[Part, Static] = {}
        self.texts: dict[Part, Text] = {}
        """Each part as shown, before any marks."""
        self._terms: tuple[Term, ...] = ()

    def show(self, meeting: Meeting, body_name: str, keep_place: bool = False) -> None:
        current = self.current if keep_place else None
        self.remove_children()
        self.texts = {
            n: as_text(blocks) for n, blocks in sections(render.blocks(meeting, body_name))
        }
        self.parts = {n: Static(text, classes="part") for n, text in self.texts.items()}
        self.numbers = [n for n in self.parts if isinstance(n, int)]
        self.mount_all(self.parts.values())
        self.current = current if current in self.numbers else None
        self._mark()

    def mark(self, terms: tuple[Term, ...]) -> None:
        """Mark where the terms stand (a search's words), until the meeting is shown again."""
        self._terms = terms
        for part, text in self.texts.items():
            marked = text.copy()
            for start, end in places_of(terms, marked.plain):
                marked.stylize(MARK, start, end)
            self.parts[part].update(marked)

    def reveal_mark(self, number: int) -> None:
        """Scroll so that the first mark in § `number` shows, where it is below the screen's
        first lines of that § (a long summary)."""
        part = self.parts.get(number)
        marks = places_of(self._terms, self.texts[number].plain) if part is not None else []
        if part is None or not marks:
            return
        lines = self.texts[number].wrap(self.app.console, max(1, part.content_region.width))
        line, seen = 0, 0
        for line, wrapped in enumerate(lines):  # noqa: B007 (the line is the answer)
            seen += len(wrapped.plain) + 1
            if seen > marks[0][0]:
                break
        if line > self.scrollable_content_region.height - 4:
            self.scroll_to(y=part.virtual_region.y + line - 2, animate=False)

    def clear(self, message: str | Text) -> None:
        self.remove_children()
        self.numbers, self.current = [], None
        self.texts = {}
        self.parts = {HEADER: Static(message, classes="part")}
        self.mount_all(self.parts.values())

    def jump(self, number: int) -> bool:
        if number not in self.numbers:
            return False
        self.current = number
        self._mark()
        self.scroll_to_widget(self.parts[number], top=True, animate=False)
        return True

    def action_next_item(self) -> None:
        self._step(1)

    def action_previous_item(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if not self.numbers:
            return
        if self.current is None:
            index = 0 if by > 0 else len(self.numbers) - 1
        else:
            index = max(0, min(len(self.numbers) - 1, self.numbers.index(self.current) + by))
        self.jump(self.numbers[index])

    def _mark(self) -> None:
        for number, part in self.parts.items():
            part.set_class(number == self.current, "-current")
