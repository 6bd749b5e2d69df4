"""Sync over a real SSH server on loopback: Debian's sshd started for these tests with a host
key and a person's key made here, the shared repository reached as ssh://USER@127.0.0.1:PORT/…
Everything else is as in test_sync: real git, real clones, `minutes` as a process."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_sync import SEED, edit, meeting_in, minutes, refused, two_clones
from tui.model import Meeting

SSHD = shutil.which("sshd", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")

pytestmark = pytest.mark.skipif(SSHD is None, reason="needs sshd (openssh-server)")


@dataclass(frozen=True)
class Server:
    port: int
    folder: Path
    known_hosts: Path

    def url(self, repository: Path) -> str:
        return f"ssh://{getpass.getuser()}@127.0.0.1:{self.port}{repository}"

    def ssh_command(self, key: Path) -> str:
        """What a person whose key is not the default one sets as core.sshCommand."""
        return f"ssh -i {key} -o IdentitiesOnly=yes -o UserKnownHostsFile={self.known_hosts}"

    def key(self, name: str) -> Path:
        return _key(self.folder / name)


def _key(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("sshd")
    host = _key(folder / "host")
    person = _key(folder / "person")
    shutil.copy(f"{person}.pub", folder / "authorized_keys")
    if os.geteuid() == 0:
        # Where sshd started as root drops its privileges; the service makes it at boot.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    for _ in range(5):  # a free port may be taken between asking and listening
        port = _free_port()
        config = folder / "sshd_config"
        # The post-quantum key exchange costs half a second a connection on a small machine;
        # a sync makes two or three, and these tests are about git over ssh, not the exchange.
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\n"
            f"AuthorizedKeysFile {folder}/authorized_keys\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPidFile none\n"
            "KexAlgorithms curve25519-sha256\n"
        )
        daemon = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if _listening(port, daemon):
            break
    else:
        raise AssertionError(f"sshd did not start: {daemon.stderr.read().decode()}")  # type: ignore[union-attr]
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {Path(f'{host}.pub').read_text()}")
    yield Server(port, folder, known_hosts)
    daemon.terminate()
    daemon.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int, daemon: subprocess.Popen) -> bool:
    for _ in range(100):
        if daemon.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


@pytest.fixture
def clones(home, tmp_path, server) -> tuple[Path, Path]:
    """The secretary's and the chair's clones of one bare repository on the SSH server."""
    ssh = server.ssh_command(server.folder / "person")
    return two_clones(tmp_path, server.url, f"core.sshCommand={ssh}")


def setter(item: int, field: str, value: str):
    def change(meeting: Meeting) -> None:
        setattr(meeting.item(item), field, value)

    return change


def test_two_people_over_ssh_lose_no_edit(clones, tmp_path):
    """Different §§, then different words of one §, then the same words; a push that loses a
    race; a hook that refuses. Afterwards every edit is in both clones, no marker anywhere."""
    a, b = clones
    kept: dict[tuple[int, str], str] = {}

    def both_edit(at_a: tuple[int, str, str], at_b: tuple[int, str, str]) -> None:
        for repo, (item, field, value) in ((a, at_a), (b, at_b)):
            edit(repo, setter(item, field, value), f"§{item} {field}")
            kept[item, field] = value

    # Different §§.
    both_edit(
        (11, "decision", "Noterat och lagt till handlingarna."), (12, "title", "Infrastruktur")
    )
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0

    # One § text, different words: the beginning here, the end there.
    summary = meeting_in(a).item(13).summary
    words = summary.split()
    early = " ".join(["Kort:", *words])
    late = " ".join([*words, "Klart."])
    edit(a, setter(13, "summary", early))
    edit(b, setter(13, "summary", late))
    kept[13, "summary"] = " ".join(["Kort:", *words, "Klart."])
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0

    # The same words, changed differently: refused with nothing changed; the chair settles it.
    edit(a, setter(14, "decision", "Gruppen godkänner planen."))
    assert minutes(a, "sync")[0] == 0
    edit(b, setter(14, "decision", "Gruppen avslår planen."))
    assert f"{SEED}: §14.decision" in refused(b)
    assert minutes(b, "resolve", "§14.decision=there")[0] == 0  # the chair takes hers
    kept[14, "decision"] = "Gruppen godkänner planen."

    # A push that loses a race: the secretary pushes between the chair's fetch and push. The
    # chair's settling merge is not pushed yet: sync merges rather than rebases over it, so
    # the conflict is not met again (pushed: her §14 commit, the settling, §16, this merge).
    both_edit((15, "title", "Nästa möte"), (16, "title", "Övrigt"))
    hook = b / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        f"if [ ! -e '{tmp_path}/raced' ]; then touch '{tmp_path}/raced'\n"
        f"  env -u GIT_DIR -u GIT_INDEX_FILE -u GIT_WORK_TREE git -C '{a}' push -q origin HEAD:main"
        "\nfi\n"
    )
    hook.chmod(0o755)
    code, out, err = minutes(b, "sync")
    assert (code, err) == (0, "") and out.startswith("pulled 1, pushed 4"), (out, err)
    assert (tmp_path / "raced").exists()

    # A hook on the server that refuses: one line quoting it, the commit kept.
    refuse = tmp_path / "shared.git" / "hooks" / "pre-receive"
    refuse.write_text("#!/bin/sh\necho 'Arkivet är stängt' >&2\nexit 1\n")
    refuse.chmod(0o755)
    edit(a, setter(17, "title", "Avslutning"))
    assert "refused the push: Arkivet är stängt" in refused(a)
    refuse.unlink()
    kept[17, "title"] = "Avslutning"
    assert minutes(a, "sync")[0] == 0
    assert minutes(b, "sync")[0] == 0

    for repo in (a, b):
        meeting = meeting_in(repo)
        for (item, field), value in kept.items():
            assert getattr(meeting.item(item), field) == value, (repo.name, item, field)
        assert "<<<<<<<" not in (repo / SEED).read_text()
        assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
        git(repo, "fsck", "--strict")
    git(tmp_path / "shared.git", "fsck", "--strict")
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")


def test_a_key_the_server_does_not_know_says_how_to_set_one_up(clones, server):
    a, _ = clones
    stranger = server.key("stranger")
    git(a, "config", "core.sshCommand", server.ssh_command(stranger))
    line = refused(a)
    assert "needs to know who you are" in line and "ssh-keygen" in line


def test_an_unknown_server_is_refused_at_once_never_asked_about(clones, server):
    """Without a chosen ssh command minutes runs ssh in batch mode: a host key nobody has
    accepted fails at once, with how to accept it, instead of a question nobody sees."""
    a, _ = clones
    git(a, "config", "--unset", "core.sshCommand")
    line = refused(a)
    assert "host key" in line and f"ssh -p {server.port} " in line, line
