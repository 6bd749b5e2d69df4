"""A protocol's life used as a secretary would, and pushed where it may break: a file that
cannot be read, a deadline on a Saturday, an English protocol, a cache folder that cannot be
written, a protocol moved to another date after justering, an appeal out of time, an undo
reaching back past justering, chairs taking turns, two announcements at once. Real
repositories, real SSH keys, real git and real processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tui
from tui.deadlines import Step, missed, stage
from tui.format.files import load_meeting
from tui.justering import sign
from tui.model import Appeal, Notice
from tui.repository import close_all, repository_for
from tui.saving import move_meeting

from .conftest import git
from .test_justering import (  # noqa: F401 (fixtures)
    ALLOWED_SIGNERS,
    FILE,
    HOSTILE,
    _edit,
    _listed,
    _minutes,
    _tag_by_hand,
    _use,
    keys,
    repo,
)
from .test_lifecycle import MEETING, _due, _justera, _phrase, _sign_on

FOLDER = "meetings/kultur-och-fritidsnamnden"


def _version(repo: Path) -> str:  # noqa: F811
    """The meeting file's version at HEAD."""
    return git(repo, "rev-parse", f"HEAD:{FILE}").strip()


def _announce(repo, capsys, on: str = "2024-11-20") -> None:  # noqa: F811
    code, out = _minutes(repo, capsys, "announce", MEETING, "--on", on, "--storage", "Arkivet")
    assert code == 0, out


# --- due, verify and their days ------------------------------------------------------------


def test_due_names_the_protocols_it_cannot_read_and_claims_nothing_of_them(repo, capsys):  # noqa: F811
    (repo / FOLDER / "2024-12-05.toml").write_text(
        'schema = 1\nkind = "protokoll"\ndate = 2024-12-05\n[[items]\n'
    )
    code, out = _minutes(repo, capsys, "due", "--today", "2024-11-20")
    assert code == 1
    assert "kultur-och-fritidsnamnden/2024-11-14.toml  " in out  # the others are still listed
    assert "kultur-och-fritidsnamnden/2024-12-05.toml: cannot be read" in out
    code, out = _minutes(repo, capsys, "due", "--json", "--today", "2024-11-20")
    found = json.loads(out.partition("\n")[0])
    assert code == 1 and found["unreadable"] == ["kultur-och-fritidsnamnden/2024-12-05.toml"]
    # Once the readable protocol is done with, `due` does not say every protocol is.
    (repo / FILE).unlink()
    code, out = _minutes(repo, capsys, "due", "--today", "2024-11-20")
    assert code == 1 and "every protocol" not in out


def test_verify_gives_the_day_the_law_gives_when_the_fourteenth_is_a_saturday(repo, capsys):  # noqa: F811
    # Held Saturday 16 November: the fourteenth day, Saturday 30 November, moves to Monday
    # 2 December (lagen 1930:173, 2 §); `due` and `verify` say the same day.
    moved = f"{FOLDER}/2024-11-16.toml"
    git(repo, "mv", FILE, moved)
    text = (repo / moved).read_text()
    (repo / moved).write_text(text.replace("date = 2024-11-14", "date = 2024-11-16"))
    git(repo, "commit", "--quiet", "-am", "Held on the 16th")
    [row] = _due(repo, capsys, "2024-11-20")
    assert row["due"] == "2024-12-02"
    code, out = _minutes(repo, capsys, "verify", "2024-11-16")
    assert code == 1 and f"{moved}: not justerat (due by 2024-12-02" in out


def test_due_speaks_the_protocols_language(repo, capsys):  # noqa: F811
    _edit(repo, 'language = "sv"', 'language = "en"')
    code, out = _minutes(repo, capsys, "due", "--today", "2024-11-20")
    assert code == 0 and out.endswith(": to be adjusted by 2024-11-28 (8 days left)\n")
    [row] = _due(repo, capsys, "2024-11-20")
    assert row["text"] == "to be adjusted by 2024-11-28 (8 days left)"


