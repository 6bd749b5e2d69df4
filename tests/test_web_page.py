"""A meeting as a web page: the seed's layout in HTML, the files' text literal, accessible."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model import Item, Meeting
from tui.terminal import clean
from tui.web_page import meeting_page

from .browser import browser, screenshot, violations  # noqa: F401  (a fixture)
from .conftest import git

HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> &amp; &lt;b&gt; # heading _x_ '
    "___ ]]> <!-- --> \x1b[31mred\x1b[0m \u202egnp.exe"
)


class _Page(HTMLParser):
    """The elements and the text a browser would make of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


OUR_TAGS = {
    "html", "head", "meta", "title", "style", "link", "body", "nav", "ol", "li", "a", "main",
    "h1", "span", "h2", "h3", "p", "br", "ul", "dl", "dt", "dd",
}  # fmt: skip


def _meeting(text: str) -> Meeting:
    return Meeting(
        date=dt.date(2024, 9, 13),
        place=text,
        items=[Item(18, text, summary=text, decision=text)],
    )


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_text_is_text_on_the_page(raw):
    page = _parsed(meeting_page(_meeting(raw), raw))
    assert set(page.tags) <= OUR_TAGS
    shown = "".join(page.text)
    for line in clean(raw).replace("\r", "\n").split("\n"):
        assert " ".join(line.split()) in " ".join(shown.split())


def test_hostile_text_stays_text():
    html = meeting_page(_meeting(HOSTILE), HOSTILE)
    page = _parsed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attributes)
    assert "\x1b" not in html and "\u202e" not in html
    assert '<script>alert("x")</script>' in "".join(page.text)


def test_the_page_declares_its_language_and_has_one_h1(seed_path):
    from tui.archive import Archive

    archive = Archive(seed_path.parents[2])
    entry = archive.resolve("2024-04-26")
    meeting, _ = archive.load(entry)
    page = _parsed(meeting_page(meeting, archive.body_name(entry.folder)))
    assert page.tags.count("h1") == 1
    english = meeting_page(Meeting(date=dt.date(2024, 9, 13), language="en"), "Board")
    assert '<html lang="en">' in english and "Meeting date" in english


def test_exported_page_passes_axe_at_wcag_21_aa(browser, repo_dir, tmp_path_factory):  # noqa: F811
    from tui.cli import main

    out = tmp_path_factory.mktemp("out")
    page = out / "seed.html"
    assert main(["--repo", str(repo_dir), "export", "2024-04-26", "-o", str(page)]) == 0
    assert violations(browser, page) == []
    assert violations(browser, page, width=375) == []
    screenshot(browser, page, 375, out / "phone.png")
    assert (out / "phone.png").stat().st_size > 10_000
    # The seed's facts are on the page a person sees.
    body = browser.find_element("tag name", "main").text
    assert "§9" in body and "Samverkansgrupp Kompetensförsörjning" in body
    assert git(repo_dir, "status", "--porcelain") == ""


def test_a_cancelled_meeting_says_so_under_its_heading():
    page = meeting_page(Meeting(date=dt.date(2024, 9, 13), cancelled=True), "Board")
    heading_ends = page.index("</h1>")
    assert page.index('<p class="state"><strong>INSTÄLLT</strong></p>') > heading_ends
