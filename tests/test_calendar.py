"""`minutes calendar`: the archive as iCalendar, read back with icalendar and imported into real
calendar programs (calcurse, khal) in two time zones. Real git repositories throughout."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tui.archive import Archive
from tui.calendar_feed import calendar, checked_base_url
from tui.cli import main
from tui.format.files import dumps_body, load_meeting
from tui.format.reading import read_text
from tui.model import Body, Meeting, NextMeeting
from tui.repository import repository_for
from tui.saving import move_meeting, save_meeting

from .conftest import SEED_FOLDER, git

D = dt.date
BODY = "Samverkansgrupp Kompetensförsörjning 2023"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _events(data: bytes) -> dict[dt.date, icalendar.Event]:
    """The calendar's events by their day; one a day in these archives."""
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    by_day = {_day(event): event for event in events}
    assert len(by_day) == len(events)
    return by_day


def _day(event: icalendar.Event) -> dt.date:
    start = event.decoded("dtstart")
    return start.date() if isinstance(start, dt.datetime) else start


def _uids(repo: Path) -> dict[dt.date, str]:
    return {day: str(event["uid"]) for day, event in _events(calendar(Archive(repo))).items()}


def _path(repo: Path, date: D, folder: str = SEED_FOLDER) -> Path:
    return repo / "meetings" / folder / f"{date}.toml"


def _save(repo: Path, meeting: Meeting, folder: str = SEED_FOLDER) -> Path:
    """Save a meeting as the app does: one commit."""
    path = _path(repo, meeting.date, folder)
    base = read_text(path)[0] if path.exists() else None
    save_meeting(repository_for(repo), path, meeting, base)
    return path


def _edit(repo: Path, date: D, change) -> None:
    path = _path(repo, date)
    meeting, _ = load_meeting(path)
    change(meeting)
    save_meeting(repository_for(repo), path, meeting, read_text(path)[0])


def _move(repo: Path, date: D, to: D) -> None:
    """Give a meeting another day as the app's form does: the file renamed in one commit."""
    path = _path(repo, date)
    meeting, _ = load_meeting(path)
    meeting.date = to
    move_meeting(repository_for(repo), path, meeting, read_text(path)[0])


def _postpone(date: D):
    def change(meeting: Meeting) -> None:
        assert meeting.next_meeting is not None
        meeting.next_meeting.date = date

    return change


# --- what is in it -------------------------------------------------------------------------


def test_the_bundled_archive_is_its_meeting_and_the_next_one_decided(repo_dir):
    data = calendar(Archive(repo_dir))
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed["version"] == "2.0" and parsed["x-wr-calname"] == BODY
    (zone,) = parsed.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Stockholm"
    held, decided = _events(data).values()
    assert held.decoded("dtstart") == dt.datetime(2024, 4, 26, 9, tzinfo=STOCKHOLM)
    assert held.decoded("dtend") == dt.datetime(2024, 4, 26, 12, tzinfo=STOCKHOLM)
    assert held["dtstart"].params["tzid"] == "Europe/Stockholm"
    assert held["summary"] == BODY
    assert held["location"] == "Sammanträdesrum Mälaren, Regionhuset, Västerås"
    assert decided.decoded("dtstart") == dt.datetime(2024, 9, 13, 9, tzinfo=STOCKHOLM)
    assert "dtend" not in decided and "location" not in decided
    assert decided["description"].startswith("Hålls tillsammans med Västmanlands kompetensråd.")
    assert [e["status"] for e in (held, decided)] == ["CONFIRMED", "CONFIRMED"]
    assert str(held["uid"]) == f"{SEED_FOLDER}+2024-04-26@minutes.invalid"
    assert str(decided["uid"]) == f"{SEED_FOLDER}+2024-04-26+next@minutes.invalid"
    assert "url" not in held
    # DTSTAMP is the commit's time, not the clock's.
    committed = int(git(repo_dir, "log", "-1", "--format=%ct"))
    assert held.decoded("dtstamp") == dt.datetime.fromtimestamp(committed, dt.UTC)
    assert held.decoded("sequence") == 1


