"""The protocol parts rendered as text and Markdown, in Swedish and English: chairs taking
turns, justering's time and §§, absent members, arrival and leaving, several case numbers, the
proposal's heading, special statements, immediate adjustment, the sign lines, the adjusters'
mark, the notice of adjustment (anslag/bevis) and appeals; and the app's cut of the layout into
the header, the §§ and the closing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings

from tui import render
from tui.app.rendering import CLOSING, sections
from tui.archive import Archive
from tui.model import Meeting

from .conftest import ROOT, SEED_FOLDER
from .strategies import meetings

FOLDER = "kultur-och-fritidsnamnden"
BODY = "Kultur- och fritidsnämnden i Exempelby"

# The fictional protocol, given every part a real protocol may have: (old text, new text).
EXTENSIONS = [
    ('chair = "Alma Berglund"\n', ""),
    (
        "adjustment_date = 2024-11-19\n",
        "adjustment_date = 2024-11-19\n"
        'adjustment_time = "10:00"\n'
        'adjusted_items = "130-133"\n\n'
        '[[signatures.chair]]\nname = "Alma Berglund"\nitems = "130-131"\n\n'
        '[[signatures.chair]]\nname = "Bertil Ceder"\nitems = "132-133"\n\n'
        "[notice]\nposted = 2024-11-20\ntaken_down = 2024-12-12\n"
        'storage = "Kommunhuset, Exempelby"\ncertified_by = "Gunilla Holm"\n\n'
        '[[appeals]]\nitems = "132"\ndate = 2024-12-01\nby = "Bertil Ceder"\n',
    ),
    (
        'present = "130-131"\n',
        'present = "130-131"\npresent_from = "13:15"\npresent_until = "§131"\n',
    ),
    ('role = "Vice ordförande"\n', 'role = "Vice ordförande"\npresent_until = "15:00"\n'),
    ('party = "C"\n', 'party = "C"\npresent_from = "§131"\n'),
    (
        "[[attendance.others]]",
        '[[attendance.absent]]\nname = "David Eklund"\nparty = "S"\n\n[[attendance.others]]',
    ),
    (
        'case = "KFN 2024/61"\n',
        'case = [\n    "KFN 2024/61",\n    "KFN 2024/7",\n]\n'
        'proposal_heading = "Arbetsutskottets förslag"\n',
    ),
    (
        'decision = "Nämnden beslutar enligt arbetsutskottets förslag."\n',
        'decision = "Nämnden beslutar enligt arbetsutskottets förslag."\n'
        "adjusted_immediately = true\n",
    ),
    (
        "[[items.notes]]",
        '[[items.opinions]]\nby = [\n    "Eva Fors",\n]\n'
        'text = "Vänsterpartiet vill ha en lägre taxa för ungdomar."\n\n[[items.notes]]',
    ),
]


@pytest.fixture
def extended(protocol_dir: Path) -> Meeting:
    path = protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in EXTENSIONS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    meeting, warnings = Archive(protocol_dir).load(Archive(protocol_dir).resolve("latest"))
    assert warnings == []
    return meeting


def _text(meeting: Meeting, language: str) -> str:
    meeting.language = language
    return render.as_text(render.blocks(meeting, BODY), width=200)


def _markdown(meeting: Meeting, language: str) -> str:
    meeting.language = language
    return render.as_markdown(render.blocks(meeting, BODY))


SV_TEXT = [
    # chairs taking turns, with the justering's time and §§
    "Vid protokollet\n  Sekreterare  Gunilla Holm\n"
    "  Ordförande  Alma Berglund §§130–131, Bertil Ceder §§132–133\n"
    "  Justerare  Cecilia Dahl\n"
    "  Justeringens plats och tid  Kommunhuset, Exempelby 2024-11-19 kl. 10:00\n"
    "  Justerade paragrafer  §§130–133\n",
    # arrival and leaving, by the clock and by §
    "  Eva Fors (V) (deltar på distans) §§130–131 från kl. 13:15 t.o.m. §131\n",
    "  Bertil Ceder (M) (Vice ordförande) till kl. 15:00\n",
    "  Cecilia Dahl (C) från §131\n",
    # the absent, after the present
    "Övriga närvarande\n  Gunilla Holm (nämndsekreterare)\n\n"
    "Frånvarande ledamöter\n  David Eklund (S)\n\nAjournering",
    "Diarienummer  KFN 2024/61, KFN 2024/7\n",
    "\nArbetsutskottets förslag\nTaxorna höjs med fem procent från 1 januari 2025.\n",
    "Beslut\nNämnden beslutar enligt arbetsutskottets förslag.\n\n"
    "Paragrafen justeras omedelbart.\n\nReservationer\n",
    "Reservationer\n  Bertil Ceder: Höjda taxor drabbar barn- och ungdomsföreningar hårdast.\n\n"
    "Särskilt yttrande\n  Eva Fors: Vänsterpartiet vill ha en lägre taxa för ungdomar.\n\n"
    "Protokollsanteckningar\n",
    # after the last §: the adjusters' mark, then the next meeting, the sign lines, the notice
    "Meddelandena läggs till handlingarna.\n\nJusterandes signatur: ______\n\n"
    "Nästa sammanträde\n  torsdag 12 december 2024 kl. 13:00\n\n"
    "Underskrifter\n"
    "  Sekreterare  ____________________  Gunilla Holm\n"
    "  Ordförande   ____________________  Alma Berglund §§130–131\n"
    "  Ordförande   ____________________  Bertil Ceder §§132–133\n"
    "  Justerare    ____________________  Cecilia Dahl\n\n"
    "ANSLAG/BEVIS\n"
    "Protokollet är justerat. Justeringen har tillkännagivits genom anslag\n\n"
    f"  Organ  {BODY}\n"
    "  Sammanträdesdatum  2024-11-14\n"
    "  Datum då anslaget sätts upp  2024-11-20\n"
    "  Datum då anslaget tas ned  2024-12-12\n"
    "  Förvaringsplats för protokollet  Kommunhuset, Exempelby\n"
    "  Underskrift  ____________________  Gunilla Holm\n\n"
    "Överklagat\n  §132 den 2024-12-01 av Bertil Ceder\n",
]

EN_TEXT = [
    "For the protocol\n  Secretary  Gunilla Holm\n"
    "  Chair  Alma Berglund §§130–131, Bertil Ceder §§132–133\n"
    "  Adjusters  Cecilia Dahl\n"
    "  Adjusted at  Kommunhuset, Exempelby 2024-11-19 at 10:00\n"
    "  Sections adjusted  §§130–133\n",
    "  Eva Fors (V) (participating remotely) §§130–131 from 13:15 through §131\n",
    "  Bertil Ceder (M) (Vice ordförande) until 15:00\n",
    "  Cecilia Dahl (C) from §131\n",
    "Others present\n  Gunilla Holm (nämndsekreterare)\n\n"
    "Absent members\n  David Eklund (S)\n\nAdjournment",
    "Case number  KFN 2024/61, KFN 2024/7\n",
    "\nArbetsutskottets förslag\nTaxorna höjs med fem procent från 1 januari 2025.\n",
    "Decision\nNämnden beslutar enligt arbetsutskottets förslag.\n\n"
    "This § is adjusted immediately.\n\nReservations\n",
    "Special statement\n  Eva Fors: Vänsterpartiet vill ha en lägre taxa för ungdomar.\n\n"
    "Protocol notes\n",
    "Meddelandena läggs till handlingarna.\n\nAdjusters' signatures: ______\n\n"
    "Next meeting\n  Thursday 12 December 2024 at 13:00\n\n"
    "Signatures\n"
    "  Secretary  ____________________  Gunilla Holm\n"
    "  Chair      ____________________  Alma Berglund §§130–131\n"
    "  Chair      ____________________  Bertil Ceder §§132–133\n"
    "  Adjuster   ____________________  Cecilia Dahl\n\n"
    "NOTICE/CERTIFICATE\n"
    "The protocol is adjusted. The adjustment has been announced by a notice\n\n"
    f"  Body  {BODY}\n"
    "  Meeting date  2024-11-14\n"
    "  Date the notice is posted  2024-11-20\n"
    "  Date the notice is taken down  2024-12-12\n"
    "  Where the protocol is kept  Kommunhuset, Exempelby\n"
    "  Signature  ____________________  Gunilla Holm\n\n"
    "Appealed\n  §132 on 2024-12-01 by Bertil Ceder\n",
]


@pytest.mark.parametrize(("language", "expected"), [("sv", SV_TEXT), ("en", EN_TEXT)])
def test_every_protocol_field_as_text(extended, language, expected):
    text = _text(extended, language)
    assert [part for part in expected if part not in text] == []
    assert text.endswith(expected[-1])  # the protocol ends with its notice and appeals
    assert text.count("Justerandes signatur") + text.count("Adjusters' signatures") == 1
    assert "Förslag till beslut" not in text.split("§132")[1].split("§133")[0]


SIGN, MARK = "\\_" * 20, "\\_" * 6
"""A line to sign on and the adjusters' mark, as Markdown writes underscores."""

