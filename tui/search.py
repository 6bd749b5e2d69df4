"""Searching the archive's texts: titles, summaries, proposals, decisions, documents, motions,
reservations, notes, and people's names. Pure: meetings in, hits out."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Meeting

ITEM_TEXTS = ("title", "summary", "proposal", "decision")
ITEM_LISTS = ("cases", "documents", "conflicts")
ITEM_STATEMENTS = ("motions", "reservations", "notes", "opinions")


@dataclass(frozen=True)
class Hit:
    number: int | None
    """The § it is in; None for the attendance."""
    where: str
    snippet: str


def search(meeting: Meeting, query: str, width: int = 60) -> list[Hit]:
    """Every place in `meeting` whose text contains all the query's words (any case)."""
    words = query.lower().split()
    if not words:
        return []
    hits = []
    for item in meeting.items:
        texts = [(name, getattr(item, name)) for name in ITEM_TEXTS]
        texts += [(name, "\n".join(getattr(item, name))) for name in ITEM_LISTS]
        texts += [
            (name, "\n".join(f"{', '.join(s.by)}: {s.text}" for s in getattr(item, name)))
            for name in ITEM_STATEMENTS
        ]
        for name, text in texts:
            if text and all(word in text.lower() for word in words):
                hits.append(Hit(item.number, name, _snippet(text, words[0], width)))
    for person in meeting.attendance.everyone():
        line = " ".join(filter(None, [person.name, person.party, person.organisation, person.role]))
        if all(word in line.lower() for word in words):
            hits.append(Hit(None, "attendance", line))
    return hits


def _snippet(text: str, word: str, width: int) -> str:
    flat = " ".join(text.split())
    at = flat.lower().find(word)
    start = max(0, at - width // 3)
    snippet = flat[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(flat) else "")
