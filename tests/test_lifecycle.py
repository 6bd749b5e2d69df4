"""A protocol's life after the meeting, through the command line: signed by two people with
their own SSH keys, announced, appealed or in legal force, corrected after justering. Real
repository, real keys, real git; the days are given, the signatures dated by git's own clock
variable as if made on those days."""

from __future__ import annotations

import json

import pytest

from tui.archive import Archive
from tui.lifecycle import Protocols
from tui.repository import close_all

from .conftest import git
from .test_justering import FILE, _minutes, _use, keys, repo  # noqa: F401 (fixtures)

MEETING = "2024-11-14"


def _sign_on(repo, keys, monkeypatch, capsys, who: str, name: str, when: str) -> None:  # noqa: F811
    _use(repo, keys, who)
    close_all()  # a repository keeps the environment it was opened in
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    code, out = _minutes(repo, capsys, "sign", MEETING, "--as", name)
    close_all()
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert code == 0, out


def _justera(repo, keys, monkeypatch, capsys) -> None:  # noqa: F811
    """The chair signs on the 19th in the morning, the justerare an hour later."""
    _sign_on(repo, keys, monkeypatch, capsys, "alma", "Alma Berglund", "2024-11-19T10:00+01:00")
    _sign_on(repo, keys, monkeypatch, capsys, "cecilia", "Cecilia Dahl", "2024-11-19T11:00+01:00")


def _phrase(repo, today: str) -> str:  # noqa: F811
    import datetime as dt

    archive = Archive(repo)
    entry = archive.resolve(MEETING)
    meeting, _ = archive.load(entry)
    state = Protocols(archive).state(entry, meeting, dt.date.fromisoformat(today))
    assert state is not None
    return state.phrase()


def _due(repo, capsys, today: str) -> list[dict]:  # noqa: F811
    code, out = _minutes(repo, capsys, "due", "--json", "--today", today)
    assert code == 0
    return json.loads(out)["due"]


def test_from_draft_to_justerat_the_deadlines_follow(repo, keys, monkeypatch, capsys):  # noqa: F811
    assert _phrase(repo, "2024-11-20") == "utkast · justeras senast 2024-11-28 (8 dagar kvar)"
    [row] = _due(repo, capsys, "2024-11-20")
    assert (row["step"], row["due"], row["days_left"]) == ("to_adjust", "2024-11-28", 8)
    _sign_on(repo, keys, monkeypatch, capsys, "alma", "Alma Berglund", "2024-11-19T10:00+01:00")
    assert _phrase(repo, "2024-11-20").startswith(
        "signerat av 1 av 2 (saknas: Cecilia Dahl) · justeras senast 2024-11-28"
    )
    _sign_on(repo, keys, monkeypatch, capsys, "cecilia", "Cecilia Dahl", "2024-11-19T11:00+01:00")
    # Justerat on the 19th: the notice is due by the second day after, the 21st.
    assert _phrase(repo, "2024-11-20") == "justerat; anslås senast 2024-11-21 (1 dag kvar)"
    [row] = _due(repo, capsys, "2024-11-20")
    assert (row["step"], row["due"]) == ("to_post", "2024-11-21")


def test_a_notice_is_refused_before_justering_and_changes_no_signature(
    repo,  # noqa: F811
    keys,  # noqa: F811
    monkeypatch,
    capsys,
):
    before = git(repo, "rev-parse", "HEAD")
    code, out = _minutes(repo, capsys, "announce", MEETING, "--on", "2024-11-20", "--storage", "X")
    assert code == 2 and "not justerat (missing: Alma Berglund, Cecilia Dahl)" in out
    assert git(repo, "rev-parse", "HEAD") == before
    _justera(repo, keys, monkeypatch, capsys)
    code, out = _minutes(
        repo, capsys, "announce", MEETING, "--on", "2024-11-20", "--storage", "Kommunhuset"
    )
    assert code == 0, out
    # A notice is recorded after justering: no correction, and the signatures still count.
    assert git(repo, "log", "-1", "--format=%s") == f"{MEETING}: notice added\n"
    assert 'storage = "Kommunhuset"' in (repo / FILE).read_text()
    assert 'certified_by = "Gunilla Holm"' in (repo / FILE).read_text()
    code, out = _minutes(repo, capsys, "verify", MEETING)
    assert code == 0, out
    assert _phrase(repo, "2024-11-22") == "justerat 2024-11-19 · anslaget till 2024-12-11"
    code, out = _minutes(repo, capsys, "announce", MEETING, "--storage", "Kommunhuset")
    assert code == 2 and "posted 2024-11-20 already" in out


