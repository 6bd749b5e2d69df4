"""A meeting laid out as its minutes read: header, attendance, signatures, then each §; a
protocol ends with the lines its signers sign on, its notice of adjustment and its appeals.

`blocks()` gives the layout as (role, text) pairs, which plain text, Markdown and the app each
dress in their own way. Text from the file is passed through untouched: escaping for a
terminal or markup is the caller's job.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import ranges
from .labels import labels, long_date

if TYPE_CHECKING:
    from .model import Attendee, Chair, Item, Meeting, Notice, Point, Signatures, Statement

TITLE, META, GROUP, ENTRY, ITEM, HEADING, PARAGRAPH, MARK = (
    "title",
    "meta",
    "group",
    "entry",
    "item",
    "heading",
    "paragraph",
    "mark",
)
"""MARK: where the adjusters sign off the §§ (a box on every page of a printed protocol)."""

Block = tuple[str, str]


def blocks(meeting: Meeting, body_name: str) -> list[Block]:
    return list(_blocks(meeting, body_name))


def _blocks(m: Meeting, body_name: str) -> Iterator[Block]:
    words = labels(m.language)
    yield TITLE, words.get(m.kind, m.kind.capitalize())
    yield TITLE, body_name
    if m.cancelled:
        yield TITLE, words["cancelled"].upper()  # above all else: the meeting was not held
    yield META, f"{words['date']}  {m.date.isoformat()}"
    place_time = " ".join(filter(None, [m.place, _clock_span(m.start, m.end, words["at"])]))
    if place_time:
        yield META, f"{words['place_time']}  {place_time}"
    for group in ("members", "substitutes", "others", "absent"):
        attendees = getattr(m.attendance, group)
        if attendees:
            yield GROUP, words[group]
            for attendee in attendees:
                yield ENTRY, _attendee(attendee, group == "others", words)
    if m.breaks:
        yield GROUP, words["breaks"]
        for pause in m.breaks:
            during = f" {words['during']} §{pause.item}" if pause.item is not None else ""
            yield ENTRY, f"{_clock_span(pause.start, pause.end, words['at'])}{during}"
    yield from _signatures(m, words)
    for item in m.items:
        yield from _item(item, words)
    held_protocol = m.kind == "protokoll" and bool(m.items)
    if held_protocol:
        yield MARK, words["adjusters_mark"]
    if m.next_meeting:
        n = m.next_meeting
        when = long_date(n.date, m.language)
        if n.time:
            when += f" {words['at']} {n.time:%H:%M}"
        yield GROUP, words["next_meeting"]
        yield ENTRY, when
        if n.note:
            yield PARAGRAPH, n.note
    if held_protocol:
        yield from _sign_lines(m.signatures, words)
    if m.notice:
        yield from _notice(m.notice, m.date, body_name, words)
    if m.appeals:
        yield GROUP, words["appeals"]
        for appeal in m.appeals:
            by = f"{words['appeal_by']} {appeal.by}" if appeal.by else ""
            on = f"{words['appeal_on']} {appeal.date.isoformat()}"
            yield ENTRY, " ".join(filter(None, [ranges.display(appeal.items), on, by]))


def _signatures(m: Meeting, words: dict[str, str]) -> Iterator[Block]:
    s = m.signatures
    rows = [
        (words["secretary"], s.secretary),
        (words["chair"], ", ".join(_chair(chair) for chair in _chairs(s))),
        (words["adjusters"], ", ".join(s.adjusters)),
        (
            words["adjustment"],
            " ".join(
                filter(
                    None,
                    [
                        s.adjustment_place,
                        s.adjustment_date.isoformat() if s.adjustment_date else "",
                        _clock_span(s.adjustment_time, None, words["at"]),
                    ],
                )
            ),
        ),
        (words["adjusted_items"], ranges.display(s.adjusted_items)),
    ]
    rows = [(label, value) for label, value in rows if value]
    if rows:
        yield GROUP, words.get(f"signed_{m.kind}", words["signed_minnesanteckningar"])
        for label, value in rows:
            yield ENTRY, f"{label}  {value}"


def _chairs(s: Signatures) -> list[Chair]:
    return [chair for chair in s.chairs if chair.name]


def _chair(chair: Chair) -> str:
    """ "Alma Berglund §§130–131", or the name alone when she chaired the whole meeting."""
    return " ".join(filter(None, [chair.name, ranges.display(chair.items)]))


def _sign_lines(s: Signatures, words: dict[str, str]) -> Iterator[Block]:
    """A line to sign on for the secretary, each chair and each adjuster: empty ones too,
    for a name not yet known is written by hand."""
    yield GROUP, words["signatures"]
    rows = [(words["secretary"], s.secretary)]
    rows += [(words["chair"], _chair(chair)) for chair in _chairs(s)] or [(words["chair"], "")]
    rows += [(words["adjuster"], name) for name in s.adjusters] or [(words["adjuster"], "")]
    width = max(len(label) for label, _ in rows)  # the lines one under the other, as a form
    for label, name in rows:
        yield ENTRY, _signed(label.ljust(width), name, words)


def _signed(label: str, name: str, words: dict[str, str]) -> str:
    return f"{label}  {words['sign_here']}  {name}".rstrip()


def _notice(
    notice: Notice, date: dt.date, body_name: str, words: dict[str, str]
) -> Iterator[Block]:
    """The notice of adjustment and its certificate (anslag/bevis), as a protocol ends."""
    yield GROUP, words["notice"]
    yield PARAGRAPH, words["notice_text"]
    rows = [
        (words["notice_body"], body_name),
        (words["notice_meeting"], date.isoformat()),
        (words["notice_posted"], notice.posted.isoformat()),
        (words["notice_taken_down"], notice.taken_down.isoformat() if notice.taken_down else ""),
        (words["notice_storage"], notice.storage),
    ]
    for label, value in rows:
        if value:
            yield ENTRY, f"{label}  {value}"
    yield ENTRY, _signed(words["notice_signed"], notice.certified_by, words)


def _item(item: Item, words: dict[str, str]) -> Iterator[Block]:
    yield ITEM, f"§{item.number} {item.title}"
    if item.cases:
        yield META, f"{words['case']}  {', '.join(item.cases)}"
    if item.conflicts:
        yield HEADING, words["conflicts"]
        for name in item.conflicts:
            yield ENTRY, f"{name} {words['conflict_left']}"
    yield from _text(words["summary"], item.summary)
    yield from _text(item.proposal_heading.strip() or words["proposal"], item.proposal)
    yield from _statements(words["motions"], item.motions)
    for vote in item.votes:
        yield HEADING, words["votes"]
        if vote.question:
            yield from _paragraphs(vote.question)
        for side in ("yes", "no", "abstain"):
            names = getattr(vote, side)
            if names:
                yield ENTRY, f"{words[side]} ({len(names)}): {', '.join(names)}"
        if vote.result:
            yield from _paragraphs(vote.result)
    if item.decision.strip() or item.adjusted_immediately:
        yield HEADING, words["decision"]
        yield from _paragraphs(item.decision)
        if item.adjusted_immediately:
            yield PARAGRAPH, words["adjusted_immediately"]
    yield from _statements(words["reservations"], item.reservations)
    opinions = words["opinion" if len(item.opinions) == 1 else "opinions"]
    yield from _statements(opinions, item.opinions)
    yield from _statements(words["notes"], item.notes)
    if item.documents:
        yield HEADING, words["documents"]
        for document in item.documents:
            yield ENTRY, document


def _text(heading: str, text: str) -> Iterator[Block]:
    if text.strip():
        yield HEADING, heading
        yield from _paragraphs(text)


def _paragraphs(text: str) -> Iterator[Block]:
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            yield PARAGRAPH, paragraph.strip("\n")


def _statements(heading: str, statements: list[Statement]) -> Iterator[Block]:
    if statements:
        yield HEADING, heading
        for s in statements:
            yield ENTRY, f"{', '.join(s.by)}: {s.text}" if s.text else ", ".join(s.by)


def _attendee(a: Attendee, other: bool, words: dict[str, str]) -> str:
    remote = words["remote"] if a.remote else ""
    if other:
        detail = ", ".join(filter(None, [" ".join(filter(None, [a.role, a.organisation])), remote]))
        parts = [a.name, f"({detail})" if detail else ""]
    else:
        where = ", ".join(filter(None, [a.organisation, remote]))
        parts = [
            a.name,
            f"({a.party})" if a.party else "",
            f"({a.role})" if a.role else "",
            f"({where})" if where else "",
        ]
    if a.replaces:
        parts.append(f"{words['replaces']} {a.replaces}")
    parts.append(ranges.display(a.present))
    parts.append(_moment(a.present_from, words["from_time"], words["from_item"]))
    parts.append(_moment(a.present_until, words["until_time"], words["until_item"]))
    return " ".join(filter(None, parts))


def _moment(point: Point | None, at_time: str, at_item: str) -> str:
    """ "från kl. 10:15", "t.o.m. §14": when someone came or left, by the clock or by §."""
    if point is None:
        return ""
    if isinstance(point, int):
        return f"{at_item} §{point}"
    return f"{at_time} {point:%H:%M}"


def _clock_span(start: dt.time | None, end: dt.time | None, at: str) -> str:
    if start is None:
        return ""
    return f"{at} {start:%H:%M}" + (f"–{end:%H:%M}" if end else "")


# --- dressings -----------------------------------------------------------------------------


def as_text(layout: list[Block], width: int = 80) -> str:
    lines: list[str] = []
    previous = None
    for role, text in layout:
        if role in (GROUP, ITEM, MARK) or (role == HEADING and previous != ITEM):
            lines.append("")
        if role == ITEM:
            lines.append("")
        if role == ENTRY:
            lines += _wrap(text, width, "  ", "      ")
        elif role == PARAGRAPH:
            for line in text.split("\n"):
                lines += _wrap(line, width, "", "") or [""]
            lines.append("")
        else:
            lines += _wrap(text, width, "", "  ")
        previous = role
    return "\n".join(_squeeze(lines)).strip("\n") + "\n"


def as_markdown(layout: list[Block]) -> str:
    """The layout in Markdown, the files' text escaped: it shows literally in any CommonMark
    renderer, so a summary holding `<script>`, `# x` or `_x_` cannot become markup."""
    lines: list[str] = []
    for role, raw in layout:
        text = markdown_literal(raw)
        if role != ENTRY and lines and lines[-1].startswith("- "):
            lines.append("")
        if role == TITLE:
            lines += [f"# {text}", ""] if not lines else [f"**{text}**", ""]
        elif role == META:
            label, _, value = raw.partition("  ")
            lines += [f"**{markdown_literal(label)}** {markdown_literal(value)}", ""]
        elif role in (GROUP, ITEM):
            lines += [f"## {text}", ""]
        elif role == HEADING:
            lines += [f"### {text}", ""]
        elif role == ENTRY:
            lines.append("- " + text.replace("\n", "\n  "))
        else:
            lines += [text, ""]
    return "\n".join(_squeeze(lines)).strip("\n") + "\n"


_MARKUP = re.compile(r"([\\`*_\[\]<>|~$&])")
"""Characters that open inline markup anywhere in a line: emphasis, code, links, raw HTML and
entities, tables, strike-through, maths."""
_LINE_MARKUP = re.compile(r"^([#>+=-]|\d+(?=[.)]))")
"""What makes a line a heading, quote, list or underline, when it starts one."""
_LINE_END = re.compile(r"\r\n?|\n")
"""Markdown's line ends: a lone carriage return starts a line too."""


def markdown_literal(text: str) -> str:
    """`text` escaped for Markdown, line by line. Leading and trailing blanks go: four leading
    spaces make a code block, two trailing ones a line break."""
    lines = []
    for line in _LINE_END.split(text):
        escaped = _MARKUP.sub(r"\\\1", line.strip())
        lines.append(_LINE_MARKUP.sub(_line_start, escaped))
    return "\n".join(lines)


def _line_start(match: re.Match[str]) -> str:
    marker = match[1]
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def _squeeze(lines: list[str]) -> list[str]:
    """No two blank lines in a row."""
    return [line for i, line in enumerate(lines) if line or i == 0 or lines[i - 1]]
