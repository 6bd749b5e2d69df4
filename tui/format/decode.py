"""TOML document → domain model, checking the type of every value on the way.

Each wrong value becomes a Problem naming its key path (`items[3].decision`); unknown keys
become warnings and are kept in the model's `extra`, so a save never drops them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import (
    Appeal,
    Attendance,
    Attendee,
    Body,
    Break,
    Chair,
    Item,
    Meeting,
    NextMeeting,
    Notice,
    Person,
    Signatures,
    Statement,
    Vote,
)
from ..problems import Problem
from .fields import Fields, schema


def person(fields: Fields) -> Person:
    return Person(
        name=fields.text("name", required=True),
        party=fields.text("party"),
        organisation=fields.text("organisation"),
        role=fields.text("role"),
        extra=fields.rest(),
    )


def attendee(fields: Fields) -> Attendee:
    return Attendee(
        name=fields.text("name", required=True),
        party=fields.text("party"),
        organisation=fields.text("organisation"),
        role=fields.text("role"),
        remote=fields.flag("remote"),
        present=fields.sections("present"),
        replaces=fields.text("replaces"),
        present_from=fields.point("present_from"),
        present_until=fields.point("present_until"),
        extra=fields.rest(),
    )


def statement(fields: Fields) -> Statement:
    return Statement(by=fields.names("by"), text=fields.text("text"), extra=fields.rest())


def vote(fields: Fields) -> Vote:
    return Vote(
        question=fields.text("question"),
        yes=fields.names("yes"),
        no=fields.names("no"),
        abstain=fields.names("abstain"),
        result=fields.text("result"),
        extra=fields.rest(),
    )


def item(fields: Fields) -> Item:
    return Item(
        number=fields.number("number", required=True) or 0,
        title=fields.text("title", required=True),
        cases=fields.one_or_more("case"),
        summary=fields.text("summary"),
        proposal=fields.text("proposal"),
        proposal_heading=fields.text("proposal_heading"),
        motions=[statement(f) for f in fields.tables("motions")],
        votes=[vote(f) for f in fields.tables("votes")],
        decision=fields.text("decision"),
        reservations=[statement(f) for f in fields.tables("reservations")],
        notes=[statement(f) for f in fields.tables("notes")],
        opinions=[statement(f) for f in fields.tables("opinions")],
        conflicts=fields.names("conflicts"),
        documents=fields.names("documents"),
        adjusted_immediately=fields.flag("adjusted_immediately"),
        extra=fields.rest(),
    )


def meeting(document: dict[str, Any], problems: list[Problem]) -> Meeting:
    fields = Fields(document, "", problems)
    version = schema(fields)
    attendance = fields.table("attendance") or Fields({}, "attendance", problems)
    signatures = fields.table("signatures") or Fields({}, "signatures", problems)
    next_table = fields.table("next_meeting")
    notice_table = fields.table("notice")
    return Meeting(
        schema=version,
        kind=fields.text("kind", required=True),
        date=fields.date("date", required=True) or dt.date.min,
        cancelled=fields.flag("cancelled"),
        start=fields.time("start"),
        end=fields.time("end"),
        place=fields.text("place"),
        language=fields.text("language") or "sv",
        next_meeting=None if next_table is None else next_meeting(next_table),
        signatures=Signatures(
            secretary=signatures.text("secretary"),
            chairs=_chairs(signatures),
            adjusters=signatures.names("adjusters"),
            adjustment_place=signatures.text("adjustment_place"),
            adjustment_date=signatures.date("adjustment_date"),
            adjustment_time=signatures.time("adjustment_time"),
            adjusted_items=signatures.sections("adjusted_items"),
            extra=signatures.rest(),
        ),
        notice=None if notice_table is None else notice(notice_table),
        appeals=[appeal(f) for f in fields.tables("appeals")],
        attendance=Attendance(
            members=[attendee(f) for f in attendance.tables("members")],
            substitutes=[attendee(f) for f in attendance.tables("substitutes")],
            others=[attendee(f) for f in attendance.tables("others")],
            absent=[attendee(f) for f in attendance.tables("absent")],
            extra=attendance.rest(),
        ),
        breaks=[_break(f) for f in fields.tables("breaks")],
        items=[item(f) for f in fields.tables("items")],
        extra=fields.rest(),
    )


def _chairs(signatures: Fields) -> list[Chair]:
    """`chair = "Name"`, or one `[[signatures.chair]]` (name, items) per chair."""
    if isinstance(signatures.values.get("chair"), list):
        return [
            Chair(f.text("name", required=True), f.sections("items"), f.rest())
            for f in signatures.tables("chair")
        ]
    name = signatures.text("chair")
    return [Chair(name)] if name else []


def notice(fields: Fields) -> Notice:
    return Notice(
        posted=fields.date("posted", required=True) or dt.date.min,
        taken_down=fields.date("taken_down"),
        storage=fields.text("storage"),
        certified_by=fields.text("certified_by"),
        extra=fields.rest(),
    )


def appeal(fields: Fields) -> Appeal:
    return Appeal(
        items=fields.sections("items"),
        date=fields.date("date", required=True) or dt.date.min,
        by=fields.text("by"),
        extra=fields.rest(),
    )


def next_meeting(fields: Fields) -> NextMeeting:
    return NextMeeting(
        date=fields.date("date", required=True) or dt.date.min,
        time=fields.time("time"),
        note=fields.text("note"),
        extra=fields.rest(),
    )


def _break(fields: Fields) -> Break:
    return Break(
        start=fields.time("start", required=True) or dt.time(),
        end=fields.time("end"),
        item=fields.number("item"),
        extra=fields.rest(),
    )


def body(document: dict[str, Any], problems: list[Problem]) -> Body:
    fields = Fields(document, "", problems)
    return Body(
        schema=schema(fields),
        name=fields.text("name", required=True),
        kind=fields.text("kind") or "minnesanteckningar",
        language=fields.text("language") or "sv",
        place=fields.text("place"),
        start=fields.time("start"),
        end=fields.time("end"),
        members=[person(f) for f in fields.tables("members")],
        substitutes=[person(f) for f in fields.tables("substitutes")],
        staff=[person(f) for f in fields.tables("staff")],
        seats=fields.number("seats"),
        storage=fields.text("storage"),
        extra=fields.rest(),
    )
