"""The real app in a real pseudo-terminal of 80x24: keys go in as bytes, as over SSH, and the
screen is read as a person reads it (pyte emulates the terminal); the raw bytes are kept too."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pyte

from .conftest import ROOT

COLUMNS, LINES = 80, 24


class Terminal:
    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        environment |= {
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        environment |= env or {}
        pid, fd = pty.fork()
        if pid == 0:  # the child: the app, with the terminal as its own; never back to pytest
            try:
                size = struct.pack("HHHH", LINES, COLUMNS, 0, 0)
                fcntl.ioctl(1, termios.TIOCSWINSZ, size)
                os.chdir(cwd)
                os.execve(sys.executable, [sys.executable, "-m", "tui", *args], environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = bytearray()
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.status: int | None = None

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> None:
        """Take in what the app writes for `seconds`."""
        end = time.monotonic() + seconds
        while self.fd >= 0 and (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the app has gone: its side of the terminal is closed
                data = b""
            if not data:
                return
            self.raw += data
            self.stream.feed(data)

    def wait_for(self, text: str, seconds: float = 30) -> None:
        end = time.monotonic() + seconds
        while text not in self.text():
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{self.text()}")
            self.read(0.1)

    def send(self, keys: str | bytes) -> None:
        """Keys as the terminal sends them, all at once."""
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def hang_up(self) -> None:
        """The connection drops: the terminal goes away under the app."""
        os.close(self.fd)
        self.fd = -1

    def kill(self, number: int = signal.SIGKILL) -> None:
        os.kill(self.pid, number)

    def wait(self, seconds: float = 30) -> int:
        """The app's exit status (a signal's number as 128 + it), waiting at most `seconds`."""
        end = time.monotonic() + seconds
        while self.status is None:
            if self.fd >= 0:
                self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                if self.status < 0:
                    self.status = 128 - self.status
            elif time.monotonic() > end:
                self.kill()
                raise AssertionError("the app did not end")
            else:
                time.sleep(0.05)
        return self.status

    def close(self) -> None:
        if self.status is None:
            self.kill()
            self.wait()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
