"""The main screen: the meeting list beside the selected meeting, the next meeting and the
repository's state always in view."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ..archive import Archive, Entry, Upcoming
from ..labels import days_away, short_date
from ..problems import FormatError
from ..terminal import clean
from .key_bar import KeyBar
from .meeting_list import MeetingList
from .meeting_view import MeetingView

if TYPE_CHECKING:
    from ..model import Item, Meeting


def _confirm(question: str, yes: str, no: str):
    from .dialogs import Confirm  # dialogs load when first needed: start-up stays short

    return Confirm(question, yes, no)


def _message(title: str, message: str):
    from .dialogs import Message

    return Message(title, message)


def _item_editor(item, meeting: Meeting):
    from .item_editor import ItemEditor

    voters = [
        member.name
        for member in meeting.attendance.members
        if not member.present or item.number in member.present
    ]
    return ItemEditor(item, voters)


class BrowseScreen(Screen[None]):
    # Listed in the key bar where they matter (KEYS_BY_FOCUS), in the help and the palette.
    BINDINGS = [
        Binding("slash", "filter", "Filter", show=False, tooltip="Narrow the list as you type"),
        Binding(
            "n",
            "new_meeting",
            "New meeting",
            show=False,
            tooltip="A body and a day; the roster, place and hours are filled in",
        ),
        Binding("s", "search", "Search", show=False, tooltip="Words in every meeting"),
        Binding(
            "D",
            "decision_log",
            "Decisions",
            show=False,
            tooltip="Every changed decision in the archive",
        ),
        Binding(
            "u", "undo", "Undo save", show=False, tooltip="Revert the latest save as a new commit"
        ),
        Binding("e", "edit_item", "Edit §", show=False, tooltip="Title, texts, motions, jäv"),
        Binding("a", "add_item", "Add §", show=False, tooltip="After the current §"),
        Binding("d", "delete_item", "Delete §", show=False, tooltip="The §§ after it move down"),
        Binding(
            "shift+up",
            "move_item(-1)",
            "Move § up",
            show=False,
            key_display="⇧↑",
            group=Binding.Group("Move §"),
        ),
        Binding(
            "shift+down",
            "move_item(1)",
            "Move § down",
            show=False,
            key_display="⇧↓",
            group=Binding.Group("Move §"),
        ),
        Binding("g", "goto", "Go to §", show=False, tooltip="Jump to a § by its number"),
        Binding(
            "m",
            "edit_meeting",
            "Meeting",
            show=False,
            tooltip="Kind, hours, place, language, first §, next meeting, signatures",
        ),
        Binding(
            "p",
            "edit_attendance",
            "Attendance",
            show=False,
            tooltip="Who was there: remote, §§ present, substitutes",
        ),
        Binding(
            "E",
            "edit_file",
            "Edit file",
            show=False,
            tooltip="The meeting's file in $EDITOR, checked before it is saved",
        ),
        Binding("h", "history", "History", show=False, tooltip="This meeting's commits"),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="One commit of this meeting"),
        Binding("escape", "leave_filter", "Back", show=False, tooltip="To the list"),
    ]
    KEYS_BY_FOCUS = {
        "meetings": ("select", "filter", "new_meeting", "search", "decision_log", "undo"),
        "meeting": (
            "edit_item",
            "add_item",
            "delete_item",
            "move_item",
            "next_item",
            "previous_item",
            "goto",
            "edit_meeting",
            "edit_attendance",
            "edit_file",
            "history",
        ),
        "filter": ("leave_filter",),
    }

    def __init__(self, archive: Archive, today: dt.date):
        super().__init__()
        self.archive = archive
        self.today = today
        self.entry: Entry | None = None
        self.meeting: Meeting | None = None
        self.saved_meeting: Meeting | None = None
        self.base_text: str | None = None
        self.next_text = "Next meeting: …"
        self.repo_text = ""
        self.broken_count = 0
        self.upcoming: Upcoming | None = None

    @property
    def unsaved(self) -> bool:
        return self.meeting is not None and self.meeting != self.saved_meeting

    def compose(self) -> ComposeResult:
        with Horizontal(id="status"):
            yield Static(id="next")
            yield Static(id="state")
        with Horizontal():
            with Vertical(id="side"):
                yield Input(placeholder="/ filter", id="filter")
                yield MeetingList(id="meetings")
            yield MeetingView(id="meeting")
        yield KeyBar(self.KEYS_BY_FOCUS)

    def on_mount(self) -> None:
        meetings = self.query_one(MeetingList)
        entries = self.archive.entries()
        bodies = {f: self.archive.body_name(f) for f in self.archive.folders()}
        meetings.fill(entries, bodies)
        meetings.focus()
        self.query_one(MeetingView).clear("Choose a meeting and press Enter.")
        self._status()
        # After the first frame: the readers' threads share the interpreter with drawing it.
        self.call_after_refresh(self.read_archive)
        self.call_after_refresh(self.read_repository)

    # --- background reading -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="archive")
    def read_archive(self) -> None:
        upcoming, last = self.archive.upcoming(self.today)
        self.app.call_from_thread(self._show_next, upcoming, last)
        summaries = self.archive.summaries()
        self.app.call_from_thread(self.query_one(MeetingList).add_summaries, summaries)
        broken = {entry.key: problem for entry, problem in self.archive.broken().items()}
        self.app.call_from_thread(self._show_broken, broken)

    @work(thread=True, exclusive=True, group="git")
    def read_repository(self) -> None:
        try:
            branch, changed = self.app.repository().state()
        except Exception as error:  # no repository, or git missing: say so, keep browsing
            self.app.call_from_thread(self._show_repo, f"no git: {error}".splitlines()[0])
            return
        ours = str(self.entry.path.relative_to(self.app.repository().top)) if self.entry else ""
        others = [path for path in changed if path != ours]
        state = f"{branch}" + (f", {len(others)} uncommitted" if others else ", clean")
        self.app.call_from_thread(self._show_repo, state)

    def _show_next(self, upcoming: Upcoming | None, last: Upcoming | None) -> None:
        self.upcoming = upcoming
        if upcoming:
            self.next_text = (
                f"Next: {short_date(upcoming.date, upcoming.time)}"
                f" ({days_away(upcoming.days_from(self.today))}) — {upcoming.body}"
            )
        elif last:
            self.next_text = f"No meeting ahead (last: {last.date})"
        else:
            self.next_text = "No meetings yet"
        self._status()

    def _show_repo(self, text: str) -> None:
        self.repo_text = text
        self._status()

    def _show_broken(self, broken: dict[str, str]) -> None:
        self.broken_count = len(broken)
        self.query_one(MeetingList).mark_broken(broken)
        self._status()

    def _status(self) -> None:
        """The next meeting on the left (cut to fit), the state of things on the right."""
        self.query_one("#next", Static).update(Text(clean(self.next_text), style="bold"))
        state = Text()
        if self.unsaved:
            state.append(" unsaved ", style="bold yellow")
        if self.broken_count:
            state.append(f" {self.broken_count} broken ", style="bold red")
        if self.repo_text:
            state.append(f" {clean(self.repo_text)}")
        self.query_one("#state", Static).update(state)

    # --- choosing a meeting ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#meetings")
    def choose(self, event: OptionList.OptionSelected) -> None:
        meetings = self.query_one(MeetingList)
        if meetings.toggle_year(event.option.id or ""):
            return
        entry = meetings.entries.get(event.option.id or "")
        if entry is None or entry == self.entry:
            self.query_one(MeetingView).focus()
            return
        if not self.unsaved:
            self.open_meeting(entry)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.open_meeting(entry)

        self.app.push_screen(
            _confirm(
                "This meeting has unsaved changes. Leave it and lose them?", "Lose them", "Stay"
            ),
            answered,
        )

    def open_meeting(self, entry: Entry) -> None:
        view = self.query_one(MeetingView)
        try:
            meeting, warnings, text = self.archive.open(entry)
        except FormatError as error:
            from ..format.files import disk_text

            self.entry, self.base_text = entry, disk_text(entry.path)
            self.meeting = self.saved_meeting = None
            problems = self._errors(error)
            view.clear(
                Text(
                    clean(f"This file cannot be read:\n\n{problems}\n\nE opens it to fix it."),
                    style="red",
                )
            )
            return
        self.entry, self.base_text = entry, text
        self.meeting, self.saved_meeting = meeting, copy.deepcopy(meeting)
        view.show(meeting, self.archive.body_name(entry.folder))
        view.focus()
        self._status()
        for warning in warnings:
            self.notify(clean(str(warning)), severity="warning")

    # --- actions --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.query_one(MeetingList).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.query_one(MeetingList).apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(MeetingList).focus()

    def action_goto(self) -> None:
        view = self.query_one(MeetingView)
        if not view.numbers:
            return

        def go(answer: str | None) -> None:
            number = (answer or "").strip().lstrip("§")
            if number.isdigit() and not view.jump(int(number)):
                self.notify(f"This meeting has no §{number}", severity="warning")

        from .number_prompt import NumberPrompt

        self.app.push_screen(NumberPrompt("Go to §"), go)

    def action_edit_item(self) -> None:
        view = self.query_one(MeetingView)
        if self.meeting is None or not view.numbers:
            self.notify("Open a meeting first.", severity="warning")
            return
        number = view.current if view.current is not None else view.numbers[0]
        view.jump(number)
        item = self.meeting.item(number)

        def edited(new: Item | None) -> None:
            if new is None or self.meeting is None:
                return
            index = self.meeting.items.index(item)
            self.meeting.items[index] = new
            self._redraw()
            self._offer_next_meeting(new)

        self.app.push_screen(_item_editor(item, self.meeting), edited)

    def _offer_next_meeting(self, edited: Item) -> None:
        """A decision that now names another day for the next meeting than `[next_meeting]`
        says: offer to change the latter too, since `minutes next` answers from it."""
        from ..validation import next_meeting_decided

        decided = next_meeting_decided(self.meeting)
        if decided is None or decided[0] is not edited:
            return
        date = decided[1]
        current = self.meeting.next_meeting
        if current is not None and current.date == date:
            return
        now = f"the next meeting is {short_date(current.date)}" if current else "none is given"

        def answered(change: bool | None) -> None:
            from ..model import NextMeeting

            if change and self.meeting is not None:
                self.meeting.next_meeting = (
                    dataclasses.replace(current, date=date) if current else NextMeeting(date)
                )
                self._redraw()

        question = (
            f"§{edited.number}'s decision names {short_date(date)} for the next meeting, but"
            f" {now}. Set the next meeting to {short_date(date)}?"
        )
        self.app.push_screen(_confirm(question, "Set it", "Leave it"), answered)

    def _redraw(self) -> None:
        view = self.query_one(MeetingView)
        view.show(self.meeting, self.archive.body_name(self.entry.folder), keep_place=True)
        self._status()

    def action_edit_meeting(self) -> None:
        if self.meeting is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        from .meeting_editor import MeetingEditor

        def edited(new: Meeting | None) -> None:
            if new is not None:
                self.meeting = new
                self._redraw()

        self.app.push_screen(MeetingEditor(self.meeting), edited)

    def action_search(self) -> None:
        from .search_screen import SearchScreen

        def chosen(result: tuple[Entry, int | None] | None) -> None:
            if result is None:
                return
            entry, number = result
            if entry != self.entry:
                if self.unsaved:
                    self.notify("Save or leave your changes first.", severity="warning")
                    return
                self.open_meeting(entry)
            self.query_one(MeetingList).highlight_meeting(entry.key)
            if number is not None:
                view = self.query_one(MeetingView)
                self.call_after_refresh(view.jump, number)

        self.app.push_screen(SearchScreen(self.archive), chosen)

    def action_edit_attendance(self) -> None:
        if self.meeting is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        from .attendance import AttendanceScreen

        def edited(attendance) -> None:
            if attendance is not None and self.meeting is not None:
                self.meeting.attendance = attendance
                self._redraw()

        self.app.push_screen(
            AttendanceScreen(self.meeting.attendance, self.meeting.numbers()), edited
        )

    def action_add_item(self) -> None:
        if self.meeting is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        view = self.query_one(MeetingView)
        after = view.current if view.current is not None else (view.numbers or [None])[-1]
        first = self.archive.first_number(self.entry.folder, self.entry.date)
        item = self.meeting.add_item(after, first)
        self._redraw()
        view.jump(item.number)

        def edited(new: object) -> None:
            if self.meeting is None:
                return
            if new is None:  # abandoned: the new § goes again
                self.meeting.remove_item(item.number)
            else:
                self.meeting.items[self.meeting.items.index(item)] = new
            self._redraw()

        self.app.push_screen(_item_editor(item, self.meeting), edited)

    def action_delete_item(self) -> None:
        view = self.query_one(MeetingView)
        if self.meeting is None or view.current is None:
            self.notify("Choose a § first (] and [).", severity="warning")
            return
        number = view.current
        title = self.meeting.item(number).title

        def answered(delete: bool | None) -> None:
            if delete and self.meeting is not None:
                self.meeting.remove_item(number)
                self._redraw()

        self.app.push_screen(
            _confirm(f"Delete §{number} {title}? The §§ after it move down.", "Delete", "Keep"),
            answered,
        )

    def action_move_item(self, by: int) -> None:
        view = self.query_one(MeetingView)
        if self.meeting is None or view.current is None:
            return
        number = self.meeting.move_item(view.current, by)
        self._redraw()
        view.jump(number)

    def action_new_meeting(self) -> None:
        from .new_meeting import NewMeeting

        bodies = {f: self.archive.body_name(f) for f in self.archive.folders()}
        if not bodies:
            self.notify("The archive has no body yet: `minutes init --body NAME`.")
            return
        folder = self.entry.folder if self.entry else next(iter(bodies))
        date = self.upcoming.date if self.upcoming else self.today

        def chosen(choice: tuple[str, dt.date] | None) -> None:
            if choice is not None:
                self._start_meeting(*choice)

        if self.unsaved:
            self.notify("Save or leave your changes first.", severity="warning")
            return
        self.app.push_screen(NewMeeting(bodies, folder, date, self.archive.taken), chosen)

    def _start_meeting(self, folder: str, date: dt.date) -> None:
        try:
            body = self.archive.body(folder)
        except FormatError as error:
            self.app.push_screen(_message("The body file has problems", str(error)))
            return
        self.entry = self.archive.new_entry(folder, date)
        self.meeting, self.saved_meeting, self.base_text = body.new_meeting(date), None, None
        self._redraw()
        self.query_one(MeetingView).focus()
        self.notify("A new meeting: add §§ with a, then save with Ctrl+S.")

    def action_save(self) -> None:
        if self.meeting is None or self.entry is None:
            return
        if not self.unsaved:
            self.notify("Nothing to save.")
            return
        self.save(copy.deepcopy(self.meeting), self.entry, self.base_text)

    @work(thread=True, exclusive=True, group="git")
    def save(self, meeting: Meeting, entry: Entry, base: str | None) -> None:
        from ..format.names import redated
        from ..repository import RepositoryError
        from ..saving import ChangedOnDisk, move_meeting, save_meeting

        new = entry
        try:
            if base is not None and meeting.date != entry.date:
                saved = move_meeting(self.app.repository(), entry.path, meeting, base)
                new = entry._replace(name=redated(entry.name, meeting.date), date=meeting.date)
            else:
                saved = save_meeting(self.app.repository(), entry.path, meeting, base)
        except ChangedOnDisk as conflict:
            self.app.call_from_thread(self._conflict, meeting, entry, conflict)
            return
        except (RepositoryError, FormatError) as error:
            self.app.call_from_thread(self._refused, "Not saved", str(error))
            return
        self.app.call_from_thread(self._saved, meeting, entry, new, saved.subject)

    def _conflict(self, meeting: Meeting, entry: Entry, conflict) -> None:
        """Show both versions as changes and let the user choose; the edit stays meanwhile."""
        from ..diff import diff_meetings
        from ..format.files import parse_meeting
        from .conflict import MINE, THEIRS, Conflict

        try:
            theirs = None if conflict.theirs is None else parse_meeting(conflict.theirs)[0]
            changes = diff_meetings(theirs, meeting)
        except FormatError:
            changes = None

        def chosen(choice: str | None) -> None:
            if choice == MINE and entry == self.entry:
                self.base_text = conflict.theirs
                self.save(copy.deepcopy(meeting), entry, conflict.theirs)
            elif choice == THEIRS and entry == self.entry:
                self.entry = None
                self.open_meeting(entry)

        self.app.push_screen(Conflict(entry.name, changes), chosen)

    def _saved(self, meeting: Meeting, old: Entry, new: Entry, subject: str) -> None:
        """`new` differs from `old` when the file took the meeting's new date as its name."""
        meetings = self.query_one(MeetingList)
        if old != new or new.key not in meetings.entries:
            meetings.fill(self.archive.entries(), meetings.bodies)
            meetings.highlight_meeting(new.key)
        self.read_archive()  # the next meeting, § ranges or broken files may have changed
        if self.entry == old:
            self.entry = new
            self.saved_meeting = copy.deepcopy(meeting)
            _, _, self.base_text = self.archive.open(new)
        self.notify(clean(subject), title="Saved")
        self._status()
        self.read_repository()

    def _refused(self, title: str, message: str) -> None:
        self.app.push_screen(_message(title, f"{message}\n\nYour edit is kept in the app."))

    def action_undo(self) -> None:
        if self.unsaved:
            self.notify("Save or leave your changes before undoing.", severity="warning")
            return
        self.undo()

    @work(thread=True, exclusive=True, group="git")
    def undo(self) -> None:
        from ..repository import RepositoryError
        from ..saving import undo_last

        try:
            saved = undo_last(self.app.repository())
        except RepositoryError as error:
            self.app.call_from_thread(self._refused, "Nothing undone", str(error))
            return
        files = {f"{path.parent.name}/{path.name}" for path in saved.files}
        self.app.call_from_thread(self._undone, saved.subject, files, self.archive.entries())

    def _undone(self, subject: str, files: set[str], entries: list[Entry]) -> None:
        """An undo may have renamed, removed or brought back a file: the open meeting is
        shown again if its file is still there, else the one the undo wrote."""
        self.notify(clean(subject), title="Undone")
        meetings = self.query_one(MeetingList)
        meetings.fill(entries, meetings.bodies)
        if self.entry is not None:
            here = {entry.key: entry for entry in entries}
            keys = [self.entry.key, *sorted(files)]
            shown = next((here[key] for key in keys if key in here), None)
            self.entry = self.meeting = self.saved_meeting = None
            if shown is None:
                self.query_one(MeetingView).clear("The undone save's meeting is gone.")
            else:
                self.open_meeting(shown)
                meetings.highlight_meeting(shown.key)
        self._status()
        self.read_archive()
        self.read_repository()

    def action_edit_file(self) -> None:
        """The meeting's TOML in $EDITOR; checked on return, then saved as one commit."""
        if self.entry is None or self.base_text is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        if self.unsaved:
            self.notify("Save or undo your changes in the app first.", severity="warning")
            return
        self._edit_text(self.base_text)

    def _edit_text(self, text: str) -> None:
        from textual.app import SuspendNotSupported

        from ..external_editor import run_editor
        from .toml_editor import TomlEditor

        name = self.entry.name
        try:
            with self.app.suspend():
                edited = run_editor(text, name)
        except SuspendNotSupported:
            self.app.push_screen(TomlEditor(text, name), self._edited_text)
            return
        except OSError as error:
            self.app.push_screen(_message("The editor did not start", str(error)))
            return
        self._edited_text(edited)

    def _errors(self, error: FormatError) -> str:
        """One error a line, files named from the archive's folder rather than the root."""
        return "\n".join(
            str(p.at(self.archive.relative(p.path)) if p.path else p)
            for p in error.problems
            if not p.warning
        )

    def _edited_text(self, text: str | None) -> None:
        from ..format.files import parse_meeting

        if text is None or text == self.base_text:
            self.notify("The file is unchanged.")
            return
        try:
            parse_meeting(text, self.entry.path)
        except FormatError as error:
            problems = self._errors(error)

            def answered(again: bool | None) -> None:
                if again:
                    self._edit_text(text)
                else:
                    self.notify("Your edit of the file was discarded.")

            self.app.push_screen(
                _confirm(f"The file has problems:\n\n{problems}", "Edit again", "Discard"),
                answered,
            )
            return
        self.save_file(text, self.entry, self.base_text)

    @work(thread=True, exclusive=True, group="git")
    def save_file(self, text: str, entry: Entry, base: str | None) -> None:
        from ..repository import RepositoryError
        from ..saving import save_text

        try:
            saved = save_text(self.app.repository(), entry.path, text, base)
        except (RepositoryError, FormatError) as error:
            self.app.call_from_thread(self._refused, "Not saved", str(error))
            return
        self.app.call_from_thread(self._file_saved, entry, saved.subject)

    def _file_saved(self, entry: Entry, subject: str) -> None:
        self.notify(clean(subject), title="Saved")
        self.query_one(MeetingList).broken.pop(entry.key, None)
        self.read_archive()
        if entry == self.entry:
            self.entry = None
            self.open_meeting(entry)
        self.read_repository()

    def action_history(self) -> None:
        if self.entry is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        from .history_screen import HistoryScreen

        path = self.entry.path
        title = f"History of {self.entry.date} {self.archive.body_name(self.entry.folder)}"
        self.app.push_screen(
            HistoryScreen(self.app.repository(), title, lambda history: history.of(path))
        )

    def action_decision_log(self) -> None:
        from .history_screen import HistoryScreen

        meetings = self.archive.meetings
        self.app.push_screen(
            HistoryScreen(
                self.app.repository(),
                "Every changed decision in the archive",
                lambda history: history.decision_log(meetings),
                show_file=True,
            )
        )
