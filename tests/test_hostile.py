"""Hostile files and environments: no command hangs, crashes with a traceback or misleads.

Whatever sits where a meeting, a theme or a cache is expected (a named pipe, a device, a folder,
a huge file, a link out of the archive or in a loop, values nested without end), and whatever
git finds (stray GIT_* variables, a repository of another user, a shallow clone), each command
says what is wrong in one line and the rest of the archive still works. Commands that could
hang run as processes with a time limit, so a regression fails instead of stopping the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from tui.app.app import MinutesApp
from tui.app.meeting_list import MeetingList
from tui.archive import Archive
from tui.cli import main
from tui.file_cache import cache_file
from tui.format.files import disk_text
from tui.format.reading import parse_toml
from tui.json_cache import read_json
from tui.problems import FormatError
from tui.repository import Repository, RepositoryError, close_all
from tui.settings import theme_files

from .conftest import ROOT, SEED_FOLDER, git

PLANNED = "2025-01-01.toml"


def _minutes(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(root), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )


def _python(code: str) -> str:
    """What `code` prints, run in a process of its own with a time limit."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout


def _one_line(result: subprocess.CompletedProcess) -> str:
    """The one line a failing command writes to stderr: never a traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _unblock(fifo: Path) -> None:
    """Let a reader stuck on `fifo` go (if a regression left one): a writer opens and closes."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def minutes(archive_dir, capsys):
    """`minutes --repo ARCHIVE ...` in this process: (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--repo", str(archive_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _age(path: Path, seconds: int = 60) -> None:
    """Make a file look written a minute ago, so it is not too fresh to remember."""
    stat = os.lstat(path)
    times = (stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9)
    os.utime(path, ns=times, follow_symlinks=False)


async def _settle(app, pilot, seconds: float = 20) -> None:
    """Until the archive's readers are done; a reader stuck on a file fails the test."""
    import asyncio

    async def settled() -> None:
        await pilot.pause()
        while not all(worker.is_finished for worker in app.workers):
            await app.workers.wait_for_complete()
            await pilot.pause()

    await asyncio.wait_for(settled(), seconds)


def _shown(app) -> str:
    from tui.app.meeting_view import MeetingView

    view = app.screen.query_one(MeetingView)
    return "\n".join(str(part.content) for part in view.parts.values())


# --- only regular files are read, and only so much ----------------------------------------


def test_a_named_pipe_named_like_a_meeting_hangs_no_command(repo_dir):
    archive_dir = repo_dir
    _fifo(archive_dir / "meetings" / SEED_FOLDER / PLANNED)
    listed = _minutes(archive_dir, "list")
    assert listed.returncode == 0
    assert "2025-01-01 Wed  BROKEN" in listed.stdout
    assert "is a named pipe (FIFO), not a regular file" in listed.stdout
    assert _minutes(archive_dir, "next", "--today", "2024-12-01").returncode == 0
    checked = _minutes(archive_dir, "check")
    assert checked.returncode == 1
    assert f"{PLANNED}: is a named pipe (FIFO), not a regular file" in checked.stdout
    shown = _minutes(archive_dir, "show", "2025-01-01")
    assert _one_line(shown).endswith(f"{PLANNED}: is a named pipe (FIFO), not a regular file")
    compared = _minutes(archive_dir, "diff", "2025-01-01")
    assert _one_line(compared).endswith(f"{PLANNED}: is a named pipe (FIFO), not a regular file")


def test_a_named_pipe_or_a_huge_body_file_is_refused(archive_dir):
    body = archive_dir / "meetings" / SEED_FOLDER / "body.toml"
    body.unlink()
    _fifo(body)
    checked = _minutes(archive_dir, "check")
    assert "body.toml: is a named pipe (FIFO), not a regular file" in checked.stdout
    body.unlink()
    with body.open("wb") as file:
        file.truncate(170 * 10**6)  # sparse: reading it would still cost 170 MB
    checked = _minutes(archive_dir, "check")
    assert "body.toml: is 170.0 MB; meeting files are at most 2 MB" in checked.stdout


