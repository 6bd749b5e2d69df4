"""The app in a real terminal: what reaches the terminal, and an edit surviving the terminal's
loss. Slower than Pilot tests (a process each), so only what needs a real terminal is here."""

from __future__ import annotations

import signal

from tui.drafts import Drafts

from .conftest import SEED_FOLDER, git
from .terminal import Terminal

SEED = f"meetings/{SEED_FOLDER}/2024-04-26.toml"


def _start(repo_dir) -> Terminal:
    terminal = Terminal(["--repo", str(repo_dir), "--today", "2024-05-01"], repo_dir)
    terminal.wait_for("2024-04-26 Fri")
    return terminal


def _edit_title(terminal: Terminal, words: str) -> None:
    """Open the meeting, go to §11, and type at the end of its title, leaving the form open."""
    terminal.send("\r")
    terminal.wait_for("Beslutande")
    terminal.send("jjje")
    terminal.wait_for("Case number")
    terminal.send(words)
    terminal.wait_for(words)


def test_a_dropped_connection_keeps_the_edit_being_typed_and_it_can_be_restored(repo_dir):
    terminal = _start(repo_dir)
    try:
        _edit_title(terminal, " ändrad")
        terminal.read(0.6)  # a pause in typing: the draft is written
        terminal.hang_up()
        assert terminal.wait() == 128 + signal.SIGHUP
    finally:
        terminal.close()
    kept = Drafts(repo_dir / ".git").all()
    assert [draft.key for draft in kept] == [f"{SEED_FOLDER}/2024-04-26.toml"]
    assert 'title = "Planering och dimensionering av gymnasieutbildning ändrad"' in kept[0].text

    again = _start(repo_dir)
    try:
        again.send("\r")
        again.wait_for("An unsaved edit of 2024-04-26.toml was kept")
        again.send("c")  # compare first
        again.wait_for("§11: title changed")
        again.send("r")
        again.wait_for("The kept edit is back")
        again.send("\x13")  # Ctrl+S
        again.wait_for("Saved")
        again.send("q")
        assert again.wait() == 0
    finally:
        again.close()
    assert git(repo_dir, "log", "-1", "--format=%s") == "2024-04-26 §11: title changed\n"
    assert Drafts(repo_dir / ".git").all() == []


def test_a_stopped_app_writes_its_draft_at_once(repo_dir):
    terminal = _start(repo_dir)
    try:
        _edit_title(terminal, " X")
        terminal.kill(signal.SIGTERM)  # no pause: the stop itself writes the draft
        assert terminal.wait() == 128 + signal.SIGTERM
    finally:
        terminal.close()
    (draft,) = Drafts(repo_dir / ".git").all()
    assert 'gymnasieutbildning X"' in draft.text


def test_escape_sequences_from_a_file_never_reach_the_terminal(repo_dir):
    path = repo_dir / SEED
    hostile = r"Rapport \u001b]0;HACKED\u0007 och \u001b]52;c;aGFja2Vk\u0007 slut"
    text = path.read_text().replace(
        "Planering och dimensionering av gymnasieutbildning", hostile, 1
    )
    path.write_text(text)
    terminal = _start(repo_dir)
    try:
        terminal.send("\r")
        terminal.wait_for("Beslutande")
        terminal.send("jjje")  # the form shows the title in a field
        terminal.wait_for("Case number")
        terminal.wait_for("Rapport ]0;HACKED och ]52;c;aGFja2Vk slut")
        terminal.send("\x1b")
        terminal.read(0.5)
        terminal.send("q")
        terminal.wait()
    finally:
        terminal.close()
    assert b"\x1b]0;HACKED" not in terminal.raw and b"\x1b]52;c;aGFja2Vk" not in terminal.raw
    assert b"\x07 och" not in terminal.raw


def test_markup_in_a_notification_is_shown_as_text(repo_dir):
    """A saved change names the person: `[/bold]` in a name is data, not an unclosed tag."""
    path = repo_dir / SEED
    path.write_text(path.read_text().replace('name = "Per Norin"', 'name = "Per [/bold] Norin"'))
    git(repo_dir, "commit", "-qam", "A name with markup")
    terminal = _start(repo_dir)
    try:
        terminal.send("\r")
        terminal.wait_for("Beslutande")
        terminal.send("p")
        terminal.wait_for("Per [/bold] Norin")
        terminal.send("\x1b[B" * 12 + "\r")  # down to him, and open his form
        terminal.wait_for("Role or title")
        terminal.send("\t\t\t\tersättare\x13")  # his role; Ctrl+S keeps it
        terminal.wait_for("Attendance —")
        terminal.send("\x1b")
        terminal.read(0.5)
        terminal.send("\x13")  # Ctrl+S: saved, and the note names him
        terminal.wait_for("Per [/bold] Norin: role")
        terminal.send("q")
        assert terminal.wait() == 0
    finally:
        terminal.close()
