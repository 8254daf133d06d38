"""Word-level diff of one line of Markdown, with numbers set apart so that a changed time limit stands out.

Tokens are words, numbers ("5,000", "17:00", "90%", "24h"), the `**` of bold text, a link's target, and
single punctuation marks; the spaces between them are kept so that the output reads as the source does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from soplib.diff.model import Op, Piece

_TOKEN = re.compile(r"\*\*|__|\]\([^)\s]*\)|\d+(?:[.,:/]\d+)*(?:%|h\b)?|\w+(?:['\u2019-]\w+)*|\S")
_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"^\w+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
Opcode = tuple[str, int, int, int, int]
_LONGEST = 60  # characters of a changed figure's context in the summary


def words(text: str) -> tuple[str, ...]:
    return tuple(match.group() for match in _TOKEN.finditer(text))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(the space before it, token) for every token of `text`."""
    found, end = [], 0
    for match in _TOKEN.finditer(text):
        found.append((text[end : match.start()], match.group()))
        end = match.end()
    return found


def _add(pieces: list[Piece], op: Op, text: str, figure: bool = False) -> None:
    if not text:
        return
    last = pieces[-1] if pieces else None
    if last is not None and last.op is op and not figure and not last.figure:
        pieces[-1] = Piece(op, last.text + text)
    else:
        pieces.append(Piece(op, text, figure))


def _marked(pieces: list[Piece], op: Op, tokens: list[tuple[str, str]]) -> None:
    """A run of inserted or deleted tokens; the space before it stays outside the mark, numbers apart."""
    for index, (space, token) in enumerate(tokens):
        if index == 0:
            _add(pieces, Op.SAME, space)
        else:
            _add(pieces, op, space)
        _add(pieces, op, token, figure=bool(_NUMBER.search(token)))


def whole(op: Op, text: str) -> tuple[Piece, ...]:
    """A line that is only in one of the versions."""
    pieces: list[Piece] = []
    _marked(pieces, op, _tokens(text))
    return tuple(pieces)


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in _readable(matcher.get_opcodes(), a, b):
        if tag == "equal":
            # after a deletion at the start of the line the new side has no space before the first word
            first = b[j1][0] or a[i1][0]
            _add(pieces, Op.SAME, first + b[j1][1] + "".join(s + t for s, t in b[j1 + 1 : j2]))
        else:
            _marked(pieces, Op.DELETE, a[i1:i2])
            _marked(pieces, Op.INSERT, b[j1:j2])
    return tuple(pieces)


def _readable(opcodes: Sequence[Opcode], a: list[tuple[str, str]], b: list[tuple[str, str]]) -> list[Opcode]:
    """Fold a short run of common words between two changes into them ("[-um-] {+o+}" then "não", then
    another change reads worse than one change), as diff-match-patch's semantic clean-up does."""
    ops = list(opcodes)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if tag == "equal" and before[0] != "equal" and after[0] != "equal":
            common = _chars(a, i1, i2)
            if common <= _changed(before, a, b) and common <= _changed(after, a, b):
                ops[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                k = max(1, k - 1)
                continue
        k += 1
    return ops


def _chars(tokens: list[tuple[str, str]], start: int, end: int) -> int:
    return sum(len(space) + len(token) for space, token in tokens[start:end])


def _changed(op: Opcode, a: list[tuple[str, str]], b: list[tuple[str, str]]) -> int:
    return max(_chars(a, op[1], op[2]), _chars(b, op[3], op[4]))


def figures(pieces: tuple[Piece, ...]) -> list[tuple[str, str]]:
    """Each run of changes that involves a number, as (before, after) with the unit that follows it."""
    found = []
    for start, end in _clusters(pieces):
        cluster = pieces[start:end]
        if not any(piece.figure for piece in cluster):
            continue
        old = "".join(p.text for p in cluster if p.op is not Op.INSERT)
        new = "".join(p.text for p in cluster if p.op is not Op.DELETE)
        before = _last_word(pieces[start - 1].text) if start > 0 else ""
        after = _first_word(pieces[end].text) if end < len(pieces) else ""
        before = before if _CURRENCY.match(before) else ""
        unit = cluster[-1].figure and not before and _WORD.match(after) and not after.isdigit()
        after = after if unit else ""  # an amount in a currency takes no unit after it: "MXN 500 are"
        found.append((_context(before, old, after), _context(before, new, after)))
    return found


def _clusters(pieces: tuple[Piece, ...]) -> list[tuple[int, int]]:
    """Runs of inserted and deleted pieces (with the spaces between them)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, piece in enumerate(pieces):
        if piece.op is not Op.SAME:
            start = index if start is None else start
        elif start is not None and piece.text.strip():
            runs.append((start, index))
            start = None
    if start is not None:
        runs.append((start, len(pieces)))
    return runs


def _first_word(text: str) -> str:
    parts = text.split()
    return parts[0].rstrip(".,;:") if parts and text[:1].isspace() else ""


def _last_word(text: str) -> str:
    parts = text.split()
    return parts[-1] if parts and text[-1:].isspace() else ""


def _context(before: str, text: str, after: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) > _LONGEST:
        parts = text.split()
        numbered = [i for i, part in enumerate(parts) if _NUMBER.search(part)] or [0]
        first, last = max(0, numbered[0] - 3), min(len(parts), numbered[-1] + 4)
        text = ("… " if first else "") + " ".join(parts[first:last]) + (" …" if last < len(parts) else "")
    return " ".join(part for part in (before, text, after) if part)
