"""Justering: protocols signed with real SSH keys as signed git tags, verified against the
archive's committed allowed_signers. Real repositories, real keys, real git and ssh-keygen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.format.files import load_meeting
from tui.justering import (
    ALLOWED_SIGNERS,
    JusteringError,
    one_line,
    principal,
    sign,
    status,
    tag_name,
)
from tui.repository import close_all, repository_for
from tui.saving import save_meeting

from .conftest import git

FILE = "meetings/kultur-och-fritidsnamnden/2024-11-14.toml"
DECIDED = 'decision = "Föreningen beviljas 40 000 kronor."'
"""§131's decision."""
PEOPLE = {
    "alma": "Alma Berglund",  # the chair
    "cecilia": "Cecilia Dahl",  # the justerare
    "bertil": "Bertil Ceder",  # a member, neither
    "gunilla": "Gunilla Holm",  # the secretary
}


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> dict[str, Path]:
    """One SSH key pair per person, made as a person would: `ssh-keygen -t ed25519`."""
    folder = tmp_path_factory.mktemp("keys")
    made = {}
    for who in [*PEOPLE, "mallory", "asa", "hostile"]:
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(folder / who)],
            check=True,
        )
        made[who] = folder / f"{who}.pub"
    return made


def _listed(keys: dict[str, Path], who: str, name: str, comment: bool = True) -> str:
    """The line of allowed_signers for `who`'s key as `name`'s, the name as its comment."""
    public = " ".join(keys[who].read_text().split()[:2])
    return f'{principal(name)} namespaces="git" {public}{f" {name}" if comment else ""}\n'


