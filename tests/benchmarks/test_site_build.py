"""Site build time and size on the synthetic library, ours against the default Material + i18n set-up.

Targets: 1,000 SOPs x 3 languages under 60 s, time(1,000) / time(300) at most 3.6, site under 250 MB.
The default set-up at 1,000 x 3 takes about 7 minutes; set SOP_BENCH_DEFAULT_1000=1 to measure it too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from bench_helpers import BIN

DEFAULT_SETUP = """\
site_name: SOP library (default set-up)
docs_dir: sops
theme:
  name: material
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: en, name: English, default: true}
        - {locale: es, name: Español}
        - {locale: pt, name: Português}
"""


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def _time(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return time.perf_counter() - start


def _ours(root: Path) -> tuple[float, float]:
    seconds = _time([str(BIN / "sop"), "build", "--site-dir", str(root / "site")], root)
    return seconds, _size_mb(root / "site")


def _default(root: Path) -> tuple[float, float]:
    copy = root.parent / f"{root.name}-default"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "mkdocs.yml").write_text(DEFAULT_SETUP, encoding="utf-8")
    seconds = _time([str(BIN / "mkdocs"), "build", "--site-dir", str(copy / "site")], copy)
    return seconds, _size_mb(copy / "site")


def test_site_build_grows_linearly(synthetic_library) -> None:  # type: ignore[no-untyped-def]
    ours = {count: _ours(synthetic_library(count)) for count in (300, 1000)}
    default = {300: _default(synthetic_library(300))}
    if os.environ.get("SOP_BENCH_DEFAULT_1000"):
        default[1000] = _default(synthetic_library(1000))
    ratio = ours[1000][0] / ours[300][0]
    print()
    for count, (seconds, size) in ours.items():
        print(f"sop build, {count:>5} SOPs x 3 languages: {seconds:6.1f} s, {size:7.1f} MB")
    for count, (seconds, size) in default.items():
        print(f"default Material + i18n, {count:>5} x 3:   {seconds:6.1f} s, {size:7.1f} MB")
    print(f"time(1000) / time(300) = {ratio:.2f}")
    assert ours[1000][0] < 60
    assert ratio <= 3.6
    assert ours[1000][1] < 250
