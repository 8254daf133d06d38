"""The check of the built site (soplib.publish.security) on the synthetic library's site: every page, each
read by lexbor and held to the allowlist. Target: 1,000 SOPs x 3 languages (3,000 SOP pages, plus the
library's pages) in under 10 s on 2 cores, which `sop build` pays once per build; no finding.

    SOP_BENCH_CHECK_SOPS=3000 make bench     # the same on 3,000 SOPs (9,000 SOP pages)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

from bench_helpers import BIN

from soplib.load.project import Project
from soplib.publish.security import check_site, report


def test_published_check_speed(synthetic_library) -> None:  # type: ignore[no-untyped-def]
    count = int(os.environ.get("SOP_BENCH_CHECK_SOPS", "1000"))
    root: Path = synthetic_library(count)
    site = root / "site"
    if not site.is_dir():
        build = subprocess.run(
            [str(BIN / "sop"), "build", "--site-dir", str(site)], cwd=root, capture_output=True, text=True
        )
        assert build.returncode == 0, build.stderr[-2000:]
    sops = root / "sops"
    sop_pages = [p.relative_to(sops).as_posix() for p in sops.glob("*/*.md")]
    pages = sum(1 for _ in site.rglob("*.html"))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        findings = check_site(site, sop_pages, Project(root))
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(
        f"\npublished check, {count:,} SOPs x 3 languages: {pages:,} pages ({len(sop_pages):,} SOP pages)"
        f" in {seconds:.1f} s (median of 3): {seconds / pages * 1000:.2f} ms per page"
    )
    assert findings == [], report(findings[:10])
    assert seconds < 10 * count / 1000
