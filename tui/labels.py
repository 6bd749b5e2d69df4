"""Headings and phrases of rendered minutes, in the meeting's language."""

from __future__ import annotations

import datetime as dt
from typing import Final

_SV: Final = {
    "minnesanteckningar": "Minnesanteckningar",
    "protokoll": "Protokoll",
    "cancelled": "Inställt",
    "date": "Mötesdatum",
    "place_time": "Plats och tid",
    "at": "kl.",
    "members": "Beslutande ledamöter",
    "substitutes": "Ej tjänstgörande ersättare",
    "others": "Övriga närvarande",
    "absent": "Frånvarande ledamöter",
    "remote": "deltar på distans",
    "from_time": "från kl.",
    "from_item": "från",
    "until_time": "till kl.",
    "until_item": "t.o.m.",
    "replaces": "ersätter",
    "breaks": "Ajournering",
    "during": "under",
    "signed_minnesanteckningar": "Vid minnesanteckningarna",
    "signed_protokoll": "Vid protokollet",
    "secretary": "Sekreterare",
    "chair": "Ordförande",
    "adjusters": "Justerare",
    "adjuster": "Justerare",
    "adjustment": "Justeringens plats och tid",
    "adjusted_items": "Justerade paragrafer",
    "signatures": "Underskrifter",
    "sign_here": "____________________",
    "adjusters_mark": "Justerandes signatur: ______",
    "notice": "ANSLAG/BEVIS",
    "notice_text": "Protokollet är justerat. Justeringen har tillkännagivits genom anslag",
    "notice_body": "Organ",
    "notice_meeting": "Sammanträdesdatum",
    "notice_posted": "Datum då anslaget sätts upp",
    "notice_taken_down": "Datum då anslaget tas ned",
    "notice_storage": "Förvaringsplats för protokollet",
    "notice_signed": "Underskrift",
    "appeals": "Överklagat",
    "appeal_on": "den",
    "appeal_by": "av",
    "case": "Diarienummer",
    "summary": "Sammanfattning",
    "proposal": "Förslag till beslut",
    "motions": "Yrkanden",
    "votes": "Omröstning",
    "yes": "Ja",
    "no": "Nej",
    "abstain": "Avstår",
    "decision": "Beslut",
    "reservations": "Reservationer",
    "opinion": "Särskilt yttrande",
    "opinions": "Särskilda yttranden",
    "notes": "Protokollsanteckningar",
    "conflicts": "Jäv",
    "conflict_left": "anmäler jäv och deltar inte i handläggningen",
    "documents": "Beslutsunderlag",
    "adjusted_immediately": "Paragrafen justeras omedelbart.",
    "web_archive": "Mötesarkiv",
    "web_breadcrumbs": "Du är här",
    "web_pdf": "Som PDF, för utskrift och arkiv",
    "web_notices": "Anslag",
    "web_notices_none": "Inga anslag är uppsatta just nu.",
    "web_notice_until": "uppsatt till",
    "web_calendar": "Kommande möten i din kalender (iCalendar)",
    "web_meetings": "Möten",
    "next_meeting": "Nästa sammanträde",
    "weekdays": "måndag tisdag onsdag torsdag fredag lördag söndag",
    "months": (
        "januari februari mars april maj juni juli augusti september oktober november december"
    ),
}

_EN: Final = {
    "minnesanteckningar": "Minutes",
    "protokoll": "Protocol",
    "cancelled": "Cancelled",
    "date": "Meeting date",
    "place_time": "Place and time",
    "at": "at",
    "members": "Decision-making members",
    "substitutes": "Substitutes, not serving",
    "others": "Others present",
    "absent": "Absent members",
    "remote": "participating remotely",
    "from_time": "from",
    "from_item": "from",
    "until_time": "until",
    "until_item": "through",
    "replaces": "replacing",
    "breaks": "Adjournment",
    "during": "during",
    "signed_minnesanteckningar": "For the minutes",
    "signed_protokoll": "For the protocol",
    "secretary": "Secretary",
    "chair": "Chair",
    "adjusters": "Adjusters",
    "adjuster": "Adjuster",
    "adjustment": "Adjusted at",
    "adjusted_items": "Sections adjusted",
    "signatures": "Signatures",
    "sign_here": "____________________",
    "adjusters_mark": "Adjusters' signatures: ______",
    "notice": "NOTICE/CERTIFICATE",
    "notice_text": "The protocol is adjusted. The adjustment has been announced by a notice",
    "notice_body": "Body",
    "notice_meeting": "Meeting date",
    "notice_posted": "Date the notice is posted",
    "notice_taken_down": "Date the notice is taken down",
    "notice_storage": "Where the protocol is kept",
    "notice_signed": "Signature",
    "appeals": "Appealed",
    "appeal_on": "on",
    "appeal_by": "by",
    "case": "Case number",
    "summary": "Summary",
    "proposal": "Proposed decision",
    "motions": "Motions",
    "votes": "Vote",
    "yes": "Yes",
    "no": "No",
    "abstain": "Abstaining",
    "decision": "Decision",
    "reservations": "Reservations",
    "opinion": "Special statement",
    "opinions": "Special statements",
    "notes": "Protocol notes",
    "conflicts": "Conflict of interest",
    "conflict_left": "declares a conflict of interest and takes no part",
    "documents": "Decision documents",
    "adjusted_immediately": "This § is adjusted immediately.",
    "web_archive": "Meeting archive",
    "web_breadcrumbs": "You are here",
    "web_pdf": "As PDF, for printing and archiving",
    "web_notices": "Notices",
    "web_notices_none": "No notices are up at the moment.",
    "web_notice_until": "up until",
    "web_calendar": "Coming meetings in your calendar (iCalendar)",
    "web_meetings": "Meetings",
    "next_meeting": "Next meeting",
    "weekdays": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "months": (
        "January February March April May June July August September October November December"
    ),
}

_LANGUAGES: Final = {"sv": _SV, "en": _EN}


def labels(language: str) -> dict[str, str]:
    """The headings for a language; Swedish for any language without its own."""
    return _LANGUAGES.get(language, _SV)


def long_date(date: dt.date, language: str) -> str:
    """ "fredag 13 september 2024" / "Friday 13 September 2024"."""
    words = labels(language)
    weekday = words["weekdays"].split()[date.weekday()]
    month = words["months"].split()[date.month - 1]
    return f"{weekday} {date.day} {month} {date.year}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weekday(date: dt.date) -> str:
    """ "Fri": the same in every locale, as scripts reading `minutes` output expect."""
    return _WEEKDAYS[date.weekday()]


def short_date(date: dt.date, time: dt.time | None = None) -> str:
    """ "Fri 13 Sep 2024 09:00", or without the time."""
    text = f"{weekday(date)} {date.day} {_MONTHS[date.month - 1]} {date.year}"
    return f"{text} {time:%H:%M}" if time else text


def days_away(days: int) -> str:
    """ "today", "tomorrow", "in 12 days", "yesterday", "3 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"
