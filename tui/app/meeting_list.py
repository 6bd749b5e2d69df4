"""The meetings, grouped by body and year, newest first, filtered as you type.

An OptionList draws only the lines on screen (a ListView of 1,000 items takes seconds here).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..archive import Entry, Summary
from ..terminal import clean

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class MeetingList(OptionList):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: dict[str, Entry] = {}
        self.bodies: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.broken: dict[str, str] = {}
        self.filter_text = ""

    def fill(self, entries: list[Entry], bodies: dict[str, str]) -> None:
        self.entries = {str(e.path): e for e in entries}
        self.bodies = bodies
        self._rebuild()

    def add_summaries(self, summaries: list[Summary]) -> None:
        for summary in summaries:
            key = str(summary.entry.path)
            if summary.problem:
                self.broken[key] = str(summary.problem.problems[0])
            elif summary.header and summary.header.numbers:
                numbers = summary.header.numbers
                self.details[key] = f"§{min(numbers)}–{max(numbers)}"
        self._rebuild()

    def mark_broken(self, broken: dict[str, str]) -> None:
        self.broken.update(broken)
        self._rebuild()

    def apply_filter(self, text: str) -> None:
        self.filter_text = text.strip().lower()
        self._rebuild()

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option] = []
        group = None
        for key, entry in sorted(
            self.entries.items(), key=lambda kv: (kv[1].folder, -kv[1].date.toordinal())
        ):
            body = self.bodies.get(entry.folder, entry.folder)
            label = self._label(key, entry)
            if self.filter_text and self.filter_text not in f"{body} {label.plain}".lower():
                continue
            if (entry.folder, entry.date.year) != group:
                group = (entry.folder, entry.date.year)
                title = f"{entry.date.year} {body}"
                title = title if len(title) <= 26 else title[:25] + "…"
                heading = Text(clean(title), style="bold")
                options.append(Option(heading, disabled=True))
            options.append(Option(label, id=key))
        self.set_options(options)
        ids = [o.id for o in options]
        if highlighted is not None and highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif any(o.id for o in options):
            self.highlighted = next(i for i, o in enumerate(options) if o.id)

    def _label(self, key: str, entry: Entry) -> Text:
        label = Text(f" {entry.date} {_WEEKDAYS[entry.date.weekday()]} ")
        if key in self.broken:
            label.append("BROKEN", style="bold red")
        else:
            label.append(self.details.get(key, ""), style="dim")
        return label

    def select_path(self, key: str) -> None:
        for index in range(self.option_count):
            if self.get_option_at_index(index).id == key:
                self.highlighted = index
                return