def test_a_meeting_without_a_time_is_a_whole_day(repo_dir):
    _save(repo_dir, Meeting(D(2024, 10, 4)))
    event = _events(calendar(Archive(repo_dir)))[D(2024, 10, 4)]
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (D(2024, 10, 4), D(2024, 10, 5))


def test_the_file_of_a_decided_meeting_is_the_same_event(repo_dir):
    before = _events(calendar(Archive(repo_dir)))[D(2024, 9, 13)]
    _save(repo_dir, Meeting(D(2024, 9, 13), end=dt.time(11, 30), place="Rum 2"))
    after = _events(calendar(Archive(repo_dir)))[D(2024, 9, 13)]
    assert after["uid"] == before["uid"]
    assert after.decoded("sequence") > before.decoded("sequence")
    assert after.decoded("dtstart") == dt.datetime(2024, 9, 13, 9, tzinfo=STOCKHOLM)  # decided
    assert after.decoded("dtend") == dt.datetime(2024, 9, 13, 11, 30, tzinfo=STOCKHOLM)
    assert (after["location"], after["description"]) == ("Rum 2", before["description"])


def test_a_meeting_keeps_its_uid_when_edited_and_moved(repo_dir):
    uid = _uids(repo_dir)[D(2024, 9, 13)]
    _edit(repo_dir, D(2024, 4, 26), _postpone(D(2024, 9, 20)))  # the decided day moves
    assert _uids(repo_dir)[D(2024, 9, 20)] == uid
    _save(repo_dir, Meeting(D(2024, 9, 20), start=dt.time(10)))  # its file is made
    _edit(repo_dir, D(2024, 9, 20), lambda m: setattr(m, "place", "Rum 3"))
    assert _uids(repo_dir)[D(2024, 9, 20)] == uid
    _move(repo_dir, D(2024, 9, 20), D(2024, 9, 27))  # the file moves; the decision stays
    uids = _uids(repo_dir)
    assert uids[D(2024, 9, 27)] == uid
    assert D(2024, 9, 20) not in uids  # the decision is the moved meeting, not another
    _edit(repo_dir, D(2024, 4, 26), _postpone(D(2024, 9, 27)))  # and catches up
    assert _uids(repo_dir) == uids


def test_a_meeting_no_decision_names_keeps_the_uid_of_its_first_file(repo_dir):
    _save(repo_dir, Meeting(D(2024, 6, 3), start=dt.time(13)))  # an extra meeting
    uid = _uids(repo_dir)[D(2024, 6, 3)]
    assert uid == f"{SEED_FOLDER}+2024-06-03@minutes.invalid"
    _move(repo_dir, D(2024, 6, 3), D(2024, 6, 10))
    _edit(repo_dir, D(2024, 6, 10), lambda m: setattr(m, "start", dt.time(14)))
    assert _uids(repo_dir)[D(2024, 6, 10)] == uid
    # A new meeting made on the day the first moved from is another meeting.
    _save(repo_dir, Meeting(D(2024, 6, 3)))
    uids = _uids(repo_dir)
    assert uids[D(2024, 6, 10)] == uid and uids[D(2024, 6, 3)] != uid
    assert len(set(uids.values())) == len(uids)


def test_a_body_folder_renamed_keeps_its_meetings_uids(repo_dir):
    uids = _uids(repo_dir)
    git(repo_dir, "mv", f"meetings/{SEED_FOLDER}", "meetings/kompetens")
    git(repo_dir, "commit", "--quiet", "-m", "A shorter folder")
    assert _uids(repo_dir) == uids


