"""The bundled meeting holds every fact of the seed minutes (tests/data/…-2024-04-26.txt)."""

from __future__ import annotations

import re

import pytest

from tui import render
from tui.archive import Archive

from .conftest import DATA, ROOT, SEED_FOLDER

SEED = (DATA / "minnesanteckningar-2024-04-26.txt").read_text(encoding="utf-8")
HEADINGS = {"Sammanfattning", "Förslag till beslut", "Beslut", "Beslutsunderlag"}


def _squash(text: str) -> str:
    """Compare letters only: the seed's PDF text breaks lines mid-word with hyphens."""
    return re.sub(r"[\s\-–]", "", text)


@pytest.fixture(scope="module")
def rendered() -> str:
    archive = Archive(ROOT)
    entry = archive.resolve("2024-04-26")
    meeting, warnings = archive.load(entry)
    assert warnings == []
    return render.as_text(render.blocks(meeting, archive.body_name(SEED_FOLDER)), width=10_000)


def test_attendance_matches_the_seed_person_by_person(rendered):
    start = SEED.index("Beslutande ledamöter")
    block = SEED[start : SEED.index("Vid minnesanteckningarna")]
    for label in ("Beslutande ledamöter", "Ej tjänstgörande ersättare", "Övriga närvarande"):
        block = block.replace(label, "")
    block = block.replace("(Köping ", "(Köping) ")  # the seed lost this parenthesis
    ours = rendered[rendered.index("Beslutande ledamöter") : rendered.index("Vid minnes")]
    for label in ("Beslutande ledamöter", "Ej tjänstgörande ersättare", "Övriga närvarande"):
        ours = ours.replace(label, "")
    assert _squash(ours) == _squash(block)


def test_every_section_title_appears(rendered):
    titles = re.findall(r"^\s*§(\d+) (.+?)\s*$", SEED, re.MULTILINE)
    assert [n for n, _ in titles] == [str(n) for n in range(9, 18)]
    for number, title in titles:
        assert f"§{number} {title}\n" in rendered


def test_every_sentence_of_every_item_appears(rendered):
    """Each text under a heading (summary, proposal, decision, documents), sentence by sentence."""
    texts, current = [], []
    for line in SEED[SEED.index("§9 Inledning") :].splitlines():
        if line.strip() in HEADINGS or re.match(r"^\s*§\d+ ", line):
            texts.append(" ".join(current))
            current = []
        else:
            current.append(line)
    texts.append(" ".join(current))
    sentences = [s for text in texts for s in re.split(r"(?<=[.?!”])\s+", text) if s.strip()]
    assert len(sentences) > 100
    squashed = _squash(rendered)
    assert [s for s in sentences if _squash(s) not in squashed] == []


def test_signature_and_next_meeting(rendered):
    assert "Vid minnesanteckningarna\n  Sekreterare  Elin Hellström" in rendered
    assert "Nästa sammanträde\n  fredag 13 september 2024 kl. 09:00" in rendered