SV_MARKDOWN = [
    "## Vid protokollet\n\n- Sekreterare  Gunilla Holm\n"
    "- Ordförande  Alma Berglund §§130–131, Bertil Ceder §§132–133\n"
    "- Justerare  Cecilia Dahl\n"
    "- Justeringens plats och tid  Kommunhuset, Exempelby 2024-11-19 kl. 10:00\n"
    "- Justerade paragrafer  §§130–133\n",
    "- Eva Fors (V) (deltar på distans) §§130–131 från kl. 13:15 t.o.m. §131\n",
    "- Bertil Ceder (M) (Vice ordförande) till kl. 15:00\n",
    "- Cecilia Dahl (C) från §131\n",
    "## Frånvarande ledamöter\n\n- David Eklund (S)\n\n## Ajournering",
    "**Diarienummer** KFN 2024/61, KFN 2024/7\n",
    "### Arbetsutskottets förslag\n\nTaxorna höjs med fem procent från 1 januari 2025.\n",
    "### Beslut\n\nNämnden beslutar enligt arbetsutskottets förslag.\n\n"
    "Paragrafen justeras omedelbart.\n\n### Reservationer\n",
    "### Särskilt yttrande\n\n- Eva Fors: Vänsterpartiet vill ha en lägre taxa för ungdomar.\n",
    f"Meddelandena läggs till handlingarna.\n\nJusterandes signatur: {MARK}\n\n"
    "## Nästa sammanträde\n\n- torsdag 12 december 2024 kl. 13:00\n\n"
    "## Underskrifter\n\n"
    f"- Sekreterare  {SIGN}  Gunilla Holm\n"
    f"- Ordförande   {SIGN}  Alma Berglund §§130–131\n"
    f"- Ordförande   {SIGN}  Bertil Ceder §§132–133\n"
    f"- Justerare    {SIGN}  Cecilia Dahl\n\n"
    "## ANSLAG/BEVIS\n\n"
    "Protokollet är justerat. Justeringen har tillkännagivits genom anslag\n\n"
    f"- Organ  {BODY}\n"
    "- Sammanträdesdatum  2024-11-14\n"
    "- Datum då anslaget sätts upp  2024-11-20\n"
    "- Datum då anslaget tas ned  2024-12-12\n"
    "- Förvaringsplats för protokollet  Kommunhuset, Exempelby\n"
    f"- Underskrift  {SIGN}  Gunilla Holm\n\n"
    "## Överklagat\n\n- §132 den 2024-12-01 av Bertil Ceder\n",
]