def test_a_cancelled_meeting_stays_marked_cancelled(repo_dir):
    _save(repo_dir, Meeting(D(2024, 9, 13), cancelled=True))
    event = _events(calendar(Archive(repo_dir)))[D(2024, 9, 13)]
    assert event["status"] == "CANCELLED"
    assert event["summary"] == f"Inställt: {BODY}"
    assert event.decoded("dtstart") == dt.datetime(2024, 9, 13, 9, tzinfo=STOCKHOLM)
    _edit(repo_dir, D(2024, 9, 13), lambda m: setattr(m, "language", "en"))
    assert _events(calendar(Archive(repo_dir)))[D(2024, 9, 13)]["summary"] == f"Cancelled: {BODY}"
    _edit(repo_dir, D(2024, 9, 13), lambda m: setattr(m, "cancelled", False))
    again = _events(calendar(Archive(repo_dir)))[D(2024, 9, 13)]
    assert (again["status"], again["summary"], again["uid"]) == ("CONFIRMED", BODY, event["uid"])
    assert again.decoded("sequence") > event.decoded("sequence")


# --- links ---------------------------------------------------------------------------------


def test_a_base_url_links_each_meeting_to_its_page(repo_dir):
    other = repo_dir / "meetings" / "kultur & fritid+"
    other.mkdir()
    (other / "body.toml").write_text(dumps_body(Body("Kultur")), encoding="utf-8")
    _save(repo_dir, Meeting(D(2024, 6, 3)), "kultur & fritid+")
    events = _events(calendar(Archive(repo_dir), "https://example.org/protokoll/"))
    page = f"https://example.org/protokoll/{SEED_FOLDER}/2024-04-26.html"
    assert events[D(2024, 4, 26)]["url"] == page
    assert events[D(2024, 9, 13)]["url"] == page  # no page yet: the meeting that decided it
    assert events[D(2024, 6, 3)]["url"] == (
        "https://example.org/protokoll/kultur%20%26%20fritid%2B/2024-06-03.html"
    )
    assert str(events[D(2024, 6, 3)]["uid"]) == "kultur%20%26%20fritid%2B+2024-06-03@example.org"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/protokoll",
        "javascript:alert(1)",
        "example.org/protokoll",
        "https://",
        "https://example.org/?page=1",
        "https://example.org/#top",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "https://[::1/",
        "https://example.org/a b",
        "https://example.org/\r\nBEGIN:VEVENT",
    ],
)
def test_a_base_url_that_is_no_web_address_is_refused_in_one_line(repo_dir, capsys, url):
    with pytest.raises(ValueError, match="is not an http:// or https:// address"):
        checked_base_url(url)
    out_file = repo_dir / "calendar.ics"
    code = main(["--repo", str(repo_dir), "calendar", "-o", str(out_file), "--base-url", url])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and not out_file.exists()
    assert err.startswith("minutes: the base URL ") and err.count("\n") == 1


# --- text from files is data ---------------------------------------------------------------

HOSTILE = "Rum; 1, \\ \x1b[31m\rEND:VEVENT\nBEGIN:VEVENT\nUID:evil@example.org\nSUMMARY:x"


def test_text_from_files_cannot_make_lines_or_events(repo_dir):
    body = repo_dir / "meetings" / SEED_FOLDER / "body.toml"
    body.write_text(dumps_body(Body(HOSTILE)), encoding="utf-8")
    _save(repo_dir, Meeting(D(2024, 9, 13), start=dt.time(9), place=HOSTILE))
    _edit(repo_dir, D(2024, 4, 26), lambda m: setattr(m.next_meeting, "note", HOSTILE))
    data = calendar(Archive(repo_dir), "https://example.org")
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 2 == len(_events(data))
    assert not any(line.startswith((b"UID:evil", b"SUMMARY:x")) for line in lines)
    assert b"\x1b" not in data and b"\r\n\r\n" not in data
    event = _events(data)[D(2024, 9, 13)]
    one_line = "Rum; 1, \\ ␛[31m␍END:VEVENT BEGIN:VEVENT UID:evil@example.org SUMMARY:x"
    assert (event["summary"], event["location"]) == (one_line, one_line)
    assert event["description"] == HOSTILE.replace("\x1b", "␛").replace("\r", "␍")


def test_file_names_in_the_history_are_only_names(repo_dir):
    odd = repo_dir / "meetings" / SEED_FOLDER / ("\x1e" + "a" * 40 + "\x1f1\n:000 A")
    odd.write_text("not a meeting")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "A stray file")
    git(repo_dir, "mv", str(odd), str(odd.with_name(":100644 R100")))
    git(repo_dir, "commit", "--quiet", "-m", "Renamed")
    assert sorted(_uids(repo_dir)) == [D(2024, 4, 26), D(2024, 9, 13)]


