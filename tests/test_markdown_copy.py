"""An SOP as one Markdown document, and summaries cut at a sentence (never in the middle of a word)."""

from __future__ import annotations

import yaml

from soplib.core.markdown_copy import sop_markdown, whole_sentences

PURPOSE = (
    "Los vendedores pueden apelar la baja de una publicación. Los agentes deciden, p. ej. con la evidencia, "
    "en 1.5 horas. ¿Y si falta? Se pide."
)


def test_whole_sentences_that_fit() -> None:
    assert whole_sentences(PURPOSE, 60) == "Los vendedores pueden apelar la baja de una publicación."
    assert whole_sentences(PURPOSE, 120).endswith("en 1.5 horas.")  # "p. ej." and "1.5" end no sentence
    assert whole_sentences(PURPOSE, 500) == PURPOSE


def test_a_first_sentence_too_long_is_cut_after_a_word() -> None:
    assert whole_sentences(PURPOSE, 40) == "Los vendedores pueden apelar la baja…"
    assert whole_sentences("", 40) == ""


def test_an_sop_as_one_markdown_document() -> None:
    fields = {"id": "SOP-APL-001", "title": "Apelación", "version": "1.0.0", "effective_date": "2026-01-12"}
    text = sop_markdown(
        {**fields, "owner": "@org/appeals", "source_version": None}, "## Propósito\n\nTexto.\n", ["Nota."]
    )
    front, body = text.removeprefix("---\n").split("---\n", 1)
    assert yaml.safe_load(front) == {**fields, "owner": "@org/appeals"}  # empty fields left out
    assert body == "\n# Apelación\n\n> Nota.\n\n## Propósito\n\nTexto.\n"
