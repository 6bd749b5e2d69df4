"""Justering: a protocol approved and signed by its chair(s) and justerare, each signature a
signed git tag (docs/justering.md).

A signature is an annotated tag signed with the signer's own key, as their git is set up to sign
(`gpg.format` ssh, openpgp or x509; `user.signingkey`). It points at the blob of the meeting
file's committed version, so it covers exactly that text; for omedelbar justering of one §, at a
blob holding that § alone in canonical form. Its message names the file, the version, the signer
and their role in trailers. Tags are never moved or removed: a correction after justering is a
new version, and who signed what stays on record.

Who may sign with which SSH key is the archive's committed `allowed_signers` (git's
allowed-signers format) at the repository's top, so every clone verifies alike. A person is named
there by their principal (see `principal`). A signature counts when it verifies, its key is the
signer's, the signer is a chair, justerare or the secretary of the version it signs, and the tag
points at the version its message names. The protocol is justerat when every chair and
justerare has a counted signature on one version; a § signed alone is justerat on its own.

Verifying a tag costs a git and two ssh-keygen processes (~20 ms): each SSH result is remembered
in the git folder, keyed by the tag object and the list's content, which together decide it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from . import ranges
from .diff import Change, diff_meetings
from .format.encode import dumps_item
from .format.files import read_version
from .format.reading import MAX_BYTES, read_regular
from .format.writing import write_atomic
from .json_cache import read_json, write_json
from .model import Meeting
from .problems import FormatError
from .repository import GitFailed, Repository, RepositoryError
from .terminal import UNSAFE, clean

ALLOWED_SIGNERS = "allowed_signers"
"""The list of who may sign with which key, at the repository's top."""
TAG_PREFIX = "justering"
CHAIR, ADJUSTER, SECRETARY = "chair", "adjuster", "secretary"
AFTER_JUSTERING = ("notice", "appeals")
"""The diff's sections for what a protocol records after it is justerat."""

FILE_TRAILER = "Meeting-File"
VERSION_TRAILER = "Meeting-Blob"
"""The meeting file's version: signed whole, or the one a signed § was taken from."""
ITEM_TRAILER = "Item"
ITEM_VERSION_TRAILER = "Item-Blob"
SIGNER_TRAILER = "Signer"
ROLE_TRAILER = "Role"

_FIELDS = [
    "refname:strip=2",
    "objectname",
    "objecttype",
    "object",
    "type",
    "taggerdate:iso-strict",
    "contents:body",
    "contents:signature",
]
_GOOD_SSH = re.compile(r'^Good "git" signature for (.+) with \S+ key (\S+)$', re.MULTILINE)
_UNLISTED_SSH = re.compile(r'^Good "git" signature with \S+ key (\S+)$', re.MULTILINE)
_GOOD_GPG = re.compile(r"^\[GNUPG:\] GOODSIG \S+ (.+)$", re.MULTILINE)
_TRUSTED_GPG = re.compile(r"^\[GNUPG:\] TRUST_(FULLY|ULTIMATE)\b", re.MULTILINE)
_BAD_GPG = re.compile(r"^\[GNUPG:\] (BADSIG|EXPKEYSIG|REVKEYSIG|NO_PUBKEY)\b", re.MULTILINE)
_GPG_PROBLEMS = {
    "BADSIG": "bad signature: the tag is not what was signed",
    "EXPKEYSIG": "the key has expired",
    "REVKEYSIG": "the key was revoked",
    "NO_PUBKEY": "the key is not known on this machine",
}
_UNSAFE = re.compile(f"\n|\t|{UNSAFE.pattern}")
_SSH_KEY_TYPES = ("ssh-", "ecdsa-", "sk-")
_CACHE_VERSION = 1
_NO_KEY = """\
git has no signing key: set one (for an SSH key) with
  git config --global gpg.format ssh
  git config --global user.signingkey ~/.ssh/id_ed25519.pub
(`ssh-keygen -t ed25519` makes a key if you have none), then add this line for it to
{allowed} and commit it:
  {principal} namespaces="git" ssh-ed25519 AAAA…  (the rest of your .pub file)
An OpenPGP or X.509 key works too: gpg.format openpgp or x509, user.signingkey its id."""


