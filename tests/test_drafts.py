"""Drafts: kept per run, read back, listed, dropped; anything else in their folder is ignored."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from tui.drafts import Drafts


def test_each_run_keeps_its_own_drafts(tmp_path):
    first, second = Drafts(tmp_path), Drafts(tmp_path)  # two runs, one meeting
    assert first.all() == [] and second.of("a/2024-04-26.toml") == []
    first.keep("a/2024-04-26.toml", "text 1", "base")
    first.keep("a/2024-04-26.toml", "text 2", "base")  # replaces its own
    second.keep("a/2024-04-26.toml", "text 3", "base")  # beside the other run's
    first.keep("b/2024-09-13.toml", "new", None)
    assert sorted(d.text for d in first.all()) == ["new", "text 2", "text 3"]
    assert [d.text for d in first.of("a/2024-04-26.toml")] == ["text 3"]  # not its own
    assert [d.text for d in second.of("a/2024-04-26.toml")] == ["text 2"]
    second.drop_own("a/2024-04-26.toml")
    second.drop_own("a/2024-04-26.toml")  # twice is fine
    (theirs,) = second.of("a/2024-04-26.toml")
    second.drop(theirs)
    assert [d.text for d in first.all()] == ["new"]
    assert not list((tmp_path / "minutes" / "drafts").glob(".*"))  # no temporary left


def test_damaged_and_foreign_files_are_not_drafts(tmp_path):
    drafts = Drafts(tmp_path)
    drafts.keep("a/2024-04-26.toml", "text", None)
    folder = tmp_path / "minutes" / "drafts"
    (folder / "garbage.json").write_text("{not json")
    (folder / "other.json").write_text('{"version": 1, "key": 5}')
    (folder / "list.json").write_text("[1, 2]")
    assert [d.key for d in drafts.all()] == ["a/2024-04-26.toml"]


@given(st.text(min_size=1), st.text(), st.none() | st.text())
@example("ö" * 200, "", None)  # its file name would be 1,200 bytes
def test_any_key_and_texts_come_back_as_kept(tmp_path_factory, key, text, base):
    """Surrogates too: a file name that is not UTF-8 reaches Python as them."""
    git_dir = tmp_path_factory.mktemp("git")
    Drafts(git_dir).keep(key, text, base)
    (draft,) = Drafts(git_dir).of(key)
    assert (draft.key, draft.text, draft.base) == (key, text, base)
