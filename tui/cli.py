"""The `minutes` command line.

Commands that only read the archive import neither Textual nor git, so `minutes next` answers
in about the time Python takes to start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import ranges
from .archive import Archive, ArchiveError, Upcoming
from .labels import days_away, short_date, weekday
from .problems import FormatError, Problem
from .terminal import clean

if TYPE_CHECKING:  # types only: the commands import what they use when they run
    from .merge import Choice
    from .resolution import Disagreements


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(_command_in(argv)).parse_args(argv)
    try:
        if args.command in (_init, _merge_file):  # neither works on an archive found from here
            return args.command(args)
        return args.command(Archive.find(args.repo), args)
    except ArchiveError as error:
        return _fail(str(error), 2)
    except FormatError as error:
        for problem in error.problems:
            _err(_shown(problem))
        return 1
    except BrokenPipeError:
        # The reader (head, less) went away: not an error worth a message.
        sys.stderr.close()
        return 0
    except OSError as error:
        return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        # Imported only now: the read-only commands never load the git layer.
        from .repository import RepositoryError

        if isinstance(error, RepositoryError):
            return _fail(str(error), 2)
        raise


def _columns() -> int:
    """The terminal's width as shutil finds it, without importing shutil (and with it zlib,
    bz2 and lzma): argparse makes a help formatter for every argument it is given, and
    `minutes next` should cost little more than starting Python."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size((sys.__stdout__ or sys.stdout).fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


class _Help(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


class _RawHelp(_Help, argparse.RawDescriptionHelpFormatter):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `command`, only that command's parser is built (each costs
    argparse a good part of what `minutes next` takes)."""
    parser = _Parser(
        prog="minutes", description="Meeting minutes kept as TOML files in a git repository."
    )
    parser.add_argument(
        "--repo", type=Path, metavar="PATH", help="the archive (default: found from here up)"
    )
    # `prog` given, argparse need not build a help formatter to find it.
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", prog="minutes", parser_class=_Parser
    )
    parser.set_defaults(command=_app)
    parser.add_argument(
        "--today", type=_date, metavar="DATE", help=argparse.SUPPRESS, dest="app_today"
    )
    for name, add in _COMMANDS.items():
        if command in (None, name):
            add(commands)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command argv names, found as argparse finds it: the first word that is neither an
    option nor an option's value; None when there is none or it is no command."""
    value_next = False
    for word in argv:
        if value_next or word.startswith("-"):
            value_next = word in ("--repo", "--today")
            continue
        return word if word in _COMMANDS else None
    return None


def _add_next(commands) -> None:
    next_ = commands.add_parser("next", help="when and where the next meeting is")
    next_.add_argument("--today", type=_date, metavar="DATE", help="count from DATE, not today")
    next_.add_argument("--json", action="store_true", help="print JSON")
    next_.set_defaults(command=_next)


def _add_list(commands) -> None:
    list_ = commands.add_parser("list", help="every meeting, newest first, by body")
    list_.add_argument("--json", action="store_true", help="print JSON")
    list_.set_defaults(command=_list)


def _add_show(commands) -> None:
    show = commands.add_parser("show", help="one meeting, laid out as its minutes")
    show.add_argument("meeting", metavar="MEETING", help="a date, a path, or latest")
    show.add_argument("--format", choices=("text", "markdown"), default="text")
    show.set_defaults(command=_show)


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export", help="one meeting as a document: PDF (archival), HTML, Markdown or text"
    )
    export.add_argument("meeting", metavar="MEETING", help="a date, a path, or latest")
    export.add_argument(
        "--format",
        choices=("pdf", "html", "markdown", "text"),
        help="default: from FILE's suffix, else pdf",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    export.set_defaults(command=_export)


def _add_publish(commands) -> None:
    publish = commands.add_parser(
        "publish",
        help="write the archive as a static web site: pages, PDFs, notices and a calendar",
    )
    publish.add_argument("folder", type=Path, metavar="DIR", help="where the site goes")
    publish.add_argument(
        "--base-url", metavar="URL", help="the site's address, for links from the calendar"
    )
    publish.add_argument("--today", type=_date, metavar="DATE", help=argparse.SUPPRESS)
    publish.set_defaults(command=_publish)


def _add_calendar(commands) -> None:
    calendar = commands.add_parser(
        "calendar",
        help="every meeting, planned or decided, as an iCalendar file (RFC 5545)",
        description="Every meeting file and every next meeting decided in the minutes, as an "
        "iCalendar file to import or subscribe to. See docs/publishing.md.",
    )
    calendar.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write FILE (default: standard output)"
    )
    calendar.add_argument(
        "--base-url",
        metavar="URL",
        help="where the pages are published: each meeting links to URL/FOLDER/DATE.html",
    )
    calendar.set_defaults(command=_calendar)


def _add_check(commands) -> None:
    check = commands.add_parser(
        "check", help="validate every file; exit 1 on errors (usable as a pre-commit hook)"
    )
    check.add_argument(
        "--today", type=_date, metavar="DATE", help="judge deadlines as of DATE, not today"
    )
    check.set_defaults(command=_check)


def _add_log(commands) -> None:
    log = commands.add_parser("log", help="the history of a meeting, or of all, as changes")
    log.add_argument("meeting", nargs="?", metavar="MEETING", help="a date, a path, or latest")
    log.add_argument("--decisions", action="store_true", help="only changed decisions")
    log.add_argument("-n", type=_count, metavar="N", help="at most N versions")
    log.set_defaults(command=_log)


