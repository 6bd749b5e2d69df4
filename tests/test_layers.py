"""The layers stay separable: the core and the read-only commands load neither Textual nor git."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

CORE = [
    "tui.model",
    "tui.ranges",
    "tui.validation",
    "tui.format.files",
    "tui.archive",
    "tui.render",
    "tui.search",
    "tui.search_query",
    "tui.search_index",
    "tui.spoken_dates",
    "tui.settings",
    "tui.external_editor",
]
HISTORY = ["tui.diff", "tui.repository", "tui.saving", "tui.history", "tui.report"]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(result.stdout.split())


def test_core_modules_import_neither_textual_nor_git():
    loaded = _loaded_after("\n".join(f"import {module}" for module in CORE))
    assert set(CORE) <= loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "git", "rich")}


def test_history_modules_import_neither_textual_nor_git_until_used():
    loaded = _loaded_after("\n".join(f"import {module}" for module in HISTORY))
    assert set(HISTORY) <= loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "git", "rich")}


def test_the_pdf_module_loads_typst_only_to_make_a_pdf():
    loaded = _loaded_after("import tui.pdf")
    assert "tui.pdf" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("typst", "textual", "rich", "git")}


def test_read_only_commands_import_neither_textual_nor_git():
    code = (
        "import contextlib, io\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for command in (['next'], ['list'], ['show', 'latest'], ['check']):\n"
        "        main(command)"
    )
    loaded = _loaded_after(code)
    assert "tui.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "git")}


def test_next_loads_neither_the_model_nor_the_git_layer():
    """`minutes next` must answer in about the time Python takes to start (bench/run.py)."""
    code = (
        "import contextlib, io\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['next'])"
    )
    loaded = _loaded_after(code)
    assert (
        not {
            "tui.model",
            "dataclasses",
            "tui.repository",
            "subprocess",
            "json",
            "shutil",
            "sqlite3",
        }
        & loaded
    )


def test_the_app_reaches_its_first_screen_without_importing_git(archive_dir):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "app_start.py"), "minutes", str(archive_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout == "ready False\n", result.stderr


def test_the_app_opens_no_file_and_runs_no_program_itself():
    """Files and programs are the layers' business; the UI calls them."""
    forbidden = re.compile(
        r"(?<![.\w])open\(|\.(read|write)_(text|bytes)\(|\.exists\(\)|subprocess|os\.(scandir|listdir)"
    )
    for path in sorted((ROOT / "tui" / "app").glob("*.py")):
        found = forbidden.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: {found and found[0]}"
