"""Protocol parts (justering, substitutes, breaks, case numbers, motions, votes, reservations,
notes, jäv) on a fictional protocol: read, validated, written back and rendered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tui import render
from tui.archive import Archive
from tui.format.files import dumps_meeting, load_meeting
from tui.problems import FormatError

FOLDER = "kultur-och-fritidsnamnden"


@pytest.fixture
def protocol(protocol_dir: Path) -> Path:
    return protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"


def test_every_protocol_part_is_read(protocol):
    meeting, warnings = load_meeting(protocol)
    assert warnings == []
    s = meeting.signatures
    assert ([c.name for c in s.chairs], s.adjusters, s.adjustment_place, s.adjustment_date) == (
        ["Alma Berglund"],
        ["Cecilia Dahl"],
        "Kommunhuset, Exempelby",
        dt.date(2024, 11, 19),
    )
    gran = meeting.attendance.members[4]
    assert (gran.replaces, gran.present) == ("David Eklund", [130, 131, 132, 133])
    assert meeting.attendance.members[3].present == [130, 131]
    assert (meeting.breaks[0].start, meeting.breaks[0].item) == (dt.time(14, 15), 132)
    taxes = meeting.item(132)
    assert taxes.cases == ["KFN 2024/61"]
    assert [m.by for m in taxes.motions] == [["Alma Berglund"], ["Bertil Ceder"]]
    assert (len(taxes.votes[0].yes), taxes.votes[0].no) == (3, ["Bertil Ceder"])
    assert taxes.reservations[0].text.startswith("Höjda taxor")
    assert taxes.notes[0].by == ["Cecilia Dahl"]
    assert meeting.item(131).conflicts == ["Bertil Ceder"]
    assert dumps_meeting(meeting) == protocol.read_text(encoding="utf-8")


def test_every_protocol_part_is_rendered(protocol_dir):
    archive = Archive(protocol_dir)
    entry = archive.resolve("latest")
    meeting, _ = archive.load(entry)
    text = render.as_text(render.blocks(meeting, archive.body_name(FOLDER)), width=200)
    for expected in [
        "Protokoll\nKultur- och fritidsnämnden i Exempelby",
        "Fredrik Gran (S) ersätter David Eklund §§130–133",
        "Eva Fors (V) (deltar på distans) §§130–131",
        "Ajournering\n  kl. 14:15–14:30 under §132",
        "Vid protokollet\n  Sekreterare  Gunilla Holm\n  Ordförande  Alma Berglund\n"
        "  Justerare  Cecilia Dahl\n"
        "  Justeringens plats och tid  Kommunhuset, Exempelby 2024-11-19",
        "Diarienummer  KFN 2024/61",
        "Jäv\n  Bertil Ceder anmäler jäv och deltar inte i handläggningen",
        "Yrkanden\n  Alma Berglund: Bifall till arbetsutskottets förslag.",
        "Ja (3): Alma Berglund, Fredrik Gran, Cecilia Dahl\n  Nej (1): Bertil Ceder",
        "Reservationer\n  Bertil Ceder: Höjda taxor drabbar",
        "Protokollsanteckningar\n  Cecilia Dahl: Centerpartiet",
        "Beslutsunderlag\n  Tjänsteskrivelse 2024-10-30\n  Förslag till taxor 2025",
    ]:
        assert expected in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '    "Cecilia Dahl",\n]\nno',
            '    "Cecilia Dahl",\n    "Gunilla Holm",\n]\nno',
            "items[2].votes[0].yes[3]: 'Gunilla Holm' voted but is not a decision-making member",
        ),
        (
            'yes = [\n    "Alma Berglund",',
            'yes = [\n    "Eva Fors",',
            "items[2].votes[0].yes[0]: 'Eva Fors' voted but was not present for §132",
        ),
        (
            'no = [\n    "Bertil Ceder",\n]',
            'no = [\n    "Bertil Ceder",\n    "Bertil Ceder",\n]',
            "items[2].votes[0]: 'Bertil Ceder' voted more than once",
        ),
        (
            'conflicts = [\n    "Bertil Ceder",',
            'conflicts = [\n    "Okänd Person",',
            "items[1].conflicts[0]: 'Okänd Person' declared a conflict of interest",
        ),
        (
            "item = 132",
            "item = 140",
            "breaks[0].item: names §140, which this meeting does not have",
        ),
        (
            "adjustment_date = 2024-11-19",
            "adjustment_date = 2024-11-01",
            "signatures.adjustment_date: the protocol is adjusted before the meeting",
        ),
    ],
)
def test_protocol_rules(protocol, old, new, message):
    text = protocol.read_text(encoding="utf-8")
    assert old in text
    protocol.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_meeting(protocol)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems
