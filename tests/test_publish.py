"""`minutes publish DIR`: the committed archive as a static, accessible web site, made again
only where a save changed it."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from tui.archive import Archive, ArchiveError
from tui.cli import main
from tui.publish import MANIFEST, publish

from .browser import browser, screenshot, violations  # noqa: F401  (a fixture)
from .conftest import DATA, SEED_FOLDER, git

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"
PROTOCOL_FOLDER = "kultur-och-fritidsnamnden"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag in ("a", "link") and found.get("href"):
            self.links.append(found["href"])
        if tag == "html":
            self.lang = found.get("lang") or ""


def _links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text())
    return parser


def _site(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("site")


def _files(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site with what changes when it is written again (a new inode)."""
    return {
        path.relative_to(site).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in site.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def _set(repo: Path, *args: str) -> None:
    assert main(["--repo", str(repo), "set", *args]) == 0


@pytest.fixture
def two_bodies(repo_dir: Path) -> Path:
    """The seed and the fictional protocol (with a notice posted on 21 November 2024), both
    committed."""
    shutil.copytree(DATA / "protocol" / "meetings", repo_dir / "meetings", dirs_exist_ok=True)
    protocol = repo_dir / "meetings" / PROTOCOL_FOLDER / "2024-11-14.toml"
    protocol.write_text(protocol.read_text() + "\n[notice]\nposted = 2024-11-21\n")
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "A protocol")
    return repo_dir


def test_the_site_holds_every_meeting_as_page_and_pdf_with_every_link_whole(
    two_bodies, tmp_path_factory
):
    site = _site(tmp_path_factory)
    made = publish(Archive(two_bodies), site, _today("2024-11-25"))
    assert made.meetings == 2
    files = set(_files(site))
    assert {
        "index.html",
        "notices.html",
        "calendar.ics",
        "style.css",
        f"{SEED_FOLDER}/2024.html",
        f"{SEED_FOLDER}/2024-04-26.html",
        f"{SEED_FOLDER}/2024-04-26.pdf",
        f"{PROTOCOL_FOLDER}/2024-11-14.html",
        f"{PROTOCOL_FOLDER}/2024-11-14.pdf",
    } <= files
    for page in site.rglob("*.html"):
        for link in _links(page).links:
            assert (page.parent / unquote(link)).resolve().is_file(), (page, link)
    assert (site / SEED_FOLDER / "2024-04-26.pdf").read_bytes().startswith(b"%PDF-")
    seed_page = (site / SEED_FOLDER / "2024-04-26.html").read_text()
    assert "§17" in seed_page and "Samverkansgrupp Kompetensförsörjning" in seed_page


def test_the_notice_board_shows_the_notices_up_today(two_bodies, tmp_path_factory):
    site = _site(tmp_path_factory)
    publish(Archive(two_bodies), site, _today("2024-11-25"))
    board = (site / "notices.html").read_text()
    assert f"{PROTOCOL_FOLDER}/2024-11-14.html" in board
    assert "2024-11-21" in board and "2024-12-12" in board  # posted; appeals until
    publish(Archive(two_bodies), site, _today("2024-12-13"))  # the appeal time is over
    assert f"{PROTOCOL_FOLDER}/2024-11-14.html" not in (site / "notices.html").read_text()


def test_publishing_again_after_one_save_writes_that_meeting_alone(repo_dir, tmp_path_factory):
    site = _site(tmp_path_factory)
    today = _today("2024-05-01")
    publish(Archive(repo_dir), site, today)
    before = _files(site)
    again = publish(Archive(repo_dir), site, today)
    assert again.written == 0 and _files(site) == before
    _set(
        repo_dir, "2024-04-26", "§11.decision", "Informationen noteras och läggs till handlingarna."
    )
    after_save = publish(Archive(repo_dir), site, today)
    now = _files(site)
    changed = {name for name in now if now[name] != before.get(name)}
    # The calendar too: the changed meeting's event is a new revision of it (SEQUENCE).
    meeting = {f"{SEED_FOLDER}/2024-04-26.html", f"{SEED_FOLDER}/2024-04-26.pdf"}
    assert changed == meeting | {"calendar.ics"}
    assert after_save.written == 3
    assert "läggs till handlingarna" in (site / SEED_FOLDER / "2024-04-26.html").read_text()


def test_a_whole_site_made_in_several_processes_is_each_meeting_as_exported(
    repo_dir, tmp_path_factory, capsys
):
    """Many meetings are made in a process per processor; each page and PDF is what
    `export` makes of that meeting alone. A broken file is said in one line, from any of them."""
    import datetime as dt

    from tui.export import export
    from tui.publish import _PER_PROCESS

    seed = repo_dir / SEED
    for week in range(1, 2 * _PER_PROCESS + 1):
        day = dt.date(2024, 4, 26) + dt.timedelta(days=week)
        (seed.parent / f"{day}.toml").write_text(
            seed.read_text().replace("2024-04-26", str(day)).replace("Inledning", f"Vecka {week}")
        )
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "Many meetings")
    site = _site(tmp_path_factory)
    archive = Archive(repo_dir)
    assert publish(archive, site, _today("2024-05-01")).meetings == 2 * _PER_PROCESS + 1
    for entry in archive.entries():
        stem = site / entry.folder / entry.name.removesuffix(".toml")
        assert stem.with_suffix(".pdf").read_bytes() == export(archive, entry, "pdf")
        copied = entry.date != dt.date(2024, 4, 26)
        assert ("Vecka" in stem.with_suffix(".html").read_text()) == copied

    (seed.parent / "2024-06-19.toml").write_text('date = "2024-06-19"\n[[items]\n')
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "--quiet", "-m", "Broken")
    fresh = _site(tmp_path_factory)  # every meeting made again, the broken one in a process
    assert main(["--repo", str(repo_dir), "publish", str(fresh)]) != 0
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "2024-06-19.toml" in error, error


