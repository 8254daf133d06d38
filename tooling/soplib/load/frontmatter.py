"""Read one SOP file: bytes -> text -> front matter (with the position of every key) and body.

Everything that can be wrong with a file's bytes or YAML becomes a finding here; nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from soplib.core.model import Finding, KeyPath, Position, Severity
from soplib.load import yaml_guard, yaml_mistakes

BOM = b"\xef\xbb\xbf"
FENCE = "---"
_LEADING_TAB = re.compile(r"^[ ]*\t")
_CONFLICT_EDGE = re.compile(r"^(<{7}|>{7})(?: |$)")
_CONFLICT_MIDDLE = re.compile(r"^(?:={7}|\|{7}(?: .*)?)$")  # ||||||| starts the base, in diff3 style


class _Loader(yaml.CSafeLoader):
    """Safe YAML that keeps dates as written (the schema checks them as text, as JSON Schema expects)."""


_Loader.yaml_constructors = dict(yaml.CSafeLoader.yaml_constructors)
_Loader.yaml_constructors["tag:yaml.org,2002:timestamp"] = _Loader.yaml_constructors["tag:yaml.org,2002:str"]


@dataclass
class ParsedFile:
    meta: dict[str, Any] | None = None
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    lines_total: int = 0
    findings: list[Finding] = field(default_factory=list)

    def add(self, path: str, rule: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.findings.append(Finding(path, line, column, Severity.ERROR, rule, message, hint))


def parse_file(raw: bytes, path: str) -> ParsedFile:
    parsed = ParsedFile()
    if raw.startswith(BOM):
        parsed.add(
            path,
            "file-bom",
            1,
            1,
            "the file starts with a byte-order mark (BOM)",
            "save the file as UTF-8 without BOM",
        )
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        parsed.add(
            path,
            "file-encoding",
            line,
            column,
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file with UTF-8 encoding",
        )
        return parsed
    text = _normalise_line_endings(text, path, parsed)
    lines = text.split("\n")
    parsed.lines_total = len(lines)
    opened = lines[0].rstrip() == FENCE
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if "\t" in text:
        _check_tabs(lines, closing if opened else None, path, parsed)
    if "<<<<<<<" in text or ">>>>>>>" in text:
        _check_conflict_markers(lines, path, parsed)
    if not opened:
        parsed.add(
            path,
            "front-matter-missing",
            1,
            1,
            "the file does not start with front matter",
            "the first line must be --- , followed by the YAML fields and a closing ---",
        )
        return parsed
    if closing is None:
        parsed.add(
            path,
            "front-matter-unclosed",
            1,
            1,
            "the front matter is never closed",
            "add a line with --- after the last front-matter field",
        )
        return parsed
    parsed.body = "\n".join(lines[closing + 1 :])
    parsed.body_line = closing + 2
    _parse_yaml(lines[1:closing], path, parsed)
    return parsed


def _byte_position(raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _normalise_line_endings(text: str, path: str, parsed: ParsedFile) -> str:
    if "\r" not in text:
        return text  # Unix line endings only: most files, and nothing to count
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    if sum(1 for count in (crlf, lone_cr, lone_lf) if count) > 1:
        line = _first_minority_line(text, crlf, lone_lf)
        parsed.add(
            path,
            "file-line-endings",
            line,
            1,
            f"mixed line endings: {crlf} Windows (CRLF), {lone_lf} Unix (LF), {lone_cr} old Mac (CR)",
            "use one kind of line ending (LF) in the whole file; most editors can convert it",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_minority_line(text: str, crlf: int, lone_lf: int) -> int:
    minority_is_crlf = crlf <= lone_lf
    for number, line in enumerate(text.replace("\r\n", "\x00").replace("\r", "\n").split("\n"), 1):
        if ("\x00" in line) == minority_is_crlf:
            return number
    return 1


def _check_tabs(lines: list[str], closing: int | None, path: str, parsed: ParsedFile) -> None:
    """The first line indented with a tab; in the front matter (lines 1 to `closing`), with the line as it
    should be."""
    for number, line in enumerate(lines, 1):
        if _LEADING_TAB.match(line):
            if closing is not None and 1 < number <= closing:
                found = yaml_mistakes.tab(lines[1:closing], number - 2)
                parsed.add(path, "file-tabs", number, found.column, found.message, found.hint)
            else:
                parsed.add(
                    path,
                    "file-tabs",
                    number,
                    line.index("\t") + 1,
                    "a tab is used for indentation",
                    "indent with spaces: YAML forbids tabs and Markdown reads them inconsistently",
                )
            return  # one finding per file is enough to act on


def _check_conflict_markers(lines: list[str], path: str, parsed: ParsedFile) -> None:
    """Lines git writes around both sides of a conflict. `=======` alone is also a Markdown heading's
    underline: a marker only between a `<<<<<<<` line and a `>>>>>>>` line."""
    inside = False
    for number, line in enumerate(lines, 1):
        edge = _CONFLICT_EDGE.match(line)
        if edge:
            inside = edge[1].startswith("<")
        elif not (inside and _CONFLICT_MIDDLE.match(line)):
            continue
        parsed.add(
            path,
            "merge-conflict",
            number,
            1,
            f"a git merge-conflict marker ({line[:7]}): both sides of a conflicting change are still here",
            "keep the lines you want, delete the other side and the marker lines <<<<<<<, ======= "
            "and >>>>>>>",
        )


def parse_yaml(text: str, path: str, parsed: ParsedFile) -> None:
    """The front matter's YAML (`text`, which starts on line 2 of the file) into `parsed`."""
    _parse_yaml(text.split("\n"), path, parsed)


