"""Small modal dialogs: a yes/no question and a message that must be read."""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from ..terminal import clean
from .messages import EditChanged

T = TypeVar("T")


class Confirm(ModalScreen[bool]):
    """Ask before doing something that loses work: y or its button says yes; n, Escape or
    the other button (which has the focus, so Enter too) says no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="question")
            with Horizontal(classes="buttons"):
                # The keys on the buttons: the dialog has no key bar of its own.
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class Message(ModalScreen[None]):
    """A refusal or an error, shown until read."""

    BINDINGS = [Binding("escape,enter", "dismiss_message", "Close")]

    def __init__(self, title: str, message: str):
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="question")
            yield Static(Text(clean(self.message)), classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_dismiss_message(self) -> None:
        self.dismiss(None)


class Editor(ModalScreen[T | None]):
    """A form: Ctrl+S hands back its result; Escape throws changes away, after asking. Every
    change of a field is announced to the app, which keeps the unsaved edit's draft."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Keep changes", priority=True),
        Binding("escape", "abandon", "Cancel"),
    ]
    DISCARD = "Discard your changes?"

    def edited(self) -> T:
        """The form's result as its fields stand; ValueError while one does not read."""
        raise NotImplementedError

    def changed(self) -> bool:
        try:
            return self.edited() != self.original()
        except ValueError:  # a field holds something that is not a value yet
            return True

    def original(self) -> T:
        raise NotImplementedError

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _field_changed(self) -> None:
        self.app.post_message(EditChanged())

    def action_done(self) -> None:
        raise NotImplementedError

    def action_abandon(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm(self.DISCARD, "Discard", "Keep editing"), answered)
