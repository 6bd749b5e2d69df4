"""§ ranges as people write them: "9-12, 15" (or with en dashes) for §§ 9, 10, 11, 12 and 15."""

from __future__ import annotations

import re

_PART = re.compile(r"^\s*(?:§\s*)?(\d+)\s*(?:[-–—]\s*(?:§\s*)?(\d+))?\s*$")


def parse(text: str) -> list[int]:
    """The §§ a range text names, ascending and without repeats.

    Raises ValueError with a sentence a secretary understands.
    """
    numbers: set[int] = set()
    for part in text.replace("§", " §").split(","):
        if not part.strip():
            continue
        match = _PART.match(part)
        if not match:
            raise ValueError(f"{part.strip()!r} is not a § number or range such as 9-12")
        first = int(match[1])
        last = int(match[2] or first)
        if last < first:
            raise ValueError(f"range {first}-{last} runs backwards")
        numbers.update(range(first, last + 1))
    return sorted(numbers)


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted numbers as (first, last) pairs."""
    result: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if result and number == result[-1][1] + 1:
            result[-1] = (result[-1][0], number)
        else:
            result.append((number, number))
    return result


def format(numbers: list[int], dash: str = "-") -> str:
    """The canonical range text: `format([9, 10, 11, 12, 15]) == "9-12, 15"`."""
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs(numbers))


def display(numbers: list[int]) -> str:
    """As printed in minutes: "§15", "§§9–12"."""
    if not numbers:
        return ""
    sign = "§" if len(numbers) == 1 else "§§"
    return sign + format(numbers, dash="–")


def span(numbers) -> str:
    """First to last, as a list shows it: "§9–17", "§18"."""
    low, high = min(numbers), max(numbers)
    return f"§{low}" if low == high else f"§{low}–{high}"
