"""Speed ratios against baselines measured in the same run: a noisy machine slows both sides.

    python bench/run.py            # all benchmarks
    python bench/run.py next list  # some of them

Prints one line per benchmark: our median, the baseline's median, their ratio and the aim.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import merging, publishing, searching  # noqa: E402
from bench.big_meeting import MEETING as BIG_MEETING  # noqa: E402
from bench.big_meeting import build as build_big  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.history_repo import MEETING  # noqa: E402
from bench.history_repo import build as build_history  # noqa: E402

PYTHON = sys.executable
MINUTES = str(Path(sys.executable).parent / "minutes")  # the console script people run


def paired(ours: Callable[[], object], baseline: Callable[[], object], runs: int) -> tuple:
    """Medians of alternating runs, so drift in machine load hits both sides alike."""
    a, b = [], []
    for _ in range(runs):
        for side, fn in ((a, ours), (b, baseline)):
            started = time.perf_counter()
            fn()
            side.append(time.perf_counter() - started)
    return statistics.median(a), statistics.median(b)


def process(*args: str) -> Callable[[], object]:
    return lambda: subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def report(name: str, ours: float, baseline: float, against: str, aim: float | None) -> None:
    ratio = ours / baseline
    verdict = "no aim" if aim is None else f"aim ≤ {aim}x, {'ok' if ratio <= aim else 'OVER'}"
    print(
        f"{name:<34} {ours * 1000:8.1f} ms  vs {against:<24} {baseline * 1000:8.1f} ms"
        f"  = {ratio:5.2f}x  ({verdict})"
    )


def bench_next(archives: dict[int, Path]) -> None:
    ours, baseline = paired(
        process(MINUTES, "--repo", str(archives[1000]), "next"),
        process(PYTHON, "-c", "import tomllib, datetime"),
        runs=41,
    )
    report("minutes next, 1,000 meetings", ours, baseline, "python: import tomllib", 1.5)


def bench_list(archives: dict[int, Path]) -> None:
    from tui.archive import Archive

    for count, root in archives.items():
        archive = Archive(root)
        paths = [entry.path for entry in archive.entries()]
        assert len(paths) == count
        ours, baseline = paired(
            lambda archive=archive: Archive(archive.root).summaries(),
            lambda paths=paths: [p.read_bytes() for p in paths],
            runs=5 if count > 1000 else 11,
        )
        report(f"list of {count:,} meetings", ours, baseline, "reading their bytes", 2.0)
        if count == 1000:
            ours, baseline = paired(
                lambda archive=archive: _without_cache(Archive(archive.root).summaries),
                lambda paths=paths: [p.read_bytes() for p in paths],
                runs=5,
            )
            report("  the same, first run (no cache)", ours, baseline, "reading their bytes", None)


def _without_cache(fn: Callable[[], object]) -> None:
    kept = os.environ["XDG_CACHE_HOME"]
    with tempfile.TemporaryDirectory() as empty:
        os.environ["XDG_CACHE_HOME"] = empty
        fn()
    os.environ["XDG_CACHE_HOME"] = kept


def bench_history(workdir: Path) -> None:
    from tui.history import History
    from tui.repository import Repository

    repo = build_history(workdir / "history", 1000)
    meeting = repo / MEETING
    git_log_p = process("git", "-C", str(repo), "log", "-p", "--", MEETING)
    repository = Repository(repo)
    versions = History(repository).of(meeting)
    assert len(versions) == 500
    ours, baseline = paired(lambda: History(repository).of(meeting), git_log_p, runs=11)
    report("semantic history, 500 versions", ours, baseline, "git log -p -- FILE", 1.5)

    def first_read() -> None:
        (repository.git_dir / "minutes" / "diffs.json").unlink()
        History(Repository(repo)).of(meeting)

    ours, baseline = paired(first_read, git_log_p, runs=3)
    report("  the same, first read", ours, baseline, "git log -p -- FILE", None)
    History(repository).of(meeting)
    ours, baseline = paired(
        process(MINUTES, "--repo", str(repo), "log", "2024-04-26"), git_log_p, runs=11
    )
    report("  `minutes log MEETING` (a process)", ours, baseline, "git log -p -- FILE", None)
    repository.close()


def bench_save(workdir: Path) -> None:
    from tui.format.files import dumps_meeting, load_meeting
    from tui.repository import Repository
    from tui.saving import save_meeting

    repo = build_history(workdir / "save", 20)
    path, note = repo / MEETING, repo / "notes" / "bench.txt"
    meeting, _ = load_meeting(path)
    repository = Repository(repo)
    count = iter(range(10**6))

    def ours() -> None:
        base = dumps_meeting(meeting)
        meeting.item(11).decision = f"Version {next(count)}."
        assert save_meeting(repository, path, meeting, base).commit

    def git_commit() -> None:
        note.write_text(f"{next(count)}\n")
        subprocess.run(["git", "-C", str(repo), "add", "notes"], check=True)
        subprocess.run(
            ["git", "-C", str(repo), "commit", "-q", "-m", "x", "--", "notes"], check=True
        )

    ours_time, baseline = paired(ours, git_commit, runs=21)
    report("save + commit", ours_time, baseline, "git add; git commit -- PATH", 3.0)


def bench_big(workdir: Path) -> None:
    """A meeting of 10,000 §§ (1.4 MB, bench/big_meeting.py) with 5 versions."""
    from tui.diff import diff_meetings
    from tui.format.versions import VersionReader

    repo = build_big(workdir / "big", 10_000, versions=5)
    meeting = repo / BIG_MEETING
    show = ["git", "-C", str(repo), "show"]
    old, new = (
        subprocess.run([*show, f"{rev}:{BIG_MEETING}"], capture_output=True, check=True).stdout
        for rev in ("HEAD~1", "HEAD")
    )

    def semantic_diff() -> None:
        reader = VersionReader()  # as `minutes diff` reads two versions: parts parsed once
        assert len(diff_meetings(reader.read(old), reader.read(new))) == 1

    # Reading both versions is the least a comparison of them can cost.
    ours, baseline = paired(
        semantic_diff, lambda: [tomllib.loads(v.decode()) for v in (old, new)], runs=5
    )
    report("diff of two 10,000-§ versions", ours, baseline, "tomllib: both versions", 2.0)

    def first_log() -> None:
        (repo / ".git" / "minutes" / "diffs.json").unlink(missing_ok=True)
        process(MINUTES, "--repo", str(repo), "log", "2024-04-26")()

    git_log_p = process("git", "-C", str(repo), "log", "-p", "--", BIG_MEETING)
    ours, baseline = paired(first_log, git_log_p, runs=3)
    report("`minutes log`, 10,000 §§, first read", ours, baseline, "git log -p -- FILE", None)

    # `set` reads the file, changes one field, checks and writes it, and commits it with its
    # diff against HEAD. The baseline is the one step no Python tool can skip: a process that
    # parses the file (git's own add and commit of it cost ~30 ms, the save bench's baseline).
    count = iter(range(10**6))

    def set_decision() -> None:
        value = f"Version {next(count)}."
        process(MINUTES, "--repo", str(repo), "set", "2024-04-26", "§5000.decision", value)()

    ours, baseline = paired(
        set_decision,
        process(PYTHON, "-c", f"import tomllib; tomllib.load(open({str(meeting)!r}, 'rb'))"),
        runs=5,
    )
    report("`minutes set`, 10,000 §§", ours, baseline, "python: tomllib.load it", None)

    # Two people's edits far apart in the big meeting, merged as git's driver is run: three
    # files in, the result written over OURS. git's line merge of the same files is the
    # baseline (it merges these cleanly too: the edits are thousands of lines apart).
    sides = workdir / "big-merge"
    sides.mkdir(exist_ok=True)
    base_text = new.decode()
    ours_text = base_text.replace('summary = "Ärende 100."', 'summary = "Ärende 100, ändrat."')
    theirs_text = base_text.replace('summary = "Ärende 9000."', 'summary = "Ärende 9000, klart."')
    assert base_text != ours_text and base_text != theirs_text
    for name, text in (("base", base_text), ("theirs", theirs_text)):
        (sides / name).write_text(text, encoding="utf-8")

    def merged_by(command: list[str]) -> Callable[[], object]:
        def run() -> None:
            (sides / "ours").write_text(ours_text, encoding="utf-8")
            subprocess.run(command, cwd=sides, check=True, capture_output=True)

        return run

    ours, baseline = paired(
        merged_by([MINUTES, "merge-file", "base", "ours", "theirs", BIG_MEETING]),
        merged_by(["git", "merge-file", "ours", "base", "theirs"]),
        runs=5,
    )
    report("merge of two edits, 10,000 §§", ours, baseline, "git merge-file", None)


def bench_calendar(workdir: Path) -> None:
    """The calendar of 1,000 meetings in git, against the least the icalendar library takes to
    write the same calendar (most of ours is the library building and folding its lines)."""
    import icalendar

    from tui.archive import Archive
    from tui.calendar_feed import calendar

    root = generate(workdir / "calendar", 1000)
    identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "The archive"]):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    written = icalendar.Calendar.from_ical(calendar(Archive(root)))
    ours, baseline = paired(lambda: calendar(Archive(root)), written.to_ical, runs=7)
    report("calendar of 1,000 meetings", ours, baseline, "icalendar: writing it", None)


def bench_export(workdir: Path) -> None:
    """One meeting as a PDF and as a web page, each a whole `minutes export` process."""
    repo = publishing.seed_archive(workdir)
    show = process(MINUTES, "--repo", str(repo), "show", publishing.SEED)
    for form in ("pdf", "html"):
        export = process(MINUTES, "--repo", str(repo), "export", publishing.SEED, "--format", form)
        ours, baseline = paired(export, show, runs=11)
        report(f"`minutes export` as {form}", ours, baseline, "`minutes show` (text)", None)


def bench_publish(workdir: Path) -> None:
    """The web site of 10,000 meetings: made whole, then again after one meeting changed."""
    import datetime as dt

    from tui.archive import Archive
    from tui.publish import publish

    count = 10_000
    repo = publishing.archive_of(workdir, count)
    site = workdir / "site"
    ours, baseline = publishing.full_build(repo, site)
    report(f"publish {count:,} meetings, whole", ours, baseline, "each one's PDF and page", 1.2)
    archive = Archive(repo)
    entry = archive.entries()[-1]
    text = entry.path.read_text()
    versions = iter(range(10**6))

    def one_saved_then_published() -> None:
        entry.path.write_text(text.replace("Informationen noteras.", f"V{next(versions)}.", 1))
        subprocess.run(["git", "-C", str(repo), "commit", "-qam", "x"], check=True)
        publish(archive, site, dt.date(2024, 5, 1))

    def one_exported() -> None:
        from tui.export import export

        export(archive, entry, "pdf"), export(archive, entry, "html")

    ours, baseline = paired(one_saved_then_published, one_exported, runs=5)
    report(
        "  again after one save (and commit)", ours, baseline, "that meeting's PDF and page", None
    )


def bench_merge(workdir: Path) -> None:
    """200 pairs of concurrent, disjoint edits to one meeting of 1,000: how many each merge
    gets right (clean, both edits kept, a valid meeting). Counts, not times."""
    files = sorted(generate(workdir / "merge-1000", 1000).glob("meetings/*/2*.toml"))
    pairs = 200
    started = time.perf_counter()
    right = merging.compare(files, pairs)
    seconds = time.perf_counter() - started
    print(
        f"{pairs} concurrent edit pairs merged right: minutes {right['minutes']}, "
        f"git's line merge {right['git']} ({seconds:.1f} s for both)"
    )


def bench_search(workdir: Path) -> None:
    """The search index on 10,000 meetings (bench/searching.py): built whole, each question
    as a call and as a process, and brought up to date after one save."""
    root = searching.archive(workdir)
    ours, baseline = searching.build(root)
    report("search index of 10,000, built whole", ours, baseline, "reading every file once", None)
    for name, seconds in searching.questions(root).items():
        verdict = "ok" if seconds <= 0.05 else "OVER"
        print(f"  {name:<32} {seconds * 1000:8.1f} ms  (aim ≤ 50 ms, {verdict})")
    ours, baseline = searching.looking(root)
    report("  a search's stat of every file", ours, baseline, "list, headers remembered", None)
    listing = process(MINUTES, "--repo", str(root), "list")
    for name, text in searching.QUESTIONS.items():
        asking = process(MINUTES, "--repo", str(root), "search", text)
        ours, baseline = paired(asking, listing, runs=7)
        report(f"  process: {name}", ours, baseline, "`minutes list`", 2.0)
    ours, baseline = searching.after_save(root)
    report("  the index after one save", ours, baseline, "the save (and commit)", 2.0)


def bench_app(archives: dict[int, Path]) -> None:
    start = str(ROOT / "bench" / "app_start.py")

    def until_ready(*args: str) -> Callable[[], object]:
        def run() -> None:
            done = subprocess.run([PYTHON, start, *args], capture_output=True, text=True)
            assert done.stdout.startswith("ready False"), done.stdout + done.stderr  # no git

        return run

    for count, aim in ((1000, 1.5), (10_000, 2.0)):
        ours, baseline = paired(
            until_ready("minutes", str(archives[count])), until_ready("minimal"), runs=9
        )
        report(f"app start, {count:,} meetings", ours, baseline, "Textual app, one Static", aim)


BENCHMARKS = {"next": bench_next, "list": bench_list, "app": bench_app}
HISTORY_BENCHMARKS = {
    "history": bench_history,
    "save": bench_save,
    "big": bench_big,
    "calendar": bench_calendar,
    "export": bench_export,
    "publish": bench_publish,
    "merge": bench_merge,
    "search": bench_search,
}


def main(names: list[str]) -> None:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="minutes-bench-cache-")
    # As an installed package would be: compiled once, not on every start (this matters where
    # PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(ROOT / "tui", quiet=1)
    names = names or [*BENCHMARKS, *HISTORY_BENCHMARKS]
    with tempfile.TemporaryDirectory(prefix="minutes-bench-") as tmp:
        if any(name in BENCHMARKS for name in names):
            archives = {n: generate(Path(tmp) / str(n), n) for n in (1000, 10_000)}
        for name in names:
            if name in BENCHMARKS:
                BENCHMARKS[name](archives)
            else:
                HISTORY_BENCHMARKS[name](Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