def test_what_is_on_disk_is_none_where_no_regular_file_is(tmp_path):
    pipe = _fifo(tmp_path / PLANNED)
    try:
        code = f"from tui.format.files import disk_text; print(disk_text({str(pipe)!r}))"
        assert _python(code) == "None\n"
    finally:
        _unblock(pipe)
    assert disk_text(tmp_path) is None  # a folder
    assert disk_text(tmp_path / "absent.toml") is None


THEMES = """
import sys, time
from pathlib import Path
from tui.settings import saved_theme, theme_files
started = time.perf_counter()
for name, values in theme_files([Path(sys.argv[1])]):
    print(name, values if isinstance(values, str) else "read")
print("saved", saved_theme())
print("slow" if time.perf_counter() - started > 2 else "quick")
"""


def test_theme_and_settings_files_that_are_no_files_are_reported_at_once(tmp_path, monkeypatch):
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "fine.toml").write_text('name = "fine"\nprimary = "#336699"\n')
    _fifo(themes / "pipe.toml")
    (themes / "random.toml").symlink_to("/dev/urandom")
    with (themes / "huge.toml").open("wb") as file:
        file.truncate(170 * 10**6)
    config = tmp_path / "config"
    (config / "minutes").mkdir(parents=True)
    _fifo(config / "minutes" / "settings.toml")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    result = subprocess.run(
        [sys.executable, "-c", THEMES, str(themes)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.splitlines() == [
        "fine.toml read",
        "huge.toml is 170.0 MB; such files are at most 1 MB",
        "pipe.toml is a named pipe (FIFO), not a regular file",
        "random.toml is a device, not a regular file",
        "saved None",
        "quick",
    ], result.stderr


@pytest.mark.parametrize(
    "damage",
    ["fifo", "huge", "nested"],
)
def test_a_cache_that_is_no_cache_is_not_used(tmp_path, damage):
    cache = tmp_path / "headers.json"
    if damage == "fifo":
        _fifo(cache)
    elif damage == "huge":
        cache.write_text("[" + " " * 65 * 2**20 + "]")
    else:
        cache.write_text("[" * 100_000 + "]" * 100_000)
    try:
        code = f"from tui.json_cache import read_json; print(read_json({str(cache)!r}))"
        assert _python(code) == "None\n"
        if damage != "fifo":
            assert read_json(cache) is None
    finally:
        _unblock(cache)


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row.__setitem__(1, {"§": 9}),  # a table for a text
        lambda row: row.__setitem__(5, 5),  # a number for a text
        lambda row: row.__setitem__(6, "9"),  # a text for a number
        lambda row: row.__setitem__(7, [["=", ["Rum"]]]),  # a list for a word
        lambda row: row.append("more"),
    ],
    ids=["table", "number", "text", "list", "longer"],
)
def test_a_remembered_diff_that_is_damaged_is_made_again(minutes, repo_dir, seed_path, damage):
    seed_path.write_text(seed_path.read_text(encoding="utf-8").replace("Mälaren", "Vänern"))
    git(repo_dir, "commit", "--quiet", "-am", "Another room")
    shown = minutes("log", "2024-04-26")
    remembered = repo_dir / ".git" / "minutes" / "diffs.json"
    cache = json.loads(remembered.read_text(encoding="utf-8"))
    for _, rows in cache["diffs"].values():
        for row in rows:
            damage(row)
    remembered.write_text(json.dumps(cache), encoding="utf-8")
    assert minutes("log", "2024-04-26") == shown


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row.__setitem__(0, 5),  # a number for the kind
        lambda row: row.__setitem__(1, []),  # a list for the date
        lambda row: row.__setitem__(7, "915"),  # a text for the §§
        lambda row: row.__setitem__(7, [9, True]),
        lambda row: row.__setitem__(6, "yes"),  # a text for cancelled
    ],
    ids=["kind", "date", "numbers", "true", "cancelled"],
)
def test_a_remembered_header_that_is_damaged_is_read_again(minutes, seed_path, damage):
    _age(seed_path)
    shown = minutes("list")
    remembered = cache_file(seed_path.parents[2], "headers")
    cache = json.loads(remembered.read_text(encoding="utf-8"))
    for row in cache["files"].values():
        damage(row[2])
    remembered.write_text(json.dumps(cache), encoding="utf-8")
    assert minutes("list") == shown