EN_MARKDOWN = [
    "- Chair  Alma Berglund §§130–131, Bertil Ceder §§132–133\n",
    "- Adjusted at  Kommunhuset, Exempelby 2024-11-19 at 10:00\n- Sections adjusted  §§130–133\n",
    "- Eva Fors (V) (participating remotely) §§130–131 from 13:15 through §131\n",
    "- Bertil Ceder (M) (Vice ordförande) until 15:00\n",
    "## Absent members\n\n- David Eklund (S)\n",
    "**Case number** KFN 2024/61, KFN 2024/7\n",
    "### Arbetsutskottets förslag\n\n",
    "\n\nThis § is adjusted immediately.\n\n### Reservations\n",
    "### Special statement\n\n- Eva Fors: Vänsterpartiet",
    f"\n\nAdjusters' signatures: {MARK}\n\n## Next meeting\n",
    f"## Signatures\n\n- Secretary  {SIGN}  Gunilla Holm\n"
    f"- Chair      {SIGN}  Alma Berglund §§130–131\n",
    "## NOTICE/CERTIFICATE\n\n"
    "The protocol is adjusted. The adjustment has been announced by a notice\n\n"
    f"- Body  {BODY}\n- Meeting date  2024-11-14\n",
    f"- Signature  {SIGN}  Gunilla Holm\n\n## Appealed\n\n- §132 on 2024-12-01 by Bertil Ceder\n",
]