def _add_search(commands) -> None:
    search = commands.add_parser(
        "search",
        help="find words, phrases and people in every meeting",
        formatter_class=_RawHelp,
        description=_SEARCH,
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="what to find (see above)")
    search.add_argument("-n", type=_count, metavar="N", help=f"at most N places (default {_LIMIT})")
    search.add_argument("--json", action="store_true", help="print JSON (see above)")
    search.set_defaults(command=_search)


def _add_diff(commands) -> None:
    diff = commands.add_parser("diff", help="what changed in a meeting, as changes")
    diff.add_argument("meeting", metavar="MEETING")
    diff.add_argument(
        "revisions",
        nargs="*",
        metavar="REV",
        help="none: the file against HEAD; one: REV "
        "against the file; two: the first against the second",
    )
    diff.set_defaults(command=_diff)


def _add_set(commands) -> None:
    set_ = commands.add_parser(
        "set",
        help="set one field and commit it",
        description=_FIELDS,
        formatter_class=_RawHelp,
    )
    set_.add_argument("meeting", metavar="MEETING")
    set_.add_argument("field", metavar="FIELD", help="e.g. §11.decision, place, Per Norin.remote")
    set_.add_argument("value", metavar="VALUE")
    set_.add_argument("--author", metavar="'NAME <EMAIL>'", help="the commit's author")
    set_.set_defaults(command=_set)


def _add_undo(commands) -> None:
    undo = commands.add_parser("undo", help="revert the latest save as a new commit")
    undo.add_argument("--author", metavar="'NAME <EMAIL>'", help="the commit's author")
    undo.set_defaults(command=_undo)


def _add_sign(commands) -> None:
    sign = commands.add_parser(
        "sign",
        help="sign (justera) a protocol's committed version with your git signing key",
        description="Sign the committed version of a protocol as its chair, a justerare or "
        "its secretary: a signed git tag, made with your own key (git config user.signingkey). "
        "SSH keys must be in the archive's committed allowed_signers. See docs/justering.md.",
    )
    sign.add_argument("meeting", metavar="MEETING", help="a date, a path, or latest")
    sign.add_argument(
        "--as", dest="signer", required=True, metavar="NAME", help="who signs, named as in the file"
    )
    sign.add_argument(
        "--item",
        type=_count,
        metavar="N",
        help="sign §N alone (omedelbar justering: the § has adjusted_immediately = true)",
    )
    sign.set_defaults(command=_sign)


def _add_verify(commands) -> None:
    verify = commands.add_parser(
        "verify",
        help="are the protocols justerat: signatures, who is missing, changes since; exit 1 if not",
    )
    verify.add_argument(
        "meeting", nargs="?", metavar="MEETING", help="one meeting (default: every protocol)"
    )
    verify.set_defaults(command=_verify)


def _add_due(commands) -> None:
    due = commands.add_parser(
        "due",
        help="protocols to justera, notices to post or take down, with their deadlines",
    )
    due.add_argument("--today", type=_date, metavar="DATE", help="count from DATE, not today")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(command=_due)


def _add_announce(commands) -> None:
    announce = commands.add_parser(
        "announce",
        help="record the notice of justering (anslag) of a justerat protocol, and commit it",
    )
    announce.add_argument("meeting", metavar="MEETING", help="a date, a path, or latest")
    announce.add_argument("--on", type=_date, metavar="DATE", help="the day posted (today)")
    announce.add_argument(
        "--storage", metavar="PLACE", help="where the protocol is kept (the body's storage)"
    )
    announce.add_argument(
        "--certified-by", metavar="NAME", help="who certifies the notice (the secretary)"
    )
    announce.add_argument("--author", metavar="'NAME <EMAIL>'", help="the commit's author")
    announce.set_defaults(command=_announce)


def _add_appeal(commands) -> None:
    appeal = commands.add_parser(
        "appeal", help="record an appeal (överklagande) against §§ of a protocol, and commit it"
    )
    appeal.add_argument("meeting", metavar="MEETING", help="a date, a path, or latest")
    appeal.add_argument("items", metavar="§§", help="the §§ appealed, e.g. 132 or 130-132")
    appeal.add_argument("--on", type=_date, metavar="DATE", help="the day lodged (today)")
    appeal.add_argument("--by", default="", metavar="NAME", help="who appealed")
    appeal.add_argument("--author", metavar="'NAME <EMAIL>'", help="the commit's author")
    appeal.set_defaults(command=_appeal)


def _add_init(commands) -> None:
    init = commands.add_parser("init", help="create an archive: a git repository with meetings/")
    init.add_argument("path", nargs="?", type=Path, default=Path(), metavar="PATH")
    init.add_argument("--body", metavar="NAME", help="also create a body of this name")
    init.set_defaults(command=_init)


def _add_merge_file(commands) -> None:
    merge = commands.add_parser(
        "merge-file",
        help="merge two versions of a meeting by meaning: git's merge driver",
        description="Merge what OURS and THEIRS each changed from BASE, by meaning: §§ by "
        "number and title, people by name, texts by words. The merged meeting is written to "
        "OURS; where both changed the same thing differently it keeps ours, records the "
        "conflict in .git/minutes/conflicts/ and exits 1. Set it up with "
        "`git config merge.minutes.driver 'minutes merge-file %%O %%A %%B %%P'` and the line "
        "`meetings/**/*.toml merge=minutes` in .gitattributes.",
    )
    merge.add_argument("base", type=Path, metavar="BASE", help="the common version (%%O)")
    merge.add_argument("ours", type=Path, metavar="OURS", help="our version, merged into (%%A)")
    merge.add_argument("theirs", type=Path, metavar="THEIRS", help="their version (%%B)")
    merge.add_argument("path", metavar="PATH", help="the file's path in the repository (%%P)")
    merge.set_defaults(command=_merge_file)


