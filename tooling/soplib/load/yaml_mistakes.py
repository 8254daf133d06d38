"""Front matter that YAML cannot read, explained in the words of the person who wrote it.

PyYAML says where it stopped reading ("found character that cannot start any token"). The lines there
are matched against the mistakes SMEs make: a value starting with a sign YAML reserves, a value with
": " in it, an entry or a field indented differently from the ones beside it, an unclosed [, { or quote,
a tab. Each becomes one plain sentence and, as the hint, the line as it should be written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import yaml

# indent, "- " of a list entry, "key:", the value; a key never starts with a sign or a quote
_LINE = re.compile(
    r"^(?P<indent> *)(?P<dash>- +)?(?:(?P<key>[^\s:#\"'\[{&*!%@`|>-][^:#]*?):(?: +|$))?(?P<value>.*)$"
)
SIGNS = "@`%!&*"  # a plain value cannot start with them
_OPENERS = {"[": "]", "{": "}", '"': '"', "'": "'"}
_BLOCK_TEXT = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")  # `summary: >`: the lines below are text


@dataclass(frozen=True)
class Explained:
    index: int  # the line, counted from 0 in the front matter
    column: int  # from 1
    message: str
    hint: str


@dataclass(frozen=True)
class _Line:
    indent: int
    dash: str
    key: str | None
    value: str
    value_at: int  # where the value starts, from 0


def _parse(line: str) -> _Line:
    found = _LINE.match(line)
    assert found is not None  # every group is optional
    return _Line(
        len(found["indent"]), found["dash"] or "", found["key"], found["value"].rstrip(), found.start("value")
    )


def _quoted(text: str) -> str:
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _with_value_quoted(line: str, parsed: _Line) -> str:
    value, _, comment = parsed.value.partition(" #")
    return line[: parsed.value_at] + _quoted(value.rstrip()) + (f"  #{comment}" if comment else "")


def _label(lines: list[str], index: int) -> str:
    """The field a line belongs to: its own key, else the key of the nearest line above that holds it."""
    parsed = _parse(lines[index])
    if parsed.key:
        return parsed.key
    for above in reversed(lines[:index]):
        candidate = _parse(above)
        if candidate.key and candidate.indent < parsed.indent + len(parsed.dash):
            return candidate.key
    return "this line"


# -- the mistakes ----------------------------------------------------------------------------------------
def starts_with_sign(lines: list[str], index: int) -> Explained | None:
    """`owner: @org/appeals-leads`, `- *urgent*`, `title: &co Returns`: a value that must be quoted."""
    parsed = _parse(lines[index])
    if not parsed.value or parsed.value[0] not in SIGNS:
        return None
    return Explained(
        index,
        parsed.value_at + 1,
        f"{_label(lines, index)}: a value that starts with {parsed.value[0]} must be put in quotes",
        _with_value_quoted(lines[index], parsed),
    )


def _sign_in_list(lines: list[str], index: int, column: int) -> Explained | None:
    """`tags: [*urgent, b]`: an item of a [ ] list that starts with a sign."""
    line = lines[index]
    if line[column : column + 1] not in tuple(SIGNS) or "[" not in line[:column]:
        return None
    end = min((at for at in (line.find(c, column) for c in ",]") if at >= 0), default=len(line))
    item = line[column:end].rstrip()
    return Explained(
        index,
        column + 1,
        f"{_label(lines, index)}: an item that starts with {item[0]} must be put in quotes",
        line[:column] + _quoted(item) + line[column + len(item) :],
    )


def _colon_in_value(lines: list[str], index: int, column: int) -> Explained | None:
    """`summary: Note: agents wait`: YAML reads the second ": " as the start of another field."""
    parsed = _parse(lines[index])
    if not parsed.key or column < parsed.value_at or parsed.value[:1] in _OPENERS:
        return None
    inner = lines[index].find(":", parsed.value_at)
    if inner < 0:
        return None
    return Explained(
        index,
        inner + 1,
        f'{parsed.key}: a value that contains ": " must be put in quotes, or the text after it reads as '
        "another field",
        _with_value_quoted(lines[index], parsed),
    )


def _unclosed(lines: list[str], index: int, column: int) -> Explained | None:
    """`regions: [MX, BR`, `owner: "@org/appeals-leads`: the bracket or quote opened here never closes."""
    line = lines[index]
    opener = line[column : column + 1]
    closer = _OPENERS.get(opener)
    if closer is None or closer in line[column + 1 :]:
        return None
    what = "the quoted text" if opener in "\"'" else f"the {opener}"
    return Explained(
        index,
        column + 1,
        f"{_label(lines, index)}: {what} that starts here is never closed: end it with {closer}",
        line.rstrip() + closer,
    )


def misaligned(lines: list[str], upto: int) -> Explained | None:
    """The first line, up to `upto`, indented differently from most lines of its kind beside it."""
    for top, children in _blocks(lines):
        block = _Block(lines, top, children)
        for position, index in enumerate(children):
            if index > upto:
                return None
            found = block.check(position)
            if found is not None:
                return found
    return None


def _blocks(lines: list[str]) -> list[tuple[int, list[int]]]:
    """Each top-level line (-1 for lines before the first) with the indented lines under it."""
    blocks: list[tuple[int, list[int]]] = [(-1, [])]
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith(" "):
            blocks[-1][1].append(index)
        else:
            blocks.append((index, []))
    return blocks


class _Block:
    """A top-level line and the indented lines under it, each read once."""

    def __init__(self, lines: list[str], top: int, children: list[int]) -> None:
        self.lines, self.children = lines, children
        self.head = _parse(lines[top]) if top >= 0 else None
        self.parsed = [_parse(lines[i]) for i in children]
        preferred = self.head.indent + 2 if self.head else 2
        self.entry_indent = _usual([line.indent for line in self.parsed if line.dash], preferred)
        self.key_indent = _usual([line.indent for line in self.parsed if line.key], preferred)

    def check(self, position: int) -> Explained | None:
        """Whether child number `position` is aligned with the others."""
        head, index, parsed = self.head, self.children[position], self.parsed[position]
        if head is None or (head.value and not head.dash):
            if head is not None and (parsed.key is None or _BLOCK_TEXT.match(head.value)):
                return None  # a long value going on over the next lines, or the lines of a `key: >` text
            why = f"{_label(self.lines, index)}: this field is indented {{}} spaces, but a field of its own "
            return _moved(self.lines, index, 0, why + "starts at the left edge")
        siblings = self.parsed[:position]  # the lines above it in the block
        if parsed.dash:
            opened = next((line for line in reversed(siblings) if line.key), None)
            if opened is not None and not opened.value and parsed.indent >= opened.indent:
                return None  # a list inside an entry's field
            why = f"{head.key}: this entry is indented {{}} spaces, the others {self.entry_indent}"
            return _moved(self.lines, index, self.entry_indent, why)
        owner = next((line for line in reversed([head, *siblings]) if line.dash), None)  # its entry
        # in an entry, aligned with the first field after "- "
        expected = owner.indent + len(owner.dash) if owner is not None else self.key_indent
        if parsed.indent > expected and (parsed.key is None or _in_text(siblings)):
            return None  # a long value going on, or the lines of a `key: >` text
        why = f"{head.key}: this line is indented {{}} spaces, the other fields of its entry {expected}"
        return _moved(self.lines, index, expected, why if owner else why.replace(" of its entry", ""))


def _in_text(above: list[_Line]) -> bool:
    """Whether the nearest field above opened a `key: >` text, which the line below is part of."""
    field = next((line for line in reversed(above) if line.key), None)
    return field is not None and bool(_BLOCK_TEXT.match(field.value))


def _usual(indents: list[int], preferred: int) -> int:
    """The most common indentation; on a tie, the one closest to the usual two spaces more."""
    if not indents:
        return preferred
    counts = Counter(indents)
    return max(counts, key=lambda n: (counts[n], -abs(n - preferred)))


def _moved(lines: list[str], index: int, expected: int, why: str) -> Explained | None:
    """`why` has {} for the line's own indentation."""
    line = lines[index]
    spaces = len(line) - len(line.lstrip(" "))
    if spaces == expected:
        return None
    return Explained(index, 1, why.format(spaces), " " * expected + line.lstrip(" "))


