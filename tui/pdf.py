"""One meeting as an archival, accessible PDF (PDF/A-2b and PDF/UA-1), laid out as a printed
protocol by Typst from `tui/protocol.typ`.

The layout is `render.blocks()`, the same the text, Markdown and the app show. The meeting
reaches the template as JSON in `sys.inputs`, never as Typst source, so no text in a file can
become markup or code. Typst refuses, for PDF/A, a character none of its bundled fonts can
show; such characters are written as `<U+XXXX>` instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import render
from .labels import labels
from .terminal import UNSAFE

if TYPE_CHECKING:
    import typst

    from .model import Meeting

_STANDARDS: list[typst.PDFStandard] = ["a-2b", "ua-1"]
_ROW_LABELS = (
    "secretary",
    "chair",
    "adjusters",
    "adjustment",
    "adjusted_items",
    "notice_body",
    "notice_meeting",
    "notice_posted",
    "notice_taken_down",
    "notice_storage",
)
"""The labels of the entries render writes as "label  value" rows (the rest are lists)."""
_ATTEMPTS = 3
"""Compilations that may each find more characters no font shows: a mark no font has on its
letter is refused with the letter, and found once the characters refused alone are out."""


def as_pdf(meeting: Meeting, body_name: str, modified: dt.datetime) -> bytes:
    """The meeting's PDF; `modified` (timezone-aware) is its date, so the same meeting and
    time give the same bytes."""
    import typst  # late: only publishing pays for loading the compiler

    metadata, shown = _document(meeting, body_name)
    for _ in range(_ATTEMPTS):
        try:
            return _compile(metadata, shown, modified)
        except typst.TypstError as error:
            refused = _refused(error.diagnostic)
            if not refused:
                raise  # not a character but a fault of the template: to be seen
            missing = {c for c in refused if not c.isascii()}
            if not missing:
                break
            shown = _strings(shown, _written_out(missing))
    return _compile(metadata, _strings(shown, _ascii_only), modified)


_lock = threading.Lock()


@functools.cache
def _compiler() -> typst.Compiler:
    """One compiler for the process: it keeps the fonts it read and what it laid out, so a
    PDF after the first costs about a third less (the same one again, a quarter)."""
    import typst

    return typst.Compiler(ignore_system_fonts=True)  # the same fonts on every machine


def _compile(metadata: dict[str, str], shown: dict[str, Any], modified: dt.datetime) -> bytes:
    template = Path(__file__).with_name("protocol.typ").read_bytes()
    meeting = json.dumps(metadata | _strings(shown, _breakable))
    with _lock:  # the compiler serves one call at a time ("Already borrowed")
        pdf = _compiler().compile(
            template,
            sys_inputs={"meeting": meeting},
            pdf_standards=_STANDARDS,
            timestamp=modified,
        )
    assert isinstance(pdf, bytes)
    return pdf


# --- the layout as the template's parts ------------------------------------------------------


def _document(meeting: Meeting, body_name: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The document's metadata, and what its pages show."""
    words = labels(meeting.language)
    layout = [(role, _clean(text)) for role, text in render.blocks(meeting, body_name)]
    kind, body, *states = (text for role, text in layout if role == render.TITLE)
    date = meeting.date.isoformat()
    metadata = {  # one line each, as a reader lists them
        "lang": meeting.language,
        "title": ", ".join(_one_line(part) for part in (kind, body, date, *states) if part.strip()),
        "author": _one_line(body),
    }
    marks = [text for role, text in layout if role == render.MARK]
    shown = {
        "kind": kind,
        "body": body,
        "head": _cut(_one_line(body)),
        "date": date,
        "mark": _mark_label(marks[0]) if marks else None,
        # A state under the title ("INSTÄLLT") reads before everything else.
        "parts": [{"type": "paragraph", "text": state} for state in states] + _parts(layout, words),
    }
    return metadata, shown


def _parts(layout: list[render.Block], words: dict[str, str]) -> list[dict[str, Any]]:
    """The blocks as headings, paragraphs, lists, label-value rows and lines to sign, with
    the notice of adjustment (anslag/bevis) in a frame of its own."""
    row_labels = {words[key] for key in _ROW_LABELS}
    parts: list[dict[str, Any]] = []
    into = parts
    for role, text in layout:
        if role in (render.GROUP, render.ITEM):
            into = parts
        if role == render.GROUP and text == words["notice"]:
            frame: dict[str, Any] = {"type": "frame", "parts": []}
            parts.append(frame)
            into = frame["parts"]
        if role in (render.GROUP, render.ITEM, render.HEADING):
            level = 3 if role == render.HEADING else 2
            into.append({"type": "heading", "level": level, "text": text})
        elif role == render.PARAGRAPH:
            into.append({"type": "paragraph", "text": text})
        elif role == render.META:
            _add(into, "rows", _row(text))
        elif role == render.ENTRY:
            _add(into, *_entry(text, words["sign_here"], row_labels))
    return parts


