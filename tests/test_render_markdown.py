"""Markdown export shows the files' text literally: whatever a meeting holds, a CommonMark
renderer draws it as text, never as a heading, list, link, emphasis or raw HTML."""

from __future__ import annotations

import datetime as dt
import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui import render
from tui.model import Item, Meeting, Statement

from .strategies import texts

_TAGS = re.compile(r"<[^>]+>")
HOSTILE = [
    "<script>alert(1)</script>",
    "# heading",
    "_x_",
    "___",
    "**bold** and `code`",
    "[a link](https://example.org) ![img](x.png)",
    "> quoted",
    "1. listed",
    "- listed",
    "    four spaces make code",
    "| a | b |",
    "~~struck~~ $x^2$ &amp; &#169;",
    "line with two trailing spaces  \nnext",
    "back\\slash\\",
    "Setext\n===",
    "0\r# a heading after a carriage return",
]


def _shown(markdown: str) -> str:
    """What a CommonMark renderer shows, as text: tags dropped, entities read."""
    rendered = MarkdownIt("commonmark").render(markdown)
    return " ".join(html.unescape(_TAGS.sub(" ", rendered)).split())


def _words(text: str) -> str:
    """The text as a renderer shows it: blanks as one space, and NUL as U+FFFD, which
    CommonMark puts in its place for safety (spec 2.3)."""
    return " ".join(text.replace("\x00", "\ufffd").split())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(HOSTILE) | texts)
def test_any_text_renders_as_itself(text):
    assert _shown(render.markdown_literal(text)) == _words(text)


@given(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map("\n".join))
def test_no_text_makes_markup(text):
    rendered = MarkdownIt("commonmark").render(render.markdown_literal(text))
    assert re.findall(r"<(?!/?p>)[a-z]", rendered) == []  # only the paragraph itself


def test_a_hostile_meeting_exports_as_text():
    meeting = Meeting(dt.date(2024, 4, 26), place="<b>Hall</b>")
    item = Item(9, "# Inledning _x_", summary="<script>alert(1)</script>\n\n___")
    item.notes = [Statement(["Per [Norin](http://x)"], "- a\n# b")]
    meeting.items = [item]
    markdown = render.as_markdown(render.blocks(meeting, "Grupp *1*"))
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in rendered and "<b>" not in rendered and "<a " not in rendered
    assert "<em>" not in rendered and "<hr" not in rendered
    assert rendered.count("<h1>") == 1 and "<h1>Minnesanteckningar</h1>" in rendered
    shown = _shown(markdown)
    for literal in ("Grupp *1*", "§9 # Inledning _x_", "<script>alert(1)</script>", "___"):
        assert literal in shown, literal
    assert "Per [Norin](http://x): - a # b" in shown


def test_a_nul_shows_as_the_replacement_character():
    assert _shown(render.markdown_literal("a\x00b")) == "a\ufffdb"
