"""Words as agents type them: lower case, without accents (`devolucion` is `devolución`)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: agents and SMEs often type without them."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