class JusteringError(RepositoryError):
    """A signature refused; the message says why and what to do."""


class Signer(NamedTuple):
    name: str
    role: str
    """CHAIR, ADJUSTER or SECRETARY."""


@dataclass(frozen=True)
class Signature:
    tag: str
    """The tag's name, without refs/tags/."""
    signer: str
    """Who the tag says signed (its Signer trailer)."""
    role: str
    """Their role in the meeting signed; the tag's word for it where they have none."""
    version: str
    """The blob the tag points at: the meeting file's version, or the § signed alone."""
    item: int | None
    """The § signed alone (omedelbar justering); None: the whole file."""
    date: dt.datetime | None
    key_owner: str = ""
    """The principal the key belongs to, as the allowed list (or OpenPGP) says; "" unknown."""
    reason: str = ""
    """Why it does not count; "" when it counts."""
    bad: bool = False
    """Not counted for a fault of its own (not only for signing another version)."""

    @property
    def counts(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class ItemJustering:
    """An omedelbar justering: one § signed on its own."""

    number: int
    needed: tuple[Signer, ...]
    version: str | None
    """The § text (a blob) its needed signers all signed; None: not justerat."""
    justerat_on: dt.datetime | None
    missing: tuple[Signer, ...]
    changed: bool
    """The § as it is now differs from the text justerat (or is gone)."""


@dataclass(frozen=True)
class Justering:
    path: str
    """The meeting file, in the repository."""
    needed: tuple[Signer, ...]
    signatures: tuple[Signature, ...]
    """Every signature tag naming the file, of the file and of §§ alone, oldest first."""
    version: str | None
    """The version every needed signer signed; None: not justerat."""
    justerat_on: dt.datetime | None
    """When the last needed signature was made."""
    missing: tuple[Signer, ...]
    committed: str | None
    """The file's version at HEAD."""
    committed_changed: bool = False
    """HEAD holds another version than the one justerat."""
    working_changed: bool = False
    """The file on disk differs from the version justerat."""
    changes: tuple[Change, ...] = ()
    """From the version justerat to the meeting as given (the file on disk)."""
    items: tuple[ItemJustering, ...] = ()
    former_names: tuple[str, ...] = ()
    """The file's earlier names that signatures were made under: it was moved (to another
    date) since."""

    @property
    def justerat(self) -> bool:
        return self.version is not None

    @property
    def changed(self) -> bool:
        return self.committed_changed or self.working_changed

    def signature(self, tag: str) -> Signature | None:
        return next((s for s in self.signatures if s.tag == tag), None)

    def problems(self) -> list[str]:
        """What is wrong whatever the date: signatures that do not count for a fault of their
        own, and changes since justering. (Missing signatures are not: the 14 days run.)"""
        found = [
            f"the signature of {s.signer} ({s.tag}) does not count: {s.reason}"
            for s in self.signatures
            if s.bad
        ]
        if self.changed:
            found.append(f"changed since it was justerat (version {_short(self.version)})")
        found += [
            f"§{item.number} changed since its omedelbar justering"
            for item in self.items
            if item.changed
        ]
        return found


def corrections(signed: Meeting | None, meeting: Meeting | None) -> list[Change]:
    """What changed in the protocol itself: the notice of justering and appeals are recorded
    after justering and are no correction of what was signed."""
    return [c for c in diff_meetings(signed, meeting) if c.section not in AFTER_JUSTERING]


# --- names --------------------------------------------------------------------------------


def principal(name: str) -> str:
    """A person's name in `allowed_signers`: lower case, letters and digits (å, ä, ö too)
    kept, every other run of characters one hyphen: "Alma Berglund" → alma-berglund.

    ssh-keygen reads a principal up to the first blank unless quoted; a quoted name with
    spaces and å, ä, ö verifies, but one with a comma is split at it (a principal is a list of
    patterns) and one with a quote is refused, and git reports the principal in a line it must
    be cut back out of. The hyphenated name has none of these edges and reads as the name."""
    normal = unicodedata.normalize("NFC", name).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in normal).split())


