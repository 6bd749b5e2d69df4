"""Every theme file keeps its text readable: WCAG's 4.5:1 between each text and its background,
in the theme's own colours and as a 16-colour terminal (`TERM=xterm`) shows them.

The pairs are read from what the app draws, not listed by hand: the colours of text come from
the theme's variables (`Theme.to_color_system().generate()`) through Textual's rules (`:ansi`
variants, `auto` text, alpha blended over the background, focus tints, `dim` made a colour),
the widgets' and the app's style sheets and the app's own styles, and only Textual resolves
them all. One app run visits the screens in their states and looks at each in every theme:
the meeting list and an open meeting (status line, key bar, list headings, highlights with and
without focus, the current §), notifications, the item form (labels, fields, a selection, a
problem), the history, a dialog with its buttons, the command palette.

A 16-colour terminal: Textual hands its truecolor segments to Rich, which writes each colour as
the standard colour nearest to it (`Strip.render_ansi` → `rich.color.Color.downgrade(
ColorSystem.STANDARD)`: nearest in `rich._palettes.STANDARD_PALETTE` by a red-weighted RGB
distance). The terminal shows that colour from its own palette; the contrast is taken in the
palette Rich matches against (the VGA colours, as the Linux console and PuTTY show them).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from rich._palettes import STANDARD_PALETTE
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import TextArea

from tui.app.conflict import Conflict
from tui.diff import Change

from .conftest import ROOT
from .test_app import _app, _settle
from .test_saving import _decide, _save

TEXT = 4.5
"""WCAG 2 (1.4.3, level AA): text against its background."""

THEMES = [
    tomllib.loads(path.read_text(encoding="utf-8"))["name"]
    for path in sorted((ROOT / "themes").glob("*.toml"))
]

DEFAULT_TEXT, DEFAULT_BACKGROUND = 7, 0
"""A dark terminal's own colours, where an ANSI theme leaves them to it: white on black."""


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(linear, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pair:
    """A text colour on a background colour, as a terminal is told to draw it."""

    color: RichColor | None
    bgcolor: RichColor | None
    dim: bool

    def rgb(self, downgrade: bool) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(text, background) as a terminal shows them, in truecolor or in 16 colours. Dim
        text (only ANSI themes leave `dim` to the terminal; Textual blends it otherwise) is
        drawn half way to the background, as most terminals draw it."""

        def shown(color: RichColor | None, default: int) -> tuple[int, int, int]:
            if color is None or color.is_default:
                return tuple(STANDARD_PALETTE[default])
            if downgrade:
                color = color.downgrade(ColorSystem.STANDARD)
            if color.triplet is not None:
                return tuple(color.triplet)
            return tuple(STANDARD_PALETTE[color.number])

        text, background = shown(self.color, DEFAULT_TEXT), shown(self.bgcolor, DEFAULT_BACKGROUND)
        if self.dim:
            text = tuple((t + b) // 2 for t, b in zip(text, background, strict=True))
        return text, background


EXEMPT = {"SearchIcon", "ScrollBar"}
"""Not text: the command palette's magnifying glass (an emoji), scroll bars."""


def _is_text(character: str) -> bool:
    """Not blank, and not a line or block of a border (U+2500–U+259F)."""
    return not character.isspace() and not "\u2500" <= character <= "\u259f"


def _pairs(app, drawn: set[str]) -> dict[Pair, str]:
    """Every text/background pair the widgets of the current screen draw, after Textual's
    filters, each with a sample of its text; the names of the widgets go to `drawn`. The screen
    itself is left out: behind a dialog it shows the screen below, faded on purpose (WCAG
    exempts what is inactive)."""
    pairs: dict[Pair, str] = {}
    for widget in app.screen._compositor.visible_widgets:  # Textual is pinned: ==8.2.8
        if isinstance(widget, Screen) or type(widget).__name__ in EXEMPT:
            continue
        lines = widget.render_lines(Region(0, 0, *widget.outer_size))
        for text, style, _ in (segment for line in lines for segment in line):
            if style is not None and any(map(_is_text, text)):
                pair = Pair(style.color, style.bgcolor, bool(style.dim))
                drawn.add(type(widget).__name__)
                pairs.setdefault(pair, f"{type(widget).__name__} {text.strip()[:24]!r}")
    return pairs


async def test_text_meets_wcag_contrast_in_truecolor_and_16_colours(repo_dir):
    _save(repo_dir, _decide("Informationen godkänns."))  # a change for the history to show
    app = _app(repo_dir)
    seen: dict[str, dict[Pair, str]] = {theme: {} for theme in THEMES}
    drawn: set[str] = set()

    async def look(where: str, themes: list[str] = THEMES) -> None:
        """The current screen in every theme: switching gives the same colours as starting in
        a theme, but for the command palette, which takes them as it opens."""
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            for pair, sample in _pairs(app, drawn).items():
                seen[theme].setdefault(pair, f"{where}: {sample}")

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for severity in ("information", "warning", "error"):
            app.notify("A message", title="Saved", severity=severity)
        await _settle(app, pilot)
        await look("the meeting list, notifications")
        app.clear_notifications()
        await pilot.press("enter", "j", "j")
        await look("a meeting open at its §10")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#title").value = ""
        app.screen.query_one("#decision", TextArea).focus()
        await pilot.press("f7", "ctrl+s")  # select all; keep: refused, the title is missing
        await look("the item form, a problem, a selection")
        await pilot.press("escape", "y", "h")
        await _settle(app, pilot)
        await look("the history")
        await pilot.press("escape")
        change = Change("meeting", "start", "start", old="09:00", new="11:30")
        await app.push_screen(Conflict("2024-04-26", [change]))
        await look("a conflict")
        await pilot.press("escape")
        for theme in THEMES:
            app.theme = theme
            await pilot.press("ctrl+p")
            await look("the command palette", [theme])
            await pilot.press("escape")

    # The tour went where it says (a widget left unseen would go unchecked).
    assert {"MeetingList", "KeyBar", "Toast", "TextField", "Label", "Button", "CommandList"} < drawn
    failures = []
    for theme, pairs in seen.items():
        for pair, where in pairs.items():
            for downgrade in (False, True):
                text, background = pair.rgb(downgrade)
                if (ratio := contrast(text, background)) < TEXT:
                    shown = "in 16 colours" if downgrade else "in truecolor"
                    failures.append(
                        f"{theme}: {ratio:.2f}:1 {shown}, {text} on {background}: {where}"
                    )
    assert not failures, "\n".join(sorted(failures))
