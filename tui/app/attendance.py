"""Editing who attended: add, remove, edit and reorder people in the three groups of the present
and among the absent; when someone came late or left early, by the clock or by §."""

from __future__ import annotations

import copy

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from .. import ranges
from ..field_paths import parse_point, point_text
from ..model import Attendance, Attendee
from ..terminal import clean
from .dialogs import Confirm, Editor
from .form_fields import LineField
from .key_bar import KeyBar
from .messages import EditChanged

GROUPS = {
    "members": "Decision-making members",
    "substitutes": "Substitutes, not serving",
    "others": "Others present",
    "absent": "Absent members",
}
MOMENTS = {
    "present_from": "Came at (a time 10:15, or from §12; empty: from the start)",
    "present_until": "Left at (a time 11:30, or after §14; empty: stayed to the end)",
}


class PersonEditor(Editor[tuple[str, Attendee]]):
    """Returns (group, attendee), or None."""

    DISCARD = "Discard the changes to this person?"

    def __init__(self, group: str, person: Attendee, numbers: list[int]):
        super().__init__()
        self.group, self.person, self.numbers = group, person, numbers

    def compose(self) -> ComposeResult:
        p = self.person
        with VerticalScroll(classes="editor"):
            yield Label("Name")
            yield LineField(p.name, id="name")
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
                yield LineField(getattr(p, field), id=field)
            yield Checkbox("Takes part remotely", p.remote, id="remote")
            yield Label("Present for §§ (e.g. 9-12; empty: the whole meeting)")
            yield LineField(ranges.format(p.present), id="present")
            yield Label("", id="present-problem", classes="problem")
            for moment, label in MOMENTS.items():
                yield Label(label)
                yield LineField(point_text(getattr(p, moment)), id=moment)
                yield Label("", id=f"{moment}-problem", classes="problem")
            yield Label("Serves as substitute for (a member's name)")
            yield LineField(p.replaces, id="replaces")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "present":
            self.query_one("#present-problem", Label).update(self._present_problem())
        if event.input.id in MOMENTS:
            problem = self._moment_problem(event.input.id)
            self.query_one(f"#{event.input.id}-problem", Label).update(problem)

    def _present_problem(self) -> str:
        try:
            present = ranges.parse(self.query_one("#present", Input).value)
        except ValueError as error:
            return f"{error}."
        missing = [n for n in present if n not in self.numbers]
        return f"This meeting has no {ranges.display(missing)}." if missing else ""

    def _moment_problem(self, moment: str) -> str:
        try:
            parse_point(self.query_one(f"#{moment}", Input).value, self.numbers)
        except ValueError as error:
            return f"{error}."
        return ""

    def original(self) -> tuple[str, Attendee]:
        return self.group, self.person

    def edited(self) -> tuple[str, Attendee]:
        """ValueError while the name is empty or the §§ or moments do not read."""
        person = copy.deepcopy(self.person)
        person.name = self.query_one("#name", Input).value.strip()
        if not person.name:
            raise ValueError("Every person has a name.")
        for field in ("party", "organisation", "role", "replaces"):
            setattr(person, field, self.query_one(f"#{field}", Input).value.strip())
        person.remote = self.query_one("#remote", Checkbox).value
        person.present = ranges.parse(self.query_one("#present", Input).value)
        for moment in MOMENTS:
            value = parse_point(self.query_one(f"#{moment}", Input).value, self.numbers)
            setattr(person, moment, value)
        group = self.query_one("#group", Select).value
        # A Select holds no value yet while its form mounts, when a draft may be kept.
        return (group if isinstance(group, str) else self.group), person

    def action_done(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        self.query_one("#name-problem", Label).update("" if name else "Every person has a name.")
        problems = {"present": self._present_problem()}
        problems |= {moment: self._moment_problem(moment) for moment in MOMENTS}
        for field, problem in problems.items():
            self.query_one(f"#{field}-problem", Label).update(problem)
        if not name or any(problems.values()):
            return
        self.dismiss(self.edited())


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
        self._person: tuple[PersonEditor, tuple[str, int] | None] | None = None
        """The person's form while it is open, and where its person goes."""

    def edited(self) -> Attendance:
        """The attendance as edited, with an open person's form where its fields read."""
        attendance = copy.deepcopy(self.attendance)
        if self._person is not None:
            form, at = self._person
            _put(attendance, form.edited(), at)
        return attendance

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
                if person.present_from is not None:
                    line += f" · from {point_text(person.present_from)}"
                if person.present_until is not None:
                    until = "through" if isinstance(person.present_until, int) else "until"
                    line += f" · {until} {point_text(person.present_until)}"
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
        self._person_form(
            PersonEditor(group, getattr(self.attendance, group)[index], self.numbers), current
        )

    def action_add(self) -> None:
        group = (self._current() or ("members", 0))[0]
        self._person_form(PersonEditor(group, Attendee(""), self.numbers), None)

    def _person_form(self, form: PersonEditor, at: tuple[str, int] | None) -> None:
        def done(result: tuple[str, Attendee] | None) -> None:
            self._person = None
            if result is not None:
                self._fill(_put(self.attendance, result, at))
                self._changed()

        self._person = (form, at)
        self.app.push_screen(form, done)

    def _changed(self) -> None:
        self.app.post_message(EditChanged())

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
                self._changed()

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
            self._changed()

    def action_finish(self) -> None:
        self.dismiss(self.attendance if self.attendance != self.original else None)


def _put(attendance: Attendance, result: tuple[str, Attendee], at: tuple[str, int] | None) -> str:
    """Put a person where the form says (their place, unless their group changed; else last in
    the group); their option id."""
    group, person = result
    if at is not None:
        old_group, index = at
        people = getattr(attendance, old_group)
        if old_group == group:
            people[index] = person
            return f"{group}:{index}"
        people.pop(index)
    getattr(attendance, group).append(person)
    return f"{group}:{len(getattr(attendance, group)) - 1}"