def tag_name(file: str, version: str, who: str, item: int | None = None) -> str:
    """`justering/<body folder>/<file stem>/<version>/<principal>`, each part ASCII letters,
    digits and hyphens (with a hash of the original where it had other characters), so that
    any name makes a valid and unique ref; `item-<§>-<version>` for a § signed alone."""
    path = PurePosixPath(file)
    signed = f"item-{item}-{version[:12]}" if item is not None else version[:12]
    return "/".join([TAG_PREFIX, _ascii(path.parent.name), _ascii(path.stem), signed, _ascii(who)])


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = "-".join("".join(c if c.isalnum() else " " for c in plain).split()) or "x"
    if slug == text:
        return slug
    return f"{slug}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def one_line(text: str) -> str:
    """Text from a file as one line of a tag message, control characters (line breaks too)
    shown as symbols: never letters, so that a name's principal stays what it was."""
    return _UNSAFE.sub(_symbol, text).strip()


def _symbol(match: re.Match[str]) -> str:
    char = match[0]
    return chr(0x2400 + ord(char)) if char < "\x20" else "\u2421" if char == "\x7f" else "\ufffd"


def _short(version: str | None) -> str:
    return (version or "none")[:12]


# --- who signs ----------------------------------------------------------------------------


def signers_of(meeting: Meeting, item: int | None = None) -> dict[str, Signer]:
    """Who may sign the meeting (or its § `item` alone), by principal: the chairs (of that §,
    when chairs took turns), the justerare and the secretary; a person's first role counts."""
    s = meeting.signatures
    found: dict[str, Signer] = {}
    chairs = [c.name for c in s.chairs if item is None or not c.items or item in c.items]
    for names, role in ((chairs, CHAIR), (s.adjusters, ADJUSTER), ([s.secretary], SECRETARY)):
        for name in names:
            if principal(name):
                found.setdefault(principal(name), Signer(name, role))
    return found


def needed(meeting: Meeting, item: int | None = None) -> tuple[Signer, ...]:
    """Whose signatures make it justerat: every chair and every justerare."""
    return tuple(s for s in signers_of(meeting, item).values() if s.role != SECRETARY)


# --- signing ------------------------------------------------------------------------------


def sign(
    repository: Repository,
    path: Path,
    meeting: Meeting,
    signer: str,
    item: int | None = None,
) -> Signature:
    """Sign the committed version of the meeting file at `path` (or its § `item` alone) as
    `signer`, with the user's git signing key. `meeting` is the file as read."""
    file = repository.relative(path)
    if meeting.kind != "protokoll":
        raise JusteringError(f"{file} is {meeting.kind}: only a protocol is justerat")
    may = signers_of(meeting, item)
    who = principal(signer)
    if who not in may:
        listed = ", ".join(f"{s.name} ({s.role})" for s in may.values()) or "nobody: name them"
        what = file if item is None else f"§{item} of {file}"
        chaired = [c.items for c in meeting.signatures.chairs if principal(c.name) == who]
        only = f" (chair of {ranges.display(chaired[0])} only)" if chaired and chaired[0] else ""
        raise JusteringError(f"{signer} may not sign {what}{only}; who may: {listed}")
    person = may[who]
    with repository.saving():
        committed = repository.blob_id("HEAD", path)
        if committed is None or repository.is_modified(path):
            state = "is not committed yet" if committed is None else "has changes not committed"
            raise JusteringError(
                f"{file} {state}: save first, then sign (a signature covers the committed version)"
            )
        target = committed if item is None else _item_blob(repository, meeting, item)
        _check_signing_key(repository, person)
        name = tag_name(file, target, who, item)
        message = _message(file, path.stem, person, committed, target, item)
        repository.signed_tag(name, target, message, repository.author())
    found = SignatureTags(repository).status(path, meeting).signature(name)
    assert found is not None  # the tag just made names the file
    return found