def _entry(text: str, sign_here: str, row_labels: set[str]) -> tuple[str, Any]:
    if sign_here in text:
        label, _, name = text.partition(sign_here)
        return "signatures", [label.strip(), name.strip()]
    row = _row(text)
    if row[0] in row_labels:
        return "rows", row
    return "list", text


def _row(text: str) -> list[str]:
    label, _, value = text.partition("  ")
    return [label, value]


def _add(parts: list[dict[str, Any]], kind: str, entry: Any) -> None:
    """An entry joins the list, rows or signatures right before it, or starts them."""
    if not parts or parts[-1]["type"] != kind:
        parts.append({"type": kind, "entries": []})
    parts[-1]["entries"].append(entry)


def _mark_label(mark: str) -> str:
    """ "Justerandes signatur" of "Justerandes signatur: ______": the box is to sign in."""
    return mark.rstrip("_ ").rstrip(":")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str) -> str:
    """A body's name for the page head, where two lines fit (the first page shows it whole)."""
    return text if len(text) <= 110 else text[:100] + "…"


def _strings(value: Any, change: Callable[[str], Any]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_strings(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _strings(v, change) for k, v in value.items()}
    return value


# --- text every font shows -------------------------------------------------------------------

_LINE_END = re.compile(r"\r\n?")
_NOT_TEXT = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane | end) for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF))
    + "]"
)
"""Lone surrogates and noncharacters."""


def _clean(text: str) -> str:
    """Line ends as newlines; control characters and bidirectional overrides (as the terminal
    shows them), lone surrogates and noncharacters (which XML, so the PDF's metadata, may not
    hold) written out, never obeyed."""
    text = _LINE_END.sub("\n", text)
    text = UNSAFE.sub(_code, text)
    return _NOT_TEXT.sub(_code, text)


def _code(match: re.Match[str]) -> str:
    return _code_of(match[0])


def _code_of(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _written_out(missing: Collection[str]) -> Callable[[str], str]:
    return lambda text: "".join(_code_of(c) if c in missing else c for c in text)


def _ascii_only(text: str) -> str:
    """The last resort, for characters shown alone but not together: every character but
    printable ASCII, which every bundled font has, written out."""
    return "".join(c if " " <= c <= "~" or c == "\n" else _code_of(c) for c in text)


_REFUSED = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\(.)")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


def _refused(diagnostic: str) -> set[str]:
    """The characters of the texts Typst's errors name as shown by no font. A letter is
    named with a mark no font has on it: only the characters beyond ASCII are to blame."""
    return set("".join(_unescape(text) for text in _REFUSED.findall(diagnostic)))


def _unescape(text: str) -> str:
    """A string as Rust's `{:?}` writes it, read back."""

    def one(match: re.Match[str]) -> str:
        if match[1]:
            return chr(int(match[1], 16))
        return _ESCAPED.get(match[2], match[2])

    return _ESCAPE.sub(one, text)


# --- text that fits its line -----------------------------------------------------------------

_LONG = 40
"""Characters of a run no line may break in, beyond which it is broken anywhere: longer than
any word (Swedish compounds reach about 30), shorter than a line of text."""
_BREAK = re.compile(r"(\n|(?<=[^\s(\[{\"'«“‘\u2060\ufeff])[ \t]+(?=[^\s)\]}!?,.:;/\u2060\ufeff]))")
"""Where a line surely may break: a newline, or blanks between words. Unicode's line breaking
allows no break at a blank before a closing bracket or punctuation (". . ."), nor after an
opening one or a quote, so those stay in one run."""


def _breakable(text: str) -> str | list[str | list[str]]:
    """The text as it is, or, when it holds a run longer than `_LONG` in which no line may
    break (a link, a row of dots), as its pieces: text, and such runs cut in few characters
    that the template sets each in a box of its own, which lines may break between."""
    if len(text) <= _LONG:
        return text
    pieces = _BREAK.split(text)  # runs, and the breaks between them
    if all(len(run) <= _LONG for run in pieces[::2]):
        return text
    shown: list[str | list[str]] = []
    plain: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0 and len(piece) > _LONG:
            shown += ["".join(plain), _few_characters(piece)]
            plain = []
        else:
            plain.append(piece)
    return [*shown, "".join(plain)]


def _few_characters(run: str) -> list[str]:
    """The run in pieces of three characters, a letter kept with its marks."""
    clusters: list[str] = []
    for char in run:
        if clusters and (unicodedata.category(char).startswith("M") or char in "\u200d\ufe0f"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return ["".join(clusters[i : i + 3]) for i in range(0, len(clusters), 3)]
