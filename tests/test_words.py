"""fold: lower case without accents, the same as removing every combining character of the decomposed
text, however the text is written (its fast paths for ASCII and for the first 65,536 characters)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from soplib.core.words import fold


def by_definition(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def test_every_character_folds_as_the_definition_says() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    first = every[: every.index("\U00010000")]
    assert fold(first) == by_definition(first)  # without characters beyond the first 65,536
    assert fold(every) == by_definition(every)
    assert fold("Devolución, AÇÃO, pingüino") == "devolucion, acao, pinguino"


@given(st.text())
def test_any_text_folds_as_the_definition_says(text: str) -> None:
    assert fold(text) == by_definition(text)
