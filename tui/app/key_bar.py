"""The keys that work where the focus is, on as many lines as the width needs.

Textual's Footer keeps to one line and cuts off what does not fit, and 80 columns hold about
eight keys. The bar wraps instead, and shows per focused widget the actions that matter
there: the meeting list shows the keys for finding meetings, the open meeting the keys for
editing it. Bindings marked `show` are listed everywhere.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

_GAP = "  "


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, context: dict[str, tuple[str, ...]] | None = None, **kwargs):
        """`context`: for a widget id, the actions to list while that widget has focus."""
        super().__init__(**kwargs)
        self.context = context or {}

    def on_mount(self) -> None:
        # Published on every change of focus, too.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh(layout=True)

    def shown_keys(self) -> list[tuple[str, str, bool]]:
        """(keys, description, enabled) in the order shown: the focus's actions, then the
        bindings shown everywhere, then the command palette."""
        focused = self.screen.focused
        wanted = self.context.get(focused.id or "", ()) if focused else ()
        # By description: the bindings of a group share the group's, and show one key each.
        shown: dict[str, tuple[dict[str, str], bool, int]] = {}
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            display = self.app.get_key_display(binding)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (display, "Palette", enabled)
            action = binding.action.split("(", 1)[0]  # move_item(-1) is move_item
            if not binding.description or not (binding.show or action in wanted):
                continue
            description = binding.group.description if binding.group else binding.description
            rank = wanted.index(action) if action in wanted else len(wanted)
            keys, _, _ = shown.setdefault(description, ({}, enabled, rank))
            keys.setdefault(binding.action, display)
        ordered = sorted(shown.items(), key=lambda item: item[1][2])
        listed = [("/".join(k.values()), d, enabled) for d, (k, enabled, _) in ordered]
        return listed + ([palette] if palette and self.app.ENABLE_COMMAND_PALETTE else [])

    def _lines(self, width: int) -> list[Text]:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        lines: list[Text] = []
        line = Text()
        for keys, description, enabled in self.shown_keys():
            item = Text.assemble((keys, key_style), " ", (description, description_style))
            if not enabled:
                item.stylize("dim")
            if line and line.cell_len + len(_GAP) + item.cell_len > width:
                lines.append(line)
                line = Text()
            if line:
                line.append(_GAP)
            line.append_text(item)
        return [*lines, line] if line else lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_region.width))