def test_without_an_appeal_it_gains_legal_force(repo, keys, monkeypatch, capsys):  # noqa: F811
    _justera(repo, keys, monkeypatch, capsys)
    _minutes(repo, capsys, "announce", MEETING, "--on", "2024-11-20", "--storage", "Kommunhuset")
    # Posted Wednesday 20 November: three weeks end Wednesday 11 December.
    assert _due(repo, capsys, "2024-12-11") == []
    [row] = _due(repo, capsys, "2024-12-12")
    assert row["step"] == "take_down"
    assert _phrase(repo, "2024-12-12") == (
        "justerat 2024-11-19 · laga kraft 2024-12-12; anslaget kan tas ned"
    )


def test_an_appeal_keeps_it_from_legal_force(repo, keys, monkeypatch, capsys):  # noqa: F811
    # Before justering the signers' versions must not part: an appeal waits until it is done.
    code, out = _minutes(repo, capsys, "appeal", MEETING, "132", "--on", "2024-11-18")
    assert code == 2 and "not justerat yet" in out
    _justera(repo, keys, monkeypatch, capsys)
    _minutes(repo, capsys, "announce", MEETING, "--on", "2024-11-20", "--storage", "Kommunhuset")
    code, out = _minutes(
        repo, capsys, "appeal", MEETING, "132", "--on", "2024-12-02", "--by", "Bertil Ceder"
    )
    assert code == 0, out
    assert git(repo, "log", "-1", "--format=%s") == f"{MEETING}: appeals added\n"
    assert "överklagat 2024-12-02 (§132)" in _phrase(repo, "2024-12-20")
    code, out = _minutes(repo, capsys, "appeal", MEETING, "200")
    assert code == 2 and "no §200" in out


def test_a_correction_after_justering_says_so_everywhere(repo, keys, monkeypatch, capsys):  # noqa: F811
    _justera(repo, keys, monkeypatch, capsys)
    code, _ = _minutes(repo, capsys, "set", MEETING, "§131.decision", "Föreningen beviljas 30 000.")
    assert code == 0
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject.startswith("Rättelse efter justering: 2024-11-14 §131: decision changed")
    assert _phrase(repo, "2024-11-20").startswith("ÄNDRAT EFTER JUSTERING · justerat; anslås")
    code, out = _minutes(repo, capsys, "verify", MEETING)
    assert code == 1 and "§131: decision changed" in out and "[-40-]{+30+}" in out
    code, out = _minutes(repo, capsys, "check", "--today", "2024-11-20")
    assert "changed since it was justerat" in out
    # The log of the protocol opens with its justering and all that changed since.
    code, out = _minutes(repo, capsys, "log", MEETING)
    head = out.split("commit ", 1)[0]
    assert "justerat 2024-11-19" in head and "CHANGED since justering (committed)" in head
    assert "[-40-]{+30+}" in head


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2024-11-28", []),
        ("2024-11-29", ["not adjusted (justerat) by 2024-11-28"]),
    ],
)
def test_check_warns_of_a_missed_justering(repo, capsys, today, expected):  # noqa: F811
    code, out = _minutes(repo, capsys, "check", "--today", today)
    assert code == 0
    assert [text for text in expected if text not in out] == []
    assert ("not adjusted" in out) == bool(expected)


def test_a_meeting_named_as_due_names_it_works_in_every_command(repo, capsys):  # noqa: F811
    [row] = _due(repo, capsys, "2024-11-20")
    for name in (row["meeting"], row["meeting"].removesuffix(".toml")):
        code, out = _minutes(repo, capsys, "verify", name)
        assert code == 1 and "not justerat" in out, out
