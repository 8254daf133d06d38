"""`sop serve`: an SME's preview. The site is built as `sop build --preview` builds it (drafts shown, lint
findings printed but not blocking), served, and built again whenever a file under sops/, translations/ or
schemas/ (or mkdocs.yml) is saved; the pages open in a browser then reload themselves.

Each build runs as a `sop build` process of its own: a build forks workers, which a process serving
requests on several threads must not do. The served folder is swapped whole by each build, so a reader
never gets half a site. Pages are sent with a small script that listens to /__sop/events (server-sent
events) and reloads the page when a build has finished.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.load.project import Project

EVENTS = "/__sop/events"
RELOAD = (
    f'<script>new EventSource("{EVENTS}").addEventListener("built", () => location.reload());</script>'
).encode()
QUIET = 0.3  # seconds without a save before a build starts: an editor often writes a file in steps
Say = Callable[[str], None]


class Builds:
    """The builds of one preview: how many have finished, and who waits for the next."""

    def __init__(self) -> None:
        self.finished = 0
        self.changed = threading.Condition()

    def done(self) -> None:
        with self.changed:
            self.finished += 1
            self.changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.finished > seen, timeout)
            return self.finished


def build_once(project: Project, site_dir: Path, say: Say) -> bool:
    """One preview build in a process of its own, its output passed on; True when the site was built."""
    command = [sys.executable, "-m", "soplib", "build", "--preview", "--site-dir", str(site_dir)]
    started = time.monotonic()
    result = subprocess.run(command, cwd=project.root, check=False)
    if result.returncode == 0:
        say(f"Built in {time.monotonic() - started:.1f} s")
    else:
        say("The preview was not built (see above); it is built again at the next save.")
    return result.returncode == 0


def watch(project: Project, rebuild: Callable[[], None]) -> Any:
    """Call `rebuild` after files under the library's sources are saved (once per burst of saves)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    sources = [project.sops_dir, project.root / "translations", project.root / "schemas"]
    pending = threading.Event()

    class Saved(FileSystemEventHandler):
        def __init__(self, only: str | None = None) -> None:
            self.only = only  # a file name: the other files of its folder are not the library's

        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            if self.only is None or Path(str(event.src_path)).name == self.only:
                pending.set()

    def builder() -> None:
        while True:
            pending.wait()
            while pending.is_set():  # until the saves stop
                pending.clear()
                time.sleep(QUIET)
            rebuild()

    observer = Observer()
    for folder in sources:
        if folder.is_dir():
            observer.schedule(Saved(), str(folder), recursive=True)
    observer.schedule(Saved("mkdocs.yml"), str(project.root), recursive=False)
    observer.daemon = True
    observer.start()
    threading.Thread(target=builder, daemon=True).start()
    return observer


def handler(site_dir: Path, builds: Builds) -> type[http.server.SimpleHTTPRequestHandler]:
    class Preview(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # a request per page, asset and event: the terminal is for lint findings

        def do_GET(self) -> None:
            if self.path == EVENTS:
                self._events()
                return
            path = Path(self.translate_path(self.path))
            page = path / "index.html" if path.is_dir() and self.path.endswith("/") else path
            if page.suffix == ".html" and page.is_file():
                self._page(page)
                return
            super().do_GET()

        def _page(self, page: Path) -> None:
            """A page with the script that reloads it after the next build."""
            body = page.read_bytes()
            end = body.rfind(b"</body>")
            body = body[:end] + RELOAD + body[end:] if end >= 0 else body + RELOAD
            self.send_response(404 if page.name == "404.html" else 200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = builds.finished
            try:
                while True:
                    now = builds.wait_after(seen, timeout=15)
                    message = b"event: built\ndata: \n\n" if now > seen else b": still here\n\n"
                    seen = now
                    self.wfile.write(message)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Preview


def serve(project: Project, site_dir: Path, host: str, port: int, say: Say) -> None:
    builds = Builds()
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler(site_dir, builds))
    except OSError as error:
        raise SopError(f"cannot serve on {host}:{port}: {error.strerror}") from None
    server.daemon_threads = True  # the event streams never end on their own

    def rebuild() -> None:
        if build_once(project, site_dir, say):
            builds.done()

    if not build_once(project, site_dir, say):
        raise SopError("the first build of the preview failed (see above); fix it and run `sop serve` again")
    observer = watch(project, rebuild)
    say(f"Serving the preview on http://{host}:{port}/ (Ctrl+C to stop); saving a file rebuilds it")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say("Stopped.")
        finally:
            observer.stop()