def _add_sync(commands) -> None:
    sync = commands.add_parser(
        "sync",
        help="fetch, put this clone's commits on top of the remote's, push",
        description="Fetch from REMOTE, bring this clone's commits on top of its branch (a "
        "rebase; a merge where git config says pull.rebase=false), push. Meetings edited on "
        "both sides merge by meaning (minutes is registered as git's merge driver). Nothing "
        "asks for a password. Where anything fails the repository is left as it was, and one "
        "line says why.",
    )
    sync.add_argument(
        "remote", nargs="?", metavar="REMOTE", help="the branch's remote, else the only one"
    )
    sync.add_argument("--author", metavar="'NAME <EMAIL>'", help="who commits the merge")
    sync.set_defaults(command=_sync)


def _add_resolve(commands) -> None:
    resolve = commands.add_parser(
        "resolve",
        help="settle what this clone and the remote changed differently, then merge",
        description="Without CHOICE: show each field this clone and the remote's branch (as "
        "last synced) changed differently, with base, here and there, and exit 1. With a "
        "CHOICE for each: merge the remote's branch, those fields as chosen, in one commit "
        "(then `minutes sync` sends it). Also settles the meetings a `git merge` or `git "
        "rebase` stopped on, and lets git go on. To write a text of your own, choose a side, "
        "then `minutes set` it.",
    )
    resolve.add_argument(
        "choices",
        nargs="*",
        metavar="CHOICE",
        help="FIELD=here or FIELD=there (`§11.decision=there`); MEETING:FIELD=… where two "
        "meetings have the field; all=here or all=there for every conflict",
    )
    resolve.add_argument(
        "--remote", metavar="REMOTE", help="the branch's remote, else the only one"
    )
    resolve.add_argument("--author", metavar="'NAME <EMAIL>'", help="who commits the merge")
    resolve.set_defaults(command=_resolve)


_COMMANDS = {
    "next": _add_next,
    "list": _add_list,
    "show": _add_show,
    "export": _add_export,
    "publish": _add_publish,
    "calendar": _add_calendar,
    "check": _add_check,
    "log": _add_log,
    "diff": _add_diff,
    "search": _add_search,
    "set": _add_set,
    "undo": _add_undo,
    "sign": _add_sign,
    "verify": _add_verify,
    "due": _add_due,
    "announce": _add_announce,
    "appeal": _add_appeal,
    "init": _add_init,
    "merge-file": _add_merge_file,
    "sync": _add_sync,
    "resolve": _add_resolve,
}


_FIELDS = """\
FIELD is `FIELD` for the meeting (kind, start, end, place, language, cancelled, appeals),
`§N.FIELD` for an
item (title, cases, summary, proposal_heading, proposal, decision, conflicts, documents,
adjusted_immediately), `NAME.FIELD` for an attendee (party, organisation, role, remote, present,
replaces, present_from, present_until), `next_meeting.FIELD` (date, time, note),
`signatures.FIELD` (secretary, chairs, adjusters, adjustment_place, adjustment_date,
adjustment_time, adjusted_items) or `notice.FIELD` (posted, taken_down, storage, certified_by).
VALUE is typed as a person writes it: 09:00, 2024-09-13, yes/no, 9-12, one list entry a line;
present_from/present_until a time or a § (10:15, §12); chairs one a line, `Name` or
`Name §130-131`; appeals one a line, `§132 2024-12-01 Name`. An empty next_meeting.date or
notice.posted removes the next meeting or the notice. Each set is one commit."""


_LIMIT = 100
_SEARCH = """\
Every place of every meeting holding all the words, a § field or an attendee's line, ranked
by where they stand (titles first, then decisions, proposals, motions, votes … summaries,
documents, attendees' lines last), then the newest meeting first.
Words match in any case, å, ä and ö as letters of their own; `kompetens*` matches words that
begin so, "two words" a phrase. Filters narrow it:
  body:NAME               a body whose name or folder holds NAME
  year:2023  year:2023..  year:2021..2023  date:2024-04  date:2024-01-01..2024-06-30
  field:decision          title, summary, proposal, decision, documents, votes, cases, motions,
                          reservations, notes, opinions, conflicts, people (an attendee's line);
                          the start of one will do (field:dec); field:a,b for either
  person:"Per Norin"      meetings the person attended; alone, their lines of attendance
For example:
  LIA field:decision year:2023..     every decision about LIA since 2023
  person:"Per Norin"                 where Per Norin was serving
  "Campus Västervik" field:decision  what was decided about Campus Västervik
  field:votes                        which §§ had a vote
With --json: {"total": places in all (null: more than shown, not counted), "indexed": false
when the files were scanned, "results": [{"date", "body", "meeting", "item" (the §, null for
an attendee), "field", "snippet", "marks": [[start, end], …]}]}; marks are the character
offsets in snippet of the words found, end not included.
The search index is kept in the repository's .git/minutes/ and brought up to date first; where
it cannot be written the files are scanned (slower)."""


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count such as 10")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2024-09-13") from None


# --- next ----------------------------------------------------------------------------------


