"""Attack material for the published-page tests, read in place from ../shared/corpora/xss/ (DOMPurify's
sanitiser fixtures, the OWASP XSS filter-evasion cheat sheet), and vectors of our own for every Markdown
feature the site enables (cmark-gfm's GitHub Markdown in bodies, the attribute lists of headings, what
Python-Markdown does with the page around the body)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sop_trees import ENGLISH, PORTUGUESE, REPO, SPANISH, TODAY, Tree
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project

CORPORA = REPO.parent / "shared" / "corpora" / "xss"
DOMPURIFY = CORPORA / "dompurify-expect.mjs"
OWASP = CORPORA / "owasp-xss-filter-evasion.md"


@dataclass(frozen=True)
class Payload:
    name: str  # where it comes from: dompurify-12, owasp-40, markdown-link-entity
    text: str


def dompurify() -> list[Payload]:
    """The fixtures' `payload` strings; the module is JavaScript, so Node.js reads it."""
    node = shutil.which("node")
    assert node is not None, "Node.js is missing: `make node` installs it"
    payloads = "m => console.log(JSON.stringify(m.default.map(c => c.payload)))"
    script = f"import({json.dumps(DOMPURIFY.as_uri())}).then({payloads})"
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    return [Payload(f"dompurify-{n}", text) for n, text in enumerate(json.loads(result.stdout))]


def owasp() -> list[Payload]:
    """Every fenced code block of the cheat sheet is one vector."""
    text = OWASP.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [Payload(f"owasp-{n}", block.strip("\n")) for n, block in enumerate(blocks) if block.strip()]


