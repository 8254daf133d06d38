"""`sop build` and `sop serve` from start to result."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Callable
from datetime import date
from pathlib import Path

from soplib.catalog import catalog_json, llms_txt
from soplib.errors import SopError
from soplib.library import load_library
from soplib.lint import lint
from soplib.project import Project
from soplib.reporters import TextReporter
from soplib.site.build import BuildFailed, build_site


def build_command(start: Path, site_dir: Path | None) -> Path:
    project = Project.discover(start)
    target = (site_dir or project.root / "site").resolve()
    library = load_library(project)
    result = lint(library, date.today())
    if result.errors:
        raise BuildFailed(
            "sop lint found errors; fix them before building:\n" + TextReporter().render(result)
        )
    build_site(project.root, target, project.languages, project.source_language)
    (target / "catalog.json").write_text(catalog_json(library), encoding="utf-8")
    (target / "llms.txt").write_text(llms_txt(library, "SOP library"), encoding="utf-8")
    return target


def serve_site(site_dir: Path, address: str, say: Callable[[str], None]) -> None:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise SopError(f"--dev-addr: expected HOST:PORT, e.g. 127.0.0.1:8000, found '{address}'")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, int(port)), handler)
    except OSError as error:
        raise SopError(f"cannot serve on {address}: {error.strerror}") from None
    say(f"Serving the SOP library on http://{address}/ (Ctrl+C to stop)")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say("Stopped.")
