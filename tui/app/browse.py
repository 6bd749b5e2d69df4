"""The main screen: the meeting list beside the open meeting, the next meeting and the
repository's state always in view.

The open meeting's state lives in one `OpenMeeting`; this screen shows it and changes it only
through the actions below. Every change of the edit, and every pause in typing in a form, keeps
a draft (`tui.drafts`) until the edit is saved or given up. Workers report with the typed
messages of `messages.py`; a worker that fails is reported in a dialog and the edit is kept.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.worker import Worker, WorkerState

from ..archive import Archive, Entry, Upcoming
from ..labels import days_away, short_date
from ..open_meeting import OpenMeeting
from ..problems import FormatError
from ..terminal import clean
from .key_bar import KeyBar
from .meeting_list import MeetingList
from .meeting_view import MeetingView
from .messages import (
    BrokenRead,
    ConflictsFound,
    Exported,
    Fetched,
    MeetingSaved,
    NextMeetingRead,
    ProtocolRead,
    RepositoryRead,
    SaveUndone,
    SummariesRead,
    SyncDone,
)
from .protocol_line import ProtocolLine
from .status_line import StatusLine

if TYPE_CHECKING:
    from ..drafts import Drafts
    from ..lifecycle import ProtocolState
    from ..model import Item, Meeting
    from ..repository import Repository
    from ..resolution import Disagreements
    from .resolve_screen import Choices

FETCH_EVERY = 300.0
"""Seconds between fetches in the background, for the top line's ahead/behind counts."""
DRAFT_PAUSE = 0.3
"""Seconds of quiet after a change before its draft is written: at most this much typing is
lost to a killed process (a hang-up or a stop writes the draft at once)."""


def _confirm(question: str, yes: str, no: str):
    from .dialogs import Confirm  # dialogs load when first needed: start-up stays short

    return Confirm(question, yes, no)


def _message(title: str, message: str):
    from .dialogs import Message

    return Message(title, message)


