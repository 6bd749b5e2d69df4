"""Drafts: kept, read back, listed, dropped; anything else in their folder is ignored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.drafts import Drafts


def test_keep_get_all_and_drop(tmp_path):
    drafts = Drafts(tmp_path)
    assert drafts.all() == [] and drafts.get("a/2024-04-26.toml") is None
    drafts.keep("a/2024-04-26.toml", "text 1", "base")
    drafts.keep("b/2024-09-13.toml", "text 2", None)
    drafts.keep("a/2024-04-26.toml", "text 3", "base")  # replaces the first
    assert {(d.key, d.text, d.base) for d in drafts.all()} == {
        ("b/2024-09-13.toml", "text 2", None),
        ("a/2024-04-26.toml", "text 3", "base"),
    }
    assert drafts.get("a/2024-04-26.toml").text == "text 3"
    drafts.drop("a/2024-04-26.toml")
    drafts.drop("a/2024-04-26.toml")  # twice is fine
    assert [d.key for d in drafts.all()] == ["b/2024-09-13.toml"]
    assert not list((tmp_path / "minutes" / "drafts").glob("*.tmp"))


def test_damaged_and_foreign_files_are_not_drafts(tmp_path):
    drafts = Drafts(tmp_path)
    drafts.keep("a/2024-04-26.toml", "text", None)
    folder = tmp_path / "minutes" / "drafts"
    (folder / "garbage.json").write_text("{not json")
    (folder / "other.json").write_text('{"version": 1, "key": 5}')
    (folder / "list.json").write_text("[1, 2]")
    assert [d.key for d in drafts.all()] == ["a/2024-04-26.toml"]


@given(st.text(min_size=1), st.text(), st.none() | st.text())
def test_any_key_and_texts_come_back_as_kept(tmp_path_factory, key, text, base):
    """Surrogates too: a file name that is not UTF-8 reaches Python as them."""
    drafts = Drafts(tmp_path_factory.mktemp("git"))
    drafts.keep(key, text, base)
    draft = drafts.get(key)
    assert (draft.key, draft.text, draft.base) == (key, text, base)
