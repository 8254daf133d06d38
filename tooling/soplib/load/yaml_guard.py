"""What front matter must not hand to libyaml's loader, checked before it: nesting that would crash it,
and the few invalid constructions it reads anyway (found with the YAML test suite).

libyaml's parser keeps its own stack, but the composer that builds nodes (Cython) recurses in C: tens of
thousands of nested levels overflow the C stack and kill the process. A cheap scan of the text decides
whether a closer look is needed; the closer look reads libyaml's own tokens and events (never nodes),
which are safe at any depth and exact. Ordinary front matter never needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_DEPTH = 20
# At most this many characters that can open a level (so at most this deep): the composer is safe there.
_SAFE_OPENERS = 1000
_OPENERS = ("[", "{", ":", "- ", "-\n", "-\t", "? ", "?\n", "?\t")  # flow, mapping, sequence, key
# Text that may hold what libyaml reads although YAML forbids it (see _lenient): cheap searches, each
# run only when the character it is about is there at all.
_GLUED_HASH = re.compile(r"\S#")
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$", re.MULTILINE)
_OPEN_BRACKET = re.compile(r"[\[{][^\]}\n]*$", re.MULTILINE)  # still open at the end of a line
_LONE_DASH = re.compile(r"[\[,]\s*-\s*[\],]")
_ITEM_RUNS = re.compile(r"(?:[-?] +)+")  # "- - - ": lists opened on one line
_QUOTED = re.compile(r'"[^"\n]*(?:"|$)', re.MULTILINE)  # a quoted text, or one still open at a line's end


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based, in the YAML text
    column: int
    rule: str
    message: str
    hint: str


def check(text: str) -> Problem | None:
    """The first problem of the YAML `text`, or None. Never raises, whatever the text."""
    if not _needs_a_closer_look(text):
        return None
    try:
        return _too_deep(text) or _lenient(text)
    except yaml.YAMLError:
        return None  # the loader then reports the syntax error with its own words


def _needs_a_closer_look(text: str) -> bool:
    return (
        sum(text.count(opener) for opener in _OPENERS) + text.endswith(("-", "?")) > _SAFE_OPENERS
        or _rough_depth(text) > MAX_DEPTH
        or _unusual(text)
    )


def _unusual(text: str) -> bool:
    return bool(
        "'" in text  # a single-quoted text may go on to the next line (an apostrophe costs a closer look)
        or ("#" in text and _GLUED_HASH.search(text))
        or ("%" in text and _DIRECTIVE.search(text))
        or (("|" in text or ">" in text) and _BLOCK_HEADER.search(text))
        or (("[" in text or "{" in text) and (_OPEN_BRACKET.search(text) or _LONE_DASH.search(text)))
        or ('"' in text and any(len(m[0]) == 1 or m[0][-1] != '"' for m in _QUOTED.finditer(text)))
    )


def _rough_depth(text: str) -> int:
    """About how deep, erring deep: two levels per indentation (a mapping and a list can share one),
    plus every bracket and every list item opened on the line of another."""
    indents = {len(line) - len(line.lstrip(" ")) for line in text.split("\n") if line.strip()}
    nested = "- -" in text or "? " in text  # a list opened on the line of another (rare: look only then)
    items = max((len(run.split()) for run in _ITEM_RUNS.findall(text)), default=0) if nested else 1
    return 2 * len(indents) + text.count("[") + text.count("{") + items


def _too_deep(text: str) -> Problem | None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _at(event.start_mark)
                return Problem(
                    line,
                    column,
                    "yaml-depth",
                    f"the front matter is nested more than {MAX_DEPTH} levels deep",
                    "front matter holds fields, lists and the list of changes: a few levels at most",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


_YAML_LINES = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _lenient(text: str) -> Problem | None:
    """What libyaml reads although YAML forbids it: the reader of the site or of GitHub may read it
    otherwise, so it is refused here."""
    lines = _YAML_LINES.split(text)  # libyaml's marks count lines as YAML does: NEL, LS and PS break too
    indents, flow, last_line = [-1], 0, 0
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        start, end = token.start_mark, token.end_mark
        if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)):
            indents.append(start.column)
        elif isinstance(token, yaml.BlockEndToken):
            indents.pop()
        elif isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            flow += 1
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            flow -= 1
        problem = (
            _directive(token)
            or _glued_comment(lines, token)
            or _lone_dash(token, flow)
            or _under_indented(lines, token, flow, indents[-1], last_line)
            or _block_scalar_blanks(lines, token)
        )
        if problem is not None:
            return problem
        last_line = end.line
    return None


def _at(mark: Any) -> tuple[int, int]:
    """(line, column) of a mark of either loader (pure Python or libyaml)."""
    return (mark.line, mark.column) if mark is not None else (0, 0)


def _syntax(at: tuple[int, int], message: str, hint: str) -> Problem:
    return Problem(*at, "yaml-syntax", f"invalid YAML: {message}", hint)


def _directive(token: yaml.Token) -> Problem | None:
    if isinstance(token, yaml.DirectiveToken):
        return _syntax(_at(token.start_mark), "a YAML directive (%) in front matter", "delete the line")
    return None


def _glued_comment(lines: list[str], token: yaml.Token) -> Problem | None:
    """A comment starts at '#' only after a space: libyaml also takes '"text"#…', '[a]#…' and '>#…'."""
    mark = token.end_mark
    after = lines[mark.line][mark.column :] if mark.line < len(lines) else ""
    if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
        header = lines[token.start_mark.line][token.start_mark.column :]
        after = header.lstrip("|>+-0123456789")
    empty = _at(token.start_mark) == _at(mark)  # a token of no text (stream start, block start …)
    if after.startswith("#") and not empty and not (isinstance(token, yaml.ScalarToken) and token.plain):
        return _syntax(_at(mark), "a comment must have a space before '#'", "put a space before #")
    return None


def _lone_dash(token: yaml.Token, flow: int) -> Problem | None:
    if flow and isinstance(token, yaml.ScalarToken) and token.plain and token.value == "-":
        return _syntax(_at(token.start_mark), "'-' alone inside [ ] or { }", "put it in quotes: '-'")
    return None


def _under_indented(
    lines: list[str], token: yaml.Token, flow: int, indent: int, last_line: int
) -> Problem | None:
    """Text that goes on to the next line inside [ ], { } or quotes must be indented under its field."""
    start, end = token.start_mark, token.end_mark
    if flow and start.line > last_line and start.column <= indent:
        return _syntax(
            _at(start), "a line inside [ ] or { } is not indented", "indent the line under its field"
        )
    if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
        for number in range(start.line + 1, end.line + 1):
            text = lines[number]
            if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
                return _syntax(
                    (number, 0),
                    "a line of quoted text is not indented",
                    "indent the line under its field",
                )
    return None


def _block_scalar_blanks(lines: list[str], token: yaml.Token) -> Problem | None:
    """Blank lines at the start of a | or > text must not be longer than the text's indentation."""
    if not (isinstance(token, yaml.ScalarToken) and token.style in ("|", ">")):
        return None
    if re.match(r"[|>][-+]?[1-9]", lines[token.start_mark.line][token.start_mark.column :]):
        return None  # an indentation given in the header: longer blank lines are text
    blanks: list[int] = []
    for number in range(token.start_mark.line + 1, len(lines)):
        if lines[number].strip():
            indent = len(lines[number]) - len(lines[number].lstrip(" "))
            if any(len(lines[blank]) > indent for blank in blanks):
                return _syntax(
                    (blanks[0], 0),
                    "a blank line at the start of a | or > text has more spaces than the text",
                    "remove the spaces from the blank line",
                )
            return None
        blanks.append(number)
    return None
