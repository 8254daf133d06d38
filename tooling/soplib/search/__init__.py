"""Search: Pagefind indexes the built site; `sop search` runs the site's own search code under Node.

Pagefind (its binary ships in the pagefind-bin wheel) writes one index per page language, folds
accents, and lets the browser fetch only the pieces a query needs. The ranking the site applies on top
(active SOPs first, id queries expanded) lives in assets/sop-search.mjs, which the command line runs
too, so both give the same results.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.search import terms

BRIDGE = Path(__file__).with_name("bridge.mjs")
# Repeated on every page or not about the procedure: banners, and the change-history table.
EXCLUDED = "[class*='sop-banner'], .sop-history, .headerlink"
# A page's content: the generator's <article> (Material's), not its header, navigation and footer.
ROOT = "article"


def settings() -> str:
    """What the index depends on besides the pages (a build that changes it indexes every language)."""
    import pagefind_bin

    return f"{pagefind_bin.get_executable()} {EXCLUDED} {ROOT} words:{terms.FORMAT}"


def bundle(site_dir: Path, lang: str) -> Path:
    """Where the search index of one language is: one Pagefind bundle per language, so that a build indexes
    only the languages whose pages changed, and each index is made with a third of the memory."""
    return site_dir / "pagefind" / lang


def index_site(site_dir: Path, lang: str, glob: str) -> None:
    """Index the pages of `site_dir` in `lang` that `glob` matches (paths under the site), and write the
    index's words beside it (the search box corrects a mistyped word with them)."""
    import pagefind_bin

    command = [
        str(pagefind_bin.get_executable()),
        "--site",
        str(site_dir),
        "--output-path",
        str(bundle(site_dir, lang)),
        "--glob",
        glob,
        "--root-selector",
        ROOT,
        "--exclude-selectors",
        EXCLUDED,
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "panicked" in result.stderr:
        raise SopError(
            f"Pagefind could not index {site_dir}: {result.stderr.strip() or result.stdout.strip()}"
        )
    terms.write_vocabulary(bundle(site_dir, lang))


def search_site(
    site_dir: Path, query: str, lang: str, limit: int = 10, synonyms: dict[str, str] | None = None
) -> dict[str, Any]:
    """The site's search for `query` in `lang`, run by its own code (assets/sop-search.mjs) under Node;
    `synonyms`: the glossary's variants and their terms (search.terms.synonyms)."""
    if not (bundle(site_dir, lang) / "pagefind.js").is_file():
        raise SopError(f"{site_dir}: no search index; build the site first with `sop build`")
    node = shutil.which("node")
    if node is None:
        raise SopError(
            "`sop search` runs the site's search code with Node.js: install it (Debian: apt-get install "
            "nodejs)"
        )
    result = subprocess.run(
        [node, str(BRIDGE), str(site_dir.resolve()), lang, query, str(limit), json.dumps(synonyms or {})],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SopError(
            f"the search failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}"
        )
    found: dict[str, Any] = json.loads(result.stdout)
    return found
