"""The archival PDF, read back with poppler as a reader's tools would: every fact the minutes
hold, fonts embedded, tagged, PDF/A-2b and PDF/UA-1 declared, the protocol's parts, page
numbers "1(N)", the same bytes for the same meeting, and any text shown as itself."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import pdf, render
from tui.archive import Archive
from tui.cli import main
from tui.model import (
    Appeal,
    Attendance,
    Attendee,
    Chair,
    Item,
    Meeting,
    NextMeeting,
    Notice,
    Signatures,
    Statement,
    Vote,
)

from .strategies import texts
from .test_render_protocol import BODY, EXTENSIONS, FOLDER

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed; `make test` "
    "installs it when run as root",
)
MODIFIED = dt.datetime(2024, 5, 2, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


class Pdf:
    """A PDF in a file, and what poppler reads in it."""

    def __init__(self, data: bytes, folder: Path) -> None:
        self.path = folder / f"{len(list(folder.glob('*.pdf')))}.pdf"
        self.path.write_bytes(data)

    def _run(self, tool: str, *args: str) -> str:
        result = subprocess.run(
            [tool, *args, str(self.path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            errors="replace",  # pdfinfo -struct prints a heading's title as UTF-16
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def text(self) -> str:
        return self._run("pdftotext", "-layout")

    def raw_text(self) -> str:
        """The text in the order the page draws it. The layout's reading guesses the spaces
        from the gaps between letters, and on a line of one-letter words (`a b c`, `: :`) it
        guesses none: the document holds them, the guess drops them."""
        return self._run("pdftotext", "-raw")

    def pages(self) -> list[str]:
        return self.text().split("\f")[:-1]

    def info(self) -> dict[str, str]:
        lines = self._run("pdfinfo", "-isodates").splitlines()
        return dict((part.strip() for part in line.split(":", 1)) for line in lines)

    def metadata(self) -> str:
        return self._run("pdfinfo", "-meta")

    def structure(self) -> str:
        """The tag tree, with the text of each tag."""
        return self._run("pdfinfo", "-struct-text")

    def fonts(self) -> list[list[str]]:
        """pdffonts' rows, each ending in emb, sub, uni and the object's number."""
        lines = self._run("pdffonts").splitlines()
        return [line.split() for line in lines[2:]]


@pytest.fixture
def make_pdf(tmp_path):
    def make(meeting: Meeting, body: str = BODY) -> Pdf:
        return Pdf(pdf.as_pdf(meeting, body, MODIFIED), tmp_path)

    return make


@pytest.fixture
def seed(archive_dir) -> tuple[Meeting, str]:
    archive = Archive(archive_dir)
    entry = archive.resolve("2024-04-26")
    meeting, _ = archive.load(entry)
    return meeting, archive.body_name(entry.folder)


@pytest.fixture
def protocol(protocol_dir) -> Meeting:
    """The fictional protocol with every part a protocol may have: chairs taking turns,
    justering's time and §§, the notice of adjustment, an appeal."""
    path = protocol_dir / "meetings" / FOLDER / "2024-11-14.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in EXTENSIONS:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    archive = Archive(protocol_dir)
    meeting, _ = archive.load(archive.resolve("latest"))
    return meeting


def _words(text: str) -> str:
    return " ".join(text.split())


def _in_order(wanted: list[str], found: list[str]) -> list[str]:
    """The words of `wanted` not found in `found` in their order. A word may be broken over
    two lines after a hyphen or slash ("ESF-" "projekt"); `found` may hold more (the page
    heads)."""
    at = 0
    for word in wanted:
        while at < len(found) and found[at] != word and not _broken(word, found[at : at + 2]):
            at += 1
        if at == len(found):
            return wanted[wanted.index(word) :]
        at += 1 if found[at] == word else 2
    return []


def _broken(word: str, pair: list[str]) -> bool:
    return pair[0].endswith(("-", "/")) and "".join(pair) == word


def _unwrapped(document: Pdf) -> str:
    """The document's text without its page heads and marks, in one line without blanks:
    text wrapped anywhere reads the same."""
    pages = []
    for page in document.pages():
        lines = page.strip("\n").splitlines()
        while lines and lines[0].strip():  # the head, down to the first blank line
            lines.pop(0)
        if lines[-1].strip() == "Justerandes signatur":
            lines.pop()
        pages += lines
    return _unwrapped_text("\n".join(pages))


def _unwrapped_text(text: str) -> str:
    """Without blanks, and without the marks pdftotext puts around text right to left."""
    return re.sub(r"[\s\u202a-\u202e]", "", text)