def test_a_cache_folder_that_cannot_be_written_stops_no_reading_command(
    repo,  # noqa: F811
    keys,  # noqa: F811
    monkeypatch,
    capsys,
):
    """Where verified signatures are remembered (.git/minutes) cannot be made: a clone on a
    read-only disk, or (as here, where tests may run as root) a file in its place."""
    _justera(repo, keys, monkeypatch, capsys)
    shutil.rmtree(repo / ".git" / "minutes")
    (repo / ".git" / "minutes").write_text("not a folder\n")
    code, out = _minutes(repo, capsys, "verify")
    assert code == 0 and f"{FILE}: justerat 2024-11-19" in out, out
    code, out = _minutes(repo, capsys, "due", "--today", "2024-11-20")
    assert code == 0 and "anslås senast 2024-11-21" in out, out
    code, out = _minutes(repo, capsys, "check", "--today", "2024-11-20")
    assert code == 0 and "cannot" not in out, out
    assert list(Path(tempfile.gettempdir()).glob("minutes-allowed-*")) == []  # none left


# --- a protocol moved after justering ------------------------------------------------------


def test_a_protocol_moved_after_justering_keeps_its_signatures_from_its_former_name(
    repo,  # noqa: F811
    keys,  # noqa: F811
    monkeypatch,
    capsys,
):
    _justera(repo, keys, monkeypatch, capsys)
    signed = _version(repo)
    meeting, _ = load_meeting(repo / FILE)
    meeting.date = dt.date(2024, 11, 15)
    saved = move_meeting(repository_for(repo), repo / FILE, meeting, (repo / FILE).read_text())
    assert saved.subject == "Rättelse efter justering: 2024-11-14 → 2024-11-15: meeting moved"
    new = f"{FOLDER}/2024-11-15.toml"
    for name, file in (("a", "/etc/passwd"), ("b", "../../x/y/z"), ("c", ":(exclude)meetings/x/y")):
        # Tags anyone could make naming files that are gone: never a path outside, nor a pattern.
        _tag_by_hand(repo, keys["bertil"], name, signed, **{"Meeting-File": file})
    code, out = _minutes(repo, capsys, "verify", "2024-11-15")
    assert code == 1
    assert f"{new}: justerat 2024-11-19 (version {signed[:12]})" in out
    assert f"  signed under its former name {FILE}\n" in out
    assert "  CHANGED since justering (committed):\n    date changed\n" in out
    assert "missing" not in out
    assert _phrase_of(repo, "2024-11-15", "2024-11-20") == (
        "ÄNDRAT EFTER JUSTERING · justerat; anslås senast 2024-11-21 (1 dag kvar)"
    )
    code, _ = _minutes(repo, capsys, "set", "2024-11-15", "place", "Lilla salen")
    assert code == 0
    assert git(repo, "log", "-1", "--format=%s").startswith("Rättelse efter justering: ")


def _phrase_of(repo: Path, meeting: str, today: str) -> str:  # noqa: F811
    from tui.archive import Archive
    from tui.lifecycle import Protocols

    archive = Archive(repo)
    entry = archive.resolve(meeting)
    state = Protocols(archive).state(entry, archive.load(entry)[0], dt.date.fromisoformat(today))
    assert state is not None
    return state.phrase()


# --- appeals out of time --------------------------------------------------------------------