def test_a_deleted_meeting_leaves_the_site_and_other_files_stay(repo_dir, tmp_path_factory):
    site = _site(tmp_path_factory)
    (site / "robots.txt").write_text("User-agent: *\n")
    publish(Archive(repo_dir), site, _today("2024-05-01"))
    git(repo_dir, "rm", "--quiet", SEED)
    git(repo_dir, "commit", "--quiet", "-m", "Gone")
    made = publish(Archive(repo_dir), site, _today("2024-05-01"))
    assert not (site / SEED_FOLDER / "2024-04-26.html").exists()
    assert not (site / SEED_FOLDER / "2024-04-26.pdf").exists()
    assert made.removed >= 2 and (site / "robots.txt").exists()


def test_a_manifest_edited_by_hand_is_not_obeyed(repo_dir, tmp_path_factory):
    """Rows that are not what publish writes are made again; files outside the site are
    never removed, whatever the manifest lists."""
    import json

    outside = tmp_path_factory.mktemp("outside") / "keep.txt"
    outside.write_text("mine")
    site = _site(tmp_path_factory)
    publish(Archive(repo_dir), site, _today("2024-05-01"))
    manifest = json.loads((site / MANIFEST).read_text())
    (row,) = manifest["meetings"].values()
    row["date"], row["notice"] = "not a date", ["also not"]
    manifest["files"] += [str(outside), f"../{outside.parent.name}/keep.txt", 7]
    (site / MANIFEST).write_text(json.dumps(manifest))
    again = publish(Archive(repo_dir), site, _today("2024-05-01"))
    assert outside.read_text() == "mine" and again.removed == 0
    assert (
        json.loads((site / MANIFEST).read_text())["meetings"][f"{SEED_FOLDER}/2024-04-26.toml"][
            "date"
        ]
        == "2024-04-26"
    )
    (site / MANIFEST).write_text("[1, 2")  # damaged: the site is made again
    assert publish(Archive(repo_dir), site, _today("2024-05-01")).meetings == 1


def test_changes_not_committed_are_not_published(repo_dir, tmp_path_factory, capsys):
    site = _site(tmp_path_factory)
    seed = repo_dir / SEED
    seed.write_text(seed.read_text().replace("Informationen noteras.", "Ej sparat.", 1))
    with pytest.raises(ArchiveError, match="not committed"):
        publish(Archive(repo_dir), site, _today("2024-05-01"))
    assert main(["--repo", str(repo_dir), "publish", str(site)]) == 2
    assert "save or commit them first" in capsys.readouterr().err
    assert not (site / SEED_FOLDER).exists()


def test_hostile_body_name_is_text_on_every_page(repo_dir, tmp_path_factory):
    body = repo_dir / "meetings" / SEED_FOLDER / "body.toml"
    line = 'name = "<script>alert(1)</script> \\"quoted\\" & <b>"'
    body.write_text(re.sub(r'(?m)^name = ".*"$', lambda _: line, body.read_text(), count=1))
    git(repo_dir, "commit", "--quiet", "-am", "A hostile name")
    site = _site(tmp_path_factory)
    publish(Archive(repo_dir), site, _today("2024-05-01"))
    for page in site.rglob("*.html"):
        assert "<script>" not in page.read_text(), page


def test_pages_follow_each_meetings_language(repo_dir, tmp_path_factory):
    _set(repo_dir, "2024-04-26", "language", "en")
    site = _site(tmp_path_factory)
    publish(Archive(repo_dir), site, _today("2024-05-01"))
    page = site / SEED_FOLDER / "2024-04-26.html"
    assert _links(page).lang == "en" and "Meeting date" in page.read_text()
    assert _links(site / "index.html").lang == "en"


def test_every_kind_of_page_passes_axe_at_wcag_21_aa(
    browser,  # noqa: F811
    two_bodies,
    tmp_path_factory,
):
    site = _site(tmp_path_factory)
    publish(Archive(two_bodies), site, _today("2024-11-25"))
    pages = [
        site / "index.html",
        site / "notices.html",
        site / SEED_FOLDER / "2024.html",
        site / SEED_FOLDER / "2024-04-26.html",
        site / PROTOCOL_FOLDER / "2024-11-14.html",
    ]
    for page in pages:
        for width in (1280, 375):
            assert violations(browser, page, width) == [], (page, width)
    shots = tmp_path_factory.mktemp("screenshots")
    for width in (1280, 375):
        screenshot(browser, pages[3], width, shots / f"meeting-{width}.png")
        assert (shots / f"meeting-{width}.png").stat().st_size > 10_000
    # Nothing is wider than a phone's screen: no sideways scrolling (WCAG 1.4.10, reflow).
    browser.set_window_size(375, 900)
    for page in pages:
        browser.get(page.as_uri())
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        ), page


def test_the_cli_reports_what_it_wrote(repo_dir, tmp_path_factory, capsys):
    site = _site(tmp_path_factory)
    assert main(["--repo", str(repo_dir), "publish", str(site), "--today", "2024-05-01"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("published 1 meeting to ")
    assert main(["--repo", str(repo_dir), "publish", str(site), "--today", "2024-05-01"]) == 0
    assert "0 files written" in capsys.readouterr().out
    assert (site / MANIFEST).exists()


def _today(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
