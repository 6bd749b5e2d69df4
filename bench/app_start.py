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
    from tui.app.meeting_list import MeetingList
    from tui.archive import Archive

    class Measured(MinutesApp):
        def on_mount(self) -> None:
            # Textual calls MinutesApp.on_mount as well: handlers run for each class.
            self.call_after_refresh(self.check)

        def check(self) -> None:
            """After each frame: once the list of meetings is filled, the next frame shows it.
            (The archive's readers start after that frame and are not waited for.)"""
            screen = self.screen
            if isinstance(screen, BrowseScreen) and screen.query_one(MeetingList).option_count:
                self.call_after_refresh(ready)
            else:
                self.call_after_refresh(self.check)

    Measured(Archive(root)).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        minutes(Path(sys.argv[2]))
