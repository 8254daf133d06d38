"""`sop build`: the strict MkDocs build of the site, one process per language, merged into one site folder.

mkdocs-static-i18n builds the languages one after another in one process. Here each language is a
separate process (forked, so the configuration and library are read once per process at most) that
builds only its own pages into a folder of its own; the folders are then moved into place. The plugin
tells mkdocs-static-i18n which language a process builds (see SopPlugin.only_language).
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import sys
import tempfile
from pathlib import Path

from soplib.errors import SopError
from soplib.search import index_site


class BuildFailed(SopError):
    """The lint found errors or the MkDocs build had warnings in strict mode: exit 1."""

    exit_code = 1


def _build_language(config_file: str, language: str, site_dir: str) -> str | None:
    """Runs in a child process; returns an error message, or None when the build succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"[{language}] %(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(config_file, strict=True, site_dir=site_dir)
        config.plugins["sop"].only_language = language  # type: ignore[attr-defined]
        build(config)
    except MkDocsException as error:  # PluginError (lint), ConfigurationError, Abort (strict warnings)
        return str(error)
    except Exception as error:  # a child's traceback would be lost in the pool: report it as one line
        return f"internal error: {type(error).__name__}: {error}"
    return None


def build_site(root: Path, site_dir: Path, languages: list[str], source_language: str) -> None:
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise SopError(f"{config_file}: no mkdocs.yml in the library")
    site_dir = site_dir.resolve()
    work = Path(
        tempfile.mkdtemp(prefix="sop-build-", dir=site_dir.parent if site_dir.parent.exists() else None)
    )
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(len(languages), max(1, multiprocessing.cpu_count()))) as pool:
            jobs = {
                lang: pool.apply_async(_build_language, (str(config_file), lang, str(work / lang)))
                for lang in languages
            }
            errors = {lang: job.get() for lang, job in jobs.items()}
        failed = {lang: message for lang, message in errors.items() if message}
        if failed:
            first = next(iter(failed.values()))
            raise BuildFailed(
                first
                if "sop lint" in first
                else "the site build failed:\n" + "\n".join(f"[{k}] {v}" for k, v in failed.items())
            )
        _merge(work, site_dir, languages, source_language)
        index_site(site_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _merge(work: Path, site_dir: Path, languages: list[str], source_language: str) -> None:
    """The source language's build is the site root; each other language contributes its own folder."""
    merged = work / source_language
    for lang in languages:
        if lang != source_language:
            shutil.move(str(work / lang / lang), str(merged / lang))
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.move(str(merged), str(site_dir))
