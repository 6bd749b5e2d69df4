"""Where each protocol of an archive stands: its justering (the signature tags in git) and
its statutory days (`tui.deadlines`), for `minutes due`, `minutes check` and the app.

A protocol outside a git repository has no signatures to read: its stage follows from the
file alone (a posted notice shows it was justerat).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from . import deadlines, ranges
from .archive import Archive, Entry
from .deadlines import Due, Stage, Step
from .format.locate import lines_of
from .model import Appeal, Meeting, Notice
from .problems import FormatError, Problem

if TYPE_CHECKING:
    from .justering import Justering, SignatureTags
    from .repository import Repository

_WORDS = {
    "sv": {
        "draft": "utkast",
        "signed": "signerat av {} av {}",
        "missing": "saknas: {}",
        "justerat": "justerat {}",
        "changed": "ÄNDRAT EFTER JUSTERING",
    },
    "en": {
        "draft": "draft",
        "signed": "signed by {} of {}",
        "missing": "missing: {}",
        "justerat": "adjusted {}",
        "changed": "CHANGED AFTER ADJUSTMENT",
    },
}


@dataclass(frozen=True)
class ProtocolState:
    entry: Entry
    meeting: Meeting
    justering: Justering | None
    """None when no signature names the file (or the archive is in no repository)."""
    stage: Stage | None
    adjusted_on: dt.date | None
    """The day the last needed signature was made; outside a repository, where there are no
    signatures, the day the file says it was justerat."""

    @property
    def justerat(self) -> bool:
        if self.justering is None:
            return self.adjusted_on is not None
        return self.justering.justerat

    @property
    def changed(self) -> bool:
        """Corrected since it was justerat: the app asks before such an edit, and says so."""
        return self.justering is not None and self.justering.changed

    def signed(self) -> tuple[list[str], list[str]]:
        """Who of those who must sign have signed the committed version, and who not yet."""
        from .justering import needed, principal

        names = [signer.name for signer in needed(self.meeting)]
        j = self.justering
        done = set()
        if j is not None:
            # By principal: a tag writes the signer's name on one line, symbols for controls.
            done = {
                principal(s.signer)
                for s in j.signatures
                if s.counts and s.item is None and s.version == j.committed
            }
        signed = [n for n in names if principal(n) in done]
        return signed, [n for n in names if principal(n) not in done]

    def phrase(self) -> str:
        """Where it stands in a line, in the meeting's language: "signerat av 1 av 2 (saknas:
        Cecilia Dahl) · justeras senast 2024-11-28 (3 dagar kvar)", "justerat 2024-11-19 ·
        anslaget till 2024-12-13", "laga kraft 2024-12-14"."""
        language = self.meeting.language if self.meeting.language in _WORDS else "sv"
        words = _WORDS[language]
        parts = []
        if self.justerat:
            if self.changed:
                parts.append(words["changed"])
            if self.stage is None or self.stage.step != Step.TO_POST:
                parts.append(words["justerat"].format(self.adjusted_on))
        elif self.stage is None or self.stage.step in (Step.PLANNED, Step.TO_ADJUST):
            done, missing = self.signed()
            if not done:
                parts.append(words["draft"])
            else:
                count = words["signed"].format(len(done), len(done) + len(missing))
                parts.append(f"{count} ({words['missing'].format(', '.join(missing))})")
        if self.stage is not None and self.stage.step != Step.PLANNED:
            parts.append(self.stage.text(language))
        return " · ".join(parts)


