"""Characters that change what a reader sees without being seen: bidi controls reorder text (U+202E then
"005 NXM" shows as "MXN 500") and zero-width characters hide inside words. The schema refuses them, and
control characters, in ids, titles and summaries (its `line` definition, kept equal to these by a test);
lint warns about them in bodies."""

from __future__ import annotations

import re
import unicodedata

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = re.compile(f"[{BIDI}{ZERO_WIDTH}]")
_UNSEEN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{BIDI}{ZERO_WIDTH}]")


_CONTROLS = {"\t": "TAB", "\n": "LINE FEED: a line break", "\r": "CARRIAGE RETURN: a line break"}


def name(character: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a finding names a character nobody can see."""
    described = _CONTROLS.get(character) or unicodedata.name(character, "a control character")
    return f"U+{ord(character):04X} ({described})"


def visible(text: str) -> str:
    """`text` for a message: each unseen character (control, bidi, zero-width) written as <U+XXXX>."""
    return _UNSEEN.sub(lambda match: f"<U+{ord(match[0]):04X}>", text)


def first_unseen(text: str) -> tuple[int, str] | None:
    """The 0-based index and the first unseen character of `text`, if any."""
    match = _UNSEEN.search(text)
    return (match.start(), match[0]) if match else None
