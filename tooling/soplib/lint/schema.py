"""The front-matter contract: schemas/sop.schema.json, explained in words an SME can act on."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any, cast

import fastjsonschema
from jsonschema.exceptions import ValidationError

from soplib.core.invisible import first_unseen, name, visible
from soplib.core.model import Finding, Sop
from soplib.lint.context import LintContext

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a set of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def check_schema(ctx: LintContext) -> Iterator[Finding]:
    project = ctx.project
    for sop in ctx.library.sops:
        if sop.lang not in project.languages:
            continue  # the identity rule reports the unknown language
        english = sop.lang == project.source_language
        if not _accepted(project.english_accepts if english else project.translation_accepts, sop.meta):
            validator = project.english_validator if english else project.translation_validator
            for error in validator.iter_errors(sop.meta):
                yield from _explain(ctx, sop, error)
        if not english:
            yield from _inherited_fields(ctx, sop)


def _accepted(accepts: Callable[[Any], Any], meta: dict[str, Any]) -> bool:
    try:
        accepts(meta)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _inherited_fields(ctx: LintContext, sop: Sop) -> Iterator[Finding]:
    """Fields the translation schema sets to `false`: they come from the English file and cannot drift."""
    properties = ctx.project.sop_schema["$defs"]["translation"]["properties"]
    for key in sop.meta:
        if properties.get(key) is False:
            yield ctx.finding(
                sop,
                "translation-inherited-field",
                sop.position(key),
                f"{key}: a translation must not set this field; it is inherited from the English SOP",
                "delete the line: translations carry only id, title and source_version",
            )


def field_name(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "front matter"


def _found(value: Any) -> str:
    if isinstance(value, str):
        return f"'{visible(value)}'"  # a newline or a bidi override would break or reorder the message
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "nothing" if value is None else type(value).__name__


def _unseen_hint(value: Any) -> str:
    found = first_unseen(value) if isinstance(value, str) else None
    if found is None:
        return ""
    index, character = found
    return (
        f"delete {name(character)} at character {index + 1}: it cannot be seen, and it can end the line, "
        "reorder the text around it or hide inside a word"
    )


def _did_you_mean(value: Any, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _explain(ctx: LintContext, sop: Sop, error: ValidationError) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    name = field_name(path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            hint = _did_you_mean(key, allowed) or f"the fields are: {', '.join(allowed)}"
            yield ctx.finding(
                sop, "schema", sop.position(*path, key), f"{field_name((*path, key))}: unknown field", hint
            )
        return
    if error.schema is False:
        return  # a `"field": false` of the translation schema; jsonschema does not say which: see above
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        hint = (
            "a deprecated SOP must name the SOP that replaces it"
            if missing == "superseded_by"
            else (f"add the field '{missing}' (see the contributor guide for an example)")
        )
        where = sop.position(*path) if path else (1, 1)
        yield ctx.finding(
            sop, "schema", where, f"{field_name((*path, missing))}: required field is missing", hint
        )
        return
    message, hint = _expected(error, schema)
    yield ctx.finding(
        sop,
        "schema",
        sop.position(*path),
        f"{name}: expected {message}, found {_found(error.instance)}",
        hint,
    )


def _expected(error: ValidationError, schema: dict[str, Any]) -> tuple[str, str]:
    kind, value = str(error.validator), cast(Any, error.validator_value)
    description = schema.get("description", "")
    if kind == "enum":
        choices = [str(choice) for choice in value]
        return f"one of {', '.join(choices)}", _did_you_mean(error.instance, choices)
    if kind == "const":
        return f"'{value}'", ""
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types), (
            "put the value in quotes" if "string" in types else ""
        )
    if kind in ("pattern", "format"):
        return description or f"a value matching {value}", _unseen_hint(error.instance)
    if kind == "not":  # the `line` definition: no control, bidi or zero-width characters
        return description or "another value", _unseen_hint(error.instance)
    if kind == "minItems":
        return f"at least {value} item(s)", ""
    if kind == "uniqueItems":
        return "each item only once", "remove the repeated item"
    if kind == "minLength":
        return f"at least {value} characters", ""
    if kind == "maxLength":
        return f"at most {value} characters", "shorten it"
    if kind == "contains":
        return "a list that includes 'en'", ""
    return error.message, ""
