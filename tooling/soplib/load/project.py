"""The project's own configuration: where the library is, its schema, sections, glossary, vocabulary.

Everything language-specific lives in translations/ and is validated against schemas/ when loaded, so a
broken config file is reported as a clear error rather than surfacing later as a crash.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from soplib.core.criteria import Terms
from soplib.core.errors import SopError

SOPS_DIR = "sops"
CACHE_DIR = ".sop-build"  # what the site builds keep between runs: the docs tree, the diff pages
SCHEMAS_DIR = "schemas"
TRANSLATIONS_DIR = "translations"
SOP_SCHEMA = "sop.schema.json"


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds sops/ and schemas/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SOPS_DIR).is_dir() and (folder / SCHEMAS_DIR / SOP_SCHEMA).is_file():
            return folder
    raise SopError(
        f"no SOP library found at or above {start}: expected a folder with {SOPS_DIR}/ and "
        f"{SCHEMAS_DIR}/{SOP_SCHEMA}. Run the command from the repository or pass --root."
    )


@dataclass(frozen=True)
class Section:
    key: str
    required: bool
    names: dict[str, str]


@dataclass(frozen=True)
class GlossaryTerm:
    terms: dict[str, str]  # language -> required term
    forbidden: dict[str, list[str]]  # language -> variants to avoid


def _is_date(value: str) -> bool:
    """The `date` format as jsonschema checks it: a real day written YYYY-MM-DD."""
    try:
        return len(value) == 10 and datetime.date.fromisoformat(value) is not None
    except ValueError:
        return False


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        reference = node.get("$ref")
        inlined = {key: _inline_refs(value, definitions) for key, value in node.items() if key != "$ref"}
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            target = _inline_refs(definitions[reference.removeprefix("#/$defs/")], definitions)
            # keywords beside a $ref apply too (2020-12): {"allOf": [...]} keeps both, whatever they are
            return {"allOf": [target], **inlined} if inlined else target
        return {**inlined, **({"$ref": reference} if reference is not None else {})}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


class Project:
    """Typed access to the files in schemas/ and translations/ of one repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sops_dir = root / SOPS_DIR

    @classmethod
    def discover(cls, start: Path) -> Project:
        return cls(find_root(start))

    # -- schemas -----------------------------------------------------------------------------------
    def _json(self, name: str) -> dict[str, Any]:
        path = self.root / SCHEMAS_DIR / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SopError(f"{path.relative_to(self.root)}: cannot read the schema: {error}") from None
        if not isinstance(data, dict):
            raise SopError(f"{path.relative_to(self.root)}: a schema must be a JSON object")
        return data

    @cached_property
    def sop_schema(self) -> dict[str, Any]:
        return self._json(SOP_SCHEMA)

    def _accepts(self, definition: str) -> Callable[[Any], Any]:
        """A compiled check (fastjsonschema: ten times jsonschema's speed) that raises on any error: most
        files have none, and jsonschema, whose errors lint explains, then need not run at all."""
        schema = _inline_refs(self.sop_schema["$defs"][definition], self.sop_schema["$defs"])
        return cast(Callable[[Any], Any], fastjsonschema.compile(schema, formats={"date": _is_date}))

    @cached_property
    def english_accepts(self) -> Callable[[Any], Any]:
        return self._accepts("english")

    @cached_property
    def translation_accepts(self) -> Callable[[Any], Any]:
        return self._accepts("translation")

    def _sop_validator(self, definition: str) -> Draft202012Validator:
        # The schema's internal $refs are inlined once: resolving them for every field of thousands of
        # files is most of jsonschema's time, and the schema has no recursive references.
        return Draft202012Validator(
            _inline_refs(self.sop_schema["$defs"][definition], self.sop_schema["$defs"]),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    @cached_property
    def english_validator(self) -> Draft202012Validator:
        return self._sop_validator("english")

    @cached_property
    def translation_validator(self) -> Draft202012Validator:
        return self._sop_validator("translation")

    def allowed_values(self, definition: str) -> list[str]:
        """The enum of one $defs entry of the SOP schema (team, status, kpi …)."""
        return list(self.sop_schema["$defs"][definition]["enum"])

    # -- translations/ -----------------------------------------------------------------------------
    def _config(self, name: str) -> Any:
        path = self.root / TRANSLATIONS_DIR / f"{name}.yml"
        shown = path.relative_to(self.root)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SopError(f"{shown}: cannot read: {error.strerror}") from None
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise SopError(f"{shown}: not valid YAML: {error}") from None
        invalid = best_match(Draft202012Validator(self._json(f"{name}.schema.json")).iter_errors(data))
        if invalid is not None:
            where = "/".join(str(part) for part in invalid.absolute_path) or "(top)"
            raise SopError(f"{shown}: {where}: {invalid.message}")
        return data

    @cached_property
    def languages(self) -> list[str]:
        """Language codes, the default (source) language first."""
        data = self._config("languages")
        default = data["default"]
        return [default, *(code for code in data["languages"] if code != default)]

    @cached_property
    def language_names(self) -> dict[str, str]:
        return {code: entry["name"] for code, entry in self._config("languages")["languages"].items()}

    @property
    def source_language(self) -> str:
        return self.languages[0]

    @property
    def translation_languages(self) -> list[str]:
        return self.languages[1:]

    @cached_property
    def sections(self) -> list[Section]:
        return [Section(s["key"], s["required"], s["names"]) for s in self._config("sections")["sections"]]

    @cached_property
    def scorecard_terms(self) -> Terms:
        data = self._config("scorecard")
        return Terms(data["columns"], data["scoring"])

    def section_name(self, key: str, lang: str) -> str:
        return next(section.names[lang] for section in self.sections if section.key == key)

    @cached_property
    def glossary(self) -> list[GlossaryTerm]:
        return [
            GlossaryTerm({k: v for k, v in t.items() if k != "forbidden"}, t.get("forbidden", {}))
            for t in self._config("glossary")["terms"]
        ]

    @cached_property
    def vocabulary(self) -> dict[str, dict[str, dict[str, str]]]:
        data: dict[str, dict[str, dict[str, str]]] = self._config("vocabulary")
        for kind, labels in data.items():
            missing = sorted(set(self.allowed_values(kind)) - set(labels))
            if missing:
                raise SopError(
                    f"{TRANSLATIONS_DIR}/vocabulary.yml: {kind}: no labels for {', '.join(missing)} "
                    f"(allowed by {SCHEMAS_DIR}/{SOP_SCHEMA})"
                )
        return data

    @cached_property
    def team_codes(self) -> dict[str, str]:
        return {team: entry["code"] for team, entry in self.vocabulary["team"].items()}

    @cached_property
    def ui(self) -> dict[str, dict[str, str]]:
        data: dict[str, dict[str, str]] = self._config("ui")
        return data

    def check_language(self, lang: str) -> None:
        """A language of the library, or a clear error naming them."""
        if lang not in self.languages:
            raise SopError(
                f"unknown language {lang!r}: the library's languages are {', '.join(self.languages)}"
            )

    def resolve_team(self, given: str) -> str:
        """A team by its name (customer-service) or code (CS), in any case; unknown: a clear error."""
        teams = self.allowed_values("team")
        by_code = {code.lower(): team for team, code in self.team_codes.items()}
        team = given.strip().lower()
        if team in teams:
            return team
        if team in by_code:
            return by_code[team]
        close = difflib.get_close_matches(team, teams, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        known = ", ".join(f"{name} ({code})" for name, code in self.team_codes.items())
        raise SopError(f"unknown team {given!r}{hint}: the teams are {known}")

    def label(self, kind: str, value: str, lang: str) -> str:
        return self.vocabulary.get(kind, {}).get(value, {}).get(lang, value)

    def text(self, key: str, lang: str, **values: object) -> str:
        """An interface string in `lang`, with {placeholders} filled in."""
        try:
            template = self.ui[key][lang]
        except KeyError:
            raise SopError(f"{TRANSLATIONS_DIR}/ui.yml: no '{key}' string in '{lang}'") from None
        return template.format(**values)
