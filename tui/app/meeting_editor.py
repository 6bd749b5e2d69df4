"""Editing a meeting's own facts: kind, hours, place, language, whether it is cancelled, the
next meeting, who signs, the breaks, and a protocol's notice of adjustment and appeals.

Each value is checked at its field as it is typed; the editor returns only a valid meeting.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from .. import ranges
from ..field_paths import (
    SIGNATURE_FIELDS,
    appeal_lines,
    chair_lines,
    parse_appeals,
    parse_chairs,
)
from ..format.fields import clock
from ..model import KINDS, LANGUAGES, Break, Meeting, NextMeeting, Notice
from ..validation import check_cancelled
from .dialogs import Editor
from .form_fields import LineField, TextField
from .key_bar import KeyBar

# (field id, label, kind of value); the kinds in LINES are edited one entry a line
FIELDS = [
    ("date", "Date (YYYY-MM-DD; the file is renamed to match)", "date"),
    ("first", "§§ numbered from (presence and breaks follow)", "number"),
    ("start", "Starts (HH:MM)", "time"),
    ("end", "Ends (HH:MM)", "time"),
    ("place", "Place", "text"),
    ("next_date", "Next meeting: date (YYYY-MM-DD; empty for none)", "date"),
    ("next_time", "Next meeting: time", "time"),
    ("next_note", "Next meeting: note", "text"),
    ("secretary", "Secretary", "text"),
    ("chairs", "Chairs, one a line: Name, or Name §130-131 if they took turns", "chairs"),
    ("adjusters", "Adjusters, comma between names (protocols)", "names"),
    ("adjustment_place", "Adjusted where (place)", "text"),
    ("adjustment_date", "Adjusted on (YYYY-MM-DD)", "date"),
    ("adjustment_time", "Adjusted at what time (HH:MM)", "time"),
    ("adjusted_items", "Adjusted §§ (e.g. 130-133; empty: all)", "sections"),
    ("breaks", "Breaks (ajournering), one a line: 14:15-14:30 §12", "breaks"),
    ("posted", "Notice (anslag) posted on (YYYY-MM-DD; empty: none)", "date"),
    ("taken_down", "Notice taken down on (YYYY-MM-DD)", "date"),
    ("storage", "Protocol kept at (förvaringsplats)", "text"),
    ("certified_by", "Notice certified by (name)", "text"),
    ("appeals", "Appeals (överklagande), one a line: §132 2024-12-01 Name", "appeals"),
]
LINES = ("chairs", "breaks", "appeals")


def _shown(value: object) -> str:
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def _parsed(kind: str, text: str, meeting: Meeting) -> object:
    """The value of a field of `meeting`'s form; ValueError with the sentence to show."""
    numbers = meeting.numbers()
    if kind == "chairs":
        return parse_chairs(text, meeting.signatures.chairs, numbers)
    if kind == "breaks":
        return parse_breaks(text, meeting.breaks, numbers)
    if kind == "appeals":
        return parse_appeals(text, meeting.appeals, numbers)
    text = text.strip()
    if kind == "time":
        if not text:
            return None
        value = clock(text)
        if value is None:
            raise ValueError("a time such as 09:00")
        return value
    if kind == "date":
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("a date such as 2024-09-13") from None
    if kind == "number":
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            raise ValueError("a § number such as 1")
        return int(text)
    if kind == "names":
        return [name.strip() for name in text.split(",") if name.strip()]
    if kind == "sections":
        sections = ranges.parse(text)
        missing = [n for n in sections if n not in numbers]
        if missing:
            raise ValueError(f"§§ of this meeting: it has no {ranges.display(missing)}")
        return sections
    return text


_BREAK = re.compile(r"^(\S+?)\s*(?:[-–]\s*(\S+?))?\s*(?:§\s*(\d+))?$")


def break_lines(breaks: list[Break]) -> str:
    return "\n".join(
        f"{b.start:%H:%M}"
        + (f"-{b.end:%H:%M}" if b.end else "")
        + (f" §{b.item}" if b.item is not None else "")
        for b in breaks
    )


def parse_breaks(text: str, old: list[Break], numbers: list[int]) -> list[Break]:
    """Breaks, one a line: `14:15-14:30 §132`; ValueError saying which line is wrong."""
    kept = {break_lines([b]): b for b in old}
    breaks = []
    for line in filter(str.strip, text.splitlines()):
        line = line.strip()
        if line in kept:
            breaks.append(kept[line])
            continue
        match = _BREAK.match(line)
        start = match and clock(match[1])
        end = match and match[2] and clock(match[2])
        if match is None or not start or (match[2] and not end):
            raise ValueError(f"{line!r} is not a break such as 14:15-14:30 §12")
        item = int(match[3]) if match[3] else None
        if item is not None and item not in numbers:
            raise ValueError(f"{line!r}: the meeting has no §{item}")
        breaks.append(Break(start, end or None, item))
    return breaks


_ITEM_KEY = re.compile(r"^items\[(\d+)\]\.(\w+)$")


def _section_named(where: str, meeting: Meeting) -> str:
    """A key path as the form's reader knows it: `items[1].decision` is "§10 decision"."""
    match = _ITEM_KEY.match(where)
    return f"§{meeting.items[int(match[1])].number} {match[2]}" if match else where


