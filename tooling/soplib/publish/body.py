"""An SOP's body as the site publishes it: the dialect's own HTML between the page's headings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape as escape_html

from markdown.extensions.toc import unique
from selectolax.lexbor import LexborNode

from soplib.core.dialect import (
    ATTRIBUTE_LIST,
    HEADINGS,
    RESERVED_ANCHORS,
    STEP_ANCHOR,
    Heading,
    children,
    heading_label,
    number_attribute,
    read_tree,
    slug,
    strip_sourcepos,
)
from soplib.core.model import Sop
from soplib.load.project import SOPS_DIR, Project
from soplib.publish.markdown import escape_markdown
from soplib.publish.urls import resolve_link


def body_markdown(project: Project, shown: Sop, lang: str, pages: set[str]) -> str:
    """The body of `shown` for the page in `lang`: each heading of the page in Markdown (for the table of
    contents and its permanent link), the rest as the dialect renders it, links pointed at their pages."""
    docs_path = shown.path.as_posix().removeprefix(f"{SOPS_DIR}/")
    procedure = next(s for s in project.sections if s.key == "procedure").names.get(shown.lang)

    def link(href: str) -> str:
        return resolve_link(href, docs_path, lang, project.source_language, pages)

    return parts_markdown(procedure_first(publish(shown.body, procedure, link, escape_markdown), procedure))


def procedure_first(parts: list[Part], procedure: str | None) -> list[Part]:
    """The procedure's section moved before the other sections: the steps are what an agent opens the page
    for between contacts (on a phone, in its first screen). Its anchors and step numbers stay as they are."""
    start = next((i for i, p in enumerate(parts) if p.level == 2 and p.text == procedure), None)
    if start is None:
        return parts
    end = next((i for i in range(start + 1, len(parts)) if parts[i].level in (1, 2)), len(parts))
    first = next(i for i, p in enumerate(parts) if p.level)
    return parts[:first] + parts[start:end] + parts[first:start] + parts[end:]


def parts_markdown(parts: list[Part]) -> str:
    """Headings as Markdown headings with their anchors; the rendered HTML between them as one raw block
    each (in a <div>, which every Markdown renderer passes through untouched)."""
    written = []
    for part in parts:
        if part.level:
            classes = "".join(f" .{name}" for name in part.classes)
            written.append(f"{'#' * part.level} {' '.join(part.html.split())} {{: #{part.anchor}{classes} }}")
        else:
            written.append(f'<div class="sop-section">\n{part.html}\n</div>')
    return "\n\n".join(written)


# -- the dialect's HTML, as the site publishes it ------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A piece of a published body: rendered HTML, or a heading of the page (for the generator's table of
    contents and permanent link), then `html` is its content, text escaped by the caller's `escape`."""

    html: str = ""
    level: int = 0  # a heading when above 0
    text: str = ""
    anchor: str = ""
    classes: tuple[str, ...] = ()


def publish(
    source: str, steps_under: str | None, link: Callable[[str], str], escape: Callable[[str], str] = str
) -> list[Part]:
    """The body as readers get it: the same parse as `parse`, every heading with its anchor, each step of
    the section titled `steps_under` with `step-N`, and every link and image pointed by `link`. A body too
    deep to read is shown as its source text."""
    body = read_tree(source)
    if body is None:
        return [Part(f"<pre>{escape_html(source)}</pre>")]
    headings = _anchored(body)
    for node in body.css("a[href]"):
        node.attrs["href"] = link(node.attrs.get("href") or "")
    for node in body.css("img[src]"):
        node.attrs["src"] = link(node.attrs.get("src") or "")
    _mark_steps(body, steps_under)
    parts: list[Part] = []
    for node in children(body):
        heading = headings.get(node.mem_id)
        if heading is not None and heading.text:
            texts = [text for text in node.traverse(include_text=True) if text.is_text_node]
            for text in texts:  # replaced once the walk is over: lexbor frees a replaced node
                text.replace_with(escape(text.text_content or ""))
            content = strip_sourcepos(node.inner_html or "")
            parts.append(Part(content, heading.level, heading.text, heading.anchor, heading.classes))
        elif parts and not parts[-1].level:
            parts[-1] = Part(parts[-1].html + "\n" + _inert_braces(strip_sourcepos(node.html or "")))
        else:
            parts.append(Part(_inert_braces(strip_sourcepos(node.html or ""))))
    return parts


def _inert_braces(html: str) -> str:
    """Braces as character references: where a page puts the body inside a `markdown` element (English
    shown on a translation's page), Python-Markdown turns the body's HTML into elements, and its attr_list
    would read a block's last line `{: onclick=…}` as the block's attributes. A browser reads `&#123;` as
    `{`; Python-Markdown leaves it alone."""
    return html.replace("{", "&#123;")


def _anchored(body: LexborNode) -> dict[int, Heading]:
    """Give every heading its anchor (and drop a trailing `{#anchor}` from its text), in document order, as
    `parse` numbers them: the same anchors in lint and on the page."""
    used = set(RESERVED_ANCHORS)
    found = {}
    for node in body.css(",".join(HEADINGS)):
        text, anchor, classes = heading_label(node)
        anchor = unique(anchor or slug(text), used)
        _drop_attribute_list(node)
        node.attrs["id"] = anchor
        if classes:
            node.attrs["class"] = " ".join(classes)
        parent = node.parent
        if parent is not None and parent.tag == "body":  # a heading of the page
            found[node.mem_id] = Heading(int((node.tag or "h0")[1]), text, 0, 0, anchor, True, classes)
    return found


def _drop_attribute_list(node: LexborNode) -> None:
    last = node.last_child
    if last is not None and last.is_text_node:
        written = last.text_content or ""
        match = ATTRIBUTE_LIST.search(written)
        if match:
            last.replace_with(written[: match.start()])


def _mark_steps(body: LexborNode, title: str | None) -> None:
    inside = False
    for node in children(body):
        if node.tag in ("h1", "h2"):
            inside = title is not None and heading_label(node)[0] == title
        elif inside and node.tag == "ol":
            start = number_attribute(node.attrs.get("start"))
            for index, item in enumerate(children(node, "li")):
                item.attrs["id"] = STEP_ANCHOR.format(number=start + index)
