"""The meetings, grouped by body and year, newest first, filtered as you type.

Only each body's latest year is open at first; Enter on a year opens or closes it. An
OptionList lays out every option it holds, so 10,000 open rows would cost a second at start,
while a few hundred cost nothing (and a ListView of 1,000 takes seconds here).
"""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .. import ranges
from ..archive import Entry, Summary
from ..labels import labels, weekday
from ..terminal import clean

_YEAR = "year:"


class MeetingList(OptionList):
    BINDINGS = [Binding("enter", "select", "Open", show=False)]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entries: dict[str, Entry] = {}
        self.bodies: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.broken: dict[str, str] = {}
        self.open_years: set[tuple[str, int]] = set()
        self.filter_text = ""

    def fill(self, entries: list[Entry], bodies: dict[str, str]) -> None:
        self.entries = {e.key: e for e in entries}
        self.bodies = bodies
        latest: dict[str, int] = {}
        for entry in entries:
            latest[entry.folder] = max(latest.get(entry.folder, 0), entry.date.year)
        self.open_years |= set(latest.items())
        self._rebuild()

    def add_summaries(self, summaries: list[Summary]) -> None:
        for summary in summaries:
            key = summary.entry.key
            if summary.problem:
                self._mark_broken(key, str(summary.problem.problems[0]))
            elif summary.header and summary.header.cancelled:
                self.details[key] = labels(summary.header.language)["cancelled"]
            elif summary.header and summary.header.numbers:
                self.details[key] = ranges.span(summary.header.numbers)
        self._rebuild()

    def mark_broken(self, broken: dict[str, str]) -> None:
        for key, problem in broken.items():
            self._mark_broken(key, problem)
        self._rebuild()

    def _mark_broken(self, key: str, problem: str) -> None:
        """A broken file's year is opened: it should be seen, not found."""
        self.broken[key] = problem
        entry = self.entries.get(key)
        if entry is not None:
            self.open_years.add((entry.folder, entry.date.year))

    def apply_filter(self, text: str) -> None:
        self.filter_text = text.strip().lower()
        self._rebuild()

    def toggle_year(self, option_id: str) -> bool:
        """Open or close a year; False when the option is not a year."""
        if not option_id.startswith(_YEAR):
            return False
        folder, year = option_id.removeprefix(_YEAR).rsplit(":", 1)
        self.open_years ^= {(folder, int(year))}
        self._rebuild()
        return True

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        years: dict[tuple[str, int], list[tuple[str, Entry]]] = defaultdict(list)
        for key, entry in self.entries.items():
            years[(entry.folder, entry.date.year)].append((key, entry))
        options: list[Option] = []
        body = None
        for folder, year in sorted(years, key=lambda fy: (fy[0], -fy[1])):
            name = self.bodies.get(folder, folder)
            meetings = sorted(years[(folder, year)], key=lambda ke: ke[1].date, reverse=True)
            if self.filter_text:
                meetings = [
                    (key, entry)
                    for key, entry in meetings
                    if self.filter_text in f"{name} {self._label(key, entry).plain}".lower()
                ]
                if not meetings:
                    continue
            if folder != body:
                body = folder
                options.append(Option(Text(clean(name), style="bold"), disabled=True))
            is_open = bool(self.filter_text) or (folder, year) in self.open_years
            count = len(meetings)
            heading = f" {'▾' if is_open else '▸'} {year}" + ("" if is_open else f" ({count})")
            options.append(Option(Text(heading, style="bold"), id=f"{_YEAR}{folder}:{year}"))
            if is_open:
                options.extend(Option(self._label(k, e), id=k) for k, e in meetings)
        self.set_options(options)
        ids = [o.id for o in options]
        if highlighted is not None and highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif any(ids):
            meetings_at = [i for i, o in enumerate(ids) if o and not o.startswith(_YEAR)]
            self.highlighted = meetings_at[0] if meetings_at else ids.index(next(filter(None, ids)))

    def _label(self, key: str, entry: Entry) -> Content:
        day = f"   {entry.date} {weekday(entry.date)} "
        if key in self.broken:  # the theme's error text colour keeps its contrast
            return Content.assemble(day, ("BROKEN", "bold $text-error"))
        return Content(day + self.details.get(key, ""))  # not dim: unreadable on the highlight

    def highlight_meeting(self, key: str) -> None:
        entry = self.entries.get(key)
        if entry is not None and (entry.folder, entry.date.year) not in self.open_years:
            self.open_years.add((entry.folder, entry.date.year))
            self._rebuild()
        for index in range(self.option_count):
            if self.get_option_at_index(index).id == key:
                self.highlighted = index
                return