class Protocols:
    """The protocols of an archive and their signatures, the tags listed once."""

    def __init__(self, archive: Archive):
        self.archive = archive

    @cached_property
    def repository(self) -> Repository | None:
        """The archive's repository, asked for only when a protocol is met: `minutes check` of
        minnesanteckningar loads no git layer."""
        from .repository import RepositoryError, repository_for

        try:
            return repository_for(self.archive.root)
        except RepositoryError:
            return None

    @cached_property
    def tags(self) -> SignatureTags | None:
        """Listed when first needed: an archive without protocols never asks git."""
        from .justering import SignatureTags

        return SignatureTags(self.repository) if self.repository else None

    def state(self, entry: Entry, meeting: Meeting, today: dt.date) -> ProtocolState | None:
        """Where the protocol `meeting` (read from `entry`) stands; None if it is none."""
        if meeting.kind != "protokoll":
            return None
        justering = None
        tags, repository = self.tags, self.repository
        if tags and repository and tags.names(repository.relative(entry.path)):
            justering = tags.status(entry.path, meeting)
        if justering is not None:
            adjusted_on = justering.justerat_on.date() if justering.justerat_on else None
        else:
            adjusted_on = meeting.signatures.adjustment_date if repository is None else None
        stage = deadlines.stage(meeting, adjusted_on, today)
        return ProtocolState(entry, meeting, justering, stage, adjusted_on)

    def every(self, today: dt.date) -> Iterator[ProtocolState]:
        """Every protocol that reads, by body and date."""
        for entry in self.archive.entries():
            if _kind(self.archive, entry) != "protokoll":
                continue
            try:
                meeting, _ = self.archive.load(entry)
            except (FormatError, OSError):
                continue  # `check` lists it as broken
            state = self.state(entry, meeting, today)
            if state is not None:
                yield state

    def due(self, today: dt.date, states: list[ProtocolState] | None = None) -> list[Due]:
        """What the law asks next, most urgent first: of `states` (read now if not given)."""
        rows = (
            (self.archive.body_name(s.entry.folder), s.entry.key, s.meeting, s.adjusted_on)
            for s in (self.every(today) if states is None else states)
        )
        return deadlines.due(rows, today)

    def problems(self, today: dt.date) -> list[Problem]:
        """For `minutes check`: signatures that do not count, corrections after justering and
        missed deadlines, as warnings on their files."""
        found = []
        for state in self.every(today):
            path = state.entry.path
            if state.justering is not None:
                for message in state.justering.problems():
                    found.append(Problem(message, path=path, warning=True))
            missed = deadlines.missed(state.meeting, state.adjusted_on, today)
            if missed:
                _, _, text = self.archive.open(state.entry)
                lines = lines_of(text, [p.where for p in missed])
                found += [p.at(path, line) for p, line in zip(missed, lines, strict=True)]
        return found


def _kind(archive: Archive, entry: Entry) -> str:
    """A meeting's kind from its header: only protocols are read whole."""
    try:
        return archive.header(entry).kind
    except (FormatError, OSError):
        return ""


def announced(state: ProtocolState, on: dt.date, storage: str, certified_by: str) -> Meeting:
    """The protocol with its notice of justering (anslag) recorded; ValueError saying why not:
    a notice announces a justering, so there must be one, and only one notice."""
    meeting = state.meeting
    if meeting.notice is not None:
        raise ValueError(f"the notice was posted {meeting.notice.posted} already")
    if not state.justerat:
        _, missing = state.signed()
        who = f" (missing: {', '.join(missing)})" if missing else ""
        raise ValueError(f"the protocol is not justerat{who}: a notice announces its justering")
    adjusted_on = state.adjusted_on
    if adjusted_on is not None and on < adjusted_on:
        raise ValueError(f"{on} is before the protocol was justerat ({adjusted_on})")
    if not storage.strip():
        raise ValueError(
            "say where the protocol is kept: --storage PLACE, or `storage` in the body's body.toml"
        )
    changed = copy.deepcopy(meeting)
    changed.notice = Notice(on, storage=storage, certified_by=certified_by)
    return changed


def appealed(state: ProtocolState, items: list[int], on: dt.date, by: str) -> Meeting:
    """The protocol with an appeal recorded; ValueError when it names §§ it does not have, or
    before justering: the signers must agree on one text, and an appeal written into it while
    they sign would part their versions."""
    meeting = state.meeting
    if not state.justerat:
        raise ValueError(
            "the protocol is not justerat yet: record the appeal once it is (an appeal "
            "received before the notice is in time all the same)"
        )
    unknown = [n for n in items if meeting.item(n) is None]
    if unknown or not items:
        raise ValueError(f"the protocol has no {ranges.display(unknown) or '§§ named'}")
    changed = copy.deepcopy(meeting)
    changed.appeals.append(Appeal(items, on, by))
    return changed