def _parse_yaml(fm_lines: list[str], path: str, parsed: ParsedFile) -> None:
    first_line = 2  # the front matter starts on the line after the opening ---
    text = "\n".join(fm_lines)
    in_front_matter = range(first_line, first_line + len(fm_lines))
    said = {f.rule for f in parsed.findings if f.line in in_front_matter}
    if "merge-conflict" in said:
        return  # two versions of the fields: the conflict-marker findings say why it cannot be read
    refused = yaml_guard.check(text)  # before libyaml's loader, which some text would crash
    if refused is not None:
        if refused.rule != "yaml-syntax" or "file-tabs" not in said:
            parsed.add(
                path,
                refused.rule,
                refused.line + first_line,
                refused.column + 1,
                refused.message,
                refused.hint,
            )
        return
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            parsed.meta = {}
            return
        walker = _PositionWalker(first_line, path, fm_lines)
        walker.walk(node, ())
        parsed.positions = walker.positions
        parsed.findings.extend(walker.findings)
        if walker.sign is not None:
            # `title: &co Returns` reads as "Returns"; an alias can multiply a value a billion times
            _explained(parsed, path, yaml_mistakes.starts_with_sign(fm_lines, walker.sign), walker.sign)
            return
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        if "file-tabs" not in said:
            found = yaml_mistakes.explain(fm_lines, error)
            _explained(parsed, path, found, found.index)
        return
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        parsed.add(
            path,
            "yaml-syntax",
            first_line,
            1,
            "the front matter is too complicated to read",
            "write plain fields: key: value, with text, numbers, dates and lists",
        )
        return
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        parsed.add(
            path,
            "front-matter-not-mapping",
            first_line,
            1,
            f"the front matter must be a list of 'key: value' fields, found {_kind(data)}",
            "write one field per line, e.g. 'title: Seller appeal of a listing removal'",
        )
        return
    parsed.meta = _string_keys(data)


def _explained(parsed: ParsedFile, path: str, found: yaml_mistakes.Explained | None, index: int) -> None:
    if found is None:  # a sign the line itself does not show (an alias inside [ ]): say it plainly
        found = yaml_mistakes.Explained(
            index, 1, "the signs & and * cannot start a value here", "write the value out in full, in quotes"
        )
    parsed.add(path, "yaml-syntax", found.index + 2, found.column, found.message, found.hint)


def _kind(value: object) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _string_keys(value: Any) -> Any:
    """JSON Schema needs text keys; YAML allows `1: x` or `yes: x`."""
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value


class _PositionWalker:
    """Records where each key and list item starts, and reports duplicate keys (PyYAML keeps the last)."""

    def __init__(self, first_line: int, path: str, lines: list[str]) -> None:
        self.first_line = first_line
        self.path = path
        self.lines = lines
        self.positions: dict[KeyPath, Position] = {}
        self.findings: list[Finding] = []
        self._seen: set[int] = set()
        self.sign: int | None = None  # the first line (from 0) with an anchor (&), alias (*) or tag (!)

    def _at(self, node: yaml.Node) -> Position:
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def _note_sign(self, index: int) -> None:
        self.sign = index if self.sign is None else min(self.sign, index)

    def walk(self, node: yaml.Node, path: KeyPath) -> None:
        if id(node) in self._seen:  # an alias: the composer hands back the node it names
            self._note_sign(self.positions.get(path, self._at(node))[0] - self.first_line)
            return
        self._seen.add(id(node))
        mark = node.start_mark
        if mark.line < len(self.lines) and self.lines[mark.line][mark.column : mark.column + 1] in "&!":
            self._note_sign(mark.line)
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, Position] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                where = self._at(key_node)
                if key in first_seen and key != "<<":
                    dotted = ".".join(str(p) for p in (*path, key))
                    self.findings.append(
                        Finding(
                            self.path,
                            *where,
                            Severity.ERROR,
                            "yaml-duplicate-key",
                            f"'{dotted}' is set twice (first on line {first_seen[key][0]}); "
                            "only the last one would count",
                            "keep one of the two lines",
                        )
                    )
                first_seen.setdefault(key, where)
                self.positions.setdefault((*path, key), where)
                self.walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.positions[(*path, index)] = self._at(item)
                self.walk(item, (*path, index))