X = "alert(1)"
IMG = f"<img src=x onerror={X}>"
MARKDOWN = {
    # links and images: the schemes a browser runs, however the source spells them
    "link": f"[x](javascript:{X})",
    "link-case": f"[x](JaVaScRiPt:{X})",
    "link-entity": f"[x](&#106;avascript:{X})",
    "link-entity-colon": f"[x](javascript&colon;{X})",
    "link-tab-entity": f"[x](java&#x09;script:{X})",
    "link-angle": f"[x](<javascript:{X}>)",
    "link-space": f"[x](<  javascript:{X}>)",
    "link-title": '[x](https://example.com "t\\" onmouseover=\\"alert(1)")',
    "link-wrapped-text": f"[a\nb](javascript:{X})",
    "link-brackets-text": f"[[ ]](javascript:{X})",
    "link-brackets-inside": f"[a [ ] b](javascript:{X})",
    "link-vbscript": "[x](vbscript:msgbox(1))",
    "link-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "link-percent": "[x](javascript%3Aalert(1))",
    "image": f"![x](javascript:{X})",
    "image-quote": '![x](x" onerror="alert(1))',
    "image-alt-html": f"![{IMG}](x.png)",
    "image-data-svg": "![x](data:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E)",
    "reference": f"[x][r]\n\n[r]: javascript:{X}",
    "reference-next-line": f"[x][r]\n\n[r]:\n  javascript:{X}",
    "reference-angle-entity": f"[x][r]\n\n[r]: <java&#115;cript:{X}>",
    "reference-collapsed": f"[r][]\n\n[r]: javascript:{X}",
    "reference-shortcut": f"[r]\n\n[r]: javascript:{X}",
    "reference-image": f"![x][r]\n\n[r]: javascript:{X}",
    "autolink": f"<javascript:{X}>",
    "autolink-www-quote": 'www.example.com/"onmouseover="alert(1)',
    "autolink-url-html": f"https://example.com/{IMG}",
    "autolink-email-html": f"agent@example.com{IMG}",
    # attribute lists: only #id and .class are attributes; anything else stays text
    "attr-heading-event": f"## Scope {{: onerror={X} }}",
    "attr-heading-href": f'## Scope {{: href="javascript:{X}" }}',
    "attr-heading-mixed": f"## Scope {{#scope onclick={X}}}",
    "attr-heading-class-event": f"## Scope {{.x onmouseover={X}}}",
    "attr-heading-data": "## Scope {: #scope .x data-x=1 }",
    "attr-paragraph": f"Some text.\n{{: onclick={X} }}",
    "attr-link": f'[x](https://example.com){{: href="javascript:{X}" }}',
    "attr-image": f"![x](x.png){{: onerror={X} }}",
    "attr-setext": f"Title {{: onclick={X} }}\n---",
    # code that is not code: fences the renderer refuses, escaped backticks
    "fence-indented-1": f" ```\n{IMG}\n ```",
    "fence-indented-3": f"   ```\n{IMG}\n   ```",
    "fence-indented-4": f"    ```\n    {IMG}\n    ```",
    "fence-backtick-info": f"```a`b\n{IMG}\n```",
    "fence-tilde": f"~~~\n{IMG}\n~~~",
    "fence-unclosed": f"```\n{IMG}",
    "code-escaped-backticks": f"\\`{IMG}\\`",
    "code-span": "`<script>alert(1)</script>`",
    "code-span-unbalanced": f"``{IMG}`",
    # comments and other markup declarations that end early or not at all
    "comment-bang": f"<!-- x --!>{IMG}",
    "comment-short": f"<!-->{IMG}-->",
    "comment-shorter": f"<!--->{IMG}-->",
    "comment-unclosed": f"<!-- {IMG}",
    "cdata": f"<![CDATA[{IMG}]]>",
    "processing-instruction": f"<?x {IMG} ?>",
    "declaration": f"<!X {IMG}>",
    # the raw HTML an SOP may write, with what it may not carry
    "kbd-event": f"<kbd onclick={X}>Ctrl</kbd>",
    "details-toggle": f"<details open ontoggle={X}><summary>x</summary></details>",
    "details-inside": f"<details><summary>x</summary>\n\n{IMG}\n\n</details>",
    "abbr-event": f'<abbr title="x" onmouseover={X}>x</abbr>',
    "br-event": f"a<br/onload={X}>b",
    "sup-svg": f"<sup><svg onload={X}></svg></sup>",
    "mark-style": "<mark><style>@import 'javascript:alert(1)';</style></mark>",
    "ins-cite": f'<ins cite="javascript:{X}">x</ins>',
    "tag-split-lines": f"<img\nsrc=x\nonerror={X}>",
    "tag-uppercase": f"<IMG SRC=x ONERROR={X}>",
    "tag-sourcepos": f'<img src=x data-sourcepos="1:1-1:1" onerror={X}>',
    "anchor-entity-tab": f'<a href="jav&#x09;ascript:{X}">x</a>',
    "anchor-control": f'<a href="\x01javascript:{X}">x</a>',
    "anchor-leading-space": f'<a href="  javascript:{X}">x</a>',
    "textarea": f"<textarea>{IMG}</textarea>",
    "title-rcdata": f"<title></title>{IMG}",
    "xmp": f"<xmp>{IMG}</xmp>",
    "plaintext": f"<plaintext>{IMG}",
    "noscript": f"<noscript><p title='</noscript>{IMG}'>",
    "template": f"<template>{IMG}</template>",
    "markdown-in-html": f'<details markdown="1">\n\n[x](javascript:{X})\n\n</details>',
    # blocks that hold text: tables, task lists, steps, quotes, headings, entities
    "table-cell": f"| a | b |\n| --- | --- |\n| {IMG} | x |",
    "table-cell-pipe": f"| a |\n| --- |\n| <img src=x \\| onerror={X}> |",
    "task-item": f"- [ ] {IMG}",
    "step": f"1. {IMG}",
    "quote": f"> {IMG}",
    "heading-html": f"## {IMG}",
    "heading-setext-html": f"{IMG}\n===",
    "heading-anchor-theme-id": "## Configuration {#__config}",
    "entity-text": "&lt;img src=x onerror=alert(1)&gt;",
    "backslash-angle": f"\\{IMG}",
    "hard-break": f"line\\\n{IMG}",
    # what Python-Markdown would make of page text (the body is not given to it, but its headings are)
    "admonition": f'!!! note "{IMG}"\n    text',
    "keys": "++ctrl+alt+del++ <kbd onclick=alert(1)>x</kbd>",
    "heading-markdown-link": f"## [x](javascript:{X})",
    "heading-raw-attr-list": f"## x {{: #a }} {IMG}",
}


def markdown_vectors() -> list[Payload]:
    return [Payload(f"markdown-{name}", text) for name, text in MARKDOWN.items()]


def all_payloads() -> list[Payload]:
    return [*dompurify(), *owasp(), *markdown_vectors()]