# --- the seed: what `minutes show` prints, as a document ----------------------------------


@needs_poppler
def test_the_seed_holds_every_word_minutes_show_prints(seed, make_pdf, archive_dir, capsys):
    main(["--repo", str(archive_dir), "show", "2024-04-26"])
    shown = capsys.readouterr().out.split()
    document = make_pdf(*seed)
    assert _in_order(shown, document.text().split()) == []


@needs_poppler
def test_the_seed_is_tagged_archival_and_accessible(seed, make_pdf):
    document = make_pdf(*seed)
    info = document.info()
    assert info["Tagged"] == "yes"
    assert info["Title"] == (
        "Minnesanteckningar, Samverkansgrupp Kompetensförsörjning 2023, 2024-04-26"
    )
    assert info["CreationDate"] == info["ModDate"] == "2024-05-02T08:30:00Z"  # `modified`
    assert info["Page size"].endswith("(A4)")
    meta = document.metadata()
    for declared in (
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:language><rdf:Bag><rdf:li>sv</rdf:li></rdf:Bag></dc:language>",
        "Minnesanteckningar, Samverkansgrupp Kompetensförsörjning 2023, 2024-04-26</rdf:li>",
    ):
        assert declared in meta


@needs_poppler
def test_the_seed_is_tagged_as_it_reads(seed, make_pdf):
    """Headings are headings (the title, then each group and §, then each part of a §), lists
    are lists, and the running heads are no part of the text a reader is read."""
    tags = make_pdf(*seed).structure()
    layout = render.blocks(*seed)
    roles = [role for role, _ in layout]
    tagged = [line.split()[0] for line in tags.splitlines() if line.strip()]
    assert tagged.count("H1") == 1
    assert tagged.count("H2") == roles.count(render.GROUP) + roles.count(render.ITEM)
    assert tagged.count("H3") == roles.count(render.HEADING)
    assert tagged.count("LI") == roles.count(render.ENTRY) - 1  # the secretary's row is no list
    assert tags.count('"2024-04-26"') == 1  # the date's row, not the head of each page


@needs_poppler
def test_every_font_is_embedded(seed, protocol, make_pdf):
    for document in (make_pdf(*seed), make_pdf(protocol), make_pdf(_hostile_meeting())):
        fonts = document.fonts()
        assert fonts
        assert [row[0] for row in fonts if row[-5] != "yes"] == []


@needs_poppler
def test_every_page_has_its_number_of_all_in_the_head(make_pdf):
    summary = "Nämnden diskuterar ärendet ingående och noterar informationen. " * 6
    items = [Item(n, f"Ärende {n}", summary=summary, decision="Noteras.") for n in range(1, 61)]
    document = make_pdf(Meeting(dt.date(2024, 6, 3), items=items), "Grupp")
    pages = document.pages()
    assert len(pages) > 5
    for number, page in enumerate(pages, 1):
        head = page.strip().splitlines()[0].split()
        assert head == ["Grupp", "Minnesanteckningar", f"{number}({len(pages)})"]


def test_the_same_meeting_gives_the_same_bytes(seed):
    first = pdf.as_pdf(*seed, MODIFIED)
    assert first.startswith(b"%PDF-")
    assert pdf.as_pdf(*seed, MODIFIED) == first
    assert pdf.as_pdf(*seed, MODIFIED + dt.timedelta(seconds=1)) != first


def test_pdfs_made_at_once_in_threads(seed):
    """The app's workers may make PDFs side by side; the one compiler takes them in turn."""
    with ThreadPoolExecutor(3) as pool:
        made = list(pool.map(lambda _: pdf.as_pdf(*seed, MODIFIED), range(3)))
    assert made[0] == made[1] == made[2]


# --- protocols ---------------------------------------------------------------------------


