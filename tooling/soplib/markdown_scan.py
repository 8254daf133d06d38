"""A line scanner over an SOP body: headings, numbered steps and links, with positions.

Linting thousands of files must take a second or two, so this reads lines with a few regular
expressions instead of rendering Markdown; fenced code and inline code are skipped like Markdown does.
Anchors use Python-Markdown's own `slugify`, so they are the ids the site will have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify, unique

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ORDERED_ITEM = re.compile(r"^( *)(\d{1,9})[.)][ \t]+(.*)$")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_COMMENT = re.compile(r"<!--.*?-->")
_EMPHASIS = re.compile(r"[*_`]")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    column: int
    anchor: str


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    column: int
    image: bool = False


@dataclass(frozen=True)
class Step:
    number: int
    text: str
    line: int
    indent: int


@dataclass
class Body:
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    first_line: int = 1
    lines: list[str] = field(default_factory=list)  # the body with code blanked out, for text checks

    @property
    def anchors(self) -> set[str]:
        return {heading.anchor for heading in self.headings}

    def section_of(self, line: int) -> Heading | None:
        """The H2 a line belongs to."""
        current = None
        for heading in self.headings:
            if heading.line > line:
                break
            if heading.level == 2:
                current = heading
        return current


def heading_text(raw: str) -> str:
    """Heading text as a reader sees it: link text kept, emphasis marks dropped."""
    return _EMPHASIS.sub("", _LINK.sub(lambda m: m.group(2), raw)).strip()


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def scan(body: str, first_line: int) -> Body:
    result = Body(first_line=first_line)
    used_ids: set[str] = set()
    fence: str | None = None
    for offset, raw in enumerate(body.split("\n")):
        number = first_line + offset
        start = raw.lstrip(" ")[:1]  # most lines are prose: test cheap characters before any regex
        opening = FENCE.match(raw) if start in ("`", "~") else None
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            result.lines.append("")
            continue
        if opening:
            fence = opening.group(1)
            result.lines.append("")
            continue
        line = _INLINE_CODE.sub(_spaces, raw) if "`" in raw else raw
        if "<!--" in line:
            line = _COMMENT.sub(_spaces, line)
        if start == "#":
            heading = HEADING.match(line)
            if heading:
                text = heading_text(heading.group(2))
                anchor = unique(slugify(text, "-"), used_ids)
                result.headings.append(Heading(len(heading.group(1)), text, number, 1, anchor))
        elif start.isdigit():
            item = _ORDERED_ITEM.match(line)
            if item:
                result.steps.append(
                    Step(int(item.group(2)), item.group(3).strip(), number, len(item.group(1)))
                )
        if "[" in line:
            for match in _LINK.finditer(line):
                result.links.append(Link(match.group(3), number, match.start() + 1, bool(match.group(1))))
            reference = _REFERENCE.match(line) if start == "[" else None
            if reference:
                result.links.append(Link(reference.group(1), number, reference.start(1) + 1))
        result.lines.append(line)
    return result
