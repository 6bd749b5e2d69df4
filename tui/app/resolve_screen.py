"""What this clone and the other side changed differently, side by side, one conflict a
card: here or there is chosen for each (a text may be written anew), and Enter merges as
chosen. Nothing is written until then; Escape leaves everything as it was."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TextArea

from ..merge import KEPT, TEXT, Choice, Conflict, Written
from ..resolution import HERE, Disagreements
from ..terminal import clean
from .key_bar import KeyBar

Choices = dict[str, dict[str, Choice]]


class ConflictCard(Vertical, can_focus=True):
    """One conflict: its field, the base, and here and there side by side."""

    choice: reactive[Choice | None] = reactive(None, init=False)

    def __init__(self, path: str, conflict: Conflict, there: str):
        super().__init__(classes="card")
        self.path, self.conflict, self.there = path, conflict, there

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        head = f"{Path(self.path).stem} {conflict.field}: {conflict.why}"
        yield Static(Content(clean(head)), classes="card-head")
        before = conflict.base or "(nothing)"  # both added it: say so, not nothing at all
        yield Static(Content(clean(f"before: {before}")), classes="card-base")
        with Horizontal(classes="sides"):
            yield Static(Content(clean(conflict.ours)), classes="side here")
            yield Static(Content(clean(conflict.theirs)), classes="side there")
        yield Static("", classes="card-written")

    def on_mount(self) -> None:
        self.watch_choice(None)

    def watch_choice(self, choice: Choice | None) -> None:
        kept = self.conflict.kind == KEPT
        for side, label in (("ours", f"here: {HERE}"), ("theirs", f"there: {self.there}")):
            pane = self.query_one(".here" if side == "ours" else ".there", Static)
            chosen = choice == side and not kept
            pane.border_title = Text(("✓ " if chosen else "") + clean(label))
            pane.set_class(chosen, "chosen")
        note = (
            f"✓ written: {choice.text}"
            if isinstance(choice, Written)
            else "✓ kept as changed"
            if kept and choice is not None
            else ""
        )
        written = self.query_one(".card-written", Static)
        written.update(Content(clean(note)))
        written.display = bool(note)


class WriteText(ModalScreen[str | None]):
    """A text of one's own for a conflicting text; Ctrl+S takes it, Escape leaves."""

    BINDINGS = [
        Binding("ctrl+s", "take", "Take this text", priority=True),
        Binding("escape", "dismiss(None)", "Back"),
    ]

    def __init__(self, field: str, text: str):
        super().__init__()
        self.field, self.text = field, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog write-text"):
            yield Static(Content(clean(f"Write {self.field} (Ctrl+S takes it, Esc leaves)")))
            yield TextArea(self.text, soft_wrap=True, id="written")

    def action_take(self) -> None:
        self.dismiss(self.query_one("#written", TextArea).text)


class ResolveScreen(Screen[Choices | None]):
    """Returns a choice for every conflict, by meeting path and field; None to leave."""

    BINDINGS = [
        Binding("h", "choose('ours')", "Here", tooltip="This clone's value"),
        Binding("t", "choose('theirs')", "There", tooltip="The other side's value"),
        Binding("e", "write", "Write", tooltip="A text of your own"),
        Binding("down,j", "app.focus_next", "Next", show=False),
        Binding("up,k", "app.focus_previous", "Previous", show=False),
        Binding("enter", "merge", "Merge", tooltip="Merge as chosen: one commit"),
        Binding("escape", "leave", "Leave", tooltip="Nothing is changed"),
    ]

    def __init__(self, found: Disagreements):
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        n = sum(len(m.conflicts) for m in self.found.meetings)
        what = f"{n} {'conflict' if n == 1 else 'conflicts'}"
        yield Static(
            Content(clean(f"Settle {what} with {self.found.there}: choose here or there")),
            id="status",
        )
        with VerticalScroll(id="cards"):
            for meeting in self.found.meetings:
                for conflict in meeting.conflicts:
                    yield ConflictCard(meeting.path, conflict, self.found.there)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query(ConflictCard).first().focus()

    def _card(self) -> ConflictCard | None:
        focused = self.focused
        return focused if isinstance(focused, ConflictCard) else None

    def action_choose(self, side: Choice) -> None:
        card = self._card()
        if card is not None:
            card.choice = side
            self.app.action_focus_next()

    def action_write(self) -> None:
        card = self._card()
        if card is None:
            return
        if card.conflict.kind != TEXT:
            self.notify("Only a text can be written anew: choose here or there.")
            return

        def written(text: str | None) -> None:
            if text is not None:
                card.choice = Written(text)

        self.app.push_screen(WriteText(card.conflict.field, card.conflict.ours), written)

    def action_merge(self) -> None:
        cards = list(self.query(ConflictCard))
        open_ = [card for card in cards if card.choice is None]
        if open_:
            open_[0].focus()
            self.notify(f"Still to choose: {len(open_)} of {len(cards)}.", severity="warning")
            return
        choices: Choices = {}
        for card in cards:
            assert card.choice is not None
            choices.setdefault(card.path, {})[card.conflict.field] = card.choice
        self.dismiss(choices)

    def action_leave(self) -> None:
        self.dismiss(None)