def explain(error: BaseException) -> str:
    """A failure in words for a dialog: what the layers say, or what the system said."""
    from ..repository import RepositoryError

    if isinstance(error, RepositoryError | FormatError):
        return str(error)
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}"
    return f"{type(error).__name__}: {error}\n\nThis is a fault in minutes; please report it."


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
            "J",
            "deadlines",
            "Deadlines",
            show=False,
            tooltip="What is due of the protocols, and where each stands",
        ),
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
        Binding(
            "S",
            "sync",
            "Sync",
            show=False,
            tooltip="Share the saved meetings through the remote: fetch, rebase, push",
        ),
        Binding(
            "R",
            "resolve",
            "Settle conflicts",
            show=False,
            tooltip="What this clone and the remote changed differently, side by side",
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
        Binding(
            "x",
            "export",
            "Export",
            show=False,
            tooltip="The saved meeting as an archival PDF (or .html, .md, .txt)",
        ),
        Binding(
            "V",
            "justering",
            "Justering",
            show=False,
            tooltip="A protocol's signatures and what changed since justering",
        ),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="One commit of this meeting"),
        Binding("escape", "leave_filter", "Back", show=False, tooltip="To the list"),
    ]
    KEYS_BY_FOCUS = {
        "meetings": (
            "select",
            "filter",
            "new_meeting",
            "search",
            "decision_log",
            "deadlines",
            "undo",
        ),
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
        self.open: OpenMeeting | None = None
        self.upcoming: Upcoming | None = None
        self._form: Callable[[], Meeting] | None = None
        """While a form on a part of the meeting is open: the edit with the form's values."""
        self._draft_timer: Timer | None = None
        self._writing = False
        """A save, an undo or a file saved as text is under way: another waits for it (it
        would find the file changed by the first)."""
        self._text_saved: tuple[Entry, str, str | None] | None = None
        """The file edited as text being saved, with its base: the edit, if the save fails."""
        self._network = threading.Lock()
        """Held while git talks to the remote: a fetch in the background waits for no sync,
        it is skipped (two fetches at once may fail to lock the remote's refs)."""
        self._fetch_failure = ""
        self.protocol: ProtocolState | None = None
        """Where the open protocol stands, once read; None for minnesanteckningar."""
        self._correcting = False
        """The user chose to correct the open protocol after its justering."""
        self._reading_protocol = False
        """Its signatures are being read: whether it is locked is not known yet."""
        self._justering_wanted = False
        """V was pressed: show the signatures once read."""

    # --- the edit -------------------------------------------------------------------------

    def repository(self) -> Repository:
        """The archive's repository; RepositoryError where there is none. Found when first
        needed (it runs git): after the first frame."""
        from ..repository import repository_for

        return repository_for(self.archive.root)

    @cached_property
    def drafts(self) -> Drafts | None:
        """Where unsaved edits are kept; None without a repository to keep them in."""
        from ..drafts import Drafts
        from ..repository import RepositoryError

        if self.archive.fallback:  # not written: no edit of it is saved, nor kept
            return None
        try:
            return Drafts(self.repository().git_dir)
        except (RepositoryError, OSError):
            return None

    @property
    def unsaved(self) -> bool:
        """An edit not saved yet, counting what an open form holds."""
        return self.open is not None and self.open.differs(self.edit())

    def edit(self) -> Meeting | None:
        """The edit as it stands, with the values of an open form where they read."""
        if self.open is None:
            return None
        if self._form is not None:
            try:
                return self._form()
            except ValueError:  # a field that does not read yet: the edit without the form
                pass
        return self.open.meeting

    def draft_due(self) -> None:
        """The edit changed: keep its draft after a short pause (typing makes many changes)."""
        self._no_draft_due()
        self._draft_timer = self.set_timer(DRAFT_PAUSE, self.keep_draft)

    def _no_draft_due(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def keep_draft(self) -> None:
        """Write the edit to its draft now, or drop the draft when nothing is unsaved."""
        self._no_draft_due()
        if self.drafts is None or self.open is None or self.open.meeting is None:
            return
        edit = self.edit()
        try:
            if self.open.differs(edit):
                self.drafts.keep(self.open.entry.key, self.open.text(edit), self.open.base)
            else:
                self.drafts.drop_own(self.open.entry.key)
        except OSError as error:
            self.notify(
                f"The unsaved edit cannot be kept on disk: {explain(error)}", severity="error"
            )

    def give_up_edit(self) -> None:
        """The user chose to lose the edit: its draft goes too (other runs' drafts stay)."""
        self._no_draft_due()
        if self.drafts is not None and self.open is not None:
            self.drafts.drop_own(self.open.entry.key)

    def _changed(self) -> None:
        """The edit changed: show it, mark it, keep its draft."""
        assert self.open is not None and self.open.meeting is not None
        self.query_one(MeetingView).show(
            self.open.meeting, self.archive.body_name(self.open.entry.folder), keep_place=True
        )
        self.query_one(StatusLine).unsaved = self.open.unsaved
        self.draft_due()

    def _edit_part(
        self,
        form: Screen[Any],
        edited: Callable[[], Any],
        merged: Callable[[Meeting, Any], Meeting],
        done: Callable[[Any], None],
    ) -> None:
        """Open a form on a part of the meeting. While it is open, drafts hold what its fields
        say (`edited`, which `merged` puts into a copy of the meeting); `done` takes the form's
        result."""
        assert self.open is not None and self.open.meeting is not None
        meeting = self.open.meeting

        def with_form() -> Meeting:
            return merged(copy.deepcopy(meeting), edited())

        def finished(result: Any) -> None:
            self._form = None
            done(result)
            self.draft_due()

        self._form = with_form
        self.app.push_screen(form, finished)

    # --- layout and reading -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Horizontal():
            with Vertical(id="side"):
                yield Input(placeholder="/ filter", id="filter")
                yield MeetingList(id="meetings")
            with Vertical(id="reading"):
                yield ProtocolLine(id="protocol")
                yield MeetingView(id="meeting")
        yield KeyBar(self.KEYS_BY_FOCUS)

    def on_mount(self) -> None:
        meetings = self.query_one(MeetingList)
        entries = self.archive.entries()
        bodies = {f: self.archive.body_name(f) for f in self.archive.folders()}
        meetings.fill(entries, bodies)
        meetings.focus()
        self.query_one(MeetingView).clear("Choose a meeting and press Enter.")
        # After the first frame: the readers' threads share the interpreter with drawing it.
        self.call_after_refresh(self.read_archive)
        self.call_after_refresh(self.read_repository)
        self.call_after_refresh(self._announce_drafts)
        if not self.archive.fallback:
            self.call_after_refresh(self.fetch_in_background)
            self.set_interval(FETCH_EVERY, self.fetch_in_background)

    def _announce_drafts(self) -> None:
        kept = self.drafts.all() if self.drafts is not None else []
        if kept:
            names = ", ".join(draft.key.rsplit("/", 1)[-1].removesuffix(".toml") for draft in kept)
            self.notify(
                f"Unsaved edits were kept from before: {names}. Open the meeting (n for a new "
                "one) to restore its edit.",
                title="Kept edits",
                timeout=10,
            )

    @work(thread=True, exclusive=True, group="archive", exit_on_error=False)
    def read_archive(self) -> None:
        self.post_message(NextMeetingRead(*self.archive.upcoming(self.today)))
        self.post_message(SummariesRead(self.archive.summaries()))
        broken = {entry.key: problem for entry, problem in self.archive.broken().items()}
        self.post_message(BrokenRead(broken))

    @work(thread=True, exclusive=True, group="repository", exit_on_error=False)
    def read_repository(self) -> None:
        from ..repository import RepositoryError

        entry = self.open.entry if self.open else None
        try:
            repository = self.repository()
            branch, changed = repository.state()
        except (RepositoryError, OSError) as error:  # no repository, or no git: keep browsing
            self.post_message(RepositoryRead(f"no git: {explain(error)}".splitlines()[0]))
            return
        from ..sync import standing

        ours = repository.relative(entry.path) if entry else ""
        others = [path for path in changed if path != ours]
        ahead, behind = standing(repository, branch) or (0, 0)
        counts = "".join(f" {arrow}{n}" for arrow, n in (("↑", ahead), ("↓", behind)) if n)
        unmerged = repository.unmerged() if repository.stopped() else []
        self.post_message(
            RepositoryRead(
                branch
                + counts
                + (f", {len(unmerged)} not merged (R)" if unmerged else "")
                + (f", {len(others)} uncommitted" if others else ", clean")
                + (", not fetched" if self._fetch_failure else "")
            )
        )

    @work(thread=True, group="fetch", exit_on_error=False)
    def fetch_in_background(self) -> None:
        """The remote's news for the top line; never while a sync talks to it (then later)."""
        from ..repository import RepositoryError
        from ..sync import fetch

        if not self._network.acquire(blocking=False):
            return
        try:
            if fetch(self.repository()):
                self.post_message(Fetched(""))
        except (RepositoryError, OSError) as error:
            self.post_message(Fetched(explain(error)))
        finally:
            self._network.release()

    def on_fetched(self, message: Fetched) -> None:
        self._fetch_failure = message.failure
        self.read_repository()

    @work(thread=True, exclusive=True, group="protocol", exit_on_error=False)
    def read_protocol(self) -> None:
        """Where the open protocol stands: its signatures are read from git and verified."""
        from ..lifecycle import Protocols

        opened = self.open
        if opened is None or opened.meeting is None:
            return
        state = Protocols(self.archive).state(opened.entry, opened.meeting, self.today)
        self.post_message(ProtocolRead(opened.entry.key, state))

    def on_protocol_read(self, message: ProtocolRead) -> None:
        if self.open is None or self.open.entry.key != message.key:
            return  # another meeting was opened meanwhile
        self._reading_protocol = False
        self.protocol = state = message.state
        line = self.query_one(ProtocolLine)
        line.phrase = state.phrase() if state else ""
        line.locked = bool(state and state.justerat)
        line.changed = bool(state and state.changed)
        if self._justering_wanted and state is not None:
            from .justering_screen import JusteringScreen

            self.app.push_screen(JusteringScreen(state))
        self._justering_wanted = False

    def on_next_meeting_read(self, message: NextMeetingRead) -> None:
        upcoming, last = message.upcoming, message.last
        self.upcoming = upcoming
        if upcoming:
            text = (
                f"Next: {short_date(upcoming.date, upcoming.time)}"
                f" ({days_away(upcoming.days_from(self.today))}) — {upcoming.body}"
            )
        elif last:
            text = f"No meeting ahead (last: {last.date})"
        else:
            text = "No meetings yet"
        self.query_one(StatusLine).next_meeting = text

    def on_summaries_read(self, message: SummariesRead) -> None:
        self.query_one(MeetingList).add_summaries(message.summaries)

    def on_broken_read(self, message: BrokenRead) -> None:
        self.query_one(StatusLine).broken = len(message.broken)
        self.query_one(MeetingList).mark_broken(message.broken)

    def on_repository_read(self, message: RepositoryRead) -> None:
        self.query_one(StatusLine).repository = message.state

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed: say what happened; the edit is kept and the app goes on."""
        from ..saving import ChangedOnDisk

        if event.worker.group == "save" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._writing = False
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error, name = event.worker.error, event.worker.name
        if name == "save_file":
            self._text_not_saved(error)
        elif isinstance(error, ChangedOnDisk) and name == "save":
            self._conflict(error)
        elif name == "save":
            self._refused("Not saved", explain(error))
        elif name == "undo":
            self._refused("Nothing undone", explain(error))
        elif name in ("sync_with_remote", "find_conflicts"):  # nothing changed, nothing pending
            self.app.push_screen(_message("Not synced", explain(error)))
        elif name == "settle_and_sync":
            self.app.push_screen(_message("Not merged", explain(error)))
        elif name == "read_protocol":
            self._reading_protocol = self._justering_wanted = False
            self.notify(
                f"The protocol's signatures could not be read: {explain(error)}",
                severity="error",
            )
        else:
            self.notify(f"Reading the archive failed: {explain(error)}", severity="error")

    # --- choosing a meeting ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#meetings")
    def choose(self, event: OptionList.OptionSelected) -> None:
        meetings = self.query_one(MeetingList)
        if meetings.toggle_year(event.option.id or ""):
            return
        entry = meetings.entries.get(event.option.id or "")
        if entry is None or (self.open is not None and entry == self.open.entry):
            self.query_one(MeetingView).focus()
            if self.protocol is not None:
                self.read_protocol()  # someone may have signed it meanwhile
            return
        if not self.unsaved:
            self.open_meeting(entry)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.give_up_edit()
                self.open_meeting(entry)

        self.app.push_screen(
            _confirm(
                "This meeting has unsaved changes. Leave it and lose them?", "Lose them", "Stay"
            ),
            answered,
        )

    def open_meeting(self, entry: Entry) -> None:
        opened, warnings = OpenMeeting.read(self.archive, entry)
        self._show(opened)
        for warning in warnings:
            self.notify(str(warning), severity="warning")
        self._offer_drafts()

    def _show(self, opened: OpenMeeting) -> None:
        self.open = opened
        self.protocol, self._correcting = None, False
        self.query_one(ProtocolLine).phrase = ""
        if opened.meeting is not None and opened.meeting.kind == "protokoll":
            self._reading_protocol = True
            self.read_protocol()
        view = self.query_one(MeetingView)
        if opened.meeting is None:
            assert opened.problem is not None
            problems = self._errors(opened.problem)
            view.clear(
                Text(
                    clean(f"This file cannot be read:\n\n{problems}\n\nE opens it to fix it."),
                    style="red",
                )
            )
        else:
            view.show(opened.meeting, self.archive.body_name(opened.entry.folder))
            view.focus()
        self.query_one(StatusLine).unsaved = opened.unsaved

    def _offer_drafts(self) -> None:
        """Edits of the open meeting kept by earlier runs, newest first: restore one, compare
        it with the file, discard it (and see the next), or decide later (they stay)."""
        from ..diff import diff_meetings
        from ..format.files import parse_meeting
        from .draft_found import DISCARD, RESTORE, DraftFound

        opened = self.open
        if opened is None or self.drafts is None:
            return
        kept = self.drafts.of(opened.entry.key)
        for draft in [d for d in kept if d.text == opened.base]:  # saved after all
            self.drafts.drop(draft)
            kept.remove(draft)
        if not kept:
            return
        draft = kept[0]
        try:
            changes = diff_meetings(opened.saved, parse_meeting(draft.text)[0])
        except FormatError:
            changes = None
        moved_on = draft.base != opened.base and opened.base is not None

        def chosen(choice: str | None) -> None:
            if self.open is not opened or self.drafts is None:
                return
            if choice == RESTORE:
                try:
                    opened.restore(draft)
                except FormatError as error:
                    self._refused("The kept edit cannot be read", self._errors(error))
                    return
                self._changed()
                self.keep_draft()  # this run's draft now holds it, before the old one goes
                self.drafts.drop(draft)
                self.notify("The kept edit is back; Ctrl+S saves it.")
            elif choice == DISCARD:
                self.drafts.drop(draft)
                self.notify("The kept edit is discarded.")
                self._offer_drafts()

        self.app.push_screen(
            DraftFound(opened.entry.name, draft.kept_at, changes, moved_on, len(kept) - 1),
            chosen,
        )

    # --- finding ----------------------------------------------------------------------------

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

        from .prompt import Prompt

        self.app.push_screen(Prompt("Go to §", placeholder="e.g. 11", restrict=r"§?[0-9]*"), go)

    def action_search(self) -> None:
        from .search_screen import Chosen, SearchScreen

        def chosen(result: Chosen | None) -> None:
            if result is None:
                return
            if self.open is None or result.entry != self.open.entry:
                if self.unsaved:
                    self.notify("Save or leave your changes first.", severity="warning")
                    return
                self.open_meeting(result.entry)
            self.query_one(MeetingList).highlight_meeting(result.entry.key)
            view = self.query_one(MeetingView)
            self.call_after_refresh(view.mark, result.terms)
            if result.number is not None:
                self.call_after_refresh(view.jump, result.number)
                self.call_after_refresh(view.reveal_mark, result.number)

        self.app.push_screen(SearchScreen(self.archive), chosen)

    def action_justering(self) -> None:
        """The open protocol's signatures, read again first: others sign from their own
        terminals meanwhile."""
        if self.protocol is None:
            self.notify("Open a protocol first: minnesanteckningar are not justerade.")
            return
        self._justering_wanted = True
        self.read_protocol()

    def action_export(self) -> None:
        if self.open is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        entry = self.open.entry
        if self.unsaved:
            self.notify("Exporting the saved version: your changes are not in it.")

        def to(answer: str | None) -> None:
            if answer and answer.strip():
                self.export(entry, answer.strip())

        from .prompt import Prompt

        suggested = f"{entry.folder}-{entry.name.removesuffix('.toml')}.pdf"
        self.app.push_screen(Prompt("Export to (.pdf, .html, .md or .txt)", suggested), to)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, entry: Entry, path: str) -> None:
        from ..export import export_to

        try:
            written = export_to(self.archive, entry, Path(path).expanduser())
        except (OSError, FormatError) as error:
            self.post_message(Exported("", explain(error)))
        else:
            self.post_message(Exported(str(written), ""))

    def on_exported(self, message: Exported) -> None:
        if message.problem:
            self.notify(f"Not exported: {message.problem}", severity="error")
        else:
            self.notify(f"Exported to {message.path}")

    def action_deadlines(self) -> None:
        from .deadlines_screen import DeadlinesScreen

        def chosen(entry: Entry | None) -> None:
            if entry is None or (self.open is not None and entry == self.open.entry):
                if self.protocol is not None:
                    self.read_protocol()  # the list read every protocol afresh; so does its line
                return
            if self.unsaved:
                self.notify("Save or leave your changes first.", severity="warning")
                return
            self.open_meeting(entry)
            self.query_one(MeetingList).highlight_meeting(entry.key)

        self.app.push_screen(DeadlinesScreen(self.archive, self.today), chosen)

    # --- editing ------------------------------------------------------------------------------

    def _editable(self, again: Callable[[], None]) -> Meeting | None:
        """The open meeting to change; None when there is none, or when it is a justerat
        protocol and the user is first asked whether to correct it (`again` follows a yes)."""
        if self.open is None or self.open.meeting is None:
            self.notify("Open a meeting first.", severity="warning")
            return None
        if self._reading_protocol:
            self.notify("A moment: the protocol's signatures are being read.")
            return None
        if self.protocol is None or not self.protocol.justerat or self._correcting:
            return self.open.meeting

        def answered(correct: bool | None) -> None:
            if correct:
                self._correcting = True
                again()

        self.app.push_screen(
            _confirm(
                "This protocol is justerat: its signatures cover the version they signed. A "
                "change to it now is a correction (rättelse) after justering: its commit says "
                "so, the signatures stay on the signed version, and V shows what changed. "
                "(Recording the notice or an appeal is no correction.) Edit it?",
                "Edit it",
                "Leave it",
            ),
            answered,
        )
        return None

    def action_edit_item(self) -> None:
        view = self.query_one(MeetingView)
        meeting = self._editable(self.action_edit_item)
        if meeting is None or not view.numbers:
            return
        number = view.current if view.current is not None else view.numbers[0]
        view.jump(number)
        item = meeting.item(number)
        assert item is not None
        index = meeting.items.index(item)

        def edited(new: Item | None) -> None:
            if new is None:
                return
            meeting.items[index] = new
            self._changed()
            self._offer_next_meeting(meeting, new)

        form = _item_editor(item, meeting)
        self._edit_part(form, form.edited, _with_item(index), edited)

    def _offer_next_meeting(self, meeting: Meeting, edited: Item) -> None:
        """A decision that now names another day for the next meeting than `[next_meeting]`
        says: offer to change the latter too, since `minutes next` answers from it."""
        from ..validation import next_meeting_decided

        decided = next_meeting_decided(meeting)
        if decided is None or decided[0] is not edited:
            return
        date = decided[1]
        current = meeting.next_meeting
        if current is not None and current.date == date:
            return
        now = f"the next meeting is {short_date(current.date)}" if current else "none is given"

        def answered(change: bool | None) -> None:
            from ..model import NextMeeting

            if change:
                meeting.next_meeting = (
                    dataclasses.replace(current, date=date) if current else NextMeeting(date)
                )
                self._changed()

        question = (
            f"§{edited.number}'s decision names {short_date(date)} for the next meeting, but"
            f" {now}. Set the next meeting to {short_date(date)}?"
        )
        self.app.push_screen(_confirm(question, "Set it", "Leave it"), answered)

    def action_edit_meeting(self) -> None:
        meeting = self._editable(self.action_edit_meeting)
        if meeting is None:
            return
        from .meeting_editor import MeetingEditor

        def edited(new: Meeting | None) -> None:
            if new is not None and self.open is not None:
                self.open.meeting = new
                self._changed()

        form = MeetingEditor(meeting)
        self._edit_part(form, form.edited, lambda _, new: new, edited)

    def action_edit_attendance(self) -> None:
        meeting = self._editable(self.action_edit_attendance)
        if meeting is None:
            return
        from .attendance import AttendanceScreen

        def edited(attendance) -> None:
            if attendance is not None:
                meeting.attendance = attendance
                self._changed()

        def merged(copied: Meeting, attendance) -> Meeting:
            copied.attendance = attendance
            return copied

        form = AttendanceScreen(meeting.attendance, meeting.numbers())
        self._edit_part(form, form.edited, merged, edited)

    def action_add_item(self) -> None:
        meeting = self._editable(self.action_add_item)
        if meeting is None or self.open is None:
            return
        view = self.query_one(MeetingView)
        after = view.current if view.current is not None else next(reversed(view.numbers), None)
        entry = self.open.entry
        item = meeting.add_item(after, self.archive.first_number(entry.folder, entry.date))
        index = meeting.items.index(item)
        self._changed()
        view.jump(item.number)

        def edited(new: Item | None) -> None:
            if new is None:  # abandoned: the new § goes again
                meeting.remove_item(item.number)
            else:
                meeting.items[index] = new
            self._changed()

        form = _item_editor(item, meeting)
        self._edit_part(form, form.edited, _with_item(index), edited)

    def action_delete_item(self) -> None:
        view = self.query_one(MeetingView)
        meeting = self._editable(self.action_delete_item)
        if meeting is None:
            return
        if view.current is None:
            self.notify("Choose a § first (] and [).", severity="warning")
            return
        number = view.current
        item = meeting.item(number)
        assert item is not None

        def answered(delete: bool | None) -> None:
            if delete:
                meeting.remove_item(number)
                self._changed()

        self.app.push_screen(
            _confirm(
                f"Delete §{number} {item.title}? The §§ after it move down.", "Delete", "Keep"
            ),
            answered,
        )

    def action_move_item(self, by: int) -> None:
        view = self.query_one(MeetingView)
        if self.open is None or view.current is None:
            return
        meeting = self._editable(lambda: self.action_move_item(by))
        if meeting is None:
            return
        number = meeting.move_item(view.current, by)
        self._changed()
        view.jump(number)

    def action_new_meeting(self) -> None:
        from .new_meeting import NewMeeting

        bodies = {f: self.archive.body_name(f) for f in self.archive.folders()}
        if not bodies:
            self.notify("The archive has no body yet: `minutes init --body NAME`.")
            return
        if self.unsaved:
            self.notify("Save or leave your changes first.", severity="warning")
            return
        folder = self.open.entry.folder if self.open else next(iter(bodies))
        date = self.upcoming.date if self.upcoming else self.today

        def chosen(choice: tuple[str, dt.date] | None) -> None:
            if choice is not None:
                self._start_meeting(*choice)

        self.app.push_screen(NewMeeting(bodies, folder, date, self.archive.taken), chosen)

    def _start_meeting(self, folder: str, date: dt.date) -> None:
        try:
            body = self.archive.body(folder)
        except FormatError as error:
            self.app.push_screen(_message("The body file has problems", str(error)))
            return
        entry = self.archive.new_entry(folder, date)
        self._show(OpenMeeting.new(entry, body.new_meeting(date)))
        self.notify("A new meeting: add §§ with a, then save with Ctrl+S.")
        self._offer_drafts()

    # --- saving -----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.open is None or self.open.meeting is None:
            return
        if not self.open.unsaved:
            self.notify("Nothing to save.")
            return
        if self._writable("Not saved") and self._start_writing():
            self.save(copy.deepcopy(self.open.meeting), self.open.entry, self.open.base)

    def _start_writing(self) -> bool:
        if self._writing:
            self.notify("A save is under way; a moment.", severity="warning")
            return False
        self._writing = True
        return True

    def _writable(self, title: str) -> bool:
        """Writes (save, undo, the file edited as text) go only to an archive the user chose:
        the bundled one, shown because none was found from the starting folder, is read only."""
        if self.archive.fallback:
            self._refused(
                title,
                f"This is the bundled archive in {self.archive.root}, shown because no archive "
                "was found from the folder minutes started in; it is not written. Start minutes "
                "in your archive, or with --repo PATH.",
            )
        return not self.archive.fallback

    @work(thread=True, group="save", exit_on_error=False)
    def save(self, meeting: Meeting, entry: Entry, base: str | None) -> None:
        """Never cancelled: saves are not exclusive, and the repository's save lock puts
        them in order."""
        from ..format.names import redated
        from ..saving import move_meeting, save_meeting

        repository = self.repository()
        if base is not None and meeting.date != entry.date:
            saved = move_meeting(repository, entry.path, meeting, base)
            after = entry._replace(name=redated(entry.name, meeting.date), date=meeting.date)
        else:
            saved = save_meeting(repository, entry.path, meeting, base)
            after = entry
        self.post_message(MeetingSaved(entry, after, meeting, saved.text, saved))

    def on_meeting_saved(self, message: MeetingSaved) -> None:
        """The open meeting follows its file (a new date renames it); an edit made while the
        save ran stays unsaved, with its draft."""
        self._writing, self._text_saved = False, None
        self._correcting = False  # each correction of a justerat protocol is asked for
        before, after = message.before, message.after
        meetings = self.query_one(MeetingList)
        if before != after or after.key not in meetings.entries:
            meetings.fill(self.archive.entries(), meetings.bodies)
            meetings.highlight_meeting(after.key)
        if self.open is not None and self.open.entry == before:
            if message.meeting is None:  # saved as text: read what the file now says
                self.open_meeting(after)
            else:
                if self.drafts is not None and before != after:
                    self.drafts.drop_own(before.key)
                self.open.saved_as(after, message.meeting, message.base)
                self.query_one(StatusLine).unsaved = self.open.unsaved
                self.keep_draft()
        self.query_one(MeetingList).broken.pop(after.key, None)
        self.notify(f"{message.saved.subject}\nin {self.repository().top}", title="Saved")
        self.read_archive()  # the next meeting, § ranges or broken files may have changed
        self.read_repository()
        if self.open is not None and self.protocol is not None:
            self.read_protocol()  # a correction after justering shows as one

    def _conflict(self, conflict) -> None:
        """The file changed on disk: show both versions as changes and let the user choose;
        the edit stays meanwhile."""
        from ..diff import diff_meetings
        from ..format.files import parse_meeting
        from .conflict import MINE, THEIRS, Conflict

        opened = self.open
        if opened is None or opened.meeting is None:
            return
        try:
            theirs = None if conflict.theirs is None else parse_meeting(conflict.theirs)[0]
            changes = diff_meetings(theirs, opened.meeting)
        except FormatError:
            changes = None

        def chosen(choice: str | None) -> None:
            if self.open is not opened:
                return
            if choice == MINE:
                opened.write_over(conflict.theirs)
                self.keep_draft()
                self.action_save()
            elif choice == THEIRS:
                self.give_up_edit()
                self.open_meeting(opened.entry)

        self.app.push_screen(Conflict(opened.entry.name, changes), chosen)

    def _refused(self, title: str, message: str) -> None:
        self.app.push_screen(_message(title, f"{message}\n\nYour edit is kept in the app."))

    def action_undo(self) -> None:
        if not self._writable("Nothing undone"):
            return
        if self.unsaved:
            self.notify("Save or leave your changes before undoing.", severity="warning")
            return
        if self._start_writing():
            self.undo()

    @work(thread=True, group="save", exit_on_error=False)
    def undo(self) -> None:
        from ..saving import undo_last

        saved = undo_last(self.repository())
        self.post_message(SaveUndone(saved, self.archive.entries()))

    def on_save_undone(self, message: SaveUndone) -> None:
        """An undo may have renamed, removed or brought back a file: the open meeting is
        shown again if its file is still there, else the one the undo wrote."""
        self._writing = False
        self.notify(message.saved.subject, title="Undone")
        meetings = self.query_one(MeetingList)
        meetings.fill(message.entries, meetings.bodies)
        if self.open is not None:
            here = {entry.key: entry for entry in message.entries}
            files = sorted(f"{path.parent.name}/{path.name}" for path in message.saved.files)
            keys = [self.open.entry.key, *files]
            shown = next((here[key] for key in keys if key in here), None)
            if shown is None:
                self.open = None
                self.query_one(MeetingView).clear("The undone save's meeting is gone.")
            else:
                self.open_meeting(shown)
                meetings.highlight_meeting(shown.key)
        self.read_archive()
        self.read_repository()

    def action_sync(self) -> None:
        if self._may_merge("Not synced"):
            self.notify("Syncing with the remote …")
            self.sync_with_remote()

    def _may_merge(self, title: str) -> bool:
        """Whether others' commits may come in now (as a write, one at a time): not into the
        bundled archive, nor under an unsaved edit."""
        if not self._writable(title):
            return False
        if self.unsaved:
            self.notify("Save or leave your changes first.", severity="warning")
            return False
        return self._start_writing()

    @work(thread=True, group="save", exit_on_error=False)
    def sync_with_remote(self) -> None:
        from ..resolution import disagreements
        from ..sync import SyncConflict, sync

        try:
            with self._network:
                synced = sync(self.repository())
        except SyncConflict:  # nothing changed: the person settles it
            self.post_message(ConflictsFound(disagreements(self.repository())))
            return
        self.post_message(SyncDone(synced.describe(), self.archive.entries()))

    def action_resolve(self) -> None:
        if self._may_merge("Not merged"):
            self.find_conflicts()

    @work(thread=True, group="save", exit_on_error=False)
    def find_conflicts(self) -> None:
        from ..resolution import disagreements

        self.post_message(ConflictsFound(disagreements(self.repository())))

    def on_conflicts_found(self, message: ConflictsFound) -> None:
        from .resolve_screen import ResolveScreen

        self._writing = False
        found = message.found
        if not found.meetings:
            self.notify(f"Nothing to settle with {found.there}.")
            return

        def chosen(choices: Choices | None) -> None:
            if choices is None:
                self.notify("Nothing was changed.")
            elif self._start_writing():
                self.settle_and_sync(found, choices)

        self.app.push_screen(ResolveScreen(found), chosen)

    @work(thread=True, group="save", exit_on_error=False)
    def settle_and_sync(self, found: Disagreements, choices: Choices) -> None:
        """The merge as chosen, and (after a sync's conflict) sent at once."""
        from ..resolution import settle
        from ..sync import sync

        said = settle(self.repository(), found, choices)
        if found.under_way:  # git's own merge or rebase, finished here: nothing is sent
            self.post_message(SyncDone(said, self.archive.entries(), "Merged"))
            return
        with self._network:
            said += "; " + sync(self.repository()).describe()
        self.post_message(SyncDone(said, self.archive.entries()))

    def on_sync_done(self, message: SyncDone) -> None:
        """Others' saves may have changed any meeting: the list and the open one are read
        again."""
        self._writing = False
        self.notify(message.said, title=message.title)
        meetings = self.query_one(MeetingList)
        meetings.fill(message.entries, meetings.bodies)
        if self.open is not None and self.open.entry in message.entries:
            self.open_meeting(self.open.entry)
        self.read_archive()
        self.read_repository()

    # --- the file as text ------------------------------------------------------------------

    def action_edit_file(self) -> None:
        """The meeting's TOML in $EDITOR; checked on return, then saved as one commit."""
        if self.open is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        if self.open.base is None:
            if self.open.problem is not None:  # not even text: a pipe, a folder, too large
                reason = self._errors(self.open.problem) or str(self.open.problem)
                self.notify(f"It cannot be edited as text: {reason}", severity="error")
            else:
                self.notify("Save the new meeting first; then E edits its file.")
            return
        if not self._writable("The file is not edited"):
            return
        if self.unsaved or self._writing:
            self.notify("Save or undo your changes in the app first.", severity="warning")
            return
        if self.open.meeting is not None and self._editable(self.action_edit_file) is None:
            return
        self._edit_text(self.open.base)

    def _edit_text(self, text: str) -> None:
        from textual.app import SuspendNotSupported

        from ..external_editor import run_editor
        from .toml_editor import TomlEditor

        assert self.open is not None
        name = self.open.entry.name
        try:
            with self.app.suspend():
                edited = run_editor(text, name)
        except SuspendNotSupported:
            self.app.push_screen(TomlEditor(text, name), self._edited_text)
            return
        except OSError as error:
            self.app.push_screen(_message("The editor did not start", explain(error)))
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

        if self.open is None:
            return
        if text is None or text == self.open.base:
            self.notify("The file is unchanged.")
            return
        try:
            parse_meeting(text, self.open.entry.path)
        except FormatError as error:
            problems = self._errors(error)

            def answered(discard: bool | None) -> None:
                if discard:
                    self.notify("Your edit of the file was discarded.")
                else:  # the default, Escape too: nothing typed is lost by a stray key
                    self._edit_text(text)

            self.app.push_screen(
                _confirm(f"The file has problems:\n\n{problems}", "Discard", "Edit again"),
                answered,
            )
            return
        self._writing = True  # E is refused while a save is under way
        self._text_saved = (self.open.entry, text, self.open.base)
        self.save_file(text, self.open.entry, self.open.base)

    def _text_not_saved(self, error: BaseException) -> None:
        """The file edited as text was not saved: its meeting becomes the app's edit, so it is
        kept (as a draft too) and Ctrl+S saves it (as the app writes files)."""
        from ..saving import ChangedOnDisk

        saving, self._text_saved = self._text_saved, None
        opened = self.open
        if saving is None or opened is None or opened.entry != saving[0]:
            self._refused("Not saved", explain(error))
            return
        _, text, base = saving
        opened.edit_as(text, base)  # it was read before the save began
        self._changed()
        if isinstance(error, ChangedOnDisk):
            self._conflict(error)
            return
        self._refused(
            "Not saved",
            f"{explain(error)}\n\nThe file as you edited it is now the app's edit, marked "
            "unsaved; Ctrl+S saves it as the app writes files (comments are not kept).",
        )

    @work(thread=True, group="save", exit_on_error=False)
    def save_file(self, text: str, entry: Entry, base: str | None) -> None:
        from ..saving import save_text

        saved = save_text(self.repository(), entry.path, text, base)
        self.post_message(MeetingSaved(entry, entry, None, saved.text, saved))

    # --- history ------------------------------------------------------------------------------

    def action_history(self) -> None:
        if self.open is None:
            self.notify("Open a meeting first.", severity="warning")
            return
        from .history_screen import HistoryScreen

        entry = self.open.entry
        title = f"History of {entry.date} {self.archive.body_name(entry.folder)}"
        self.app.push_screen(
            HistoryScreen(self.repository(), title, lambda history: history.of(entry.path))
        )

    def action_decision_log(self) -> None:
        from .history_screen import HistoryScreen

        meetings = self.archive.meetings
        self.app.push_screen(
            HistoryScreen(
                self.repository(),
                "Every changed decision in the archive",
                lambda history: history.decision_log(meetings),
                show_file=True,
            )
        )


def _item_editor(item: Item, meeting: Meeting):
    from .item_editor import ItemEditor

    voters = [
        member.name
        for member in meeting.attendance.members
        if not member.present or item.number in member.present
    ]
    return ItemEditor(item, voters)


def _with_item(index: int) -> Callable[[Meeting, Item], Meeting]:
    def merged(meeting: Meeting, item: Item) -> Meeting:
        meeting.items[index] = item
        return meeting

    return merged