def test_an_appeal_after_the_period_is_recorded_with_a_warning_and_stops_no_legal_force(
    repo,  # noqa: F811
    keys,  # noqa: F811
    monkeypatch,
    capsys,
):
    """A late appeal is dismissed by the court (KL 13 kap. 5 §): the protocol records what was
    received, says it came late, and its decisions gain legal force all the same."""
    _justera(repo, keys, monkeypatch, capsys)
    _announce(repo, capsys)  # Wednesday 20 November: appeals until Wednesday 11 December
    code, out = _minutes(
        repo, capsys, "appeal", MEETING, "132", "--on", "2024-12-12", "--by", "Bertil Ceder"
    )
    assert code == 0, out
    assert "lodged 2024-12-12, after the appeal period ended 2024-12-11" in out
    assert git(repo, "log", "-1", "--format=%s") == f"{MEETING}: appeals added\n"
    assert _phrase(repo, "2024-12-20") == (
        "justerat 2024-11-19 · laga kraft 2024-12-12; anslaget kan tas ned"
    )
    code, out = _minutes(repo, capsys, "check", "--today", "2024-12-20")
    assert code == 0
    assert (
        "appeals[0].date: warning: lodged 2024-12-12, after the appeal period ended 2024-12-11"
        in out
    )


def test_a_notice_or_an_appeal_dated_after_today_is_refused(repo, capsys):  # noqa: F811
    before = git(repo, "rev-parse", "HEAD")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for command in (["announce", MEETING, "--storage", "Arkivet"], ["appeal", MEETING, "132"]):
        code, out = _minutes(repo, capsys, *command, "--on", tomorrow)
        assert (code, out) == (
            2,
            f"minutes: --on {tomorrow} is after today: record it once it has happened\n",
        )
    assert git(repo, "rev-parse", "HEAD") == before


def test_only_the_appeals_in_time_keep_their_paragraphs_from_legal_force(repo):  # noqa: F811
    meeting, _ = load_meeting(repo / FILE)
    meeting.notice = Notice(dt.date(2024, 11, 20))
    meeting.appeals = [
        Appeal([131], dt.date(2024, 12, 12), "late"),
        Appeal([132], dt.date(2024, 12, 11), "on the last day"),
    ]
    now = stage(meeting, dt.date(2024, 11, 19), dt.date(2024, 12, 20))
    assert now is not None and now.step == Step.TAKE_DOWN
    assert (now.appealed, now.appealed_on, now.in_force) == ((132,), dt.date(2024, 12, 11), None)
    warned = missed(meeting, dt.date(2024, 11, 19), dt.date(2024, 12, 20))
    assert [p.where for p in warned] == ["appeals[0].date"]


# --- undo and corrections -------------------------------------------------------------------


def test_an_undo_reaching_back_past_justering_is_a_correction(repo, keys, monkeypatch, capsys):  # noqa: F811
    code, _ = _minutes(repo, capsys, "set", MEETING, "§131.decision", "Föreningen beviljas 35 000.")
    assert code == 0
    _justera(repo, keys, monkeypatch, capsys)  # the 35 000 is justerat
    signed = _version(repo)
    code, out = _minutes(repo, capsys, "undo")
    assert code == 0, out
    subject = 'Rättelse efter justering: Undo "2024-11-14 §131: decision changed"'
    assert git(repo, "log", "-1", "--format=%s") == subject + "\n"
    assert f"Justerad-Version: {signed}\n" in git(repo, "log", "-1", "--format=%B")


def test_undoing_a_correction_is_no_new_correction(repo, keys, monkeypatch, capsys):  # noqa: F811
    _justera(repo, keys, monkeypatch, capsys)
    _minutes(repo, capsys, "set", MEETING, "§131.decision", "Föreningen beviljas 30 000.")
    code, out = _minutes(repo, capsys, "undo")
    assert code == 0, out
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject == 'Undo "Rättelse efter justering: 2024-11-14 §131: decision changed"\n'
    code, out = _minutes(repo, capsys, "verify", MEETING)
    assert code == 0 and "CHANGED" not in out


# --- chairs taking turns --------------------------------------------------------------------


