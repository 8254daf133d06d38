"""The worksheet as XLIFF 2.0 for translation tools (Crowdin, Weblate, Phrase, memoQ), and a returned file
read back, checked before anything is written.

Written with the standard library's ElementTree. translate-toolkit 3.20 writes XLIFF 2.0 too, but puts a
unit's <notes> inside its <segment>, where XLIFF 2.0 allows only <source> and <target>, does not read the
notes where the standard puts them (on the <unit>), and is GPL-3.0: for the five elements used here it
would bring more risk than help.

One <file> per SOP (id: the SOP id, original: the translation's path), one <group> per section, one <unit>
per changed block. A unit's id says the SOP, the versions, the section and the place (`step-3`,
`paragraph-2`, `new-step-4`); its notes carry the translation's text there now (to compare with on
import) and the English text before the change. A block that only moved is sent with its translation as
target. A returned file is parsed with DTDs refused (no entities, nothing fetched).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from soplib.core.errors import SopError
from soplib.diff.present import entry_text, section_name
from soplib.load.project import Project
from soplib.translate.render import where
from soplib.translate.worksheet import Segment, Worksheet

NS = "urn:oasis:names:tc:xliff:document:2.0"
_ANY_2X = re.compile(r"^\{urn:oasis:names:tc:xliff:document:2\.\d+\}xliff$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TRANSLATION_NOTE = "sop-translation"  # the translation's text at export: the file must still have it
ENGLISH_BEFORE_NOTE = "sop-english-before"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)  # unqualified: the root's xmlns puts it in XLIFF's
    child.text = text
    return child


def render_xliff(sheet: Worksheet, project: Project) -> str:
    """One XLIFF 2.0 file of the segments to translate; none to translate: an error (XLIFF needs a unit)."""
    if not sheet.segments:
        raise SopError(
            f"{sheet.sop_id} ({sheet.lang}) has nothing to translate: {sheet.path} translates English "
            f"{sheet.version}, the version in force"
        )
    if not sheet.to_translate:
        raise SopError(
            f"{sheet.sop_id} ({sheet.lang}): English only removed text since {sheet.source_version}; "
            f"delete it from {sheet.path} as the worksheet shows, and set source_version: {sheet.version}"
        )
    root = ET.Element("xliff", {"xmlns": NS, "version": "2.0", "srcLang": "en", "trgLang": sheet.lang})
    file = _element(root, "file", id=sheet.sop_id, original=sheet.path, canResegment="no")
    notes = _element(file, "notes")
    for line in [
        f"{sheet.path}: {sheet.source_version} -> {sheet.version}",
        *_summaries(sheet, project),
        "Markdown: keep **, `, [..](..), and list markers as they are.",
    ]:
        _element(notes, "note", line, category="sop-context")
    for section in sheet.sections:
        units = [segment for segment in section.segments if segment.needs_text]
        if not units:
            continue
        group = _element(file, "group", id=section.key or "preamble")
        group.set("name", section_name(project, section.change, sheet.lang))
        for segment in units:
            _unit(group, segment, where(sheet, project, section, segment))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _summaries(sheet: Worksheet, project: Project) -> list[str]:
    return [": ".join(entry_text(project, entry, sheet.lang)) for entry in sheet.diff.entries]


def _unit(group: ET.Element, segment: Segment, name: str) -> None:
    unit = _element(group, "unit", id=segment.id, name=name)
    notes = _element(unit, "notes")
    if segment.place is not None:
        _element(notes, "note", segment.place.text, category=TRANSLATION_NOTE)
    if segment.english_before:
        _element(notes, "note", segment.english_before, category=ENGLISH_BEFORE_NOTE)
    if not len(notes):
        unit.remove(notes)  # XLIFF: <notes> holds one <note> at least
    seeded = segment.unchanged and segment.place is not None
    part = _element(unit, "segment", **({"state": "translated"} if seeded else {}))
    _element(part, "source", segment.english).set(_XML_SPACE, "preserve")
    if seeded and segment.place is not None:
        _element(part, "target", segment.place.text).set(_XML_SPACE, "preserve")


# -- reading a returned file -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    target: str | None  # None: not translated
    translation_note: str | None  # the translation's text at export, where the tool kept the note


@dataclass(frozen=True)
class Returned:
    sop_id: str
    lang: str
    path: str  # the translation file it was exported for
    units: dict[str, Unit] = field(default_factory=dict)


class _NoDoctype(ET.TreeBuilder):
    """XLIFF has no DTD: a DOCTYPE is refused before any entity it declares is read."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise SopError("it has a DOCTYPE (XLIFF files have none)")


def read_xliff(raw: bytes, shown: str) -> Returned:
    """A returned XLIFF 2.x file as data; anything else is one line: what is wrong, nothing changed."""
    parser = ET.XMLParser(target=_NoDoctype())
    try:
        parser.feed(raw)
        root = parser.close()
    except ET.ParseError as error:
        raise SopError(f"{shown}: not a well-formed XML file ({error}); nothing was changed") from None
    except SopError as error:
        raise SopError(f"{shown}: {error}; nothing was changed") from None
    ns = _namespace(root, shown)
    files = root.findall(f"{{{ns}}}file")
    if root.get("srcLang") != "en" or not root.get("trgLang") or len(files) != 1:
        raise SopError(
            f"{shown}: not a file that `sop translate` exported (it has srcLang en, a trgLang and one "
            "<file>); nothing was changed"
        )
    file = files[0]
    units: dict[str, Unit] = {}
    for unit in file.iter(f"{{{ns}}}unit"):
        ident = unit.get("id") or ""
        if ident in units:
            raise SopError(f"{shown}: segment {ident} is there twice; nothing was changed")
        units[ident] = _read_unit(unit, ns)
    return Returned(file.get("id") or "", root.get("trgLang") or "", file.get("original") or "", units)


def _namespace(root: ET.Element, shown: str) -> str:
    if not _ANY_2X.match(root.tag) or not (root.get("version") or "").startswith("2."):
        version = root.get("version") or "?"
        raise SopError(
            f"{shown}: not XLIFF 2 (root <{root.tag.rsplit('}', 1)[-1]}>, version {version}): save it as "
            "XLIFF 2.0 in the translation tool; nothing was changed"
        )
    return root.tag[1:].split("}", 1)[0]


def _read_unit(unit: ET.Element, ns: str) -> Unit:
    """A unit's target: its segments' targets in order, with what a tool set apart as <ignorable>."""
    parts: list[str] = []
    complete = True
    for part in unit:
        if part.tag not in (f"{{{ns}}}segment", f"{{{ns}}}ignorable"):
            continue
        target = part.find(f"{{{ns}}}target")
        source = part.find(f"{{{ns}}}source")
        if target is None and part.tag.endswith("ignorable"):
            target = source
        text = "".join(target.itertext()) if target is not None else ""
        complete = complete and bool(text.strip() or part.tag.endswith("ignorable"))
        parts.append(text)
    note = next(
        (n.text or "" for n in unit.iter(f"{{{ns}}}note") if n.get("category") == TRANSLATION_NOTE), None
    )
    text = "".join(parts)
    return Unit(text if complete and text.strip() else None, note)