@pytest.mark.parametrize(("language", "expected"), [("sv", SV_MARKDOWN), ("en", EN_MARKDOWN)])
def test_every_protocol_field_as_markdown(extended, language, expected):
    markdown = _markdown(extended, language)
    assert [part for part in expected if part not in markdown] == []
    assert markdown.endswith(expected[-1])


def test_several_special_statements_have_a_plural_heading(extended):
    extended.item(132).opinions *= 2
    assert "\nSärskilda yttranden\n  Eva Fors" in _text(extended, "sv")
    assert "\n### Special statements\n\n- Eva Fors" in _markdown(extended, "en")


def test_an_immediate_adjustment_without_a_decision_text_still_has_its_heading(extended):
    extended.item(130).decision = ""
    extended.item(130).adjusted_immediately = True
    text = _text(extended, "sv")
    assert "§130 Val av justerare\nBeslut\nParagrafen justeras omedelbart.\n" in text


def test_sign_lines_wait_for_names_not_yet_known(extended):
    """Before the justerare is chosen, the protocol still has a line to sign on."""
    extended.signatures.chairs = []
    extended.signatures.adjusters = []
    extended.notice.certified_by = ""
    text = _text(extended, "sv")
    assert (
        "Underskrifter\n"
        "  Sekreterare  ____________________  Gunilla Holm\n"
        "  Ordförande   ____________________\n"
        "  Justerare    ____________________\n"
    ) in text
    assert "  Underskrift  ____________________\n" in text


def test_a_notice_just_posted_lists_only_what_is_known(extended):
    extended.notice.taken_down = None
    extended.notice.storage = ""
    text = _text(extended, "sv")
    assert "Datum då anslaget sätts upp  2024-11-20\n  Underskrift" in text
    assert "tas ned" not in text and "Förvaringsplats" not in text


def test_a_planned_protocol_has_no_sign_lines_nor_mark(extended):
    extended.items = []
    extended.notice = None
    extended.appeals = []
    text = _text(extended, "sv")
    assert "____" not in text
    assert text.endswith("Nästa sammanträde\n  torsdag 12 december 2024 kl. 13:00\n")


def test_an_appeal_without_a_name_or_sections(extended):
    extended.appeals[0].by = ""
    extended.appeals[0].items = []
    assert _text(extended, "en").endswith("Appealed\n  on 2024-12-01\n")


def test_minutes_keep_their_look():
    """The bundled minnesanteckningar: no sign lines, no mark, no notice; a justering time shows
    in the signatures group and nowhere else."""
    archive = Archive(ROOT)
    meeting, _ = archive.load(archive.resolve("2024-04-26"))
    body = archive.body_name(SEED_FOLDER)
    text = render.as_text(render.blocks(meeting, body))
    assert "____" not in text and "signatur" not in text and "ANSLAG" not in text
    assert text.endswith("(MYH), deltar.\n")  # the next meeting's note, as before
    meeting.signatures.adjustment_time = dt.time(12, 30)
    changed = render.as_text(render.blocks(meeting, body))
    assert changed.replace("  Justeringens plats och tid  kl. 12:30\n", "") == text


@settings(max_examples=60, deadline=None)
@given(meetings())
def test_any_meeting_renders_its_protocol_parts_once_and_the_app_cuts_it_by_section(meeting):
    layout = render.blocks(meeting, BODY)
    held = meeting.kind == "protokoll" and bool(meeting.items)
    roles = [role for role, _ in layout]
    assert roles.count(render.MARK) == int(held)
    text, markdown = render.as_text(layout), render.as_markdown(layout)
    for appeal in meeting.appeals:
        assert appeal.date.isoformat() in text and appeal.date.isoformat() in markdown
    if meeting.notice is not None:
        assert text.count(meeting.notice.posted.isoformat()) >= 1
    parts = sections(layout)
    assert [block for _, blocks in parts for block in blocks] == layout
    assert [key for key, _ in parts if isinstance(key, int)] == meeting.numbers()
    closing = [blocks for key, blocks in parts if key == CLOSING]
    assert all(role != render.ITEM for blocks in closing for role, _ in blocks)