@pytest.fixture
def repo(protocol_dir: Path, keys, monkeypatch, tmp_path_factory) -> Path:
    """The fictional protocol in a git repository whose allowed_signers lists the chair, the
    justerare, the secretary and one more member; git signs with SSH keys, the user's own
    configuration out of reach."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("MINUTES_AUTHOR", raising=False)
    git(protocol_dir, "init", "--quiet", "--initial-branch=main")
    git(protocol_dir, "config", "user.name", "Gunilla Holm")
    git(protocol_dir, "config", "user.email", "gunilla@example.org")
    git(protocol_dir, "config", "gpg.format", "ssh")
    allowed = "".join(_listed(keys, who, name) for who, name in PEOPLE.items())
    (protocol_dir / ALLOWED_SIGNERS).write_text(allowed)
    git(protocol_dir, "add", "-A")
    git(protocol_dir, "commit", "--quiet", "-m", "The protocol and who may sign it")
    yield protocol_dir
    close_all()


def _use(repo: Path, keys, who: str) -> None:
    git(repo, "config", "user.signingkey", str(keys[who]))


def _meeting(repo: Path):
    return load_meeting(repo / FILE)[0]


def _sign(repo: Path, keys, who: str, item: int | None = None):
    _use(repo, keys, who)
    return sign(repository_for(repo), repo / FILE, _meeting(repo), PEOPLE.get(who, who), item)


def _status(repo: Path):
    return status(repository_for(repo), repo / FILE, _meeting(repo))


def _edit(repo: Path, old: str, new: str, commit: bool = True) -> None:
    path = repo / FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    if commit:
        git(repo, "commit", "--quiet", "-am", "Edited by hand")


def _blob(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", f"{rev}:{FILE}").strip()


def _tag_by_hand(
    repo: Path, key: Path | str, name: str, target: str, form: str = "ssh", **trailers: str
) -> None:
    """A signature tag made with git alone, as someone could make one without minutes."""
    fields = {"Meeting-File": FILE, "Meeting-Blob": target} | trailers
    message = "Signed by hand\n\n" + "".join(f"{k}: {v}\n" for k, v in fields.items())
    config = ["-c", f"gpg.format={form}", "-c", f"user.signingkey={key}"]
    git(repo, *config, "tag", "-s", "-m", message, name, target)


def _minutes(repo: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--repo", str(repo), *args])
    out, err = capsys.readouterr()
    return code, out + err


# --- signing and counting ------------------------------------------------------------------


def test_the_chair_and_the_justerare_each_sign_with_their_own_key(repo, keys, capsys):
    version = _blob(repo)
    first = _sign(repo, keys, "alma")
    assert (first.signer, first.role, first.version, first.item) == (
        "Alma Berglund",
        "chair",
        version,
        None,
    )
    assert first.counts and first.key_owner == "alma-berglund"
    half = _status(repo)
    assert not half.justerat
    assert [n.name for n in half.missing] == ["Cecilia Dahl"]

    second = _sign(repo, keys, "cecilia")
    done = _status(repo)
    assert done.justerat and done.version == version
    assert done.justerat_on == max(first.date, second.date)
    assert done.missing == () and not done.changed and done.problems() == []
    # the tag is a signed annotated tag on the file's blob, naming what it signs
    tag = git(repo, "cat-file", "-p", second.tag)
    assert tag.startswith(f"object {version}\ntype blob\n")
    assert f"Meeting-File: {FILE}\n" in tag and "Signer: Cecilia Dahl\nRole: adjuster\n" in tag
    assert "-----BEGIN SSH SIGNATURE-----" in tag
    code, out = _minutes(repo, capsys, "verify")
    assert code == 0
    assert f"{FILE}: justerat {done.justerat_on:%Y-%m-%d} (version {version[:12]})" in out
    assert "  signed  Cecilia Dahl, adjuster, " in out and "missing" not in out


def test_verify_fails_while_a_signature_is_missing(repo, keys, capsys):
    _sign(repo, keys, "alma")
    code, out = _minutes(repo, capsys, "verify", "2024-11-14")
    assert code == 1
    assert f"{FILE}: not justerat (due by 2024-11-28" in out
    assert "  missing  Cecilia Dahl, adjuster" in out


def test_the_secretary_may_sign_but_is_not_needed(repo, keys):
    signature = _sign(repo, keys, "gunilla")
    assert signature.counts and signature.role == "secretary"
    assert not _status(repo).justerat


def test_a_signer_not_on_the_meeting_is_refused(repo, keys):
    _use(repo, keys, "bertil")
    with pytest.raises(JusteringError) as refused:
        sign(repository_for(repo), repo / FILE, _meeting(repo), "Bertil Ceder")
    assert str(refused.value) == (
        f"Bertil Ceder may not sign {FILE}; who may: Alma Berglund (chair), "
        "Cecilia Dahl (adjuster), Gunilla Holm (secretary)"
    )
    assert git(repo, "tag", "-l") == ""


def test_a_tag_made_by_hand_by_someone_not_on_the_meeting_does_not_count(repo, keys, capsys):
    _sign(repo, keys, "alma")
    _tag_by_hand(
        repo, keys["bertil"], "bertil", _blob(repo), Signer="Bertil Ceder", Role="adjuster"
    )
    justering = _status(repo)
    bertil = justering.signature("bertil")
    assert bertil is not None and not bertil.counts and bertil.bad
    assert bertil.reason == "Bertil Ceder is not a chair, justerare or secretary of it"
    assert not justering.justerat
    code, out = _minutes(repo, capsys, "verify")
    assert code == 1 and "NOT COUNTED  Bertil Ceder, adjuster" in out


def test_a_key_not_in_the_allowed_list_is_refused_at_sign_and_not_counted(repo, keys, capsys):
    _use(repo, keys, "mallory")
    with pytest.raises(JusteringError) as refused:
        sign(repository_for(repo), repo / FILE, _meeting(repo), "Cecilia Dahl")
    assert "your signing key is not in allowed_signers for cecilia-dahl: add this line" in str(
        refused.value
    )
    assert str(refused.value).endswith(_listed(keys, "mallory", "Cecilia Dahl").strip())
    _sign(repo, keys, "alma")
    _tag_by_hand(repo, keys["mallory"], "m", _blob(repo), Signer="Cecilia Dahl", Role="adjuster")
    justering = _status(repo)
    cecilia = justering.signature("m")
    assert cecilia is not None and not cecilia.counts and cecilia.bad
    assert cecilia.reason.startswith("the key SHA256:") and cecilia.reason.endswith(
        " is not in allowed_signers"
    )
    assert not justering.justerat
    code, out = _minutes(repo, capsys, "check")
    assert code == 0  # a warning: tags do not stop a commit
    assert "warning: the signature of Cecilia Dahl (m) does not count: the key SHA256:" in out


def test_a_signature_with_another_persons_key_does_not_count(repo, keys):
    _use(repo, keys, "alma")
    with pytest.raises(JusteringError, match="your signing key is alma-berglund's in allowed"):
        sign(repository_for(repo), repo / FILE, _meeting(repo), "Cecilia Dahl")
    _tag_by_hand(repo, keys["alma"], "c", _blob(repo), Signer="Cecilia Dahl", Role="adjuster")
    cecilia = _status(repo).signature("c")
    assert cecilia is not None and cecilia.key_owner == "alma-berglund"
    assert cecilia.reason == "the key is alma-berglund's, not cecilia-dahl's"


def test_a_key_removed_from_the_committed_list_no_longer_counts(repo, keys):
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    assert _status(repo).justerat
    allowed = repo / ALLOWED_SIGNERS
    allowed.write_text(allowed.read_text().replace(_listed(keys, "cecilia", "Cecilia Dahl"), ""))
    assert _status(repo).justerat  # only the committed list counts
    git(repo, "commit", "--quiet", "-am", "Cecilia Dahl's key withdrawn")
    justering = _status(repo)
    assert not justering.justerat
    assert "is not in allowed_signers" in justering.signatures[1].reason


def test_a_key_retired_before_it_signed_does_not_count(repo, keys):
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    allowed = repo / ALLOWED_SIGNERS
    line = _listed(keys, "cecilia", "Cecilia Dahl")
    retired = line.replace('namespaces="git"', 'namespaces="git",valid-before="20200101"')
    allowed.write_text(allowed.read_text().replace(line, retired))
    git(repo, "commit", "--quiet", "-am", "Cecilia Dahl's key retired in 2020")
    cecilia = _status(repo).signatures[1]
    assert cecilia.reason.startswith("the key SHA256:")
    assert cecilia.reason.endswith(" was not valid when the tag says it signed")


def test_no_signing_key_is_refused_with_how_to_set_one_up(repo):
    with pytest.raises(JusteringError) as refused:
        sign(repository_for(repo), repo / FILE, _meeting(repo), "Alma Berglund")
    message = str(refused.value)
    assert message.startswith("git has no signing key")
    assert "git config --global gpg.format ssh" in message
    assert "git config --global user.signingkey ~/.ssh/id_ed25519.pub" in message
    assert 'alma-berglund namespaces="git" ssh-ed25519' in message


def test_signing_needs_the_file_saved_first(repo, keys):
    _edit(repo, "40 000 kronor.", "30 000 kronor.", commit=False)
    with pytest.raises(JusteringError, match="has changes not committed: save first"):
        _sign(repo, keys, "alma")


def test_minnesanteckningar_are_not_signed_and_verify_passes_them_by(repo, keys, capsys):
    _edit(repo, 'kind = "protokoll"', 'kind = "minnesanteckningar"')
    with pytest.raises(JusteringError, match="is minnesanteckningar: only a protocol"):
        _sign(repo, keys, "alma")
    assert _minutes(repo, capsys, "verify") == (0, "")


# --- changes after justering ---------------------------------------------------------------


def test_a_file_changed_after_justering_is_reported_with_its_changes(repo, keys, capsys):
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    version = _blob(repo)
    _edit(repo, DECIDED, DECIDED.replace("40", "30"))
    justering = _status(repo)
    assert justering.justerat and justering.version == version
    assert justering.committed_changed and justering.working_changed
    assert [c.describe() for c in justering.changes] == ["§131: decision changed"]
    assert justering.problems() == [f"changed since it was justerat (version {version[:12]})"]
    code, out = _minutes(repo, capsys, "verify")
    assert code == 1
    assert "  CHANGED since justering (committed):\n    §131: decision changed\n" in out
    assert "Föreningen beviljas [-40-]{+30+} 000 kronor." in out
    code, out = _minutes(repo, capsys, "check")
    assert f"{FILE}: warning: changed since it was justerat (version {version[:12]})" in out


def test_an_uncommitted_change_after_justering_is_reported_too(repo, keys):
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    _edit(repo, 'place = "Stora salen', 'place = "Lilla salen', commit=False)
    justering = _status(repo)
    assert justering.working_changed and not justering.committed_changed
    assert [c.describe() for c in justering.changes] == ["place changed"]


def test_signing_again_after_a_correction_makes_the_new_version_justerat(repo, keys):
    old = [_sign(repo, keys, "alma"), _sign(repo, keys, "cecilia")]
    _edit(repo, DECIDED, DECIDED.replace("40", "30"))
    _sign(repo, keys, "alma")
    between = _status(repo)
    assert between.version == old[0].version  # the old version stays the one justerat
    _sign(repo, keys, "cecilia")
    justering = _status(repo)
    assert justering.version == _blob(repo) and not justering.changed
    stale = [justering.signature(s.tag) for s in old]
    assert all(s is not None and not s.counts and not s.bad for s in stale)
    assert stale[0] is not None and stale[0].reason == (
        f"signs version {old[0].version[:12]}, not the justerat one {_blob(repo)[:12]}"
    )
    assert justering.problems() == []


def test_a_re_pointed_tag_is_reported(repo, keys):
    signed = _blob(repo)
    _edit(repo, DECIDED, DECIDED.replace("40", "400"))
    _tag_by_hand(
        repo,
        keys["alma"],
        "moved",
        _blob(repo),
        **{"Meeting-Blob": signed, "Signer": "Alma Berglund", "Role": "chair"},
    )
    alma = _status(repo).signature("moved")
    assert alma is not None and alma.bad and not alma.counts
    assert alma.reason == (
        f"the tag points at {_blob(repo)[:12]} (blob) but its message names {signed[:12]}: "
        "it was re-pointed"
    )


def test_a_save_after_justering_is_committed_as_a_correction(repo, keys):
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    version = _blob(repo)
    path = repo / FILE
    text = path.read_text()
    meeting = _meeting(repo)
    meeting.item(133).decision = "Meddelandena noteras."
    saved = save_meeting(repository_for(repo), path, meeting, text)
    assert saved.subject == "Rättelse efter justering: 2024-11-14 §133: decision changed"
    message = git(repo, "log", "-1", "--format=%B")
    assert message.endswith(f"Meeting-File: {FILE}\nJusterad-Version: {version}\n\n")
    assert git(repo, "tag", "--points-at", version).split() == [
        s.tag for s in _status(repo).signatures
    ]  # nothing rewritten: the tags stay on the version they signed


def test_an_english_protocols_correction_says_so_in_english(repo, keys):
    _edit(repo, 'language = "sv"', 'language = "en"')
    _sign(repo, keys, "alma")
    _sign(repo, keys, "cecilia")
    meeting, text = _meeting(repo), (repo / FILE).read_text()
    meeting.place = "Lilla salen"
    saved = save_meeting(repository_for(repo), repo / FILE, meeting, text)
    assert saved.subject == "Correction after adjustment: 2024-11-14: place changed"


def test_a_save_before_justering_is_no_correction(repo, keys):
    _sign(repo, keys, "alma")
    meeting, text = _meeting(repo), (repo / FILE).read_text()
    meeting.place = "Lilla salen"
    saved = save_meeting(repository_for(repo), repo / FILE, meeting, text)
    assert saved.subject == "2024-11-14: place changed"
    assert "Justerad-Version" not in git(repo, "log", "-1", "--format=%B")


# --- omedelbar justering: one § signed alone -----------------------------------------------

IMMEDIATE = 'decision = "Meddelandena läggs till handlingarna."\n'


def test_a_paragraph_signed_alone_counts_for_that_paragraph_only(repo, keys, capsys):
    _edit(repo, IMMEDIATE, IMMEDIATE + "adjusted_immediately = true\n")
    alma = _sign(repo, keys, "alma", item=133)
    _sign(repo, keys, "cecilia", item=133)
    tag = git(repo, "cat-file", "-p", alma.tag)
    signed = git(repo, "cat-file", "-p", alma.version)
    assert signed.startswith('[[items]]\nnumber = 133\ntitle = "Meddelanden"\n')
    assert "Item: 133\n" in tag and f"Item-Blob: {alma.version}\n" in tag
    justering = _status(repo)
    assert not justering.justerat  # the protocol as a whole is not
    (item,) = justering.items
    assert (item.number, item.version, item.missing, item.changed) == (133, alma.version, (), False)

    _edit(repo, DECIDED, DECIDED.replace("40", "30"))
    (item,) = _status(repo).items
    assert item.version == alma.version and not item.changed  # another § changed

    _edit(repo, "Meddelandena läggs", "Meddelandena lades")
    justering = _status(repo)
    (item,) = justering.items
    assert item.version == alma.version and item.changed
    assert justering.problems() == ["§133 changed since its omedelbar justering"]
    code, out = _minutes(repo, capsys, "verify")
    assert code == 1 and "  §133 justerat " in out and "(omedelbar justering): CHANGED since" in out


def test_a_paragraph_not_for_omedelbar_justering_is_refused(repo, keys):
    with pytest.raises(JusteringError, match="§131 is not adjusted immediately"):
        _sign(repo, keys, "alma", item=131)
    with pytest.raises(JusteringError, match="the meeting has no §140"):
        _sign(repo, keys, "alma", item=140)


# --- names ---------------------------------------------------------------------------------


def test_names_with_spaces_and_swedish_letters_sign_and_verify(repo, keys, capsys):
    _edit(repo, '"Cecilia Dahl",\n]', '"Åsa Öberg-Ström",\n]')
    allowed = repo / ALLOWED_SIGNERS
    allowed.write_text(allowed.read_text() + _listed(keys, "asa", "Åsa Öberg-Ström"))
    git(repo, "commit", "--quiet", "-am", "Åsa Öberg-Ström may sign")
    assert principal("Åsa Öberg-Ström") == "åsa-öberg-ström"
    _sign(repo, keys, "alma")
    _use(repo, keys, "asa")
    asa = sign(repository_for(repo), repo / FILE, _meeting(repo), "åsa öberg-ström")
    assert asa.signer == "Åsa Öberg-Ström" and asa.counts
    assert asa.tag.startswith("justering/kultur-och-fritidsnamnden/2024-11-14/")
    assert asa.tag.split("/")[-1].startswith("asa-oberg-strom-")
    assert _status(repo).justerat
    assert _minutes(repo, capsys, "verify")[0] == 0


HOSTILE = 'Eva \\u001b[31mFors,\\n Signer: Alma Berglund ../.. *?! \\"x\\" '


def test_a_hostile_name_makes_a_valid_tag_and_cannot_pose_as_another(repo, keys, capsys):
    _edit(repo, '"Cecilia Dahl",\n]', f'"{HOSTILE}",\n]')
    name = _meeting(repo).signatures.adjusters[0]
    allowed = repo / ALLOWED_SIGNERS
    allowed.write_text(allowed.read_text() + _listed(keys, "hostile", name, comment=False))
    git(repo, "commit", "--quiet", "-am", "A hostile name may sign")
    _use(repo, keys, "hostile")
    signature = sign(repository_for(repo), repo / FILE, _meeting(repo), name)
    assert signature.counts and signature.role == "adjuster"
    tag = git(repo, "cat-file", "-p", signature.tag)
    assert "\x1b" not in tag and "Signer: Alma Berglund\n" not in tag
    _sign(repo, keys, "alma")
    assert _status(repo).justerat
    code, out = _minutes(repo, capsys, "verify")
    assert code == 0 and "\x1b" not in out


@settings(max_examples=60, deadline=None)
@given(
    st.text(min_size=1, max_size=20),
    st.text(max_size=20),
    st.text(min_size=1, max_size=20).filter(principal),
    st.one_of(st.none(), st.integers(1, 999)),
)
def test_every_tag_name_is_a_valid_ref(folder, stem, name, item):
    file = f"meetings/{folder.replace('/', '_')}/{stem.replace('/', '_')}.toml"
    made = tag_name(file, "0123456789abcdef" * 2, principal(name), item)
    check = subprocess.run(["git", "check-ref-format", f"refs/tags/{made}"], check=False)
    assert check.returncode == 0, made
    assert made.isascii() and len(made.split("/")) == 5


@given(st.text())
def test_a_name_keeps_its_principal_on_one_line(name):
    assert principal(one_line(name)) == principal(name)
    assert "\n" not in one_line(name) and "\x1b" not in one_line(name)


def test_principals_tell_swedish_letters_apart_and_tag_names_too():
    assert principal("Åsa Öberg") != principal("Asa Oberg")
    assert tag_name(FILE, "ab" * 20, principal("Åsa Öberg")) != tag_name(
        FILE, "ab" * 20, principal("Asa Oberg")
    )


# --- OpenPGP -------------------------------------------------------------------------------


@pytest.fixture
def gnupg(tmp_path_factory, monkeypatch):
    """A keyring of the test's own; the gpg-agent gpg starts for it is ended after."""
    homes = []

    def keyring(*names: str) -> Path:
        home = tmp_path_factory.mktemp("gnupg")
        home.chmod(0o700)
        homes.append(home)
        for name in names:
            user = f"{name} <{principal(name)}@example.org>"
            subprocess.run(
                ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", user, "ed25519", "sign"],
                env={**os.environ, "GNUPGHOME": str(home)},
                capture_output=True,
                check=True,
            )
        return home

    yield keyring
    for home in homes:
        subprocess.run(
            ["gpgconf", "--kill", "gpg-agent"],
            env={**os.environ, "GNUPGHOME": str(home)},
            check=False,
        )


@pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is not installed")
def test_an_openpgp_signature_counts_for_its_trusted_user_id(repo, gnupg, monkeypatch):
    stranger = gnupg("Cecilia Dahl")  # a key anyone could make with her name
    exported = subprocess.run(
        ["gpg", "--export", "--armor"],
        env={**os.environ, "GNUPGHOME": str(stranger)},
        capture_output=True,
        check=True,
    ).stdout
    monkeypatch.setenv("GNUPGHOME", str(stranger))
    _tag_by_hand(
        repo, "cecilia-dahl@example.org", "s", _blob(repo), "openpgp", Signer="Cecilia Dahl"
    )
    monkeypatch.setenv("GNUPGHOME", str(gnupg("Alma Berglund", "Bertil Ceder")))
    subprocess.run(["gpg", "--batch", "--import"], input=exported, capture_output=True, check=True)
    git(repo, "config", "gpg.format", "openpgp")
    git(repo, "config", "user.signingkey", "alma-berglund@example.org")
    alma = sign(repository_for(repo), repo / FILE, _meeting(repo), "Alma Berglund")
    assert alma.counts and alma.key_owner == "alma-berglund"
    _tag_by_hand(
        repo, "bertil-ceder@example.org", "b", _blob(repo), "openpgp", Signer="Cecilia Dahl"
    )
    justering = _status(repo)
    by_bertil, by_stranger = justering.signature("b"), justering.signature("s")
    assert by_bertil is not None and by_bertil.reason == (
        "the key is bertil-ceder's, not cecilia-dahl's"
    )
    assert by_stranger is not None and by_stranger.reason == (
        "the key is not trusted on this machine (gpg --edit-key KEY trust)"
    )
    assert not justering.justerat


