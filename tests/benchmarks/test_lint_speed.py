"""`sop lint` over 1,000 SOPs x 3 languages (about 1,200 words each). Target: under 2 s on 2 cores."""

from __future__ import annotations

from bench_helpers import BIN, timed


def test_lint_1000_sops(synthetic_library) -> None:  # type: ignore[no-untyped-def]
    root = synthetic_library(1000)
    seconds, result = timed([str(BIN / "sop"), "lint"], root, runs=5)
    summary = result.stdout.splitlines()[-1]
    print(f"\nsop lint, 1,000 SOPs x 3 languages: {seconds:.2f} s (median of 5) -> {summary}")
    assert result.returncode == 0, result.stdout[-2000:]
    assert summary == "3000 files checked: 0 errors, 0 warnings"
    assert seconds < 2.0