async def test_the_app_starts_and_quits_beside_a_named_pipe(archive_dir):
    pipe = _fifo(archive_dir / "meetings" / SEED_FOLDER / PLANNED)
    app = MinutesApp(Archive(archive_dir), today=dt.date(2024, 12, 1), themes=[ROOT / "themes"])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            assert set(app.screen.query_one(MeetingList).broken) == {f"{SEED_FOLDER}/{PLANNED}"}
            app.screen.query_one(MeetingList).highlight_meeting(f"{SEED_FOLDER}/{PLANNED}")
            await pilot.press("enter")
            await pilot.pause()
            assert "named pipe" in _shown(app)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0
    finally:
        _unblock(pipe)


# --- links: in loops, or out of the archive ------------------------------------------------


def test_meeting_files_linked_in_a_loop_are_broken_not_a_traceback(minutes, repo_dir):
    archive_dir = repo_dir
    body = archive_dir / "meetings" / SEED_FOLDER
    (body / "2025-01-01.toml").symlink_to("2025-01-02.toml")
    (body / "2025-01-02.toml").symlink_to("2025-01-01.toml")
    loop = "cannot be read: Too many levels of symbolic links"
    code, out, _ = minutes("list")
    assert code == 0 and out.count("BROKEN") == 2
    assert loop in out
    code, out, _ = minutes("check")
    assert code == 1 and f"2025-01-01.toml: {loop}" in out
    code, out, err = minutes("show", "2025-01-01")
    assert (code, out) == (1, "") and err.endswith(f"2025-01-01.toml: {loop}\n")
    code, out, _ = minutes("show", str(body / "2024-04-26.toml"))  # by path: links are followed
    assert code == 0 and out.startswith("Minnesanteckningar\n")
    code, out, _ = minutes("next", "--today", "2024-12-01")
    assert code == 0
    code, out, err = minutes("log", "2025-01-01")  # never committed: no versions
    assert (code, out, err) == (0, "", "")


def test_folders_linked_in_a_loop_are_reported_and_the_archive_still_works(minutes, archive_dir):
    meetings = archive_dir / "meetings"
    (meetings / "loop1").symlink_to("loop2")
    (meetings / "loop2").symlink_to("loop1")
    code, out, _ = minutes("list")
    assert code == 0 and "loop" not in out and "2024-04-26" in out
    code, out, _ = minutes("next", "--today", "2024-05-01")
    assert code == 0 and out.startswith("Fri 13 Sep 2024 09:00")
    code, out, _ = minutes("check")
    assert code == 1
    assert "meetings/loop1: cannot be read: Too many levels of symbolic links" in out