# --- the command line ----------------------------------------------------------------------


def test_sign_on_the_command_line(repo, keys, capsys):
    _use(repo, keys, "alma")
    code, out = _minutes(repo, capsys, "sign", "2024-11-14", "--as", "Alma Berglund")
    assert code == 0
    assert out.startswith(f"signed {FILE} as Alma Berglund, chair\ntag justering/")
    assert "  missing  Cecilia Dahl, adjuster" in out
    code, out = _minutes(repo, capsys, "sign", "2024-11-14", "--as", "Alma Berglund")
    assert code == 2 and "already exists" in out
    code, out = _minutes(repo, capsys, "sign", "2024-11-14", "--as", "Nils Nilsson")
    assert code == 2 and out.startswith("minutes: Nils Nilsson may not sign")


def test_init_makes_a_commented_allowed_signers(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert main(["init", str(tmp_path / "arkiv")]) == 0
    out = capsys.readouterr().out
    allowed = tmp_path / "arkiv" / ALLOWED_SIGNERS
    assert f"created {allowed}: add a line for each person" in out
    lines = allowed.read_text().splitlines()
    assert lines and all(line.startswith("#") for line in lines)
    assert main(["init", str(tmp_path / "arkiv")]) == 0  # kept as it is the second time
    assert "allowed_signers" not in capsys.readouterr().out


def test_check_asks_no_git_of_an_archive_without_protocols(archive_dir):
    """`minutes check` of minnesanteckningar loads no git layer (so runs no git)."""
    code = (
        "import sys; from tui.cli import main; "
        f"code = main(['--repo', {str(archive_dir)!r}, 'check']); "
        "print(code, 'tui.repository' in sys.modules, 'tui.justering' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    ran = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ran.stdout.splitlines()[-1] == "0 False False"


def test_check_of_protocols_outside_a_repository_says_nothing_of_justering(protocol_dir, capsys):
    code, out = _minutes(protocol_dir, capsys, "check")
    assert code == 0 and "justerat" not in out and "signature" not in out
