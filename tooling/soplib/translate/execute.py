"""`sop translate`: the worksheet of a translation behind English, and a returned XLIFF written into it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.output import refuse_links, with_body, write_file
from soplib.core.state import SopState, Translation, TranslationState
from soplib.diff.sources import Texts, build, unknown_id
from soplib.load.library import Library, read_no_follow
from soplib.load.project import Project
from soplib.repo.git import Git
from soplib.repo.history import read_history
from soplib.translate.apply import check_structure, translated_body
from soplib.translate.render import render_html, render_text
from soplib.translate.worksheet import Worksheet, parse_bodies, plan
from soplib.translate.xliff import Returned, read_xliff, render_xliff

RENDERERS: dict[str, Callable[[Worksheet, Project], str]] = {
    "text": render_text,
    "html": render_html,
    "xliff": render_xliff,
}
FORMATS = {".html": "html", ".htm": "html", ".xlf": "xliff", ".xliff": "xliff"}  # by -o's extension


def compute(library: Library, git: Git, sop_id: str, lang: str) -> Worksheet:
    """The worksheet of `sop_id`'s `lang` translation: English since its source_version, beside it."""
    project = library.project
    sop_id = sop_id.strip().upper()
    state, translation = _translation(library, git, sop_id, lang)
    assert translation.file is not None and translation.source_version is not None
    source, old, new = project.source_language, translation.source_version, state.version
    texts = Texts(library, read_history(git, project))
    texts.prefetch((sop_id, source, version) for version in (old, new))
    before, now = texts.text(sop_id, source, old), texts.text(sop_id, source, new)
    if before is None or now is None:
        raise SopError(
            f"{sop_id}: the English text of version {old if before is None else new} is not in the git "
            f"history, so the changes since {old} cannot be shown; compare with `sop history {sop_id}`"
        )
    diff = build(texts, sop_id, source, old, new, reader=lang)
    names = texts.section_names
    bodies = parse_bodies(before.body, now.body, translation.file.body, names)
    base_id = f"{sop_id}:{old}-{new}"
    return Worksheet(
        sop_id,
        state.title(lang),
        lang,
        translation.path,
        translation.state,
        old,
        new,
        diff,
        bodies,
        plan(diff, bodies, base_id),
        names,
        {section.key: section.names.get(lang, section.key) for section in project.sections},
    )


def _translation(library: Library, git: Git, sop_id: str, lang: str) -> tuple[SopState, Translation]:
    project = library.project
    project.check_language(lang)
    if lang == project.source_language:
        others = ", ".join(project.translation_languages)
        raise SopError(f"--lang {lang}: English is the source; give the language of a translation: {others}")
    state = library.state.by_id.get(sop_id)
    if state is None:
        raise SopError(unknown_id(Texts(library, None), sop_id))
    translation = state.translations[lang]
    language = project.language_names.get(lang, lang)
    if translation.file is None:
        raise SopError(
            f"{sop_id} has no {language} translation ({translation.path}): there is nothing to update"
        )
    if translation.state is TranslationState.INVALID or translation.source_version is None:
        raise SopError(
            f"{translation.path}: source_version {translation.source_version} is not a version of the "
            f"English SOP (now {state.version}); set it to the English version the text translates"
        )
    return state, translation


# -- import ------------------------------------------------------------------------------------------------
def import_file(library: Library, git: Git, path: Path) -> str:
    """Write a returned XLIFF's translations into the translation file and set its source_version to the
    English version, when the file is this library's, for the versions as they are now, and complete.
    Anything else changes nothing and says why (one line)."""
    try:
        raw = read_no_follow(path)
    except OSError as error:
        raise SopError(f"{path}: cannot read it: {error.strerror}") from None
    returned = read_xliff(raw, str(path))
    sheet = _sheet_for(library, git, returned, str(path))
    targets = _targets(sheet, returned, str(path))
    try:
        body = translated_body(sheet, targets)
        check_structure(sheet, body)
    except SopError as error:
        raise SopError(f"{path}: {error}; nothing was changed") from None
    target = library.project.root / sheet.path
    refuse_links(library.project.root, target)
    file = library.by_id(sheet.sop_id, sheet.lang)
    assert file is not None
    text = with_body(target.read_bytes(), file.body_line, body, _bump(sheet, file.position("source_version")))
    write_file(target, text)
    count = len(sheet.segments)
    return (
        f"{sheet.path}: {count} place{'s' if count != 1 else ''} updated from {path}; source_version "
        f"{sheet.source_version} -> {sheet.version} (now current)"
    )


def _sheet_for(library: Library, git: Git, returned: Returned, shown: str) -> Worksheet:
    """The worksheet the file was exported from, as the repository stands now: else a foreign file."""
    project = library.project
    if returned.lang not in project.translation_languages or returned.sop_id not in library.state.by_id:
        raise SopError(
            f"{shown}: exported for {returned.sop_id or '?'} in {returned.lang or '?'}, which this library "
            "does not have; nothing was changed"
        )
    try:
        sheet = compute(library, git, returned.sop_id, returned.lang)
    except SopError as error:
        raise SopError(f"{shown}: {error}; nothing was changed") from None
    base = f"{sheet.sop_id}:{sheet.source_version}-{sheet.version}:"
    foreign = sorted(ident for ident in returned.units if not ident.startswith(base))
    if foreign or (returned.path and returned.path != sheet.path):
        exported = foreign[0].split(":")[1] if foreign and foreign[0].count(":") >= 2 else "?"
        raise SopError(
            f"{shown}: exported for {sheet.sop_id} ({sheet.lang}) {exported.replace('-', ' -> ')}, but "
            f"{sheet.path} now needs {sheet.source_version} -> {sheet.version}: export it again; nothing was "
            "changed"
        )
    return sheet


def _targets(sheet: Worksheet, returned: Returned, shown: str) -> dict[str, str]:
    wanted = {segment.id: segment for segment in sheet.to_translate}
    unknown = sorted(set(returned.units) - set(wanted))
    if unknown:
        raise SopError(f"{shown}: unknown segment ids {', '.join(unknown)}; nothing was changed")
    for ident, returned_unit in returned.units.items():
        place, note = wanted[ident].place, returned_unit.translation_note
        # tools may re-space a note (it is not xml:space="preserve"): words are what is compared
        if note is not None and place is not None and note.split() != place.text.split():
            raise SopError(
                f"{shown}: {sheet.path} changed at segment {ident} since the export: export it again, so "
                "that no edit is lost; nothing was changed"
            )
    missing = [
        ident for ident in wanted if (unit := returned.units.get(ident)) is None or unit.target is None
    ]
    if missing:
        raise SopError(
            f"{shown}: {len(missing)} of {len(wanted)} segments have no translation ({', '.join(missing)}): "
            f"source_version moves to {sheet.version} only when every one is translated; nothing was changed"
        )
    return {ident: returned.units[ident].target or "" for ident in wanted}


def _bump(sheet: Worksheet, at: tuple[int, int]) -> Callable[[list[str]], list[str]]:
    """The front matter with source_version set to the English version; every other line as it was."""

    def edit(head: list[str]) -> list[str]:
        line, column = at
        text = head[line - 1]
        value_at = text.index(":", column - 1) + 1
        head[line - 1] = text[:value_at] + text[value_at:].replace(sheet.source_version, sheet.version, 1)
        return head

    return edit
