"""Editing one §: title, case numbers, summary, proposal (with its heading), decision,
documents, and the protocol parts (motions, votes, reservations, special statements, notes, jäv,
immediate adjustment) in short text forms.

Multi-line texts in TextAreas with soft wrap; a missing title and votes by people who are not
decision-making members are caught at their fields.
"""

from __future__ import annotations

import copy

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from ..model import Item, Statement, Vote
from .dialogs import Editor
from .form_fields import LineField, TextField
from .key_bar import KeyBar

PROPOSAL_HEADING = "Proposal's heading, e.g. Kommunstyrelsens förslag (empty: the usual)"
TEXTS = (("summary", "Summary"), ("proposal", "Proposed decision"), ("decision", "Decision"))
STATEMENTS = (
    ("motions", "Motions (yrkanden), one a line: Name, Name: text"),
    ("reservations", "Reservations, one a line: Name: reason"),
    ("opinions", "Special statements (särskilt yttrande), one a line: Name: text"),
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


VOTE_KEYS = {
    "question": "Question",
    "yes": "Yes",
    "no": "No",
    "abstain": "Abstain",
    "result": "Result",
}


def vote_blocks(votes: list[Vote]) -> str:
    """Votes as text: a block each, blocks apart by a blank line."""
    blocks = []
    for vote in votes:
        lines = []
        for key, label in VOTE_KEYS.items():
            value = getattr(vote, key)
            lines.append(f"{label}: {', '.join(value) if isinstance(value, list) else value}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def parse_votes(text: str, old: list[Vote]) -> list[Vote]:
    """Votes from `vote_blocks` text; ValueError naming a line it cannot read. Unknown keys of
    unchanged votes are kept."""
    kept = {vote_blocks([v]): v for v in old}
    votes = []
    for block in filter(str.strip, text.replace("\r", "").split("\n\n")):
        block = block.strip("\n")
        if block in kept:
            votes.append(kept[block])
            continue
        vote = Vote()
        for line in filter(str.strip, block.splitlines()):
            label, colon, value = line.partition(":")
            key = next(
                (k for k, v in VOTE_KEYS.items() if v.lower() == label.strip().lower()), None
            )
            if key is None or not colon:
                raise ValueError(
                    f"cannot read {line.strip()!r}: lines start with "
                    + ", ".join(f"{v}:" for v in VOTE_KEYS.values())
                )
            if key in ("question", "result"):
                setattr(vote, key, value.strip())
            else:
                setattr(vote, key, [name.strip() for name in value.split(",") if name.strip()])
        votes.append(vote)
    return votes


class ItemEditor(Editor[Item]):
    """Returns the edited item, or None when the edit is abandoned."""

    DISCARD = "Discard the changes to this §?"

    def __init__(self, item: Item, members: list[str]):
        super().__init__()
        self.item = item
        self.members = members
        """The decision-making members present for this §: who may vote."""

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll(classes="editor"):
            yield Static(Text(f"§{item.number}", style="bold"), classes="editor-title")
            yield Label("Title")
            yield LineField(item.title, id="title")
            yield Label("", id="title-problem", classes="problem")
            yield Label("Case numbers (diarienummer), comma between")
            yield LineField(", ".join(item.cases), id="case")
            for name, label in TEXTS:
                if name == "proposal":  # its heading just above it
                    yield Label(PROPOSAL_HEADING)
                    yield LineField(item.proposal_heading, id="proposal_heading")
                yield Label(label)
                yield TextField(getattr(item, name), id=name, soft_wrap=True, classes="text")
            yield Checkbox(
                "Adjusted immediately (omedelbar justering)",
                item.adjusted_immediately,
                id="adjusted_immediately",
            )
            yield Label("Decision documents, one a line")
            yield TextField("\n".join(item.documents), id="documents", classes="list")
            for name, label in STATEMENTS:
                yield Label(label)
                yield TextField(statement_lines(getattr(item, name)), id=name, classes="list")
            yield Label("Conflict of interest (jäv): who took no part, one a line")
            yield TextField("\n".join(item.conflicts), id="conflicts", classes="list")
            yield Label("Votes (omröstning): a block each, a blank line between")
            yield TextField(vote_blocks(item.votes), id="votes", classes="votes")
            yield Label("", id="votes-problem", classes="problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def original(self) -> Item:
        return self.item

    def edited(self) -> Item:
        item = copy.deepcopy(self.item)
        item.title = self.query_one("#title", Input).value.strip()
        item.proposal_heading = self.query_one("#proposal_heading", Input).value.strip()
        item.adjusted_immediately = self.query_one("#adjusted_immediately", Checkbox).value
        cases = self.query_one("#case", Input).value.split(",")
        item.cases = [case.strip() for case in cases if case.strip()]
        for name, _ in TEXTS:
            setattr(item, name, self.query_one(f"#{name}", TextArea).text.strip("\n"))
        for name in ("documents", "conflicts"):
            lines = self.query_one(f"#{name}", TextArea).text.splitlines()
            setattr(item, name, [line.strip() for line in lines if line.strip()])
        for name, _ in STATEMENTS:
            text = self.query_one(f"#{name}", TextArea).text
            setattr(item, name, parse_statements(text, getattr(self.item, name)))
        item.votes = parse_votes(self.query_one("#votes", TextArea).text, self.item.votes)
        return item

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "votes":
            self.query_one("#votes-problem", Label).update(self._votes_problem())

    def _votes_problem(self) -> str:
        try:
            votes = parse_votes(self.query_one("#votes", TextArea).text, self.item.votes)
        except ValueError as error:
            return f"{error}."
        strangers = sorted({n for v in votes for n in v.voters()} - set(self.members))
        if strangers:
            number = self.item.number
            return f"Not decision-making members present for §{number}: {', '.join(strangers)}."
        return ""

    def action_done(self) -> None:
        votes_problem = self._votes_problem()
        self.query_one("#votes-problem", Label).update(votes_problem)
        if votes_problem:
            self.query_one("#votes", TextArea).focus()
            return
        item = self.edited()
        problem = self.query_one("#title-problem", Label)
        if not item.title:
            problem.update("Every § needs a title.")
            self.query_one("#title", Input).focus()
            return
        problem.update("")
        self.dismiss(item if item != self.item else None)
