"""load → dump is the identity: for any meeting, and byte for byte for canonical files."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tui.format.files import decode, dumps_body, dumps_meeting
from tui.format.reading import parse_toml
from tui.format.versions import VersionReader
from tui.problems import errors

from .strategies import bodies, meetings

ROOT = Path(__file__).resolve().parent.parent
SLOW = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _reread_meeting(text: str):
    problems = []
    meeting = decode.meeting(parse_toml(text), problems)
    assert not errors(problems), problems
    return meeting


@SLOW
@given(meetings())
def test_any_meeting_survives_dump_and_load(meeting):
    text = dumps_meeting(meeting)
    again = _reread_meeting(text)
    assert again == meeting
    assert dumps_meeting(again) == text


@SLOW
@given(bodies)
def test_any_body_survives_dump_and_load(body):
    text = dumps_body(body)
    problems = []
    again = decode.body(parse_toml(text), problems)
    assert not errors(problems)
    assert again == body
    assert dumps_body(again) == text


def test_bundled_files_are_canonical():
    files = sorted((ROOT / "meetings").rglob("*.toml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        problems = []
        document = parse_toml(text)
        if path.name == "body.toml":
            assert dumps_body(decode.body(document, problems)) == text, path
        else:
            assert dumps_meeting(decode.meeting(document, problems)) == text, path
        assert problems == [], path


def test_changing_one_sentence_of_a_decision_changes_one_line():
    text = (ROOT / "meetings/samverkansgrupp-kompetensforsorjning/2024-04-26.toml").read_text()
    meeting = _reread_meeting(text)
    item = meeting.item(13)
    item.summary = item.summary.replace("Svårt att få omställningsstöd.", "Svårt att få stöd.")
    changed = dumps_meeting(meeting).splitlines()
    before = text.splitlines()
    assert len(changed) == len(before)
    assert sum(a != b for a, b in zip(before, changed, strict=True)) == 1


@settings(SLOW, max_examples=50)  # two meetings an example, each read whole and by parts
@given(meetings(), meetings())
def test_versions_read_part_by_part_equal_whole_parses(first, second):
    reader = VersionReader()
    for meeting in (first, second, first):  # the second read of `first` reuses its parts
        text = dumps_meeting(meeting)
        assert reader.document(text) == tomllib.loads(text)


def test_a_string_holding_a_header_like_line_is_read_whole():
    text = (
        'schema = 1\nsummary = """\nIntro\n\n[[items]]\nnumber = 5\n"""\n\n[[items]]\nnumber = 9\n'
    )
    assert VersionReader().document(text) == tomllib.loads(text)
