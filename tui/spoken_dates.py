"""Dates as the minutes' prose writes them: "fredagen den 13 september 2024", "13 September
2024", "September 13, 2024" or "2024-09-13"; Swedish and English month names."""

from __future__ import annotations

import datetime as dt
import re

from .labels import labels

_MONTHS = {
    name.casefold(): number
    for language in ("sv", "en")
    for number, name in enumerate(labels(language)["months"].split(), start=1)
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<day>\d{{1,2}})(?::?e)?\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})"
    rf"|(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}}))\b",
    re.IGNORECASE,
)


def dates_named(text: str) -> list[dt.date]:
    """Every real date the text names, in order; "31 februari 2024" is none."""
    found = []
    for match in _DATE.finditer(text):
        try:
            if match["iso"]:
                found.append(dt.date.fromisoformat(match["iso"]))
            else:
                day, month, year = (
                    (match["day"], match["month"], match["year"])
                    if match["day"]
                    else (match["day2"], match["month2"], match["year2"])
                )
                found.append(dt.date(int(year), _MONTHS[month.casefold()], int(day)))
        except ValueError:
            continue
    return found
