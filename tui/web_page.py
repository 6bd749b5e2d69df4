"""Minutes as an accessible web page: render.py's layout dressed in plain HTML and CSS.

Every page declares its language, has one h1, headings in order, lists as lists and landmarks
(header, nav, main), so that a screen reader can walk it (WCAG 2.1 AA, EN 301 549). No
JavaScript. Text from the files is escaped, and its control characters shown, never obeyed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import render
from .labels import labels
from .terminal import clean

if TYPE_CHECKING:
    from .model import Meeting

STYLESHEET = (Path(__file__).parent / "web.css").read_text
"""The site's one stylesheet (called when needed: reading it costs nothing until then)."""


def text(raw: str) -> str:
    """`raw` from a file as HTML text: escaped, control characters made visible."""
    return html.escape(clean(raw), quote=True)


def document(
    title: str,
    language: str,
    main: Iterable[str],
    stylesheet: str | None,
    nav: Sequence[tuple[str, str]] = (),
) -> str:
    """A whole page. `stylesheet` is the CSS file's address, or None to carry the CSS inside
    (a page exported alone). `nav` is the way back: (address, label) pairs, the last the page
    itself (no address)."""
    style = (
        f'<link rel="stylesheet" href="{text(stylesheet)}">'
        if stylesheet is not None
        else f"<style>\n{STYLESHEET()}</style>"
    )
    words = labels(language)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{text(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{text(title)}</title>",
        style,
        "</head>",
        "<body>",
    ]
    if nav:
        crumbs = [
            f'<li><a href="{text(href)}">{text(label)}</a></li>'
            if href
            else f'<li aria-current="page">{text(label)}</li>'
            for href, label in nav
        ]
        head += [f'<nav aria-label="{text(words["web_breadcrumbs"])}"><ol>', *crumbs, "</ol></nav>"]
    return "\n".join([*head, "<main>", *main, "</main>", "</body>", "</html>", ""])


def meeting_page(
    meeting: Meeting,
    body_name: str,
    stylesheet: str | None = None,
    nav: Sequence[tuple[str, str]] = (),
    pdf: str | None = None,
) -> str:
    """One meeting as its minutes read; `pdf` is the address of its printable copy."""
    layout = render.blocks(meeting, body_name)
    title = f"{layout[0][1]} {body_name} {meeting.date.isoformat()}"
    main = list(_minutes(layout))
    if pdf:
        words = labels(meeting.language)
        main.insert(1, f'<p class="pdf"><a href="{text(pdf)}">{text(words["web_pdf"])}</a></p>')
    return document(title, meeting.language, main, stylesheet, nav)


def _minutes(layout: list[render.Block]) -> Iterator[str]:
    (_, kind), (_, name) = layout[:2]
    yield f'<h1><span class="kind">{text(kind)}</span> {text(name)}</h1>'
    open_list = ""
    for role, raw in layout[2:]:
        if role == render.TITLE:  # a state under the title: INSTÄLLT
            yield f'<p class="state"><strong>{text(raw)}</strong></p>'
            continue
        wanted = "dl" if role == render.META else "ul" if role == render.ENTRY else ""
        if open_list != wanted:
            if open_list:
                yield f"</{open_list}>"
            if wanted:
                yield f"<{wanted}>"
            open_list = wanted
        if role == render.META:
            label, _, value = raw.partition("  ")
            yield f"<dt>{text(label)}</dt><dd>{text(value)}</dd>"
        elif role == render.ENTRY:
            yield f"<li>{_entry(raw)}</li>"
        elif role in (render.GROUP, render.ITEM):
            yield f"<h2>{text(raw)}</h2>"
        elif role == render.HEADING:
            yield f"<h3>{text(raw)}</h3>"
        elif role == render.MARK:
            continue  # the box a printed page is initialled in: nothing to do on a screen
        else:
            yield "<p>" + "<br>\n".join(text(line) for line in raw.split("\n")) + "</p>"
    if open_list:
        yield f"</{open_list}>"


SIGN_HERE = labels("sv")["sign_here"]


def _entry(raw: str) -> str:
    """A list entry; a line to sign on is drawn, not spelled out as underscores."""
    parts = raw.split(SIGN_HERE)
    line = '<span class="sign-line" aria-hidden="true"></span>'
    return line.join(text(part) for part in parts)
