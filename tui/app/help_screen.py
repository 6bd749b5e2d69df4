"""Every key, in one place (? or F1)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    (
        "Browse",
        [
            ("↑ ↓  Enter", "choose a meeting; Enter shows it"),
            ("/", "filter the list as you type; Escape returns"),
            ("Tab", "move between the list and the meeting"),
            ("] [  j k", "next and previous §"),
            ("g", "go to a § by number"),
            ("s", "search all meetings; Enter on a result opens it at the §"),
        ],
    ),
    (
        "Edit",
        [
            ("e", "edit the current § (Ctrl+S keeps, Escape cancels)"),
            ("E", "edit the meeting's TOML in $EDITOR; also fixes a broken file"),
            ("a  d", "add a § after the current one; delete the current §"),
            ("Shift+↑ ↓", "move the current § up or down (§§ renumber)"),
            ("n", "new meeting: body and date; roster, place and hours filled in"),
            ("m", "the meeting: kind, hours, place, first §, next meeting, signatures"),
            ("p", "people present: add, edit, remove, reorder; remote, §§, substitute for"),
            ("Ctrl+S", "save: one commit of this meeting"),
            ("u", "undo the latest save, as a new commit"),
            ("S", "sync: fetch others' saves, put yours on top, push (minutes sync)"),
        ],
    ),
    (
        "Review",
        [
            ("h", "the meeting's history, with what changed in each commit"),
            ("V", "a protocol's signatures, and what changed since its justering"),
            ("D", "every changed decision in the archive: when, by whom, which words"),
            ("c", "(in a history) compare every version with the one marked"),
            ("J", "protocols: what is due (justera, post, take down), where each stands"),
            ("x", "export the saved meeting: archival PDF, or .html, .md, .txt by name"),
        ],
    ),
    (
        "Anywhere",
        [
            ("Ctrl+P", "command palette: every action, themes"),
            ("? F1", "this help"),
            ("q", "quit (asks first when something is unsaved)"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        text = Text()
        for group, keys in KEYS:
            text.append(f"{group}\n", style="bold underline")
            for key, what in keys:
                text.append(f"  {key:<12}", style="bold")
                text.append(f"{what}\n")
            text.append("\n")
        with VerticalScroll(classes="dialog help"):
            yield Static(text)
