"""History and the semantic diff: how a meeting and its decisions changed, and who changed them."""

from __future__ import annotations

import copy
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main
from tui.diff import Change, diff_meetings, word_diff
from tui.format.files import load_meeting
from tui.history import History
from tui.model import Attendee, Item
from tui.report import change_lines
from tui.repository import Repository

from .conftest import ROOT, SEED_FOLDER, git
from .test_saving import SEED, _decide, _save


@pytest.fixture
def seed():
    return load_meeting(ROOT / "meetings" / SEED_FOLDER / "2024-04-26.toml")[0]


# --- the semantic diff ---------------------------------------------------------------------


def test_word_diff_marks_deleted_and_inserted_words():
    assert word_diff("Informationen noteras.", "Informationen noteras och godkänns.") == [
        ("=", "Informationen noteras"),
        ("+", " och godkänns"),
        ("=", "."),
    ]
    assert word_diff("a b c", "a x c") == [("=", "a "), ("-", "b"), ("+", "x"), ("=", " c")]


def test_decisions_come_first(seed):
    new = copy.deepcopy(seed)
    new.place = "Digitalt"
    new.item(12).summary = "Kortare."
    new.item(15).decision = "Beslutet ändras."
    assert [c.describe() for c in diff_meetings(seed, new)] == [
        "§15: decision changed",
        "§12: summary changed",
        "place changed",
    ]


def test_items_are_matched_by_number_and_title(seed):
    new = copy.deepcopy(seed)
    new.items.pop(7)  # §16 removed
    new.items[-1].number = 16  # §17 Övriga frågor renumbered
    new.items.append(Item(17, "Avslutning", summary="Mötet avslutas."))
    new.item(9).title = "Välkommen"
    described = [c.describe() for c in diff_meetings(seed, new)]
    assert described == [
        "§16 Nästa möte removed",
        "§17 renumbered to §16",
        "§17 Avslutning added",
        "§9: title changed",
    ]


def test_attendees_are_matched_by_name(seed):
    new = copy.deepcopy(seed)
    new.attendance.members[1].present = [9, 10, 11]
    new.attendance.others.pop()
    new.attendance.substitutes.append(Attendee("Lisa Ek", party="MP"))
    person = new.attendance.substitutes.pop(0)  # Per Norin moves to the members
    new.attendance.members.append(person)
    changes = diff_meetings(seed, new)
    assert [c.describe() for c in changes] == [
        "Janeth Persson: present changed",
        "Per Norin: group changed",
        "Lisa Ek added to attendance",
        "Arne Andersson removed from attendance",
    ]
    assert (changes[0].old, changes[0].new) == ("§§9–12", "§§9–11")


def test_next_meeting_and_protocol_parts(seed):
    new = copy.deepcopy(seed)
    new.next_meeting.date = dt.date(2024, 9, 20)
    new.item(11).documents = ["Bilaga 1"]
    assert [c.describe() for c in diff_meetings(seed, new)] == [
        "§11: documents added",
        "next meeting date changed",
    ]


# --- history in a real repository ----------------------------------------------------------


def test_history_of_a_meeting_newest_first_with_its_changes(repo_dir):
    _save(repo_dir, _decide("Första."))
    _save(repo_dir, _decide("Andra."), author="Per Norin <per@example.org>")
    versions = History(Repository(repo_dir)).of(repo_dir / SEED)
    assert [(v.author, v.subject) for v in versions] == [
        ("Per Norin", "2024-04-26 §11: decision changed"),
        ("Elin Hellström", "2024-04-26 §11: decision changed"),
        ("Elin Hellström", "The archive"),
    ]
    (change,) = versions[0].changes
    assert change.words == (("-", "Första"), ("+", "Andra"), ("=", "."))
    assert versions[2].changes[0].kind == "added"


def test_history_follows_renames_and_survives_an_unreadable_version(repo_dir):
    path = repo_dir / SEED
    good = path.read_text()
    path.write_text(good + "\n[[items]\n")
    git(repo_dir, "commit", "--quiet", "-am", "Broken by hand")
    path.write_text(good.replace("Mälaren", "Vänern"))
    git(repo_dir, "commit", "--quiet", "-am", "Fixed by hand")
    renamed = f"meetings/{SEED_FOLDER}/2024-04-26-samverkan.toml"
    git(repo_dir, "mv", SEED, renamed)
    git(repo_dir, "commit", "--quiet", "-m", "Renamed")
    versions = History(Repository(repo_dir)).of(repo_dir / renamed)
    assert [v.subject for v in versions] == [
        "Renamed",
        "Fixed by hand",
        "Broken by hand",
        "The archive",
    ]
    assert versions[0].path == renamed and versions[0].changes == []
    assert "cannot be read" in versions[1].problem
    assert "cannot be read" in versions[2].problem


def test_decision_log_across_the_archive(repo_dir):
    _save(repo_dir, _decide("Första."))

    def place(meeting):
        meeting.place = "Digitalt"

    _save(repo_dir, place)
    log = History(Repository(repo_dir)).decision_log(repo_dir / "meetings")
    assert [(v.subject, [c.describe() for c in v.changes]) for v in log] == [
        ("2024-04-26 §11: decision changed", ["§11: decision changed"])
    ]