def tab(lines: list[str], index: int) -> Explained:
    """A tab in the indentation: the line with spaces, as many as the lines beside it have."""
    spaced = [line.replace("\t", "  ") for line in lines]
    found = misaligned(spaced, index)
    fixed = found.hint if found is not None and found.index == index else spaced[index]
    return Explained(
        index,
        lines[index].index("\t") + 1,
        "this line is indented with a tab: the front matter must be indented with spaces",
        fixed,
    )


def explain(lines: list[str], error: yaml.MarkedYAMLError) -> Explained:
    """What PyYAML's error means in the SME's terms, at the line to change."""
    problem, context = error.problem_mark, error.context_mark
    last = len(lines) - 1
    mark = problem or context
    if last < 0 or mark is None:
        return _fallback(0, 0)
    line, column = min(mark.line, last), mark.column
    at_context = context is not None and context.line <= last
    finders: list[Callable[[], Explained | None]] = [
        lambda: _unclosed(lines, context.line, context.column) if context and at_context else None,
        lambda: starts_with_sign(lines, line),
        lambda: _sign_in_list(lines, line, column),
        lambda: _colon_in_value(lines, line, column),
        lambda: misaligned(lines, line),
        lambda: starts_with_sign(lines, context.line) if context and at_context else None,
    ]
    return next((found for finder in finders if (found := finder()) is not None), _fallback(line, column))


def _fallback(index: int, column: int) -> Explained:
    return Explained(
        index,
        column + 1,
        'the front matter cannot be read from here: this line is not laid out as "key: value" like the '
        "others",
        "check this line and the one above it: indent with spaces as the lines beside it do, and put a value "
        f'in quotes when it contains ": " or " #", or starts with one of {" ".join(SIGNS)}',
    )