def _item_blob(repository: Repository, meeting: Meeting, number: int) -> str:
    item = meeting.item(number)
    if item is None:
        raise JusteringError(f"the meeting has no §{number}")
    if not item.adjusted_immediately:
        raise JusteringError(
            f"§{number} is not adjusted immediately (omedelbar justering): set its "
            "adjusted_immediately = true and save before signing it alone"
        )
    return repository.store_blob(dumps_item(item).encode())


def _message(
    file: str, stem: str, person: Signer, committed: str, target: str, item: int | None
) -> str:
    name = one_line(person.name)
    what = f"{stem} §{item}" if item is not None else stem
    covers = (
        f"Omedelbar justering of §{item} of {one_line(file)}:\nthis tag signs the § alone."
        if item is not None
        else f"Justering of {one_line(file)}:\nthis tag signs the file's version {committed}."
    )
    trailers = [
        (FILE_TRAILER, one_line(file)),
        (VERSION_TRAILER, committed),
        *([(ITEM_TRAILER, str(item)), (ITEM_VERSION_TRAILER, target)] if item is not None else []),
        (SIGNER_TRAILER, name),
        (ROLE_TRAILER, person.role),
    ]
    lines = [f"{what}: signed by {name}, {person.role}", "", covers, ""]
    return "\n".join([*lines, *(f"{key}: {value}" for key, value in trailers), ""])


def _check_signing_key(repository: Repository, person: Signer) -> None:
    """Refuse, saying how, where git has no signing key, or where an SSH key is not the
    signer's in the committed allowed list (such a signature would not count)."""
    who = principal(person.name)
    key = repository.config("user.signingkey")
    if not key:
        raise JusteringError(_NO_KEY.format(allowed=ALLOWED_SIGNERS, principal=who))
    if (repository.config("gpg.format") or "openpgp") != "ssh":
        return  # OpenPGP and X.509 keys are known to their own keyrings, not to the list
    public = _ssh_public_key(key)
    if public is None:
        return  # a private key without its .pub beside it: verifying will tell
    line = f'{who} namespaces="git" {public} {one_line(person.name)}'
    owners = _owners(_allowed_list(repository), public)
    if who in owners:
        return
    if owners:
        raise JusteringError(
            f"your signing key is {', '.join(owners)}'s in {ALLOWED_SIGNERS}, not {who}'s: "
            "sign with your own key (git config user.signingkey)"
        )
    working = _read(repository.top / ALLOWED_SIGNERS)
    if working is not None and who in _owners(working, public):
        raise JusteringError(f"{ALLOWED_SIGNERS} lists your key, but not as committed: commit it")
    raise JusteringError(
        f"your signing key is not in {ALLOWED_SIGNERS} for {who}: add this line to "
        f"{repository.top / ALLOWED_SIGNERS}, commit it, and sign again:\n  {line}"
    )


def _ssh_public_key(key: str) -> str | None:
    """The "type base64" of an SSH signing key given literally or as a file's path."""
    literal = key.removeprefix("key::")
    if literal.startswith(_SSH_KEY_TYPES):
        return " ".join(literal.split()[:2])
    path = Path(os.path.expanduser(key))
    for candidate in (path, path.with_name(path.name + ".pub")):
        text = (_read(candidate) or b"").decode("utf-8", errors="replace")
        if text.startswith(_SSH_KEY_TYPES):
            return " ".join(text.split()[:2])
    return None


def _owners(allowed: bytes | None, public: str) -> list[str]:
    """The principals `allowed` (an allowed-signers file) lists the key `public` for."""
    owners = []
    for line in (allowed or b"").decode("utf-8", errors="replace").splitlines():
        words = line.split()
        if not words or words[0].startswith("#") or public.split()[-1] not in words[1:]:
            continue
        owners += [p.strip('"') for p in words[0].split(",")]
    return owners


def _read(path: Path) -> bytes | None:
    try:
        return read_regular(path, MAX_BYTES)
    except OSError:
        return None


