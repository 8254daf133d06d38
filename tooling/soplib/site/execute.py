"""`sop build` and `sop serve` from start to result."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Callable
from datetime import date
from pathlib import Path

from soplib.core.errors import SopError
from soplib.core.output import resolve_folders
from soplib.lint import lint
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.publish.catalog import catalog_json, llms_txt
from soplib.reporters import TextReporter
from soplib.site.build import BuildFailed, Say, build_site

MARKER = "catalog.json"  # every site `sop build` makes has it; a folder without it is not ours to replace


def build_command(start: Path, site_dir: Path | None, say: Say) -> Path:
    project = Project.discover(start)
    target = resolve_folders(site_dir or project.root / "site")
    check_site_dir(target, project)
    library = load_library(project)
    result = lint(library, date.today())
    if result.errors:
        raise BuildFailed(
            "sop lint found errors; fix them before building:\n" + TextReporter().render(result)
        )
    files = {MARKER: catalog_json(library), "llms.txt": llms_txt(library, "SOP library")}
    build_site(project.root, target, project.languages, project.source_language, files, say)
    return target


def check_site_dir(target: Path, project: Project) -> None:
    """The build replaces the site folder whole: never the library, never a link (the build would replace
    the link, not what it points to: a surprise either way), and never a folder it did not make."""
    root = project.root.resolve()
    if root.is_relative_to(target) or target.is_relative_to(project.sops_dir.resolve()):
        raise SopError(
            f"--site-dir {target}: the build replaces this folder, and the library is in it; "
            "choose a folder of its own, such as site/"
        )
    if target.is_symlink():
        raise SopError(f"--site-dir {target}: is a symbolic link; give the folder itself, or remove the link")
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not _made_by_us(target))):
        raise SopError(
            f"--site-dir {target}: exists and is not a site that `sop build` made; "
            "remove it or choose another folder"
        )


def _made_by_us(site: Path) -> bool:
    """Every site `sop build` makes has a catalog.json, a regular file (never a link)."""
    return (site / MARKER).is_file() and not (site / MARKER).is_symlink()


def check_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise SopError(f"--dev-addr: expected HOST:PORT, e.g. 127.0.0.1:8000, found '{address}'")
    return host, int(port)


def serve_site(site_dir: Path, address: str, say: Callable[[str], None]) -> None:
    host, port = check_address(address)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise SopError(f"cannot serve on {address}: {error.strerror}") from None
    say(f"Serving the SOP library on http://{address}/ (Ctrl+C to stop)")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say("Stopped.")
