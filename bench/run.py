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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

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


BENCHMARKS = {"next": bench_next, "list": bench_list}


def main(names: list[str]) -> None:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="minutes-bench-cache-")
    # As an installed package would be: compiled once, not on every start (this matters where
    # PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(ROOT / "tui", quiet=1)
    with tempfile.TemporaryDirectory(prefix="minutes-bench-") as tmp:
        archives = {n: generate(Path(tmp) / str(n), n) for n in (1000, 10_000)}
        for name in names or BENCHMARKS:
            BENCHMARKS[name](archives)


if __name__ == "__main__":
    main(sys.argv[1:])