def _allowed_list(repository: Repository) -> bytes | None:
    return repository.blob_at("HEAD", repository.top / ALLOWED_SIGNERS)


def create_allowed_signers(top: Path) -> list[str]:
    """An empty, commented `allowed_signers` at the repository's top, unless it has one; what
    was done, for the user."""
    path = top / ALLOWED_SIGNERS
    if os.path.lexists(path):
        return []
    write_atomic(path, ALLOWED_SIGNERS_TEMPLATE)
    return [
        f"created {path}: add a line for each person who signs protocols, with their SSH key, "
        "and commit it (`minutes sign` prints the line for yours)"
    ]


ALLOWED_SIGNERS_TEMPLATE = """\
# Who may sign (justera) protocols, and with which SSH key: one line per key, in git's
# allowed-signers format. The first word names the person: their name in lower case, letters
# and digits kept, every other run of characters one hyphen ("Alma Berglund" is alma-berglund,
# "Åsa Öberg" åsa-öberg). Then namespaces="git" and their public key (the .pub file), e.g.
#
#   alma-berglund namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... Alma Berglund
#
# Signatures are checked against this file as committed: commit every change. A key retired
# keeps its line, its options then namespaces="git",valid-before="YYYYMMDD", so that what it
# signed before still counts.
"""


# --- reading the tags ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Tag:
    name: str
    id: str
    """The tag object."""
    target: str
    """The object it points at."""
    target_type: str
    date: dt.datetime | None
    trailers: dict[str, str]
    signature: str
    """The signature's first line: which kind of key signed."""

    @property
    def file(self) -> str:
        return self.trailers.get(FILE_TRAILER, "")

    @property
    def version(self) -> str:
        """The meeting file's version it names: signed whole, or where its § was taken from."""
        return _object_id(self.trailers.get(VERSION_TRAILER, ""))

    @property
    def item_version(self) -> str:
        return _object_id(self.trailers.get(ITEM_VERSION_TRAILER, ""))

    @property
    def item(self) -> int | None:
        number = self.trailers.get(ITEM_TRAILER, "")
        return int(number) if number.isascii() and number.isdigit() else None


def _object_id(text: str) -> str:
    """`text` if it is an object id (SHA-1 or SHA-256), else "": a trailer is never taken for
    a revision to look up."""
    return text if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", text) else ""


def _tag(record: list[str]) -> _Tag | None:
    name, id_, kind, target, target_type, date, body, signature = record
    if kind != "tag":
        return None  # a lightweight tag signs nothing
    trailers = {}
    for line in body.strip().split("\n\n")[-1].splitlines():
        key, colon, value = line.partition(": ")
        if colon and key not in trailers:
            trailers[key] = value.strip()
    if FILE_TRAILER not in trailers:
        return None
    try:
        when = dt.datetime.fromisoformat(date) if date else None
    except ValueError:
        when = None
    first = signature.strip().partition("\n")[0]
    return _Tag(name, id_, target, target_type, when, trailers, first)


