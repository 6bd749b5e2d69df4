"""The fields of the forms, behaving as in an editor: entering a field first puts the cursor at
the end of its text instead of selecting it all (so the first key typed adds to a title rather
than replacing it), in one-line and many-line fields alike, and Home and End go to the start
and end of the line as written, not of the row it wraps to."""

from __future__ import annotations

from textual.widgets import Input, TextArea
from textual.widgets.text_area import Location


class LineField(Input):
    def __init__(self, value: str = "", **kwargs) -> None:
        super().__init__(value, select_on_focus=False, **kwargs)


class TextField(TextArea):
    _entered = False

    def on_focus(self) -> None:
        if not self._entered:
            self._entered = True
            self.move_cursor(self.document.end)

    def get_cursor_line_end_location(self) -> Location:
        row, _ = self.cursor_location
        return row, len(self.document.get_line(row))

    def get_cursor_line_start_location(self, smart_home: bool = False) -> Location:
        """Column 0; with `smart_home` the first non-blank, then column 0."""
        row, column = self.cursor_location
        line = self.document.get_line(row)
        indent = len(line) - len(line.lstrip())
        return row, indent if smart_home and column != indent else 0