@needs_poppler
def test_a_protocol_shows_its_justering_notice_and_appeals(protocol, make_pdf):
    document = make_pdf(protocol)
    pages = document.pages()
    text = _words(document.text())
    for fact in (
        "Vid protokollet Sekreterare Gunilla Holm Ordförande Alma Berglund §§130–131, "
        "Bertil Ceder §§132–133 Justerare Cecilia Dahl Justeringens plats och tid "
        "Kommunhuset, Exempelby 2024-11-19 kl. 10:00 Justerade paragrafer §§130–133",
        "Underskrifter Sekreterare Gunilla Holm Ordförande Alma Berglund §§130–131 "
        "Ordförande Bertil Ceder §§132–133 Justerare Cecilia Dahl",
        "ANSLAG/BEVIS Protokollet är justerat. Justeringen har tillkännagivits genom anslag "
        f"Organ {BODY} Sammanträdesdatum 2024-11-14 Datum då anslaget sätts upp 2024-11-20 "
        "Datum då anslaget tas ned 2024-12-12 Förvaringsplats för protokollet Kommunhuset, "
        "Exempelby Underskrift Gunilla Holm",
        "Överklagat – §132 den 2024-12-01 av Bertil Ceder",
    ):
        assert fact in text
    assert "____" not in text  # the lines to sign on are drawn, not typed
    # The box the adjusters initial, on every page.
    assert all("Justerandes signatur" in page for page in pages)
    assert pages[0].strip().splitlines()[0].split()[-2:] == ["Protokoll", f"1({len(pages)})"]


@needs_poppler
def test_english_minutes_have_english_headings(protocol, make_pdf):
    protocol.language = "en"
    document = make_pdf(protocol)
    text = _words(document.text())
    for heading in (
        "Protocol",
        "Decision-making members",
        "For the protocol Secretary Gunilla Holm",
        "Decision",
        "Signatures Secretary Gunilla Holm",
        "NOTICE/CERTIFICATE",
        "Appealed – §132 on 2024-12-01 by Bertil Ceder",
        "Adjusters' signatures",
    ):
        assert heading in text
    assert "Vid protokollet" not in text and "Underskrifter" not in text
    assert "<rdf:li>en</rdf:li>" in document.metadata()
    assert document.info()["Title"] == f"Protocol, {BODY}, 2024-11-14"


def test_planned_minutes_without_names_or_items(make_pdf):
    """Nothing but a date: no body name, no items, no one; still a valid document."""
    assert pdf.as_pdf(Meeting(dt.date(2024, 1, 1), kind=""), "", MODIFIED).startswith(b"%PDF-")


@needs_poppler
def test_a_cancelled_meeting_says_so_first_and_in_its_title(make_pdf):
    document = make_pdf(Meeting(dt.date(2024, 9, 13), kind="minnesanteckningar", cancelled=True))
    first = _words(document.pages()[0])
    assert "INSTÄLLT" in first and first.index("INSTÄLLT") < first.index("Mötesdatum")
    assert document.info()["Title"] == f"Minnesanteckningar, {BODY}, 2024-09-13, INSTÄLLT"


# --- text that is not what it seems ------------------------------------------------------

HOSTILE = [
    # (in the file, as the PDF shows it)
    ("#", "#"),
    ("$x^2$", "$x^2$"),
    ("[link]", "[link]"),
    ("back\\slash", "back\\slash"),
    ("<b>", "<b>"),
    ("@ref", "@ref"),
    ("// comment", "// comment"),
    ("/* comment */", "/* comment */"),
    ("*_bold_*", "*_bold_*"),
    ("`code`", "`code`"),
    ('#import "x"', '#import "x"'),
    ('#read("/etc/passwd")', '#read("/etc/passwd")'),
    ("= heading", "= heading"),
    ("x שלום y مرحبا z", "x שלום y مرحبا z"),  # right to left, between words left to right
    ("\x1b[31mred", "<U+001B>[31mred"),
    ("nul\x00", "nul<U+0000>"),
    ("\u202eevil", "<U+202E>evil"),  # a bidirectional override, shown rather than obeyed
    ("vote 🗳️", "vote <U+1F5F3><U+FE0F>"),  # no bundled font has emoji
    ("中文", "<U+4E2D><U+6587>"),  # nor Chinese
    ("a\u20dd", "a<U+20DD>"),  # a mark no font has together with its letter
    ("\ud800", "<U+D800>"),  # a lone surrogate
    ("\ufffe", "<U+FFFE>"),  # a noncharacter
]
HOSTILE_TEXT = " ".join(stored for stored, _ in HOSTILE)


def _hostile_meeting() -> Meeting:
    h = HOSTILE_TEXT
    person = Attendee(h, h, h, h, replaces=h)
    statement = [Statement([h], h)]
    item = Item(
        1,
        h,
        cases=[h],
        summary=f"{h}\n\n{h}",
        proposal=h,
        proposal_heading=h,
        motions=statement,
        votes=[Vote(h, [h], [h], [h], h)],
        decision=h,
        reservations=statement,
        notes=statement,
        opinions=statement,
        conflicts=[h],
        documents=[h],
    )
    return Meeting(
        dt.date(2024, 1, 1),
        "protokoll",
        place=h,
        attendance=Attendance([person], [person], [person], [person]),
        items=[item],
        next_meeting=NextMeeting(dt.date(2024, 2, 1), note=h),
        signatures=Signatures(h, [Chair(h)], [h], h),
        notice=Notice(dt.date(2024, 1, 3), storage=h, certified_by=h),
        appeals=[Appeal([1], dt.date(2024, 1, 10), h)],
    )