class SignatureTags:
    """The repository's signature tags, listed once, each verified once and remembered."""

    def __init__(self, repository: Repository):
        self.repository = repository
        records = repository.tags(_FIELDS)
        self._tags = [tag for tag in map(_tag, records) if tag is not None]
        self._files = {tag.file for tag in self._tags}
        self._by_name = {tag.name: tag for tag in self._tags}
        self._meetings: dict[str, Meeting | None] = {}
        self._verifier: _Verifier | None = None

    def names(self, file: str) -> bool:
        """Does some tag name the meeting file `file` (its path in the repository), by its
        name now or by one it had before it was moved?"""
        return one_line(file) in self._files or one_line(file) in self._former

    @cached_property
    def _former(self) -> dict[str, tuple[str, ...]]:
        """The names tags know moved files by, by each file's name now. A protocol moved to
        another date after justering is renamed; its signatures name the old file. git is
        asked only when some tag names a file that is gone, and follows moves within the
        folder above that file's body folder (the archive's `meetings/`)."""
        gone = [
            f for f in self._files if _inside(f) and not os.path.lexists(self.repository.top / f)
        ]
        if not gone or not self.repository.has_commits():
            return {}
        folders = sorted({str(PurePosixPath(f).parent.parent) for f in gone})
        try:
            output = self.repository.run(
                *("log", "--reverse", "-M", "--diff-filter=R", "--name-status", "-z"),
                *("--format=", "HEAD", "--", *folders),
                env={"GIT_LITERAL_PATHSPECS": "1"},  # a name from a tag is never a pattern
            )
        except GitFailed:
            return {}
        fields = output.split("\0")
        renames = []
        index = 0
        while index < len(fields) - 2:
            if re.fullmatch(r"R\d*", fields[index].strip("\n")):
                renames.append((one_line(fields[index + 1]), one_line(fields[index + 2])))
                index += 3
            else:
                index += 1
        found: dict[str, list[str]] = {}
        for name in gone:
            now = name
            for old, new in renames:
                now = new if old == now else now
            if now != name and os.path.lexists(self.repository.top / now):
                found.setdefault(now, []).append(name)
        return {now: tuple(sorted(names)) for now, names in found.items()}

    def status(self, path: Path, meeting: Meeting) -> Justering:
        """The justering of the meeting file at `path`, which holds `meeting` (as read from
        the file: what the version justerat is compared with). Signatures made under the
        file's former names count as its own: the file's content tells what changed."""
        file = self.repository.relative(path)
        committed = self.repository.blob_id("HEAD", path)
        former = self._former.get(one_line(file), ())
        names = {one_line(file), *former}
        tags = [tag for tag in self._tags if tag.file in names]
        judged = [self._judge(tag) for tag in tags]
        if self._verifier is not None:
            self._verifier.save()
        whole = [s for s in judged if s.item is None]
        version, signed_on, missing, whole = self._agree(
            whole,
            lambda v: needed(self._meeting(v) or meeting),
            committed,
            needed(meeting),
            "committed",
        )
        items = []
        for number in sorted({s.item for s in judged if s.item is not None}):
            justering, mine = self._item(number, [s for s in judged if s.item == number], meeting)
            items.append(justering)
            whole += mine
        signatures = tuple(sorted(whole, key=_when))
        found = Justering(
            file,
            needed(meeting),
            signatures,
            version,
            signed_on,
            missing,
            committed,
            items=tuple(items),
            former_names=former,
        )
        if version is None:
            return found
        signed = self._meeting(version)
        committed_meeting = self._meeting(committed) if committed else None
        changes = corrections(signed, meeting)
        return replace(
            found,
            needed=needed(signed or meeting),
            committed_changed=committed != version and bool(corrections(signed, committed_meeting)),
            working_changed=bool(changes),
            changes=tuple(changes),
        )

    def _item(
        self, number: int, signatures: list[Signature], meeting: Meeting
    ) -> tuple[ItemJustering, list[Signature]]:
        item = meeting.item(number)
        now = dumps_item(item).encode() if item is not None else None
        current = next((s.version for s in signatures if self._blob(s.version) == now), None)
        taken_from = {s.version: self._by_name[s.tag].version for s in signatures}
        version, signed_on, missing, judged = self._agree(
            signatures,
            lambda v: needed(self._meeting(taken_from.get(v, "")) or meeting, number),
            current,
            needed(meeting, number),
            "current",
        )
        changed = version is not None and self._blob(version) != now
        return ItemJustering(
            number, needed(meeting, number), version, signed_on, missing, changed
        ), judged

    def _agree(
        self,
        signatures: list[Signature],
        needed_for: Callable[[str], tuple[Signer, ...]],
        current: str | None,
        needed_now: tuple[Signer, ...],
        which: str,
    ) -> tuple[str | None, dt.datetime | None, tuple[Signer, ...], list[Signature]]:
        """(the version justerat, when, who is missing, the signatures with those on other
        versions marked as not counting). A version is justerat when each of its needed
        signers has a counted signature on it; of several, the current one, else the last."""
        by_version: dict[str, dict[str, Signature]] = {}
        for s in sorted(signatures, key=_when):
            if s.counts:
                by_version.setdefault(s.version, {}).setdefault(principal(s.signer), s)
        complete: dict[str, dt.datetime] = {}
        for version, signed in by_version.items():
            need = needed_for(version)
            if need and all(principal(n.name) in signed for n in need):
                complete[version] = max(_when(signed[principal(n.name)]) for n in need)
        if current in complete:
            chosen: str | None = current
        elif complete:
            chosen = max(complete, key=complete.__getitem__)
        else:
            chosen = current
        justerat = chosen in complete
        need = needed_for(chosen) if justerat and chosen else needed_now
        signed = by_version.get(chosen or "", {})
        missing = tuple(n for n in need if principal(n.name) not in signed)
        agreed = "justerat" if justerat else which
        marked = [
            replace(
                s,
                reason=f"signs version {_short(s.version)}, not the {agreed} one {_short(chosen)}",
            )
            if s.counts and s.version != chosen
            else s
            for s in signatures
        ]
        return chosen if justerat else None, complete.get(chosen or ""), missing, marked

    def _judge(self, tag: _Tag) -> Signature:
        """The signature of one tag, with every fault of its own."""
        faults = []
        signer = tag.trailers.get(SIGNER_TRAILER, "")
        who = principal(signer)
        owner, fault = self._verified(tag)
        faults += [fault] if fault else []
        if owner and owner != who:
            faults.append(f"the key is {owner}'s, not {who or 'the signer'}'s")
        named = tag.item_version if tag.item is not None else tag.version
        if named != tag.target:
            faults.append(
                f"the tag points at {_short(tag.target)} ({tag.target_type}) but its message "
                f"names {_short(named)}: it was re-pointed"
            )
        role = tag.trailers.get(ROLE_TRAILER, "")
        meeting = self._meeting(tag.version)
        if meeting is None:
            faults.append("the meeting version it names is not in this repository")
        else:
            may = signers_of(meeting, tag.item)
            if who in may:
                role = may[who].role
            else:
                faults.append(f"{signer or 'nobody'} is not a chair, justerare or secretary of it")
            faults += self._item_faults(tag, meeting)
        return Signature(
            tag.name,
            signer,
            role,
            tag.target,
            tag.item,
            tag.date,
            owner,
            "; ".join(faults),
            bool(faults),
        )

    def _item_faults(self, tag: _Tag, meeting: Meeting) -> list[str]:
        if tag.item is None:
            return []
        item = meeting.item(tag.item)
        if item is None or not item.adjusted_immediately:
            return [f"§{tag.item} is not for omedelbar justering in the version it names"]
        if self._blob(tag.target) != dumps_item(item).encode():
            return [f"what it signs is not §{tag.item} of the version it names"]
        return []

    def _verified(self, tag: _Tag) -> tuple[str, str]:
        if self._verifier is None:
            self._verifier = _Verifier(self.repository)
        return self._verifier.verify(tag)

    def _blob(self, version: str) -> bytes | None:
        try:
            return self.repository.blob(version)
        except GitFailed:
            return None

    def _meeting(self, version: str) -> Meeting | None:
        if version not in self._meetings:
            data = self._blob(version) if version else None
            try:
                self._meetings[version] = None if data is None else read_version(data)
            except FormatError:
                self._meetings[version] = None
        return self._meetings[version]


