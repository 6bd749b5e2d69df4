"""Domain model → canonical TOML: one layout for every file, so that `git diff` shows only
what changed.

Tables come in a fixed order and every array of tables is written as `[[...]]` blocks, never
inline (tomli-w would inline short ones and flip the layout of a whole group when one entry grows).
tomli-w formats the values; long texts become multi-line strings, one paragraph per line.
Empty values are left out. Unknown keys follow the known ones of their table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomli_w

from .. import ranges
from ..model import Attendee, Body, Item, Meeting, Person, Point, Signatures, Statement, Vote


def dumps_meeting(meeting: Meeting) -> str:
    m = meeting
    chunks = [
        _table(
            None,
            {
                "schema": m.schema,
                "kind": m.kind,
                "date": m.date,
                "cancelled": m.cancelled,
                "start": _clock(m.start),
                "end": _clock(m.end),
                "place": m.place,
                "language": m.language,
            },
            m.extra,
        )
    ]
    if m.next_meeting:
        n = m.next_meeting
        chunks.append(
            _table(
                "[next_meeting]",
                {"date": n.date, "time": _clock(n.time), "note": n.note},
                n.extra,
            )
        )
    chunks.extend(_signatures(m.signatures))
    if m.notice:
        notice = m.notice
        known = {
            "posted": notice.posted,
            "taken_down": notice.taken_down,
            "storage": notice.storage,
            "certified_by": notice.certified_by,
        }
        chunks.append(_table("[notice]", known, notice.extra))
    for appeal in m.appeals:
        known = {"items": ranges.format(appeal.items), "date": appeal.date, "by": appeal.by}
        chunks.append(_table("[[appeals]]", known, appeal.extra))
    chunks.append(_table("[attendance]", {}, m.attendance.extra))
    for group in m.attendance.GROUPS:
        for attendee in getattr(m.attendance, group):
            chunks.append(_attendee(f"attendance.{group}", attendee))
    for pause in m.breaks:
        chunks.append(
            _table(
                "[[breaks]]",
                {"start": _clock(pause.start), "end": _clock(pause.end), "item": pause.item},
                pause.extra,
            )
        )
    for item in m.items:
        chunks.extend(_item(item))
    return _join(chunks)


def _signatures(s: Signatures) -> list[str]:
    """One chair for the whole meeting is `chair = "Name"`; chairs taking turns are tables."""
    one_chair = len(s.chairs) == 1 and not s.chairs[0].items and not s.chairs[0].extra
    known = {
        "secretary": s.secretary,
        "chair": s.chairs[0].name if one_chair else None,
        "adjusters": s.adjusters,
        "adjustment_place": s.adjustment_place,
        "adjustment_date": s.adjustment_date,
        "adjustment_time": _clock(s.adjustment_time),
        "adjusted_items": ranges.format(s.adjusted_items),
    }
    chunks = [_table("[signatures]", known, s.extra)]
    if not one_chair:
        chunks += [
            _table(
                "[[signatures.chair]]",
                {"name": chair.name, "items": ranges.format(chair.items)},
                chair.extra,
            )
            for chair in s.chairs
        ]
    return chunks


def dumps_body(body: Body) -> str:
    chunks = [
        _table(
            None,
            {
                "schema": body.schema,
                "name": body.name,
                "kind": body.kind,
                "language": body.language,
                "place": body.place,
                "start": _clock(body.start),
                "end": _clock(body.end),
                "seats": body.seats,
                "storage": body.storage,
            },
            body.extra,
        )
    ]
    for group in ("members", "substitutes", "staff"):
        chunks.extend(_person(group, person) for person in getattr(body, group))
    return _join(chunks)


def _person(array: str, p: Person) -> str:
    known = {"name": p.name, "party": p.party, "organisation": p.organisation, "role": p.role}
    return _table(f"[[{array}]]", known, p.extra)


def _attendee(array: str, a: Attendee) -> str:
    known = {
        "name": a.name,
        "party": a.party,
        "organisation": a.organisation,
        "role": a.role,
        "remote": a.remote,
        "present": ranges.format(a.present),
        "replaces": a.replaces,
        "present_from": _point(a.present_from),
        "present_until": _point(a.present_until),
    }
    return _table(f"[[{array}]]", known, a.extra)


def dumps_item(item: Item) -> str:
    """One § alone, as its meeting's file writes it: what an omedelbar justering signs."""
    return _join(_item(item))


def _item(item: Item) -> list[str]:
    known = {
        "number": item.number,
        "title": item.title,
        "case": item.cases[0] if len(item.cases) == 1 else item.cases,
        "summary": item.summary,
        "proposal_heading": item.proposal_heading,
        "proposal": item.proposal,
        "decision": item.decision,
        "conflicts": item.conflicts,
        "documents": item.documents,
        "adjusted_immediately": item.adjusted_immediately,
    }
    chunks = [_table("[[items]]", known, item.extra)]
    chunks.extend(_statement("items.motions", s) for s in item.motions)
    chunks.extend(_vote(v) for v in item.votes)
    chunks.extend(_statement("items.reservations", s) for s in item.reservations)
    chunks.extend(_statement("items.notes", s) for s in item.notes)
    chunks.extend(_statement("items.opinions", s) for s in item.opinions)
    return chunks


def _statement(array: str, s: Statement) -> str:
    return _table(f"[[{array}]]", {"by": s.by, "text": s.text}, s.extra)


def _vote(v: Vote) -> str:
    known = {
        "question": v.question,
        "yes": v.yes,
        "no": v.no,
        "abstain": v.abstain,
        "result": v.result,
    }
    return _table("[[items.votes]]", known, v.extra)


def _table(header: str | None, known: dict, extra: dict) -> str:
    """One table: its header, its known keys (empty ones left out), then unknown keys.

    Unknown tables are written inline, so they stay inside the table they were read from
    whatever the nesting.
    """
    values = {k: v for k, v in known.items() if not _is_empty(v)}
    values.update((k, v) for k, v in extra.items() if not _is_table(v))
    tables = [f"{_key(k)} = {_inline(v)}\n" for k, v in extra.items() if _is_table(v)]
    if not values and not tables and not (header or "").startswith("[["):
        return ""  # an empty table says nothing; an empty array element still counts
    head = "" if header is None else header + "\n"
    return head + tomli_w.dumps(values, multiline_strings=True) + "".join(tables)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        pairs = ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").removesuffix("\n")


def _key(key: str) -> str:
    return tomli_w.dumps({key: 0}).removesuffix(" = 0\n")


def _join(chunks: list[str]) -> str:
    return "\n".join(chunk for chunk in chunks if chunk)


def _is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


def _point(point: Point | None) -> str | None:
    return f"§{point}" if isinstance(point, int) else _clock(point)


def _clock(time: dt.time | None) -> str | None:
    return None if time is None else f"{time.hour:02}:{time.minute:02}"