# -- placing a payload in an SOP ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """A place of an SOP's files where text is written: `old` (a line of sop_trees' templates) becomes
    `new`, with {v} the payload as a YAML string (or, in a body, as it is). A field of the translation
    files is one schema definition and one path through the code in every language: it is written in
    Spanish for odd payloads and in Portuguese for even ones."""

    name: str
    translated: bool
    old: str  # or several, split by |: the first one the file has
    new: str  # {old} stands for it
    free_text: bool = False  # a field the site shows as text (title, summary …), not one of a fixed shape

    def language(self, number: int) -> str:
        """The language of the file that payload `number` is written in."""
        return ("es" if number % 2 else "pt") if self.translated else "en"


FIELDS = [
    Field("id", False, "id: SOP-APL-001", "id: {v}"),
    Field("title", False, "title: Seller appeal of a listing removal", "title: {v}", free_text=True),
    Field("version", False, "version: 1.1.0", "version: {v}"),
    Field("status", False, "status: active", "status: {v}"),
    Field("team", False, "team: appeals", "team: {v}"),
    Field("owner", False, 'owner: "@org/appeals-leads"', "owner: {v}"),
    Field("regions", False, "regions: [MX, BR]", "regions: [MX, {v}]"),
    Field("audience", False, "audience: [agent]", "audience: [agent, {v}]"),
    Field("kpis", False, "kpis: [appeal-overturn-rate]", "kpis: [appeal-overturn-rate, {v}]"),
    Field("effective_date", False, "effective_date: 2026-06-01", "effective_date: {v}"),
    Field("review_by", False, "review_by: 2027-06-01", "review_by: {v}"),
    Field("tags", False, "tags: [listings]", "tags: [listings, {v}]"),
    Field("superseded_by", False, "status: active", "status: active\nsuperseded_by: {v}"),
    Field("languages", False, "status: active", "status: active\nlanguages: [en, es, pt, {v}]"),
    Field("change.version", False, "  - version: 1.0.0", "  - version: {v}"),
    Field("change.date", False, "    date: 2026-01-10", "    date: {v}"),
    Field("change.type", False, "    type: policy", "    type: {v}"),
    Field("change.summary", False, "    summary: First version.", "    summary: {v}", free_text=True),
    Field("body", False, "\n\n## Scope", "\n\n{v}{old}", free_text=True),  # at the end of Purpose
    Field("translation.id", True, "id: SOP-APL-001", "id: {v}"),
    Field("translation.title", True, "\ntitle: ", "\ntitle: {v}\n#", free_text=True),
    Field("translation.source_version", True, "source_version: 1.1.0", "source_version: {v}"),
    Field(
        "translation.change_summaries",
        True,
        "source_version: 1.1.0",
        "source_version: 1.1.0\nchange_summaries:\n  1.0.0: {v}",
        free_text=True,
    ),
    Field("translation.body", True, "\n\n## Alcance|\n\n## Escopo", "\n\n{v}{old}", free_text=True),
]


TEMPLATES = {"en": ENGLISH, "es": SPANISH, "pt": PORTUGUESE}


def numbered(files: dict[str, str], team: str, code: str, number: int) -> dict[str, str]:
    """The files as SOP number `number` of `team` (an id written in place of the template's stays)."""
    sop_id = f"SOP-{code}-{number:03d}"
    files = {lang: text.replace("id: SOP-APL-001", f"id: {sop_id}", 1) for lang, text in files.items()}
    files["en"] = files["en"].replace("team: appeals", f"team: {team}", 1)
    return files


def place(files: dict[str, str], field: Field, payload: str, number: int) -> dict[str, str]:
    """The SOP's files (by language) with payload `number` written in `field`."""
    value = payload if field.name.endswith("body") else json.dumps(payload)
    lang = field.language(number)
    placed = dict(files)
    old = next(old for old in field.old.split("|") if old in placed[lang])
    placed[lang] = placed[lang].replace(old, field.new.replace("{old}", old).replace("{v}", value), 1)
    return placed


def write_sop(tree: Tree, key: str, files: dict[str, str]) -> None:
    for lang, text in files.items():
        tree.write(f"sops/{key}{'' if lang == 'en' else f'.{lang}'}.md", text)


def refused_by_lint(root: Path, field: Field, payloads: list[Payload]) -> set[str]:
    """The payloads that lint refuses in `field`: one SOP each (all else as the templates, and no file in
    another translation's language), one run of lint over them all; a payload is refused when any file of
    its SOP has an error."""
    tree = Tree(root)
    for number, payload in enumerate(payloads, 1):
        files = numbered(place(TEMPLATES, field, payload.text, number), "appeals", "APL", number)
        files = {lang: text for lang, text in files.items() if lang in ("en", field.language(number))}
        write_sop(tree, f"appeals/p{number:03d}", files)
    result = lint(load_library(Project(root)), TODAY)
    failed = {f.path.split("/")[-1].split(".")[0] for f in result.findings if f.severity.value == "error"}
    return {payload.name for number, payload in enumerate(payloads, 1) if f"p{number:03d}" in failed}