def _inside(file: str) -> bool:
    """Is `file`, a name from a tag, a meeting file's path inside the repository: relative,
    without `..`, in a body's folder in a folder?"""
    path = PurePosixPath(file)
    return not path.is_absolute() and ".." not in path.parts and len(path.parts) >= 3


def _when(signature: Signature) -> dt.datetime:
    return signature.date or dt.datetime.min.replace(tzinfo=dt.UTC)


def status(repository: Repository, path: Path, meeting: Meeting) -> Justering:
    """The justering of one meeting file; see `SignatureTags.status`."""
    return SignatureTags(repository).status(path, meeting)


# --- verifying ----------------------------------------------------------------------------


class _Verifier:
    """Verifies tags' signatures: SSH ones against the committed allowed list."""

    def __init__(self, repository: Repository):
        self.repository = repository
        allowed = _allowed_list(repository)
        self.listed = allowed is not None
        content = allowed or b""
        digest = hashlib.sha256(content).hexdigest()[:16]
        folder = repository.git_dir / "minutes"
        self.allowed = self._list_file(folder / f"allowed_signers-{digest}", content)
        self.key = digest
        self._cache_file = folder / "signatures.json"
        cached = read_json(self._cache_file)
        valid = isinstance(cached, dict) and cached.get("version") == _CACHE_VERSION
        self._results: dict[str, list[str]] = cached["results"] if valid else {}
        self._new = False

    def _list_file(self, path: Path, content: bytes) -> Path:
        """The allowed list as a file for git to read, kept in the git folder; where that
        cannot be written (a clone on a read-only disk), a temporary file, removed when this
        verifier is done with: reading the archive needs no write."""
        if _read(path) == content:
            return path
        try:
            path.parent.mkdir(exist_ok=True)
            write_atomic(path, content)
            return path
        except OSError:
            fd, name = tempfile.mkstemp(prefix="minutes-allowed-")
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            weakref.finalize(self, os.unlink, name)
            return Path(name)

    def verify(self, tag: _Tag) -> tuple[str, str]:
        """(whose key signed, by the allowed list or OpenPGP; what is wrong, "" nothing)."""
        if not tag.signature:
            return "", "the tag is not signed"
        if "SSH SIGNATURE" not in tag.signature:
            return self._gpg(tag)
        key = f"{tag.id}:{self.key}"
        remembered = self._results.get(key)
        if isinstance(remembered, list) and [type(r) for r in remembered] == [str, str]:
            return remembered[0], remembered[1]
        ok, output = self.repository.verify_tag(tag.id, self.allowed)
        result = self._ssh(ok, output)
        if result is None:  # not an answer about the tag (no ssh-keygen…): not remembered
            return "", f"cannot be verified: {_first_line(output)}"
        self._results[key] = list(result)
        self._new = True
        return result

    def save(self) -> None:
        """Remember what was verified, for the allowed list as it is now only."""
        if self._new:
            mine = {k: v for k, v in self._results.items() if k.endswith(f":{self.key}")}
            write_json(self._cache_file, {"version": _CACHE_VERSION, "results": mine})
            self._new = False

    def _ssh(self, ok: bool, output: str) -> tuple[str, str] | None:
        good = _GOOD_SSH.search(output)
        if ok and good:
            return good[1], ""
        unlisted = _UNLISTED_SSH.search(output)
        if unlisted and "key has expired" in output:
            return "", f"the key {unlisted[1]} was not valid when the tag says it signed"
        if unlisted:
            where = ALLOWED_SIGNERS if self.listed else f"{ALLOWED_SIGNERS} (none is committed)"
            return "", f"the key {unlisted[1]} is not in {where}"
        if "incorrect signature" in output:
            return "", "bad signature: the tag is not what was signed"
        return None

    def _gpg(self, tag: _Tag) -> tuple[str, str]:
        """An OpenPGP or X.509 signature, as this machine's keyring judges it: the allowed
        list is for SSH keys. Its owner is the name of the key's user id; an OpenPGP key must
        be trusted (a key anyone made with that name is not)."""
        ok, output = self.repository.verify_tag(tag.id, self.allowed)
        good = _GOOD_GPG.search(output)
        bad = _BAD_GPG.search(output)
        if bad:
            return "", _GPG_PROBLEMS[bad[1]]
        if not ok or not good:
            return "", f"cannot be verified: {_first_line(output)}"
        owner = principal(good[1].partition(" <")[0])
        if "PGP SIGNATURE" in tag.signature and not _TRUSTED_GPG.search(output):
            return owner, "the key is not trusted on this machine (gpg --edit-key KEY trust)"
        return owner, ""


def _first_line(output: str) -> str:
    return clean(output.strip().partition("\n")[0]) or "no reason given"