@needs_poppler
def test_hostile_text_shows_as_itself_in_every_field(make_pdf):
    meeting = _hostile_meeting()
    # Where the minutes as text show each piece, the PDF shows it too, as many times.
    as_text = render.as_text(render.blocks(meeting, "Grupp"), width=10_000)
    text = _unwrapped(make_pdf(meeting, "Grupp"))
    for stored, shown in HOSTILE:
        assert text.count(_unwrapped_text(shown)) == as_text.count(stored) > 20, shown


@needs_poppler
def test_a_hostile_body_name_heads_the_document(make_pdf):
    document = make_pdf(Meeting(dt.date(2024, 1, 1), "protokoll"), HOSTILE_TEXT)
    shown = " ".join(shown for _, shown in HOSTILE)
    assert _unwrapped_text(f"Protokoll {shown}") in _unwrapped(document)  # the heading, whole
    head = document.pages()[0].splitlines()[:2]  # the page's head: the name cut to two lines
    assert head[0].startswith("# $x^2$ [link]") and "…" in head[1]
    # The metadata holds every character but those never to be obeyed or not characters.
    title = HOSTILE_TEXT
    for code in ("\x1b", "\x00", "\u202e", "\ud800", "\ufffe"):
        title = title.replace(code, f"<U+{ord(code):04X}>")
    assert document.info()["Title"] == f"Protokoll, {title}, 2024-01-01"
    metadata = document.metadata()
    assert f'<rdf:li xml:lang="x-default">Protokoll, {html.escape(title)}' in metadata


_CODE = re.compile(r"<U\+[0-9A-F]{4,6}>")


def _ascii(text: str) -> str:
    return "".join(c for c in text if "!" <= c <= "~")


@needs_poppler
@settings(max_examples=25, deadline=None)
@given(text=texts)
def test_any_text_makes_a_document(tmp_path_factory, text):
    """Any text in any field: a document, holding the text's ASCII as it is (characters
    beyond may be written out as codes)."""
    item = Item(1, text, summary=text, decision=text, documents=[text])
    meeting = Meeting(dt.date(2024, 1, 1), "protokoll", place=text, items=[item])
    document = Pdf(pdf.as_pdf(meeting, "Grupp", MODIFIED), tmp_path_factory.mktemp("pdf"))
    assert document.info()["Tagged"] == "yes"
    assert _ascii(text) in _ascii(_CODE.sub("", _unwrapped(document)))


@needs_poppler
@settings(max_examples=15, deadline=None)
@given(text=st.text("#$[]\\<>@/*_`=-+.:'\"{}()~^&% aé\n", max_size=39))
def test_markup_characters_show_literally(tmp_path_factory, text):
    meeting = Meeting(dt.date(2024, 1, 1), items=[Item(1, "x", summary=text)])
    document = Pdf(pdf.as_pdf(meeting, "Grupp", MODIFIED), tmp_path_factory.mktemp("pdf"))
    assert _words(text) in _words(document.raw_text())


@needs_poppler
def test_a_run_no_line_may_break_in_is_broken_within_the_page(make_pdf):
    """A link, a row of dots (no line may break at a blank before a full stop), a run of
    wide letters: broken where they must be, so no character falls off the page."""
    runs = ["https://example.org/" + "a" * 150, ". " * 150, "W" * 150, "(" + " (" * 80]
    item = Item(1, runs[1], summary=runs[2], decision=runs[3])
    meeting = Meeting(dt.date(2024, 1, 1), place=runs[0], items=[item])
    text = _unwrapped(make_pdf(meeting, "Grupp"))
    assert all(_unwrapped_text(run) in text for run in runs)


@needs_poppler
def test_the_last_resort_writes_out_all_but_ascii(monkeypatch, make_pdf):
    """Should characters still be refused after every attempt, the PDF shows every
    character beyond ASCII as its code, rather than fail."""
    monkeypatch.setattr(pdf, "_ATTEMPTS", 0)
    text = _words(make_pdf(Meeting(dt.date(2024, 1, 1), place="Västerås 🗳"), "Grupp").text())
    assert "V<U+00E4>ster<U+00E5>s <U+1F5F3>" in text