class MeetingEditor(Editor[Meeting]):
    DISCARD = "Discard the changes to the meeting?"

    def __init__(self, meeting: Meeting):
        super().__init__()
        self.meeting = meeting

    def _values(self) -> dict[str, object]:
        m, n, s = self.meeting, self.meeting.next_meeting, self.meeting.signatures
        notice = m.notice
        return {
            "date": m.date,
            "first": m.items[0].number if m.items else None,
            "start": m.start,
            "end": m.end,
            "place": m.place,
            "next_date": n and n.date,
            "next_time": n and n.time,
            "next_note": n.note if n else "",
            "secretary": s.secretary,
            "chairs": chair_lines(s.chairs),
            "adjusters": s.adjusters,
            "adjustment_place": s.adjustment_place,
            "adjustment_date": s.adjustment_date,
            "adjustment_time": s.adjustment_time,
            "adjusted_items": ranges.format(s.adjusted_items),
            "breaks": break_lines(m.breaks),
            "posted": notice and notice.posted,
            "taken_down": notice and notice.taken_down,
            "storage": notice.storage if notice else "",
            "certified_by": notice.certified_by if notice else "",
            "appeals": appeal_lines(m.appeals),
        }

    def compose(self) -> ComposeResult:
        values = self._values()
        with VerticalScroll(classes="editor"):
            yield Static(f"Meeting {self.meeting.date}")
            yield Label("Kind")
            yield Select(
                [(k, k) for k in KINDS], value=self.meeting.kind, allow_blank=False, id="kind"
            )
            yield Label("Language of the headings")
            yield Select(
                [(code, code) for code in LANGUAGES],
                value=self.meeting.language,
                allow_blank=False,
                id="language",
            )
            for name, label, kind in FIELDS:
                yield Label(label)
                if kind in LINES:
                    yield TextField(_shown(values[name]), id=name, classes="list")
                else:
                    yield LineField(_shown(values[name]), id=name)
                yield Label("", id=f"{name}-problem", classes="problem")
                if name == "date":  # a meeting called off is one of its day
                    yield Checkbox(
                        "Cancelled (inställt): called off, it decides nothing",
                        self.meeting.cancelled,
                        id="cancelled",
                    )
                    yield Label("", id="cancelled-problem", classes="problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check(event.input.id, event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._check(event.text_area.id, event.text_area.text)

    def _check(self, name: str | None, text: str) -> None:
        kind = next(k for n, _, k in FIELDS if n == name)
        problem = self.query_one(f"#{name}-problem", Label)
        try:
            _parsed(kind, text, self.meeting)
            problem.update("")
        except ValueError as error:
            problem.update(f"{error}." if kind in LINES else f"Expected {error}.")

    def original(self) -> Meeting:
        return self.meeting

    def edited(self) -> Meeting:
        """The meeting with the fields' values; ValueError naming the first bad field."""
        values: dict[str, Any] = {}
        for name, label, kind in FIELDS:
            try:
                values[name] = _parsed(kind, self._text(name, kind), self.meeting)
            except ValueError as error:
                if kind in LINES:
                    raise ValueError(name, f"{error}.") from None
                raise ValueError(name, f"{label}: expected {error}.") from None
        m = copy.deepcopy(self.meeting)
        m.kind = str(self.query_one("#kind", Select).value)
        m.language = str(self.query_one("#language", Select).value)
        m.cancelled = self.query_one("#cancelled", Checkbox).value
        if values["date"] is None:
            raise ValueError("date", "A meeting has a date.")
        m.date = values["date"]
        m.start, m.end, m.place = values["start"], values["end"], values["place"]
        if values["next_date"] is None:
            if values["next_time"] or values["next_note"]:
                raise ValueError(
                    "next_date", "The next meeting needs a date for its time and note."
                )
            m.next_meeting = None
        else:
            extra = m.next_meeting.extra if m.next_meeting else {}
            m.next_meeting = NextMeeting(
                values["next_date"], values["next_time"], values["next_note"], extra
            )
        for name in SIGNATURE_FIELDS:
            setattr(m.signatures, name, values[name])
        m.breaks, m.appeals = values["breaks"], values["appeals"]
        m.notice = self._notice(values)
        if m.items and values["first"] not in (None, m.items[0].number):
            m.number_from(values["first"])
        return m

    def _text(self, name: str, kind: str) -> str:
        if kind in LINES:
            return self.query_one(f"#{name}", TextArea).text
        return self.query_one(f"#{name}", Input).value

    def _notice(self, values: dict[str, Any]) -> Notice | None:
        if values["posted"] is None:
            if values["taken_down"] or values["storage"] or values["certified_by"]:
                raise ValueError("posted", "The notice needs the day it was posted.")
            return None
        extra = self.meeting.notice.extra if self.meeting.notice else {}
        return Notice(
            values["posted"],
            values["taken_down"],
            values["storage"],
            values["certified_by"],
            copy.deepcopy(extra),
        )

    def action_done(self) -> None:
        try:
            meeting = self.edited()
        except ValueError as error:
            field, message = error.args
            self.query_one(f"#{field}-problem", Label).update(message)
            self.query_one(f"#{field}").focus()
            return
        cancelled = check_cancelled(meeting)
        if cancelled:  # said here, where it can be undone, rather than when saving
            problem = cancelled[0]
            self.query_one("#cancelled-problem", Label).update(
                f"{_section_named(problem.where, meeting)}: {problem.message}."
            )
            self.query_one("#cancelled", Checkbox).focus()
            return
        if meeting.start and meeting.end and meeting.end <= meeting.start:
            self.query_one("#end-problem", Label).update("The meeting ends before it starts.")
            self.query_one("#end", Input).focus()
            return
        if meeting.next_meeting and meeting.next_meeting.date <= meeting.date:
            self.query_one("#next_date-problem", Label).update(
                "The next meeting comes after this one."
            )
            self.query_one("#next_date", Input).focus()
            return
        self.dismiss(meeting if meeting != self.meeting else None)