def _next(archive: Archive, args: argparse.Namespace) -> int:
    today = args.today or dt.date.today()
    ahead, last = archive.upcoming(today)
    if args.json:
        import json

        _print(
            json.dumps(
                {
                    "next": ahead and _upcoming_json(archive, ahead, today),
                    "last_known": last and _upcoming_json(archive, last, today),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif ahead:
        when, days = short_date(ahead.date, ahead.time), days_away(ahead.days_from(today))
        _print(f"{when} — {ahead.body}{_note(ahead)}, {days}")
    elif last:
        _print(
            f"No meeting ahead. The last known was {short_date(last.date, last.time)} — {last.body}"
            f", {days_away(last.days_from(today))}."
        )
    else:
        _print("No meeting ahead, and the archive has no meetings yet.")
    return 0


def _note(upcoming: Upcoming) -> str:
    return f" ({' '.join(upcoming.note.split())})" if upcoming.note else ""


def _upcoming_json(archive: Archive, upcoming: Upcoming, today: dt.date) -> dict:
    return {
        "date": upcoming.date.isoformat(),
        "time": upcoming.time and f"{upcoming.time:%H:%M}",
        "weekday": weekday(upcoming.date),
        "body": upcoming.body,
        "note": upcoming.note,
        "days": upcoming.days_from(today),
        "source": str(archive.relative(upcoming.source)),
    }


# --- list ----------------------------------------------------------------------------------


def _list(archive: Archive, args: argparse.Namespace) -> int:
    summaries = archive.summaries()
    if args.json:
        import json

        rows = [
            {
                "body": archive.body_name(s.entry.folder),
                "folder": s.entry.folder,
                "date": s.entry.date.isoformat(),
                "path": str(archive.relative(s.entry.path)),
                "kind": s.header and s.header.kind,
                "start": s.header and s.header.start and f"{s.header.start:%H:%M}",
                "cancelled": s.header and s.header.cancelled,
                "place": s.header and s.header.place,
                "items": s.header and list(s.header.numbers),
                "problem": s.problem and str(_relative(s.problem.problems[0])),
            }
            for s in reversed(summaries)
        ]
        _print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    today = dt.date.today()
    fit = _fitter()
    for folder in archive.folders():
        mine = [s for s in reversed(summaries) if s.entry.folder == folder]
        _print(fit(f"{archive.body_name(folder)}  ({archive.relative(archive.meetings / folder)})"))
        for s in mine:
            day = weekday(s.entry.date)
            if s.problem:
                first = _relative(s.problem.problems[0])
                _print(fit(f"  {s.entry.date} {day}  BROKEN  {first}"))
                continue
            header = s.header
            assert header is not None  # a summary has its header or its problem
            numbers = ranges.span(header.numbers) if header.numbers else ""
            state = (
                "cancelled"
                if header.cancelled
                else "planned"
                if s.entry.date >= today
                else header.kind
            )
            _print(fit(f"  {s.entry.date} {day}  {state:<18} {numbers:<8} {header.place}".rstrip()))
        if not mine:
            _print("  (no meetings yet)")
    return 0


def _fitter():
    """Cut lines to a terminal's width (a list is for scanning); piped output stays whole."""
    if not sys.stdout.isatty():
        return lambda line: line
    import shutil

    width = shutil.get_terminal_size().columns
    return lambda line: line if len(line) <= width else line[: width - 1] + "…"


# --- show ----------------------------------------------------------------------------------


def _show(archive: Archive, args: argparse.Namespace) -> int:
    from . import render

    entry = archive.resolve(args.meeting)
    meeting, warnings = archive.load(entry)
    for warning in warnings:
        _err(_shown(warning))
    layout = render.blocks(meeting, archive.body_name(entry.folder))
    if args.format == "markdown":
        _print(render.as_markdown(layout), end="")
    else:
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
        _print(render.as_text(layout, min(width, 100)), end="")
    return 0


# --- export and publish --------------------------------------------------------------------


def _export(archive: Archive, args: argparse.Namespace) -> int:
    from .export import export, export_to, format_of

    form = args.format or format_of(args.output)
    if form == "pdf" and args.output is None and sys.stdout.isatty():
        return _fail("a PDF is not for the terminal: give -o FILE, or pipe it", 2)
    entry = archive.resolve(args.meeting)
    if args.output is not None:
        _err(f"wrote {export_to(archive, entry, args.output, form)}")
        return 0
    document = export(archive, entry, form)
    if form == "pdf":
        sys.stdout.flush()
        sys.stdout.buffer.write(document)
    else:
        _print(document.decode(), end="")  # as `show` prints: control characters shown
    return 0


def _publish(archive: Archive, args: argparse.Namespace) -> int:
    from .publish import publish

    try:
        site = publish(archive, args.folder, args.today or dt.date.today(), args.base_url)
    except ValueError as error:
        return _fail(str(error), 2)
    _print(
        f"published {_counted(site.meetings, 'meeting')} to {args.folder}: "
        f"{_counted(site.written, 'file')} written, {site.unchanged} unchanged, "
        f"{site.removed} removed"
    )
    return 0


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}" + ("" if count == 1 else "s")


# --- calendar ------------------------------------------------------------------------------


def _calendar(archive: Archive, args: argparse.Namespace) -> int:
    from .calendar_feed import feed
    from .format.writing import write_atomic

    try:
        made = feed(archive, args.base_url)
    except ValueError as error:
        return _fail(str(error), 2)
    for summary in made.left_out:
        assert summary.problem is not None  # left out because it has one
        _err(f"minutes: warning: {_shown(summary.problem.problems[0])}: left out of the calendar")
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(made.data)  # bytes as written: CRLF line ends, UTF-8
        sys.stdout.flush()
    else:
        try:
            write_atomic(args.output, made.data)
        except OSError as error:
            return _fail(f"{args.output}: cannot be written: {error.strerror or error}", 1)
        _err(f"wrote {args.output}")
    return 0


# --- check ---------------------------------------------------------------------------------


def _check(archive: Archive, args: argparse.Namespace) -> int:
    from .lifecycle import Protocols

    today = args.today or dt.date.today()
    problems = archive.check() + Protocols(archive).problems(today)
    for problem in sorted(problems, key=lambda p: (p.warning, str(p.path), p.line or 0)):
        _print(_shown(problem))
    conflicts = _print_merge_conflicts(archive)
    warnings = sum(p.warning for p in problems)
    errors = len(problems) - warnings + conflicts
    files = len(archive.entries())
    if errors or warnings:
        _err(f"{errors} error(s), {warnings} warning(s) in {files} meeting file(s)")
    return 1 if errors else 0


def _print_merge_conflicts(archive: Archive) -> int:
    """The conflicts of a merge or rebase git stopped in, each with its three values; how
    many. Asks git only where the merge driver left a record."""
    from .merge_records import may_have_conflicts

    if not may_have_conflicts(archive.root.resolve()):
        return 0
    from .repository import RepositoryError, repository_for
    from .resolution import disagreements

    repository = repository_for(archive.root)
    try:
        if not repository.unmerged():
            return 0
        return _print_disagreements(disagreements(repository))
    except RepositoryError as error:
        _err(str(error))
        return 1


def _print_disagreements(found: Disagreements) -> int:
    """Each conflict with base, here and there; how many."""
    if found.meetings:
        _print(f"here: this clone; there: {found.there}")
    for meeting in found.meetings:
        for conflict in meeting.conflicts:
            _print(f"{meeting.path}: {conflict.field}: {conflict.why}")
            for side, value in zip(
                ("base", "here", "there"),
                (conflict.base, conflict.ours, conflict.theirs),
                strict=True,
            ):
                _print(f"  {side:<6} " + value.replace("\n", "\n         "))
    return sum(len(m.conflicts) for m in found.meetings)


# --- history -------------------------------------------------------------------------------


def _log(archive: Archive, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .history import History
    from .report import version_lines

    history = History(_repository(archive))
    if args.meeting:
        entry = archive.resolve(args.meeting)
        _print_marked(_justering_of(archive, entry))
        versions = history.of(entry.path)
        if args.decisions:
            versions = [replace(v, changes=v.decisions) for v in versions if v.decisions]
        versions = versions[: args.n] if args.n else versions
    elif args.decisions:
        versions = history.decision_log(archive.meetings, args.n)
    else:
        versions = history.everything(archive.meetings, args.n)
    colour = _colour()
    for version in versions:
        _print_marked(version_lines(version, colour))
    return 0


def _justering_of(archive: Archive, entry) -> list[str]:
    """A signed protocol's justering, and what changed since the version justerat: the history
    below shows each commit's own changes, not what they add up to since."""
    from .lifecycle import Protocols

    try:
        meeting, _ = archive.load(entry)
    except FormatError:
        return []
    state = Protocols(archive).state(entry, meeting, dt.date.today())
    if state is None or state.justering is None:
        return []
    return _justering_lines(state.justering, meeting, _colour())[0]


def _diff(archive: Archive, args: argparse.Namespace) -> int:
    from .format.reading import read_file
    from .history import History
    from .report import change_lines

    if len(args.revisions) > 2:
        return _fail("give at most two revisions", 2)
    repository = _repository(archive)
    path = archive.resolve(args.meeting).path
    revisions = args.revisions or ["HEAD"]
    old = _version_at(repository, revisions[0], path)
    new = (
        _version_at(repository, revisions[1], path)
        if revisions[1:]
        else read_file(path, archive.root)
    )
    name = archive.relative(path)
    names = (
        f"{name} at {revisions[0]}",
        f"{name} at {revisions[1]}" if revisions[1:] else str(name),
    )
    changes = History(repository).diff(old, new, names)
    colour = _colour()
    for change in changes:
        _print_marked(change_lines(change, colour))
    if not changes:
        _print("no changes")
    return 0


def _search(archive: Archive, args: argparse.Namespace) -> int:
    from .search_index import search
    from .search_query import QueryError, parse

    try:
        query = parse(" ".join(args.query))
    except QueryError as error:
        return _fail(str(error), 2)
    if not query:
        return _fail('nothing to search for: give words, a "phrase" or person:NAME', 2)
    limit = args.n or _LIMIT
    results = search(archive, query, _git_dir(archive), limit, _progress())
    if not results.indexed:
        _err("minutes: no search index here (no .git, or it cannot be written): files scanned")
    if args.json:
        import json

        rows = [
            {
                "date": entry.date.isoformat(),
                "body": archive.body_name(entry.folder),
                "meeting": entry.key,
                "item": hit.number,
                "field": hit.field,
                "snippet": hit.snippet,
                "marks": [list(mark) for mark in hit.marks],
            }
            for entry, hit in results.found
        ]
        answer = {"total": results.total, "indexed": results.indexed, "results": rows}
        _print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    colour = _colour()
    for entry, hit in results.found:
        where = f"§{hit.number} {hit.field}" if hit.number is not None else hit.field
        head = clean(f"{entry.date}  {entry.folder}  {where}  ")
        _print_marked([head + _marked(hit.snippet, hit.marks, colour)])
    shown = len(results.found)
    if not shown:
        _print("nothing found")
    elif results.total is None or results.total > shown:
        more = "more" if results.total is None else f"{results.total - shown:,} more"
        _print(f"… and {more}: -n {limit * 10} shows more")
    return 0


def _marked(snippet: str, marks: tuple[tuple[int, int], ...], colour: bool) -> str:
    """The snippet (already clean) with its marks bold and reversed in a terminal."""
    if not colour:
        return snippet
    text, at = "", 0
    for start, end in marks:
        text += f"{snippet[at:start]}\x1b[1;7m{snippet[start:end]}\x1b[0m"
        at = end
    return text + snippet[at:]


def _git_dir(archive: Archive) -> Path | None:
    from .repository import RepositoryError

    try:
        return _repository(archive).git_dir
    except RepositoryError:
        return None


def _progress():
    """Tells how far a long indexing has come, on a terminal, once it takes a moment."""
    import time

    started = time.monotonic()
    if not sys.stderr.isatty():
        return None

    def told(done: int, of: int) -> None:
        if time.monotonic() - started > 1:
            end = "\n" if done == of else ""
            sys.stderr.write(f"\rIndexing… {done:,} of {of:,} meetings{end}")
            sys.stderr.flush()

    return told


def _version_at(repository, rev: str, path: Path) -> bytes | None:
    from .repository import RepositoryError

    if not repository.is_commit(rev):
        raise RepositoryError(f"{rev!r} is not a commit in {repository.top}")
    return repository.blob_at(rev, path)


def _set(archive: Archive, args: argparse.Namespace) -> int:
    from .field_paths import set_field
    from .format.files import parse_meeting
    from .format.reading import read_text
    from .saving import save_meeting

    archive.refuse_writing_to_fallback()
    repository = _repository(archive)
    path = archive.resolve(args.meeting).path
    with repository.saving():  # read, change and commit as one: no other save in between
        text, _ = read_text(path, archive.root)
        meeting, _ = parse_meeting(text, path)
        try:
            set_field(meeting, args.field, args.value)
        except ValueError as error:
            return _fail(str(error), 2)
        saved = save_meeting(repository, path, meeting, text, args.author)
    _committed(repository, saved)
    return 0


def _undo(archive: Archive, args: argparse.Namespace) -> int:
    from .saving import undo_last

    archive.refuse_writing_to_fallback()
    repository = _repository(archive)
    _committed(repository, undo_last(repository, args.author))
    return 0


# --- justering ----------------------------------------------------------------------------


def _sign(archive: Archive, args: argparse.Namespace) -> int:
    from .justering import SignatureTags, sign

    archive.refuse_writing_to_fallback()
    repository = _repository(archive)
    entry = archive.resolve(args.meeting)
    meeting, _ = archive.load(entry)
    signature = sign(repository, entry.path, meeting, args.signer, args.item)
    what = f"§{args.item} of " if args.item else ""
    role = _role(meeting, signature.signer, signature.role)
    _print(f"signed {what}{archive.relative(entry.path)} as {signature.signer}, {role}")
    _print(f"tag {signature.tag} in {repository.top}")
    justering = SignatureTags(repository).status(entry.path, meeting)
    _print_marked(_justering_lines(justering, meeting, _colour())[0])
    return 0 if signature.counts else 1


def _verify(archive: Archive, args: argparse.Namespace) -> int:
    from .justering import SignatureTags

    repository = _repository(archive)
    tags = SignatureTags(repository)
    if args.meeting:
        entries = [archive.resolve(args.meeting)]
    else:
        entries = [
            s.entry
            for s in archive.summaries()
            if s.problem or (s.header and s.header.kind == "protokoll")
        ]
    failed = False
    for entry in entries:
        name = archive.relative(entry.path)
        try:
            meeting, _ = archive.load(entry)
        except FormatError as error:
            _print(f"{name}: cannot be read: {_shown(error.problems[0])}")
            failed = True
            continue
        if meeting.kind != "protokoll":
            _print(f"{name}: {meeting.kind}, not a protocol: nothing to justera")
            continue
        if meeting.date > dt.date.today():
            _print(f"{name}: planned, not held yet")
            continue
        lines, ok = _justering_lines(tags.status(entry.path, meeting), meeting, _colour())
        _print_marked(lines)
        failed = failed or not ok
    return 1 if failed else 0


def _due(archive: Archive, args: argparse.Namespace) -> int:
    from .lifecycle import Protocols

    today = args.today or dt.date.today()
    rows = Protocols(archive).due(today)
    unreadable = _unreadable_protocols(archive)
    if args.json:
        import json

        found = [
            {
                "body": row.body,
                "meeting": row.key,
                "step": str(row.stage.step),
                "due": row.stage.due and row.stage.due.isoformat(),
                "days_left": row.stage.days_left,
                "text": row.stage.text(row.language),
            }
            for row in rows
        ]
        answer = {"today": today.isoformat(), "due": found, "unreadable": unreadable}
        _print(json.dumps(answer, ensure_ascii=False))
    else:
        if not rows:
            _print("nothing due")
        for row in rows:
            _print(f"{row.key}  {row.body}: {row.stage.text(row.language)}")
    for key in unreadable:
        _err(f"minutes: {key}: cannot be read, so its deadlines are not known (`minutes check`)")
    return 1 if unreadable else 0


def _unreadable_protocols(archive: Archive) -> list[str]:
    """The meeting files that are protocols, or may be (their header does not read), and
    cannot be read: `due` cannot tell what is due on them."""
    kinds = {s.entry: s.header.kind if s.header else "" for s in archive.summaries()}
    return [entry.key for entry in archive.broken() if kinds.get(entry) in ("protokoll", "")]


def _announce(archive: Archive, args: argparse.Namespace) -> int:
    from .lifecycle import announced

    def change(meeting, state):
        storage = args.storage
        if storage is None:
            storage = archive.body(state.entry.folder).storage
        by = args.certified_by if args.certified_by is not None else meeting.signatures.secretary
        return announced(state, args.on or dt.date.today(), storage, by)

    return _record(archive, args, change)


def _appeal(archive: Archive, args: argparse.Namespace) -> int:
    from .lifecycle import appealed

    try:
        items = ranges.parse(args.items)
    except ValueError as error:
        return _fail(str(error), 2)
    return _record(
        archive,
        args,
        lambda _, state: appealed(state, items, args.on or dt.date.today(), args.by),
    )


def _record(archive: Archive, args: argparse.Namespace, change) -> int:
    """Read a protocol, record something on it (`change` of the meeting and its state), commit:
    as one, under the save lock, as `minutes set` does. Then where the protocol stands, and
    any deadline the record shows missed (a notice posted late, an appeal out of time)."""
    from .deadlines import missed, stage
    from .format.files import parse_meeting
    from .format.reading import read_text
    from .lifecycle import Protocols
    from .saving import save_meeting

    today = dt.date.today()
    if args.on and args.on > today:
        return _fail(f"--on {args.on} is after today: record it once it has happened", 2)
    archive.refuse_writing_to_fallback()
    repository = _repository(archive)
    entry = archive.resolve(args.meeting)
    with repository.saving():
        text, _ = read_text(entry.path, archive.root)
        meeting, _ = parse_meeting(text, entry.path)
        if meeting.kind != "protokoll":
            return _fail(f"{entry.key} is {meeting.kind}, not a protocol", 2)
        state = Protocols(archive).state(entry, meeting, args.on or today)
        assert state is not None  # a protocol has a state
        try:
            changed = change(meeting, state)
        except ValueError as error:
            return _fail(f"{entry.key}: {error}", 2)
        saved = save_meeting(repository, entry.path, changed, text, args.author)
    _committed(repository, saved)
    known = {p.message for p in missed(meeting, state.adjusted_on, today)}
    for problem in missed(changed, state.adjusted_on, today):
        if problem.message not in known:
            _err(f"minutes: warning: {problem.message}")
    now = stage(changed, state.adjusted_on, today)
    if now is not None:
        _print(f"{entry.key}: {now.text(changed.language)}")
    return 0


def _justering_lines(justering, meeting, colour: bool) -> tuple[list[str], bool]:
    """A protocol's justering as lines for the terminal, and whether all is well: justerat,
    every signature counted, nothing changed since."""
    from .deadlines import justering_due
    from .report import change_lines

    name = clean(justering.path)
    due = justering_due(meeting.date)
    if justering.justerat:
        lines = [
            f"{name}: justerat {justering.justerat_on:%Y-%m-%d} (version {justering.version[:12]})"
        ]
    else:
        late = ", overdue" if dt.date.today() > due else ""
        lines = [f"{name}: not justerat (due by {due}{late})"]
    lines += [clean(f"  signed under its former name {n}") for n in justering.former_names]
    for s in justering.signatures:
        when = f"{s.date:%Y-%m-%d %H:%M}" if s.date else "undated"
        what = f"§{s.item} " if s.item is not None else ""
        mark = "signed" if s.counts else "NOT COUNTED" if s.bad else "other version"
        line = f"  {mark}  {what}{s.signer}, {_role(meeting, s.signer, s.role)}, {when}"
        if not s.counts:
            line += f": {s.reason}" + (f" [tag {s.tag}]" if s.bad else "")
        lines.append(clean(line))
    if not justering.needed:
        lines.append("  the file names no chair and no justerare (signatures.adjusters)")
    lines += [
        clean(f"  missing  {n.name}, {_role(meeting, n.name, n.role)}") for n in justering.missing
    ]
    if justering.changed:
        where = "committed" if justering.committed_changed else "not committed"
        lines.append(f"  CHANGED since justering ({where}):")
        for change in justering.changes:
            lines += [f"    {line}" for line in change_lines(change, colour)]
    for item in justering.items:
        if item.version is None:
            missing = ", ".join(f"{n.name} ({n.role})" for n in item.missing)
            lines.append(clean(f"  §{item.number} omedelbar justering: missing {missing}"))
        else:
            changed = ": CHANGED since" if item.changed else ""
            lines.append(
                f"  §{item.number} justerat {item.justerat_on:%Y-%m-%d} "
                f"(omedelbar justering){changed}"
            )
    ok = (
        justering.justerat
        and not justering.changed
        and not any(s.bad for s in justering.signatures)
        and not any(item.changed for item in justering.items)
    )
    return [*lines, ""], ok


def _role(meeting, name: str, role: str) -> str:
    """A role as the meeting gives it: a chair of some §§ only (chairs took turns) is said to
    be so, as each signs for the §§ they chaired."""
    from .justering import CHAIR, principal

    if role == CHAIR:
        for chair in meeting.signatures.chairs:
            if chair.items and principal(chair.name) == principal(name):
                return f"{role} of {ranges.display(chair.items)}"
    return role


def _committed(repository, saved) -> None:
    """The commit a write made and where: a user who ran it in the wrong folder sees so."""
    if saved.commit is None:
        _print(f"nothing to save in {repository.top}")
        return
    _print(f"[{saved.commit[:8]}] {saved.subject}\ncommitted to {repository.top}")


def _app(archive: Archive, args: argparse.Namespace) -> int:
    """The keyboard app (no command given)."""
    from .app.app import MinutesApp

    app = MinutesApp(archive, today=args.app_today)
    app.run(mouse=False)
    return app.return_code or 0  # 1 when it stopped on an error (Textual shows which)


def _init(args: argparse.Namespace) -> int:
    from .archive import create_archive
    from .justering import create_allowed_signers
    from .repository import RepositoryError, ensure_repository, repository_for
    from .sync import ATTRIBUTES_FILE, register_merge_driver

    root = Path(os.path.realpath(args.repo or args.path))
    root.mkdir(parents=True, exist_ok=True)
    made = ensure_repository(root)  # first: where git refuses, nothing is made
    created = [f"created a git repository in {root}"] if made else []
    repository = repository_for(root)
    for line in created + create_archive(root, args.body) + create_allowed_signers(repository.top):
        _print(line)
    try:
        for line in register_merge_driver(repository):
            _print(line)
    except RepositoryError as error:  # the archive is made: only git's merges would miss minutes
        _err(f"minutes: warning: {ATTRIBUTES_FILE} not committed: {error}")
    return 0


def _merge_file(args: argparse.Namespace) -> int:
    """git's merge driver: exit 0 when merged cleanly, 1 when not; OURS holds the result,
    always a valid meeting, never conflict markers."""
    from .format.files import dumps_meeting
    from .format.writing import write_atomic
    from .merge import merge_meetings

    try:
        base, ours, theirs = (
            _merge_side(file, args.path, side)
            for file, side in ((args.base, "base"), (args.ours, "ours"), (args.theirs, "theirs"))
        )
    except FormatError as error:  # OURS is left as it is: git shows the file as not merged
        return _fail(f"{_shown(error.problems[0])} (not merged)", 1)
    assert ours is not None and theirs is not None
    merged = merge_meetings(base, ours, theirs)
    write_atomic(args.ours, dumps_meeting(merged.meeting))
    where = _record_conflicts(args.path, merged.conflicts)
    if merged.clean:
        return 0
    fields = ", ".join(conflict.field for conflict in merged.conflicts)
    return _fail(f"{args.path}: both changed {fields}; ours kept{where}", 1)


def _sync(archive: Archive, args: argparse.Namespace) -> int:
    from .sync import sync

    synced = sync(_repository(archive), args.remote, args.author)
    for line in [*synced.registered, synced.describe()]:
        _print(line)
    return 0


def _resolve(archive: Archive, args: argparse.Namespace) -> int:
    from .resolution import disagreements, settle

    repository = _repository(archive)
    found = disagreements(repository, args.remote)
    if not found.meetings:
        _print(f"nothing to settle: no meeting conflicts with {found.there}")
        return 0
    if not args.choices:
        _print_disagreements(found)
        return 1
    try:
        choices = _choices(found, args.choices)
    except ValueError as error:
        return _fail(str(error), 2)
    _print(settle(repository, found, choices, args.author))
    if not found.under_way:
        _print("`minutes sync` sends the merge")
    return 0


def _choices(found: Disagreements, given: list[str]) -> dict[str, dict[str, Choice]]:
    """`[MEETING:]FIELD=here|there` and `all=…` as choices by meeting path and field;
    ValueError for one that names no conflict."""
    sides: dict[str, Choice] = {"here": "ours", "there": "theirs"}
    chosen: dict[str, dict[str, Choice]] = {m.path: {} for m in found.meetings}
    for choice in given:
        spec, _, side = choice.rpartition("=")
        if side not in sides or not spec:
            raise ValueError(f"{choice!r}: a choice is FIELD=here or FIELD=there")
        named, _, field = spec.rpartition(":") if ":" in spec else ("", "", spec)
        hits = 0
        for meeting in found.meetings:
            if named and named not in (meeting.path, Path(meeting.path).stem):
                continue
            for conflict in meeting.conflicts:
                if field in ("all", conflict.field):
                    chosen[meeting.path][conflict.field] = sides[side]
                    hits += 1
        if not hits:
            raise ValueError(f"{choice!r} names no conflict: `minutes resolve` lists them")
    return chosen


def _merge_side(file: Path, path: str, side: str):
    """One side of a merge as a meeting; None for an empty base (the file added on both
    branches). FormatError naming PATH when it is no meeting (git's own conflict markers)."""
    from .format.files import parse_meeting
    from .format.reading import decode_text, read_file

    try:
        data = read_file(file)
        if side == "base" and not data.strip():
            return None
        meeting, _ = parse_meeting(decode_text(data)[0])
    except FormatError as error:
        first = error.problems[0].at(Path(path))
        raise FormatError([first._replace(message=f"{side}: {first.message}")]) from None
    return meeting


def _record_conflicts(path: str, conflicts: list) -> str:
    """Where a merge's conflicts were recorded, as a message says it."""
    from .merge_records import record
    from .repository import RepositoryError

    try:
        file = record(_repository_here(), path, conflicts)
    except RepositoryError as error:
        _err(f"minutes: warning: conflicts not recorded: {error}")
        return ""
    return f"; recorded in {file}" if file else ""


def _repository_here():
    """The repository git runs its merge driver in: the current folder."""
    from .repository import repository_for

    return repository_for(Path.cwd())


def _repository(archive: Archive):
    from .repository import repository_for

    return repository_for(archive.root)


def _colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


# --- output --------------------------------------------------------------------------------


def _relative(problem: Problem) -> Problem:
    """The problem with its path as the user would type it from here."""
    if problem.path is None:
        return problem
    try:
        return problem.at(Path(os.path.relpath(problem.path)))
    except ValueError:
        return problem


def _shown(problem: Problem) -> str:
    return clean(str(_relative(problem)))


def _print(text: str, end: str = "\n") -> None:
    sys.stdout.write(clean(text) + end)


def _print_marked(lines: list[str]) -> None:
    """Lines whose text from files is already clean and whose only escapes are our colours."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def _err(text: str) -> None:
    sys.stderr.write(clean(text) + "\n")


def _fail(message: str, code: int) -> int:
    _err(f"minutes: {message}")
    return code
