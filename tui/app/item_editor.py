"""Editing one §: its title, case number, summary, proposal, decision and documents.

Multi-line texts in TextAreas with soft wrap; a missing title is caught at the field.
"""

from __future__ import annotations

import copy

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Static, TextArea

from ..model import Item, Statement
from .dialogs import Editor

TEXTS = (("summary", "Summary"), ("proposal", "Proposed decision"), ("decision", "Decision"))
STATEMENTS = (
    ("motions", "Motions (yrkanden), one a line: Name, Name: text"),
    ("reservations", "Reservations, one a line: Name: reason"),
    ("notes", "Protocol notes, one a line: Name: text"),
)


def statement_lines(statements: list[Statement]) -> str:
    return "\n".join(", ".join(s.by) + (f": {s.text}" if s.text else "") for s in statements)


def parse_statements(text: str, old: list[Statement]) -> list[Statement]:
    """One statement a line, `Name, Name: text`; unknown keys of unchanged lines are kept."""
    kept = {statement_lines([s]): s for s in old}
    result = []
    for line in filter(str.strip, text.splitlines()):
        if line in kept:
            result.append(kept[line])
            continue
        names, _, said = line.partition(":")
        by = [name.strip() for name in names.split(",") if name.strip()]
        result.append(Statement(by, said.strip()))
    return result


class ItemEditor(Editor[Item]):
    """Returns the edited item, or None when the edit is abandoned."""

    DISCARD = "Discard the changes to this §?"

    def __init__(self, item: Item):
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll(classes="editor"):
            yield Static(Text(f"§{item.number}", style="bold"), classes="editor-title")
            yield Label("Title")
            yield Input(item.title, id="title")
            yield Label("", id="title-problem", classes="problem")
            yield Label("Case number (diarienummer)")
            yield Input(item.case, id="case")
            for name, label in TEXTS:
                yield Label(label)
                yield TextArea(getattr(item, name), id=name, soft_wrap=True, classes="text")
            yield Label("Decision documents, one a line")
            yield TextArea("\n".join(item.documents), id="documents", classes="list")
            for name, label in STATEMENTS:
                yield Label(label)
                yield TextArea(statement_lines(getattr(item, name)), id=name, classes="list")
            yield Label("Conflict of interest (jäv): who took no part, one a line")
            yield TextArea("\n".join(item.conflicts), id="conflicts", classes="list")
            yield Label("Votes are edited in the file (E).", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def edited(self) -> Item:
        item = copy.deepcopy(self.item)
        item.title = self.query_one("#title", Input).value.strip()
        item.case = self.query_one("#case", Input).value.strip()
        for name, _ in TEXTS:
            setattr(item, name, self.query_one(f"#{name}", TextArea).text.strip("\n"))
        for name in ("documents", "conflicts"):
            lines = self.query_one(f"#{name}", TextArea).text.splitlines()
            setattr(item, name, [line.strip() for line in lines if line.strip()])
        for name, _ in STATEMENTS:
            text = self.query_one(f"#{name}", TextArea).text
            setattr(item, name, parse_statements(text, getattr(self.item, name)))
        return item

    def action_done(self) -> None:
        item = self.edited()
        problem = self.query_one("#title-problem", Label)
        if not item.title:
            problem.update("Every § needs a title.")
            self.query_one("#title", Input).focus()
            return
        problem.update("")
        self.dismiss(item if item != self.item else None)

    def changed(self) -> bool:
        return self.edited() != self.item
