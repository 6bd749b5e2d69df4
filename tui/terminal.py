"""Making text from files safe to print: control characters are shown, never obeyed.

A meeting file could carry escape sequences that recolour, move the cursor or retitle the
terminal; bidirectional overrides could make printed text read differently from what is stored.
"""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    if char < "\x20":
        return chr(0x2400 + ord(char))  # the Control Pictures block: ␛ for ESC
    if char == "\x7f":
        return "\u2421"
    return f"<U+{ord(char):04X}>"


def clean(text: str) -> str:
    """`text` with every control character but newline and tab made visible."""
    return UNSAFE.sub(_visible, text)