def test_a_body_folder_linked_out_of_the_archive_is_refused(minutes, archive_dir, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    seed = archive_dir / "meetings" / SEED_FOLDER / "2024-04-26.toml"
    planned = seed.read_text(encoding="utf-8").replace("2024-04-26", "2024-05-02")
    (elsewhere / "2024-05-02.toml").write_text(planned, encoding="utf-8")
    (archive_dir / "meetings" / "outside").symlink_to(elsewhere)
    assert "outside" not in Archive(archive_dir).folders()
    code, out, _ = minutes("next", "--today", "2024-05-01")
    assert out.startswith("Fri 13 Sep 2024")  # not the meeting out there, a day away
    code, out, _ = minutes("list")
    assert "outside" not in out
    code, out, _ = minutes("check")
    assert code == 1
    assert "meetings/outside: is a link to a folder outside the archive; refused" in out


def test_history_of_a_meeting_linked_out_of_the_archive_is_no_traceback(minutes, repo_dir):
    (repo_dir / "meetings" / SEED_FOLDER / PLANNED).symlink_to("/etc/passwd")
    assert minutes("log", "2025-01-01") == (0, "", "")  # git has no version of it
    code, out, err = minutes("diff", "2025-01-01")
    assert (code, out) == (1, "")
    assert err.endswith(f"{PLANNED}: is a link to a file outside the archive; refused\n")


def test_a_body_file_linked_in_a_loop_is_reported(minutes, archive_dir):
    body = archive_dir / "meetings" / SEED_FOLDER / "body.toml"
    body.unlink()
    body.symlink_to("body.toml")
    code, out, _ = minutes("check")
    assert code == 1
    assert "body.toml: cannot be read: Too many levels of symbolic links" in out


# --- values nested without end -------------------------------------------------------------

DEEP = {
    "lists": "x = " + "[" * 500 + "]" * 500 + "\n",
    "inline tables": "x = " + "{ a = " * 500 + "1" + " }" * 500 + "\n",
    "dotted keys": "a." * 100 + "a = 1\n",  # parsed without recursion, walked with it
    "a long dotted key": "a." * 100_000 + "a = 1\n",  # parsed in quadratic time: minutes
}
TOO_DEEP = "is nested too deeply: lists and tables over 32 levels deep"


def _deepen(seed: Path, how: str, name: str = PLANNED) -> Path:
    """A copy of the seed meeting, dated by `name`, with a deep value among its first keys."""
    text = seed.read_text(encoding="utf-8").replace("2024-04-26", name[:10])
    path = seed.with_name(name)
    path.write_text(text.replace("kind = ", DEEP[how] + "kind = ", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("how", DEEP)
def test_a_meeting_nested_too_deeply_is_refused_by_every_command(minutes, seed_path, how):
    _deepen(seed_path, how)
    assert TOO_DEEP in _minutes(seed_path.parents[2], "check").stdout  # within its time limit
    code, out, _ = minutes("list")
    assert code == 0 and "2025-01-01 Wed  BROKEN  " in out and TOO_DEEP in out
    code, out, _ = minutes("check")
    assert code == 1 and f"{PLANNED}: {TOO_DEEP}" in out
    code, out, err = minutes("show", "2025-01-01")
    assert (code, out) == (1, "") and err.endswith(f"{PLANNED}: {TOO_DEEP}\n")
    code, _, _ = minutes("next", "--today", "2024-12-01")
    assert code == 0


def test_a_version_nested_too_deeply_reads_as_unreadable_in_history(minutes, repo_dir, seed_path):
    _deepen(seed_path, "lists", seed_path.name)
    git(repo_dir, "commit", "--quiet", "-am", "Nested")
    code, out, err = minutes("log", "2024-04-26")
    assert (code, err) == (0, "")
    assert f"this version cannot be read: {TOO_DEEP}" in out


def test_history_and_diff_read_a_long_dotted_key_at_once(repo_dir, seed_path):
    committed = seed_path.read_text(encoding="utf-8")
    _deepen(seed_path, "a long dotted key", seed_path.name)
    compared = _minutes(repo_dir, "diff", "2024-04-26")  # the file against HEAD
    assert _one_line(compared) == f"meetings/{SEED_FOLDER}/2024-04-26.toml: {TOO_DEEP}"
    git(repo_dir, "commit", "--quiet", "-am", "Nested")
    seed_path.write_text(committed, encoding="utf-8")
    logged = _minutes(repo_dir, "log", "2024-04-26")
    assert logged.returncode == 0 and f"this version cannot be read: {TOO_DEEP}" in logged.stdout


def test_a_theme_nested_too_deeply_is_reported(tmp_path):
    (tmp_path / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "dotted.toml").write_text("a." * 5000 + "a = 1\n")
    assert theme_files([tmp_path]) == [("deep.toml", TOO_DEEP), ("dotted.toml", TOO_DEEP)]


async def test_the_app_starts_beside_a_meeting_and_a_theme_nested_too_deeply(
    archive_dir, seed_path, tmp_path
):
    _deepen(seed_path, "inline tables")
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "deep.toml").write_text("x = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n")
    app = MinutesApp(Archive(archive_dir), today=dt.date(2024, 12, 1), themes=[themes])
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert app.theme_problems == [f"theme deep.toml is not used: {TOO_DEEP}"]
        assert set(app.screen.query_one(MeetingList).broken) == {f"{SEED_FOLDER}/{PLANNED}"}
        app.screen.query_one(MeetingList).highlight_meeting(f"{SEED_FOLDER}/{PLANNED}")
        await pilot.press("enter")
        await pilot.pause()
        assert TOO_DEEP in _shown(app)


LONG = "a." * 300 + "a"


@pytest.mark.parametrize(
    "text",
    [
        f'place = "{LONG}"',
        f"place = '{LONG}'",
        f'place = """\n{LONG}\n"""',
        f"place = '''\n{LONG}\n'''",
        f'place = "\\" {LONG}"',
        f"# {LONG}\nplace = 1",
        "x = [" + ", ".join(["1.5"] * 400) + "]",
    ],
)
def test_text_that_looks_like_a_long_key_is_read(text):
    assert parse_toml(text)


@pytest.mark.parametrize(
    "text",
    [f"{LONG} = 1", f"[{LONG}]", f"x = {{ {LONG} = 1 }}", '"a".' * 300 + "b = 1"],
)
def test_a_key_of_too_many_parts_is_refused_before_parsing(text):
    with pytest.raises(FormatError, match="nested too deeply"):
        parse_toml(text)


# --- what cannot be read is no meeting -----------------------------------------------------


def _planned(seed: Path, date: str, text: str | None = None) -> Path:
    """A meeting file of the seed's body dated `date`: the seed's text redated, or `text`."""
    path = seed.with_name(f"{date}.toml")
    redated = seed.read_text(encoding="utf-8").replace("2024-04-26", date)
    path.write_text(redated if text is None else text, encoding="utf-8")
    return path


UNREADABLE = {
    "of a newer minutes": lambda path: path.write_text(
        'schema = 99\nkind = "protokoll"\ndate = 2024-06-03\n', encoding="utf-8"
    ),
    "a link out of the archive": lambda path: path.symlink_to("/etc/passwd"),
    "a named pipe": os.mkfifo,
}


@pytest.mark.parametrize("how", UNREADABLE)
def test_next_passes_over_a_planned_file_that_cannot_be_read(minutes, seed_path, how):
    UNREADABLE[how](seed_path.with_name("2024-06-03.toml"))
    _planned(seed_path, "2024-06-10")
    code, out, _ = minutes("next", "--today", "2024-06-01")
    assert (code, out) == (
        0,
        "Mon 10 Jun 2024 09:00 — Samverkansgrupp Kompetensförsörjning 2023, in 9 days\n",
    )
    code, out, _ = minutes("list")
    (row,) = [line for line in out.splitlines() if "2024-06-03" in line]
    assert row.startswith("  2024-06-03 Mon  BROKEN  ")


def test_next_passes_over_an_unreadable_file_for_another_bodys_meeting(minutes, seed_path):
    _planned(seed_path, "2024-06-03", 'schema = 2\nkind = "protokoll"\ndate = 2024-06-03\n')
    other = seed_path.parents[1] / "kompetensradet"
    other.mkdir()
    (other / "body.toml").write_text('schema = 1\nname = "Kompetensrådet"\n')
    (other / "2024-06-05.toml").write_text('schema = 1\nkind = "protokoll"\ndate = 2024-06-05\n')
    _code, out, _ = minutes("next", "--today", "2024-06-01")
    assert out == "Wed 5 Jun 2024 — Kompetensrådet, in 4 days\n"


def test_a_file_of_a_newer_minutes_is_listed_as_needing_it(minutes, seed_path):
    _planned(seed_path, "2024-06-03", 'schema = 2\nkind = "protokoll"\ndate = 2024-06-03\n')
    _code, out, _ = minutes("list", "--json")
    newer = json.loads(out)[0]
    assert (newer["date"], newer["kind"]) == ("2024-06-03", None)
    assert "format version 2 is newer than this minutes understands" in newer["problem"]
    _code, out, _ = minutes("next", "--today", "2024-06-01")
    assert out.startswith("Fri 13 Sep 2024")  # as decided at the meeting before


def test_a_folder_named_like_a_meeting_is_no_meeting(minutes, seed_path):
    seed_path.with_name("2024-06-03.toml").mkdir()
    code, out, _ = minutes("list")
    assert "2024-06-03" not in out
    code, out, _ = minutes("next", "--today", "2024-06-01")
    assert out.startswith("Fri 13 Sep 2024")
    code, _, err = minutes("show", "2024-06-03")
    assert (code, err) == (2, "minutes: no meeting on 2024-06-03\n")
    code, out, _ = minutes("check")
    assert "2024-06-03.toml: warning: is a folder named like a meeting; a meeting is a file" in out


def test_a_meeting_replaced_by_a_link_out_of_the_archive_is_not_remembered(
    minutes, seed_path, tmp_path_factory
):
    _age(seed_path)
    _code, out, _ = minutes("list")
    assert "2024-04-26 Fri  minnesanteckningar" in out  # now remembered
    outside = tmp_path_factory.mktemp("elsewhere") / seed_path.name
    outside.write_bytes(seed_path.read_bytes())
    stat = seed_path.stat()
    os.utime(outside, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    seed_path.unlink()
    seed_path.symlink_to(outside)
    _age(seed_path)
    _code, out, _ = minutes("list")
    assert "2024-04-26 Fri  BROKEN" in out and "outside the archive" in out


def test_headers_remembered_before_versions_were_checked_are_not_used(minutes, seed_path):
    newer = _planned(seed_path, "2024-06-03", 'schema = 2\nkind = "protokoll"\ndate = 2024-06-03\n')
    _age(newer)
    stat = newer.stat()
    header = ["protokoll", "2024-06-03", None, "", [], None, None, ""]
    cache_file(seed_path.parents[2], "headers").parent.mkdir(parents=True, exist_ok=True)
    cache_file(seed_path.parents[2], "headers").write_text(
        json.dumps(
            {
                "version": 1,
                "files": {f"{SEED_FOLDER}/{newer.name}": [stat.st_size, stat.st_mtime_ns, header]},
            }
        )
    )
    _code, out, _ = minutes("list")
    assert "2024-06-03 Mon  BROKEN" in out


# --- git's environment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable",
    [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    ],
)
def test_history_ignores_git_variables_naming_another_repository(
    minutes, repo_dir, monkeypatch, tmp_path_factory, variable
):
    """A hook, or a shell left by one, sets them; minutes reads its own repository."""
    monkeypatch.setenv(variable, str(tmp_path_factory.mktemp("elsewhere")))
    code, out, err = minutes("log", "2024-04-26")
    assert (code, err) == (0, "")
    assert "The archive" in out and "2024-04-26 added" in out


def _loose_object(repo: Path, sha: str) -> Path:
    return repo / ".git" / "objects" / sha[:2] / sha[2:]


def test_a_version_git_does_not_have_is_said_so_and_not_remembered(minutes, repo_dir, seed_path):
    first = git(repo_dir, "rev-parse", f"HEAD:meetings/{SEED_FOLDER}/{seed_path.name}").strip()
    seed_path.write_text(seed_path.read_text(encoding="utf-8").replace("Mälaren", "Vänern"))
    git(repo_dir, "commit", "--quiet", "-am", "Another room")
    kept = _loose_object(repo_dir, first).read_bytes()
    _loose_object(repo_dir, first).unlink()
    code, out, err = minutes("log", "2024-04-26")
    assert (code, err) == (0, "")
    assert f"its content is not in this repository (git: {first} missing)" in out
    _loose_object(repo_dir, first).write_bytes(kept)
    close_all()  # a new process, as the next command would be
    code, out, err = minutes("log", "2024-04-26")
    assert "not in this repository" not in out and "Vänern" in out


# --- what git refuses is said as git says it -----------------------------------------------


def _give_away(folder: Path) -> None:
    """Hand every file under `folder` to the user nobody, as a copy from another account is."""
    nobody = pwd.getpwnam("nobody")
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another user needs root")
def test_a_repository_of_another_user_is_named_as_such_and_init_makes_none(minutes, repo_dir):
    _give_away(repo_dir)
    before = sorted(os.listdir(repo_dir / ".git"))
    refused = (
        f"minutes: git refuses the repository at {repo_dir}: another user owns it. If you "
        f"trust it, run `git config --global --add safe.directory {repo_dir}`\n"
    )
    assert minutes("log") == (2, "", refused)
    assert minutes("init") == (2, "", refused)  # not "created a git repository"
    assert sorted(os.listdir(repo_dir / ".git")) == before


def test_init_says_what_it_made_and_nothing_else(minutes, repo_dir, tmp_path_factory, monkeypatch):
    code, out, _ = minutes("init", "--body", "Kulturnämnden")
    assert code == 0 and "git repository" not in out  # it was one already
    assert (repo_dir / "meetings" / "kulturnamnden" / "body.toml").exists()
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.setenv("GIT_DIR", str(elsewhere))  # as inside a hook of another repository
    new = tmp_path_factory.mktemp("new")
    assert main(["init", str(new)]) == 0
    assert (new / ".git" / "HEAD").exists() and list(elsewhere.iterdir()) == []


def test_a_repository_git_cannot_read_is_not_called_no_repository(minutes, repo_dir):
    (repo_dir / ".git" / "config").write_text("[core\n")
    code, _, err = minutes("log")
    assert code == 2 and "not in a git repository" not in err
    assert err.startswith(f"minutes: git cannot use the repository at {repo_dir}: fatal: bad ")


def test_without_git_the_commands_that_need_it_say_so(minutes, repo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git there
    code, out, err = minutes("log")
    assert (code, out) == (2, "")
    assert err == "minutes: git cannot be run (No such file or directory): is it installed?\n"
    assert minutes("list")[0] == 0  # reading the archive needs no git


def test_a_folder_that_is_not_there_is_not_taken_for_a_missing_git(tmp_path):
    with pytest.raises(RepositoryError, match=r"absent: No such file or directory$"):
        Repository(tmp_path / "absent")


def _set_place(root: Path, place: str) -> None:
    args = ["--repo", str(root), "set", "2024-04-26", "place", place]
    assert main([*args, "--author", "Elin <elin@example.org>"]) == 0


def test_undo_in_a_shallow_clone_says_how_to_fetch_what_it_needs(repo_dir, tmp_path, capsys):
    _set_place(repo_dir, "Rum 1")
    _set_place(repo_dir, "Rum 2")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo_dir}", str(clone))
    capsys.readouterr()
    assert main(["--repo", str(clone), "undo", "--author", "Elin <elin@example.org>"]) == 2
    assert capsys.readouterr().err == (
        'minutes: cannot undo "2024-04-26: place changed": the commit before it is not in this '
        "shallow clone; `git fetch --unshallow` fetches the rest of the history\n"
    )


def test_undo_of_the_first_commit_says_so(archive_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))  # no user's git configuration
    git(archive_dir, "init", "--quiet")
    _set_place(archive_dir, "Rum 1")  # the repository's first commit
    capsys.readouterr()
    assert main(["--repo", str(archive_dir), "undo", "--author", "Elin <elin@example.org>"]) == 2
    assert capsys.readouterr().err == (
        'minutes: cannot undo "2024-04-26: new meeting": it is the repository\'s first commit\n'
    )


# --- exit status ---------------------------------------------------------------------------

CRASHING_APP = """
import sys
from tui.app.browse import BrowseScreen
from tui.cli import main

def crash(screen):
    raise RuntimeError("a bug")

BrowseScreen.on_mount = crash
sys.exit(main(["--repo", sys.argv[1]]))
"""


def test_an_app_that_stops_on_an_error_exits_non_zero(archive_dir, monkeypatch):
    """A script or a shell running `minutes` must see that it failed."""
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(archive_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "a bug" in result.stderr + result.stdout
