"""`sop diff` of two versions of a 5,000-word SOP (target: under 1 s) and a calibration pack of 50 changed
SOPs (target: under 10 s), each on a git repository of two commits."""

from __future__ import annotations

import os
import random
import re
import subprocess
from pathlib import Path

import pytest
from bench_helpers import BIN, timed
from synthetic import WORDS, generate

DIFF_TARGET, PACK_TARGET, PACK_SOPS = 1.0, 10.0, 50
_ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _commit(root: Path, when: str, message: str) -> None:
    who = {"NAME": "Bench", "EMAIL": "bench@marketplace-ops.example", "DATE": when}
    env = {
        **os.environ,
        **_ISOLATED,
        **{f"GIT_{r}_{k}": v for r in ("AUTHOR", "COMMITTER") for k, v in who.items()},
    }
    for args in (["add", "--all", "sops"], ["commit", "-q", "--no-gpg-sign", "-m", message]):
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS["en"]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int) -> str:
    parts, total = [], 0
    while total < words:
        length = rng.randint(8, 18)
        parts.append(_sentence(rng, length))
        total += length
    return " ".join(parts)


def long_sop(rng: random.Random) -> tuple[str, list[str]]:
    """The purpose and the steps of a 5,000-word SOP: 60 steps with decision points, a table."""
    steps = []
    for n in range(1, 61):
        step = f"**{_sentence(rng, 4)[:-1]}.** {_paragraph(rng, 50)} Within {rng.randint(2, 72)} hours."
        if n % 5 == 0:
            step += f"\n   - If {_paragraph(rng, 12)}\n   - If not, {_paragraph(rng, 10)}"
        steps.append(step)
    return _paragraph(rng, 200), steps


def _sop_text(version: str, purpose: str, steps: list[str], extra: str = "") -> str:
    front = (
        f'---\nid: SOP-APL-101\ntitle: "A long procedure"\nversion: {version}\nstatus: active\n'
        "team: appeals\n"
        'owner: "@marketplace-ops/appeals-leads"\nregions: [MX, BR]\naudience: [agent]\n'
        "kpis: [appeal-turnaround]\neffective_date: 2026-07-01\nreview_by: 2027-07-01\ntags: [long]\n"
        "changes:\n"
        + (
            "  - version: 1.1.0\n    date: 2026-07-01\n    type: procedure\n    summary: Steps reworded.\n"
            if version == "1.1.0"
            else ""
        )
        + "  - version: 1.0.0\n    date: 2026-01-15\n    type: policy\n    summary: First version.\n---\n\n"
    )
    procedure = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
    table = "| situation | escalate to | when |\n| --- | --- | --- |\n" + "\n".join(
        f"| Case {n} | tier {n % 3 + 1} | within {n} hours |" for n in range(1, 16)
    )
    return (
        f"{front}## Purpose\n\n{purpose}\n\n## Scope\n\n{purpose[:900]}\n\n## Procedure\n\n{procedure}\n\n"
        f"## Quality checks\n\n{table}\n\n## Escalation\n\n{purpose[:1200]}\n{extra}"
    )


@pytest.fixture(scope="module")
def long_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(0, tmp_path_factory.mktemp("long") / "library")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    rng = random.Random(5000)
    purpose, steps = long_sop(rng)
    path = root / "sops" / "appeals" / "long.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_sop_text("1.0.0", purpose, steps), encoding="utf-8")
    _commit(root, "2026-01-15T10:00:00-06:00", "1.0.0")
    changed = list(steps)
    for n in range(3, 60, 7):  # reworded steps, changed time limits
        changed[n] = re.sub(r"Within \d+ hours", "Within 4 hours", changed[n].replace(" the ", " each ", 2))
    for old, new in ((10, 40), (50, 20), (57, 2)):  # moved steps
        changed.insert(new, changed.pop(old))
    changed.insert(30, f"**A new check.** {_paragraph(rng, 40)}")
    del changed[55]
    references = f"\n## References\n\n- {_sentence(rng, 6)}\n"
    path.write_text(_sop_text("1.1.0", purpose, changed, references), encoding="utf-8")
    _commit(root, "2026-07-01T10:00:00-06:00", "1.1.0")
    return root


def test_diff_of_a_5000_word_sop(long_repository: Path) -> None:
    text = (long_repository / "sops" / "appeals" / "long.md").read_text(encoding="utf-8")
    words = len(text.split("\n---\n", 1)[1].split())
    for args in (["diff", "SOP-APL-101"], ["diff", "SOP-APL-101", "--format", "html", "-o", "diff.html"]):
        seconds, result = timed([str(BIN / "sop"), *args], long_repository, runs=5)
        assert result.returncode == 0, result.stderr
        moved = result.stdout.count("moved, was step") if len(args) == 2 else "-"
        print(
            f"\nsop {' '.join(args)} ({words:,} words, moved steps: {moved}): {seconds:.2f} s (median of 5)"
        )
        assert seconds < DIFF_TARGET


@pytest.fixture(scope="module")
def pack_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(PACK_SOPS, tmp_path_factory.mktemp("pack") / "library")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    _commit(root, "2026-06-01T10:00:00-06:00", "Import the library")
    entry = (
        "changes:\n  - version: 1.2.0\n    date: 2026-07-01\n    type: procedure\n    summary: Step moved.\n"
    )
    for path in sorted((root / "sops").glob("*/sop-*[0-9].md")):
        text = path.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        front = front.replace("version: 1.1.0", "version: 1.2.0", 1).replace("changes:\n", entry, 1)
        steps = re.findall(r"^\d+\. .*$", body, flags=re.MULTILINE)
        moved = [*steps[:2], steps[5], *steps[2:5], *steps[6:]]
        numbered = "\n".join(re.sub(r"^\d+", str(n), s) for n, s in enumerate(moved, 1))
        body = body.replace("\n".join(steps), numbered).replace(" 72 h |", " 48 h |")
        path.write_text(f"{front}\n---\n{body.replace(' the ', ' each ', 3)}", encoding="utf-8")
    _commit(root, "2026-07-01T10:00:00-06:00", "50 SOPs changed")
    return root


def test_calibration_pack_of_50_changed_sops(pack_repository: Path) -> None:
    for lang in ("en", "es"):
        command = [
            str(BIN / "sop"),
            "calibration-pack",
            "--since",
            "2026-06-15",
            "--lang",
            lang,
            "-o",
            "pack.html",
        ]
        seconds, result = timed(command, pack_repository, runs=3)
        assert result.returncode == 0, result.stderr
        size = (pack_repository / "pack.html").stat().st_size
        print(f"\nsop calibration-pack --lang {lang}: {seconds:.2f} s (median of 3), {size:,} bytes")
        print(result.stdout.strip())
        assert result.stdout.endswith(f": {PACK_SOPS} SOPs changed\n")
        assert seconds < PACK_TARGET