# --- the same archive, the same bytes ------------------------------------------------------


def test_the_same_archive_gives_the_same_bytes_in_any_clone(repo_dir, tmp_path):
    _save(repo_dir, Meeting(D(2024, 9, 13), cancelled=True))
    first = calendar(Archive(repo_dir))
    assert calendar(Archive(repo_dir)) == first
    os.utime(_path(repo_dir, D(2024, 9, 13)), (0, 0))  # a checkout's times are its own
    assert calendar(Archive(repo_dir)) == first
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(repo_dir), str(clone))
    assert calendar(Archive(clone)) == first


def test_events_remembered_from_before_give_the_same_bytes(repo_dir):
    """Events are remembered as written; what changed is written afresh, nothing stale."""
    from tui.file_cache import cache_file

    remembered = cache_file(repo_dir, "calendar")
    before = calendar(Archive(repo_dir))
    assert remembered.exists()
    _save(repo_dir, Meeting(D(2024, 9, 13), place="Rum 2"))
    remembered.write_text("{not json")  # damaged: made again
    edited = calendar(Archive(repo_dir))
    assert calendar(Archive(repo_dir)) == edited != before
    remembered.unlink()
    assert calendar(Archive(repo_dir)) == edited  # the same bytes with nothing remembered
    assert str(_events(edited)[D(2024, 9, 13)]["location"]) == "Rum 2"


def test_an_archive_without_git_still_has_its_calendar(archive_dir):
    events = _events(calendar(Archive(archive_dir)))
    assert sorted(events) == [D(2024, 4, 26), D(2024, 9, 13)]
    assert events[D(2024, 9, 13)].decoded("sequence") == 0


def test_the_time_zone_changes_at_the_right_moments(repo_dir):
    _save(repo_dir, Meeting(D(2026, 3, 6), start=dt.time(9)))
    (vtimezone,) = icalendar.Calendar.from_ical(calendar(Archive(repo_dir))).walk("VTIMEZONE")
    read = vtimezone.to_tz()
    moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    while moment.year < 2027:  # every hour of the years the meetings fall in
        assert moment.astimezone(read).utcoffset() == moment.astimezone(STOCKHOLM).utcoffset()
        moment += dt.timedelta(minutes=30)
    springs = [
        o.decoded("dtstart") for o in vtimezone.walk("DAYLIGHT")
    ]  # in the offset before the change (RFC 5545 3.6.5): 02:00, not 03:00
    assert springs == [dt.datetime(y, 3, d, 2) for y, d in ((2024, 31), (2025, 30), (2026, 29))]


# --- the command ---------------------------------------------------------------------------


