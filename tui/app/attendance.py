"""Editing who attended: add, remove, edit and reorder people in the three groups."""

from __future__ import annotations

import copy

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from .. import ranges
from ..model import Attendance, Attendee
from ..terminal import clean
from .dialogs import Confirm
from .key_bar import KeyBar

GROUPS = {
    "members": "Decision-making members",
    "substitutes": "Substitutes, not serving",
    "others": "Others present",
}


class PersonEditor(ModalScreen[tuple[str, Attendee] | None]):
    """Returns (group, attendee), or None."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Keep", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, group: str, person: Attendee, numbers: list[int]):
        super().__init__()
        self.group, self.person, self.numbers = group, person, numbers

    def compose(self) -> ComposeResult:
        p = self.person
        with VerticalScroll(classes="editor"):
            yield Label("Name")
            yield Input(p.name, id="name")
            yield Label("", id="name-problem", classes="problem")
            yield Label("Group")
            yield Select(
                [(label, g) for g, label in GROUPS.items()],
                value=self.group,
                allow_blank=False,
                id="group",
            )
            for field, label in (
                ("party", "Party"),
                ("organisation", "Organisation"),
                ("role", "Role or title"),
            ):
                yield Label(label)
                yield Input(getattr(p, field), id=field)
            yield Checkbox("Takes part remotely", p.remote, id="remote")
            yield Label("Present for §§ (e.g. 9-12; empty: the whole meeting)")
            yield Input(ranges.format(p.present), id="present")
            yield Label("", id="present-problem", classes="problem")
            yield Label("Serves as substitute for (a member's name)")
            yield Input(p.replaces, id="replaces")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "present":
            self.query_one("#present-problem", Label).update(self._present_problem())

    def _present_problem(self) -> str:
        try:
            present = ranges.parse(self.query_one("#present", Input).value)
        except ValueError as error:
            return f"{error}."
        missing = [n for n in present if n not in self.numbers]
        return f"This meeting has no {ranges.display(missing)}." if missing else ""

    def action_done(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        self.query_one("#name-problem", Label).update("" if name else "Every person has a name.")
        problem = self._present_problem()
        self.query_one("#present-problem", Label).update(problem)
        if not name or problem:
            return
        person = copy.deepcopy(self.person)
        person.name = name
        for field in ("party", "organisation", "role", "replaces"):
            setattr(person, field, self.query_one(f"#{field}", Input).value.strip())
        person.remote = self.query_one("#remote", Checkbox).value
        person.present = ranges.parse(self.query_one("#present", Input).value)
        self.dismiss((str(self.query_one("#group", Select).value), person))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AttendanceScreen(Screen[Attendance | None]):
    """Returns the new attendance, or None when nothing changed."""

    BINDINGS = [
        Binding("enter", "edit", "Edit", show=False),
        Binding("a", "add", "Add"),
        Binding("d", "delete", "Remove"),
        Binding("shift+up", "move(-1)", "Up", key_display="⇧↑", group=Binding.Group("Move")),
        Binding("shift+down", "move(1)", "Down", key_display="⇧↓", group=Binding.Group("Move")),
        Binding("escape", "finish", "Done"),
    ]

    def __init__(self, attendance: Attendance, numbers: list[int]):
        super().__init__()
        self.original = attendance
        self.attendance = copy.deepcopy(attendance)
        self.numbers = numbers

    def compose(self) -> ComposeResult:
        yield Static("Attendance — Enter edits, a adds, d removes, Shift+↑↓ reorder", id="status")
        yield OptionList(id="people")
        yield KeyBar({"people": ("select",)})  # Enter: the list's own key, edits the person

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self, keep: str | None = None) -> None:
        options = []
        for group, label in GROUPS.items():
            options.append(Option(Text(label, style="bold"), disabled=True))
            for index, person in enumerate(getattr(self.attendance, group)):
                line = f"  {person.name}" + (f" ({person.party})" if person.party else "")
                if person.remote:
                    line += " · remote"
                if person.present:
                    line += f" · {ranges.display(person.present)}"
                options.append(Option(Text(clean(line)), id=f"{group}:{index}"))
        people = self.query_one(OptionList)
        people.set_options(options)
        ids = [o.id for o in options]
        if keep is not None and keep in ids:
            people.highlighted = ids.index(keep)
        elif any(ids):
            people.highlighted = next(i for i, o in enumerate(ids) if o)

    def _current(self) -> tuple[str, int] | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        group, index = option.id.split(":")
        return group, int(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        group, index = current
        person = getattr(self.attendance, group)[index]
        self.app.push_screen(
            PersonEditor(group, person, self.numbers), lambda result: self._put(result, current)
        )

    def action_add(self) -> None:
        group = (self._current() or ("members", 0))[0]
        self.app.push_screen(
            PersonEditor(group, Attendee(""), self.numbers), lambda result: self._put(result, None)
        )

    def _put(self, result: tuple[str, Attendee] | None, at: tuple[str, int] | None) -> None:
        if result is None:
            return
        group, person = result
        if at is not None:
            old_group, index = at
            people = getattr(self.attendance, old_group)
            if old_group == group:
                people[index] = person
                self._fill(f"{group}:{index}")
                return
            people.pop(index)
        getattr(self.attendance, group).append(person)
        self._fill(f"{group}:{len(getattr(self.attendance, group)) - 1}")

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return
        group, index = current
        name = getattr(self.attendance, group)[index].name

        def answered(remove: bool | None) -> None:
            if remove:
                getattr(self.attendance, group).pop(index)
                self._fill(f"{group}:{max(0, index - 1)}")

        self.app.push_screen(
            Confirm(f"Remove {name} from the attendance?", "Remove", "Keep"), answered
        )

    def action_move(self, by: int) -> None:
        current = self._current()
        if current is None:
            return
        group, index = current
        people = getattr(self.attendance, group)
        other = index + by
        if 0 <= other < len(people):
            people[index], people[other] = people[other], people[index]
            self._fill(f"{group}:{other}")

    def action_finish(self) -> None:
        self.dismiss(self.attendance if self.attendance != self.original else None)
