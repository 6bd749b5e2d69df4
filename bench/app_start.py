"""Start an app headless and print "ready" at its first interactive frame.

    python bench/app_start.py minimal
    python bench/app_start.py minutes ARCHIVE

bench/run.py times the whole process, from its start to that line, for both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def ready() -> None:
    print("ready", "git" in sys.modules, flush=True)
    os._exit(0)  # the moment is measured; background readers need not finish


def minimal() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("minutes")

        def on_mount(self) -> None:
            self.call_after_refresh(ready)

    Minimal().run(headless=True)


def minutes(root: Path) -> None:
    from tui.app.app import MinutesApp
    from tui.app.browse import BrowseScreen
    from tui.archive import Archive

    fill_the_list = BrowseScreen.on_mount

    def on_mount(screen: BrowseScreen) -> None:
        fill_the_list(screen)
        # The next frame is the first to show the meetings. The archive's readers start
        # after it and are not waited for.
        screen.call_after_refresh(ready)

    BrowseScreen.on_mount = on_mount
    MinutesApp(Archive(root)).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        minutes(Path(sys.argv[2]))
