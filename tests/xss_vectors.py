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

from sop_trees import REPO

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
