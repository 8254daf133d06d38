"""The site's Content-Security-Policy: what a browser lets a published page load and run. A payload that
slipped past lint and the check of the built site still does not run: no inline script but the theme's own
(allowed by the hash of its text), no event-handler attribute, no javascript: URL, no script from elsewhere.
Static hosts send no headers of ours, so every page carries it in a <meta http-equiv>."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

# Pagefind's search runs WebAssembly ('wasm-unsafe-eval' allows compiling it, not eval); the fonts are the
# system's (mkdocs.yml: font: false); SOPs may show images from other https sites.
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "font-src": "'self' data:",
    "img-src": "'self' data: https: http:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "frame-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}
# The diff pages are plain HTML with one stylesheet and no script at all.
DIFF_PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: http:; base-uri 'none'; form-action 'none'"
)
# A scorecard page: one HTML file, its style inline, no script.
PRINTED_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https: http:; base-uri 'none'; "
    "form-action 'none'"
)
# Sources under which script-src (or default-src) lets nothing run that the site did not write.
_SAFE_SCRIPT_SOURCES = re.compile(
    r"^(?:'self'|'none'|'wasm-unsafe-eval'|'report-sample'|'sha256-[A-Za-z0-9+/=]+')$", re.IGNORECASE
)


def script_hash(text: str) -> str:
    """The CSP source that allows one inline script: the SHA-256 of its text exactly as written."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def page_policy(inline_scripts: Iterable[str]) -> str:
    """The policy of a page whose own inline scripts are `inline_scripts` (their texts)."""
    hashes = sorted({script_hash(text) for text in inline_scripts})
    directives = dict(DIRECTIVES, **{"script-src": " ".join([DIRECTIVES["script-src"], *hashes])})
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def directives(policy: str) -> dict[str, list[str]]:
    """A policy's directives and their sources (the first of a repeated directive counts, as in browsers)."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found.setdefault(words[0].lower(), words[1:])
    return found


def script_sources(policy: str) -> list[str] | None:
    """What a policy lets run as script: script-src, else default-src; None when neither is set."""
    parsed = directives(policy)
    return parsed.get("script-src", parsed.get("default-src"))


def unsafe_script_sources(policy: str) -> list[str]:
    """The sources of a policy that would let script run that the site did not write ('unsafe-inline',
    another host, data: …); all of them when the policy does not restrict script at all."""
    sources = script_sources(policy)
    if sources is None:
        return ["(no script-src)"]
    return [source for source in sources if not _SAFE_SCRIPT_SOURCES.match(source)]
