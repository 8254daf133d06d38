"""An SOP as one Markdown document for programs and AI assistants, and summaries cut at a sentence.

Plain data in, text out: `sop mcp` answers with these, and the site's Markdown copies and llms.txt files
can be written by the same functions (the fields are those of a catalog.json entry).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

# A sentence ends at . ! ? or … followed by a space and what starts a sentence (a capital, a digit, an
# opening quote or bracket, Spanish ¿ ¡): "e.g. the seller" and "1.5 hours" do not end one.
_SENTENCE_END = re.compile(
    r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[¿¡]*[A-ZÀ-ÞĀ-Ž0-9])"
)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: the same text, a tenth of the time


def front_matter(fields: Mapping[str, object]) -> str:
    """The fields as a YAML front-matter block, in their order; empty ones left out."""
    kept = {key: value for key, value in fields.items() if value not in (None, "", [], {})}
    dumped = yaml.dump(
        kept, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False
    )
    return f"---\n{dumped}---\n"


def sop_markdown(fields: Mapping[str, object], body: str, notes: list[str] | tuple[str, ...] = ()) -> str:
    """One SOP as a Markdown document: its metadata as front matter, its title as the heading, `notes` for
    the reader (a translation that lags English, say) as a quote, then the body as written."""
    title = str(fields.get("title") or fields.get("id") or "")
    parts = [front_matter(fields).rstrip("\n"), f"# {' '.join(title.split())}"]
    parts += [f"> {' '.join(note.split())}" for note in notes if note]
    return "\n\n".join([*parts, body.strip()]) + "\n"


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(" ".join(text.split())) if part]


def whole_sentences(text: str, limit: int = 200) -> str:
    """As many whole sentences of `text` as fit in `limit` characters; when not even the first one fits, it
    is cut after a word, with "…" (never in the middle of a word)."""
    found = sentences(text)
    if not found:
        return ""
    kept = found[0]
    for sentence in found[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept += " " + sentence
    if len(kept) <= limit:
        return kept
    cut = kept[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-\u2013\u2014")
    return cut + "…"
