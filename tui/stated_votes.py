"""Vote counts as the prose of a vote's result states them: "Med 3 ja mot 1 nej", "3 ja, 1 nej,
2 avstår", "med 3 röster mot 1", "3 yes, 1 no", "with 3 votes to 1"; in digits or in words up
to twelve, Swedish and English.

Read conservatively: a count is only taken when a number stands right before (or, after a
colon, right after) a word saying which side it counts, and a side stated twice with two
numbers is not stated at all. A text this module misreads must rather say nothing."""

from __future__ import annotations

import re
from typing import NamedTuple

_NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        [
            "noll zero",
            "en ett one",
            "två two",
            "tre three",
            "fyra four",
            "fem five",
            "sex six",
            "sju seven",
            "åtta eight",
            "nio nine",
            "tio ten",
            "elva eleven",
            "tolv twelve",
        ]
    )
    for word in words.split()
}
_NUMBER = r"([0-9]{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_SIDES = {
    "yes": r"ja(?:-?röst(?:er)?)?|yes(?:[- ]votes?)?",
    "no": r"nej(?:-?röst(?:er)?)?|no(?:[- ]votes?)?|noes",
    "abstain": r"avst(?:år|od|ående|ådde)|nedlagda(?:\s+röster)?|abstain(?:ed|s)?|abstentions?",
    # For a question put as for and against, not as yes and no: which list is which is unknown.
    "for": r"for|in\s+favou?r",
    "against": r"against",
}
_WHO = r"(?:(?:ledam(?:ot|öter)|members?|röster|votes?)\s+)?"
"""What may stand between a number and its side: "2 ledamöter avstod", "2 members abstained"."""
_COUNTED = [
    (side, re.compile(rf"(?<![\w-]){_NUMBER}\s+{_WHO}(?:{words})(?![\w-])", re.IGNORECASE))
    for side, words in _SIDES.items()
] + [
    (side, re.compile(rf"(?<![\w-])(?:{words})\s*:\s*{_NUMBER}(?![\w-])", re.IGNORECASE))
    for side, words in _SIDES.items()
]
_TO = re.compile(
    rf"(?<![\w-]){_NUMBER}\s+(?:röst(?:er)?|votes?)\s+(?:mot|to)\s+{_NUMBER}(?![\w-])",
    re.IGNORECASE,
)
""""med 3 röster mot 1", "with 3 votes to 1": the winners' count first, whichever side won."""


class Stated(NamedTuple):
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    pair: tuple[int, int] | None = None
    """Two counts whose sides the text does not name ("3 röster mot 1", "3 for, 1 against"):
    the yes and no counts in either order, smaller first."""


def stated_counts(text: str) -> Stated | None:
    """The counts `text` states without doubt; None where it states none."""
    found: dict[str, set[int]] = {}
    for side, pattern in _COUNTED:
        for match in pattern.finditer(text):
            found.setdefault(side, set()).add(_number(match[1]))
    pairs = {_pair(_number(match[1]), _number(match[2])) for match in _TO.finditer(text)}
    one = {side: numbers.pop() for side, numbers in found.items() if len(numbers) == 1}
    if "for" in one and "against" in one:
        pairs.add(_pair(one["for"], one["against"]))
    pair = pairs.pop() if len(pairs) == 1 else None
    stated = Stated(one.get("yes"), one.get("no"), one.get("abstain"), pair)
    return None if stated == Stated() else stated


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.casefold()]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)
