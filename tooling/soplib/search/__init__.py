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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.system import give_back_memory
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


def index_site(
    site_dir: Path,
    languages: dict[str, str],
    meanwhile: Callable[[], None] = lambda: None,
    kept: Path | None = None,
) -> None:
    """Index the pages of `site_dir` in each language of `languages` that its glob matches (paths under the
    site), one Pagefind bundle per language, and write each index's words beside it (the search box
    corrects a mistyped word with them). A language's words are read while Pagefind indexes the next;
    `meanwhile` runs while it indexes the first (or alone, when there is no language to index); `kept`: a
    folder where each language's words are kept by fragment between builds (terms.write_vocabulary)."""
    indexed = None  # the language whose words are to be read
    for lang, glob in languages.items():
        shutil.rmtree(bundle(site_dir, lang), ignore_errors=True)
        process = _pagefind(site_dir, lang, glob)  # one at a time: each takes much memory
        try:
            if indexed:
                terms.write_vocabulary(bundle(site_dir, indexed), _words(kept, indexed))
                give_back_memory()  # before this Pagefind holds the most memory
            else:
                meanwhile()
        except BaseException:
            process.kill()
            process.wait()
            raise
        _wait(site_dir, process)
        indexed = lang
    if indexed:
        terms.write_vocabulary(bundle(site_dir, indexed), _words(kept, indexed))
    else:
        meanwhile()


def _words(kept: Path | None, lang: str) -> Path | None:
    return kept / f"{lang}.json" if kept is not None else None


def _pagefind(site_dir: Path, lang: str, glob: str) -> subprocess.Popen[str]:
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
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait(site_dir: Path, process: subprocess.Popen[str]) -> None:
    stdout, stderr = process.communicate()
    if process.returncode != 0 or "panicked" in stderr:
        raise SopError(f"Pagefind could not index {site_dir}: {stderr.strip() or stdout.strip()}")


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