def test_diffs_are_remembered_by_blob_ids(repo_dir):
    _save(repo_dir, _decide("Första."))
    History(Repository(repo_dir)).of(repo_dir / SEED)
    assert (repo_dir / ".git" / "minutes" / "diffs.json").exists()
    again = History(Repository(repo_dir)).of(repo_dir / SEED)
    assert again[0].changes[0].new == "Första."
    assert again[0].changes[0].words == (
        ("-", "Informationen noteras"),
        ("+", "Första"),
        ("=", "."),
    )


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def minutes(repo_dir, capsys):
    def run(*args: str):
        code = main(["--repo", str(repo_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_set_log_diff_and_undo(minutes, repo_dir):
    code, out, _ = minutes("set", "2024-04-26", "§11.decision", "Informationen godkänns.")
    commit = git(repo_dir, "rev-parse", "HEAD").strip()
    assert (code, out) == (
        0,
        f"[{commit[:8]}] 2024-04-26 §11: decision changed\ncommitted to {repo_dir}\n",
    )
    minutes("set", "2024-04-26", "Per Norin.remote", "yes")
    code, out, _ = minutes("log", "2024-04-26", "--decisions")
    assert out.count("commit ") == 1
    assert "    Informationen [-noteras-]{+godkänns+}.\n" in out
    (repo_dir / SEED).write_text((repo_dir / SEED).read_text().replace("Mälaren", "Vänern"))
    code, out, _ = minutes("diff", "2024-04-26")
    assert out == (
        "place changed\n    Sammanträdesrum Mälaren, Regionhuset, Västerås"
        " → Sammanträdesrum Vänern, Regionhuset, Västerås\n"
    )
    code, out, _ = minutes("diff", "2024-04-26", "HEAD~2", "HEAD")
    assert out.startswith("§11: decision changed\n")
    git(repo_dir, "checkout", "--", SEED)
    code, out, _ = minutes("undo")
    assert out.endswith(f'Undo "2024-04-26 Per Norin: remote changed"\ncommitted to {repo_dir}\n')
    code, out, _ = minutes("log", "-n", "1")
    assert "Per Norin: remote changed\n      yes → no\n" in out


def test_a_short_value_reads_old_to_new_not_as_glued_words(minutes, repo_dir):
    minutes("set", "2024-04-26", "start", "11:30")
    assert "  start changed\n      09:00 → 11:30\n" in minutes("log", "2024-04-26", "-n", "1")[1]
    assert minutes("diff", "2024-04-26", "HEAD~1", "HEAD")[1] == (
        "start changed\n    09:00 → 11:30\n"  # not 0911:0030
    )
    minutes("set", "2024-04-26", "§9.cases", "RV 2024/1")
    out = minutes("log", "2024-04-26", "-n", "1")[1]
    assert "  §9: cases added\n      RV 2024/1\n" in out  # an added value is shown as it is


def test_a_short_value_in_a_terminal_marks_the_old_and_the_new():
    change = Change("meeting", "start", "start", old="09:00", new="11:30")
    assert change_lines(change, colour=True) == [
        "start changed",
        "    \x1b[31;9m09:00\x1b[0m → \x1b[32m11:30\x1b[0m",
    ]


def test_set_refuses_clearly(minutes):
    assert minutes("set", "2024-04-26", "§99.decision", "x")[::2] == (
        2,
        "minutes: the meeting has no §99\n",
    )
    assert minutes("set", "2024-04-26", "§11.colour", "x")[0] == 2
    code, _, err = minutes("set", "2024-04-26", "end", "08:00")
    assert code == 1 and "end: ends (08:00) before it starts (09:00)" in err


def test_writes_outside_any_archive_refuse_the_bundled_one(tmp_path, monkeypatch, capsys):
    from tui.archive import BUNDLED

    monkeypatch.chdir(tmp_path)  # no meetings/ here or above: the bundled archive is read
    assert main(["show", "latest"]) == 0
    capsys.readouterr()
    before = git(BUNDLED, "status", "--porcelain")
    for command in (["set", "2024-04-26", "§11.decision", "x"], ["undo"]):
        assert main(command) == 2
        out, err = capsys.readouterr()
        assert out == "" and f"no archive in {tmp_path} or above" in err and "--repo" in err
    assert git(BUNDLED, "status", "--porcelain") == before


def test_diff_with_an_unknown_revision(minutes):
    code, _, err = minutes("diff", "2024-04-26", "nosuchrev")
    assert code == 2
    assert err.startswith("minutes: 'nosuchrev' is not a commit in ")


def test_init_creates_a_repository_with_the_layout(tmp_path, capsys):
    assert main(["init", str(tmp_path / "nytt"), "--body", "Kultur- och fritidsnämnden"]) == 0
    body = tmp_path / "nytt" / "meetings" / "kultur-och-fritidsnamnden" / "body.toml"
    assert 'name = "Kultur- och fritidsnämnden"' in body.read_text()
    assert (tmp_path / "nytt" / ".git").is_dir()


@given(st.text("ab .\n\r§ä", max_size=30), st.text("ab .\n\r§ä", max_size=30))
def test_a_word_diff_rebuilds_both_texts(old, new):
    words = word_diff(old, new)
    assert "".join(text for op, text in words if op != "+") == old
    assert "".join(text for op, text in words if op != "-") == new
    assert all(text for _, text in words)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(words))


def test_an_item_moved_without_renumbering(seed):
    new = copy.deepcopy(seed)
    new.items[1], new.items[2] = new.items[2], new.items[1]
    assert [c.describe() for c in diff_meetings(seed, new)] == ["§10 moved", "§11 moved"]


def test_diff_of_an_empty_committed_file_says_so(minutes, repo_dir):
    empty = f"meetings/{SEED_FOLDER}/2024-05-01.toml"
    (repo_dir / empty).write_text("")
    git(repo_dir, "add", empty)
    git(repo_dir, "commit", "--quiet", "-m", "empty")
    code, out, err = minutes("diff", str(repo_dir / empty), "HEAD")
    assert (code, out) == (1, "") and err.endswith("2024-05-01.toml at HEAD: is empty\n")


def test_log_takes_only_a_positive_count(minutes):
    with pytest.raises(SystemExit) as stopped:
        minutes("log", "-n", "-5")
    assert stopped.value.code == 2