def test_the_command_prints_it_or_writes_it_and_names_what_it_left_out(repo_dir, capsys):
    (repo_dir / "meetings" / SEED_FOLDER / "2024-05-31.toml").write_text("date = \n")
    assert main(["--repo", str(repo_dir), "calendar"]) == 0
    out, err = capsys.readouterr()
    assert out.encode() == calendar(Archive(repo_dir))
    assert err.startswith("minutes: warning: ") and err.count("\n") == 1
    assert err.endswith(
        "2024-05-31.toml:1:8: TOML syntax: invalid value: left out of the calendar\n"
    )
    target = repo_dir / "site" / "kalender.ics"
    target.parent.mkdir()
    assert main(["--repo", str(repo_dir), "calendar", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.endswith(f"wrote {target}\n")
    assert target.read_bytes() == calendar(Archive(repo_dir))
    assert [p.name for p in target.parent.iterdir()] == ["kalender.ics"]  # no temporary left
    nowhere = repo_dir / "no" / "x.ics"
    assert main(["--repo", str(repo_dir), "calendar", "-o", str(nowhere)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"minutes: {nowhere}: cannot be written: No such file or directory"
    )


# --- real calendar programs ----------------------------------------------------------------

ZONES = {
    # the next meeting (decided for 09:00-11:30) and one after the summer time ended in
    # Europe but not yet in America (13:00-15:00 is five hours ahead of New York, not six)
    "Europe/Stockholm": ("09:00", "11:30", "13:00", "15:00"),
    "America/New_York": ("03:00", "05:30", "08:00", "10:00"),
}


@pytest.fixture
def client_archive(repo_dir) -> Path:
    """The bundled archive with the decided next meeting's file, a cancelled one and a later
    one; places and notes with line breaks, as a program would refuse them."""
    _save(repo_dir, Meeting(D(2024, 9, 13), end=dt.time(11, 30), place="Rum\n2"))
    _save(repo_dir, Meeting(D(2024, 10, 2), start=dt.time(9), cancelled=True))
    later = NextMeeting(D(2024, 12, 6), note="Rum 3\nBEGIN:VEVENT")
    _save(
        repo_dir,
        Meeting(D(2024, 10, 30), start=dt.time(13), end=dt.time(15), next_meeting=later),
    )
    ahead, _ = Archive(repo_dir).upcoming(D(2024, 9, 1))
    assert (ahead.date, ahead.time) == (D(2024, 9, 13), dt.time(9))
    ahead, _ = Archive(repo_dir).upcoming(D(2024, 9, 14))  # the cancelled one passed over
    assert ahead.date == D(2024, 10, 30)
    return repo_dir


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (the Debian package {name}): `make test` installs it")
    return found


def _environment(tmp_path: Path, zone: str) -> dict[str, str]:
    """The program's own home, settings, data and temporary folders, and the time zone."""
    folders = {
        name: tmp_path / name.lower()
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "TMPDIR")
    }
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    paths = {name: str(folder) for name, folder in folders.items()}
    return paths | {"PATH": os.environ["PATH"], "TZ": zone, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def _run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("zone", ZONES)
def test_calcurse_shows_the_next_meeting_at_the_local_time(client_archive, tmp_path, zone):
    calcurse = _program("calcurse")
    file = tmp_path / "kalender.ics"
    file.write_bytes(calendar(Archive(client_archive)))
    env, data = _environment(tmp_path, zone), tmp_path / "calcurse"
    imported = _run(calcurse, "-D", str(data), "-i", str(file), env=env)
    assert "4 apps / 1 event / 0 todos / 0 skipped" in imported  # 2024-12-06: no time

    def day(date: str) -> str:
        return _run(
            calcurse, "-D", str(data), "--input-datefmt", "4", "-Q", "--from", date, env=env
        )

    start, end, later_start, later_end = ZONES[zone]
    assert f" - {start} -> {end}\n\t{BODY}\n" in day("2024-09-13")
    assert f"\tInställt: {BODY}\n" in day("2024-10-02")
    assert f" - {later_start} -> {later_end}\n\t{BODY}\n" in day("2024-10-30")
    assert f" * {BODY}\n" in day("2024-12-06")


@pytest.mark.parametrize("zone", ZONES)
def test_khal_shows_the_next_meeting_at_the_local_time(client_archive, tmp_path, zone):
    khal = _program("khal")
    file = tmp_path / "kalender.ics"
    file.write_bytes(calendar(Archive(client_archive)))
    env = _environment(tmp_path, zone)
    (tmp_path / "khal-calendar").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[meetings]]\npath = {tmp_path / 'khal-calendar'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n",
        encoding="utf-8",
    )
    _run(khal, "-c", str(config), "import", "--batch", str(file), env=env)

    def day(date: str) -> str:
        form = "{start-time}-{end-time} {cancelled}{title} | {location}"
        return _run(khal, "-c", str(config), "list", "-f", form, date, "1d", env=env)

    start, end, later_start, later_end = ZONES[zone]
    assert f"{start}-{end} {BODY} | Rum 2\n" in day("2024-09-13")
    assert f"CANCELLED Inställt: {BODY}" in day("2024-10-02")
    assert f"{later_start}-{later_end} {BODY} | \n" in day("2024-10-30")
    assert f"- {BODY} | \n" in day("2024-12-06")
