"""Listing remembers headers by file size and time, and never serves a changed file stale."""

from __future__ import annotations

import os

from tui.archive import Archive
from tui.file_cache import cache_file


def _age(path, seconds=60):
    """Make a file look written a minute ago, so it is not too fresh to remember."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def _place(archive_dir):
    (summary,) = Archive(archive_dir).summaries()
    return summary.header.place


def test_remembered_headers_are_used_while_size_and_time_match(archive_dir, seed_path):
    _age(seed_path)
    assert _place(archive_dir) == "Sammanträdesrum Mälaren, Regionhuset, Västerås"
    assert cache_file(archive_dir, "headers").exists()
    # Same size, same time stamp, other text: only a remembered header can still say Mälaren.
    stat = seed_path.stat()
    text = seed_path.read_text(encoding="utf-8")
    seed_path.write_text(text.replace("Mälaren", "Hjälmar"), encoding="utf-8")
    os.utime(seed_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _place(archive_dir) == "Sammanträdesrum Mälaren, Regionhuset, Västerås"


def test_an_edited_file_is_read_again(archive_dir, seed_path):
    _age(seed_path)
    _place(archive_dir)
    text = seed_path.read_text(encoding="utf-8")
    seed_path.write_text(text.replace("Mälaren", "Vänern"), encoding="utf-8")
    assert _place(archive_dir) == "Sammanträdesrum Vänern, Regionhuset, Västerås"


def test_a_file_written_just_now_is_not_remembered(archive_dir, seed_path):
    os.utime(seed_path)
    _place(archive_dir)
    assert not cache_file(archive_dir, "headers").exists()


def test_a_damaged_cache_is_ignored(archive_dir, seed_path):
    _age(seed_path)
    _place(archive_dir)
    cache_file(archive_dir, "headers").write_text('{"version": 1, "files": {"x": [1, 2, [')
    assert _place(archive_dir) == "Sammanträdesrum Mälaren, Regionhuset, Västerås"
    cache_file(archive_dir, "headers").write_text(
        '{"version": 1, "files": {"samverkansgrupp-kompetensforsorjning/2024-04-26.toml": '
        f'[{seed_path.stat().st_size}, {seed_path.stat().st_mtime_ns}, ["broken"]]}}}}'
    )
    assert _place(archive_dir) == "Sammanträdesrum Mälaren, Regionhuset, Västerås"


def test_a_full_check_is_remembered_until_the_file_changes(archive_dir, seed_path):
    from tui.archive import Archive

    _age(seed_path)
    assert Archive(archive_dir).broken() == {}
    assert cache_file(archive_dir, "verdicts").exists()
    stat = seed_path.stat()
    text = seed_path.read_text(encoding="utf-8")
    broken = text.replace('end = "12:00"', 'end = "08:00"')
    seed_path.write_text(broken, encoding="utf-8")
    assert seed_path.stat().st_size == stat.st_size
    os.utime(seed_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Archive(archive_dir).broken() == {}  # remembered: same size, same time
    _age(seed_path, 30)
    (problem,) = Archive(archive_dir).broken().values()
    assert "end: ends (08:00) before it starts (09:00)" in problem
