"""Whether pages run anything they should not, seen from inside chromium: every frame of every page gets
hooks before any of its own script runs (dialogs, script errors, Content-Security-Policy violations), and
once loaded it reports what it holds that would run on a click or a hover (event-handler attributes,
javascript: URLs, frames and plugins). Many pages are opened at once, each in a frame of one blank page, so
that a corpus of hundreds of pages is read in one pass."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import hosting
from playwright.sync_api import Browser, BrowserContext, Dialog, Frame, Route

HOOKS = """
(() => {
  const seen = (kind, detail) => {
    try { window.__sopSeen(kind, String(detail).slice(0, 200)); } catch (e) {}
  };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (message) => seen("dialog", `${name}(${message})`);  // a payload that ran; no dialog opens
  }
  window.addEventListener("error", (event) => {
    if (event instanceof ErrorEvent) seen("script-error", event.message);
  }, true);
  document.addEventListener("securitypolicyviolation", (event) => {
    seen("csp-violation", `${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
  });
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset",
    "background", "cite", "ping", "codebase", "lowsrc", "dynsrc"]);
  const EMBEDS = new Set(["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "PORTAL"]);
  const armed = () => {
    const found = [];
    for (const element of document.querySelectorAll("*")) {
      if (EMBEDS.has(element.tagName)) found.push(`<${element.tagName.toLowerCase()}>`);
      if (element.tagName === "META" && /refresh/i.test(element.httpEquiv)) found.push("<meta refresh>");
      const animated = element.getAttribute("attributeName") || "";
      if (/^(set|animate)$/i.test(element.tagName) && /href/i.test(animated)) {
        found.push(`<${element.tagName} attributeName=${animated}>`);
      }
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        // as the URL standard reads a URL: controls and spaces at either end, tabs and newlines anywhere
        const value = attribute.value.replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, "")
          .replace(/[\\t\\n\\r]/g, "").toLowerCase();
        if (name.startsWith("on")) found.push(`<${element.tagName.toLowerCase()} ${name}>`);
        else if (URLS.has(name) && /^(javascript|vbscript|data):/.test(value)) {
          found.push(`<${element.tagName.toLowerCase()} ${name}="${value.slice(0, 40)}">`);
        }
      }
    }
    return found;
  };
  window.addEventListener("load", () => setTimeout(() => {
    for (const what of armed()) seen("armed", what);
    try { window.__sopDone(location.href); } catch (e) {}
  }, 50));
})();
"""
LOCAL = re.compile(r"^http://127\.0\.0\.1:\d+/")
RUNS = {"script", "document", "sub_frame", "object", "fetch", "xhr", "websocket", "eventsource"}


@dataclass
class Seen:
    """What the pages did: (page URL, kind, detail); the pages that finished loading."""

    events: list[tuple[str, str, str]] = field(default_factory=list)
    done: set[str] = field(default_factory=set)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1 (hosting.served); the base URL, ending in /."""
    with hosting.served(folder) as url:
        yield url + "/"


def open_pages(
    browser: Browser, urls: list[str], policy: bool = True, batch: int = 12, tabs: int = 2
) -> Seen:
    """Open every URL, each in a frame of its own, `batch` frames to a tab and `tabs` tabs at once (a tab
    of each origin renders in a process of its own: the machine's cores share the work). With `policy`
    False the pages' Content-Security-Policy is not applied (to see what would run without it)."""
    seen = Seen()
    context = browser.new_context(bypass_csp=not policy)
    try:
        _hook(context, seen)
        pages = [context.new_page() for _ in range(tabs)]
        for start in range(0, len(urls), batch * tabs):
            waiting = []
            for index, page in enumerate(pages):
                chunk = urls[start + index * batch : start + (index + 1) * batch]
                page.set_content("<!doctype html><title>pages</title><body></body>")
                page.evaluate(FRAMES, [_origin(url, index) for url in chunk])
                waiting += [_origin(url, index) for url in chunk]
            _wait(pages[0], seen, waiting)
    finally:
        context.close()
    return seen


FRAMES = """(urls) => { for (const url of urls) {
  const frame = document.createElement("iframe"); frame.src = url; document.body.append(frame); } }"""


def _origin(url: str, index: int) -> str:
    """The URL on 127.0.0.1 or, for every other tab, localhost: another site, so another process."""
    return url.replace("http://127.0.0.1:", "http://localhost:", 1) if index % 2 else url


def _hook(context: BrowserContext, seen: Seen) -> None:
    def event(source: dict[str, Frame], kind: str, detail: str) -> None:
        seen.events.append((source["frame"].url, kind, detail))

    def dialog(opened: Dialog) -> None:  # a dialog that escaped the hooks (a payload's fresh frame)
        seen.events.append((opened.page.url if opened.page else "", "dialog", opened.message))
        opened.dismiss()

    context.expose_binding("__sopSeen", event)
    context.expose_binding("__sopDone", lambda source, url: seen.done.add(url))
    context.add_init_script(HOOKS)
    context.on("dialog", dialog)

    def elsewhere(route: Route) -> None:
        request = route.request
        if request.resource_type in RUNS:
            seen.events.append((request.frame.url if request.frame else "", "request", request.url[:120]))
        route.abort()

    context.route(re.compile(r"^(?!http://(127\.0\.0\.1|localhost):)(?!about:)(?!data:image/)"), elsewhere)


def _wait(page, seen: Seen, urls: list[str], timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not set(urls) <= seen.done and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    for url in set(urls) - seen.done:
        seen.events.append((url, "not-loaded", "the page did not finish loading"))