def test_chairs_taking_turns_each_sign_and_are_told_their_paragraphs(
    repo,  # noqa: F811
    keys,  # noqa: F811
    monkeypatch,
    capsys,
):
    chairs = "Alma Berglund §130-131\nBertil Ceder §132-133"
    assert _minutes(repo, capsys, "set", MEETING, "signatures.chairs", chairs)[0] == 0
    _minutes(repo, capsys, "set", MEETING, "§133.adjusted_immediately", "yes")
    _use(repo, keys, "alma")
    code, out = _minutes(repo, capsys, "sign", MEETING, "--as", "Alma Berglund", "--item", "133")
    assert code == 2
    assert out == (
        f"minutes: Alma Berglund may not sign §133 of {FILE} (chair of §§130–131 only); who "
        "may: Bertil Ceder (chair), Cecilia Dahl (adjuster), Gunilla Holm (secretary)\n"
    )
    # The whole protocol needs both chairs: each signs for the §§ they chaired.
    _justera(repo, keys, monkeypatch, capsys)
    code, out = _minutes(repo, capsys, "verify", MEETING)
    assert code == 1
    assert "  signed  Alma Berglund, chair of §§130–131, " in out
    assert "  missing  Bertil Ceder, chair of §§132–133\n" in out
    _sign_on(repo, keys, monkeypatch, capsys, "bertil", "Bertil Ceder", "2024-11-19T12:00+01:00")
    code, out = _minutes(repo, capsys, "verify", MEETING)
    assert code == 0 and f"{FILE}: justerat 2024-11-19" in out


def test_a_file_never_committed_is_said_to_be_so_when_signed(repo, keys, capsys):  # noqa: F811
    new = repo / FOLDER / "2024-11-15.toml"
    new.write_text((repo / FILE).read_text().replace("date = 2024-11-14", "date = 2024-11-15"))
    _use(repo, keys, "alma")
    code, out = _minutes(repo, capsys, "sign", "2024-11-15", "--as", "Alma Berglund")
    assert (code, out) == (
        2,
        f"minutes: {FOLDER}/2024-11-15.toml is not committed yet: save first, then sign (a "
        "signature covers the committed version)\n",
    )


# --- names -------------------------------------------------------------------------------


def test_a_signature_by_a_name_with_control_characters_counts_in_the_phrase(repo, keys):  # noqa: F811
    _edit(repo, '"Cecilia Dahl",\n]', f'"{HOSTILE}",\n]')
    name = load_meeting(repo / FILE)[0].signatures.adjusters[0]
    allowed = repo / ALLOWED_SIGNERS
    allowed.write_text(allowed.read_text() + _listed(keys, "hostile", name, comment=False))
    git(repo, "commit", "--quiet", "-am", "A name with control characters may sign")
    _use(repo, keys, "hostile")
    signed = sign(repository_for(repo), repo / FILE, load_meeting(repo / FILE)[0], name)
    assert signed.counts
    assert _phrase(repo, "2024-11-20").startswith("signerat av 1 av 2 (saknas: Alma Berglund)")


# --- two processes at once ------------------------------------------------------------------


def test_two_announcements_at_once_make_one_notice(repo, keys, monkeypatch, capsys):  # noqa: F811
    _justera(repo, keys, monkeypatch, capsys)
    close_all()
    env = os.environ | {"PYTHONPATH": str(Path(tui.__file__).parent.parent)}
    command = [sys.executable, "-m", "tui", "--repo", str(repo), "announce", MEETING]
    runs = [
        subprocess.Popen(
            [*command, "--on", "2024-11-20", "--storage", place],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for place in ("Arkivet", "Kansliet")
    ]
    results = sorted((run.wait(timeout=60), run.stdout.read()) for run in runs if run.stdout)
    assert [code for code, _ in results] == [0, 2]
    assert "the notice was posted 2024-11-20 already" in results[1][1]
    assert (repo / FILE).read_text().count("[notice]") == 1
    assert git(repo, "log", "-2", "--format=%s").splitlines()[0] == f"{MEETING}: notice added"
