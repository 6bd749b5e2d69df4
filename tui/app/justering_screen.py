"""A protocol's justering in full: who signed which version and when, whose signature does not
count and why, who is still to sign, and what changed since the version justerat, word by
word."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..lifecycle import ProtocolState
from ..terminal import clean
from .history_screen import change_text
from .key_bar import KeyBar


class JusteringScreen(Screen[None]):
    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, state: ProtocolState):
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="justering"):
            yield Static(self._report())
        yield KeyBar({"justering": ("close",)})

    def on_mount(self) -> None:
        self.query_one("#justering").focus()

    def _report(self) -> Content:
        state, justering = self.state, self.state.justering
        parts: list[str | tuple[str, str] | Content] = [
            (clean(f"{state.entry.key.removesuffix('.toml')}: {state.phrase()}"), "bold"),
            "\n\n",
        ]
        if justering is None:
            _, missing = state.signed()
            parts.append(clean(f"No signatures yet. To sign: {', '.join(missing)}.\n"))
            parts.append("Each signs with `minutes sign MEETING --as NAME` (docs/justering.md).")
            return Content.assemble(*parts)
        for s in justering.signatures:
            when = f"{s.date:%Y-%m-%d %H:%M}" if s.date else "undated"
            what = f"§{s.item}" if s.item is not None else f"version {s.version[:12]}"
            verdict = "signed" if s.counts else "NOT COUNTED" if s.bad else "other version"
            line = f"{verdict}  {s.signer}, {s.role}, {when}, {what}"
            parts.append((clean(line), "$text-error" if s.bad else ""))
            if s.reason:
                parts.append((clean(f"\n    {s.reason}"), "$text-error" if s.bad else ""))
            parts.append("\n")
        for signer in justering.missing:
            parts.append(clean(f"missing  {signer.name}, {signer.role}\n"))
        if justering.changes:
            parts += ["\n", ("Changed since the version justerat:", "bold $text-error"), "\n\n"]
            for change in justering.changes:
                parts += [change_text(change, markers=self.app.no_color), "\n\n"]
        elif justering.justerat:
            parts += ["\n", "Unchanged since the version justerat."]
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.dismiss(None)
