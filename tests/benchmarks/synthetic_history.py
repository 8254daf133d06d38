"""A synthetic SOP library with a long git history, for benchmarks: written in seconds with `git fast-import`.

The first commit adds the library of synthetic.py; every later commit changes one SOP as SMEs do: a new
English version with its change entry (procedure, editorial, policy), a translation catching up, a rename,
or an edit without a bump. Deterministic (seeded, pinned dates).

    python tests/benchmarks/synthetic_history.py 300 5000 /tmp/library    # 300 SOPs, 5,000 commits
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from synthetic import TEAMS, generate

AUTHORS = [
    ("Mariana López", "mariana.lopez@marketplace-ops.example"),
    ("Daniela Ortega", "daniela.ortega@marketplace-ops.example"),
    ("Lucas Pereira", "lucas.pereira@marketplace-ops.example"),
    ("Ana Beatriz Lima", "ana.lima@marketplace-ops.example"),
    ("Rafael Souza", "rafael.souza@marketplace-ops.example"),
]
START = 1_640_995_200  # 2022-01-01T00:00:00Z
STEP = 6 * 3600  # one commit every six hours
SCOPE = {"en": "## Scope", "es": "## Alcance", "pt": "## Escopo"}
BUMPS = [("procedure", 1), ("editorial", 2), ("procedure", 1), ("clarification", 2), ("policy", 0)]


@dataclass
class SopState:
    folder: str  # sops/<team>
    slug: str
    version: list[int] = field(default_factory=lambda: [1, 1, 0])
    texts: dict[str, str] = field(default_factory=dict)  # language -> file text

    def path(self, lang: str) -> str:
        return f"{self.folder}/{self.slug}{'' if lang == 'en' else '.' + lang}.md"

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def _day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


class Stream:
    """A `git fast-import` stream, one commit after the other on refs/heads/main."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.count = 0

    def commit(self, when: int, author: tuple[str, str], message: str, ops: list[bytes]) -> None:
        self.count += 1
        who = f"{author[0]} <{author[1]}> {when} +0000".encode()
        parent = b"" if self.count == 1 else b"from :%d\n" % (self.count - 1)
        self.chunks += [
            b"commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\n" % (self.count, who, who),
            _data(message),
            parent,
            *ops,
            b"\n",
        ]

    @staticmethod
    def modify(path: str, text: str) -> bytes:
        return f"M 100644 inline {path}\n".encode() + _data(text)

    @staticmethod
    def rename(old: str, new: str) -> bytes:
        return f'R "{old}" "{new}"\n'.encode()


def _bump(state: SopState, n: int, when: int, rng: random.Random) -> tuple[str, str]:
    kind, part = rng.choice(BUMPS)
    old = state.version_text
    state.version[part] += 1
    state.version[part + 1 :] = [0] * (2 - part)
    new, day = state.version_text, _day(when)
    summary = f'"Change {n}: the {kind} of step {rng.randint(1, 12)} was updated."'
    text = state.texts["en"].replace(f"\nversion: {old}\n", f"\nversion: {new}\n", 1)
    text = re.sub(r"\neffective_date: \S+\n", f"\neffective_date: {day}\n", text, count=1)
    entry = f"changes:\n  - version: {new}\n    date: {day}\n    type: {kind}\n    summary: {summary}\n"
    text = text.replace("changes:\n", entry, 1)
    state.texts["en"] = text.replace(f"\n\n{SCOPE['en']}", f" Revised in change {n}.\n\n{SCOPE['en']}", 1)
    return new, kind


def generate_history(count: int, commits: int, root: Path) -> Path:
    """A git repository in `root`: `count` SOPs x 3 languages and `commits` commits touching sops/."""
    generate(count, root)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    rng = random.Random(5000)
    stream = Stream()
    states: list[SopState] = []
    first: list[bytes] = []
    for index in range(count):
        team = list(TEAMS)[index % len(TEAMS)]
        state = SopState(f"sops/{team}", f"sop-{index:04d}")
        state.texts = {
            lang: (root / state.path(lang)).read_text(encoding="utf-8") for lang in ("en", "es", "pt")
        }
        state.texts["en"] = (
            state.texts["en"].replace("2026-06-01", "2021-06-01").replace("2026-01-15", "2021-01-15")
        )
        states.append(state)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        relative = path.relative_to(root).as_posix()
        text = next((t for s in states for lang, t in s.texts.items() if s.path(lang) == relative), None)
        first.append(stream.modify(relative, text or path.read_text(encoding="utf-8")))
    stream.commit(START, AUTHORS[0], "Import the SOP library", first)
    for n in range(2, commits + 1):
        when, author, state = START + n * STEP, rng.choice(AUTHORS), rng.choice(states)
        roll = rng.random()
        if roll < 0.6:
            version, kind = _bump(state, n, when, rng)
            ops = [stream.modify(state.path("en"), state.texts["en"])]
            message = f"{version} ({kind})"
        elif roll < 0.9:
            lang = rng.choice(("es", "pt"))
            text = re.sub(
                r"\nsource_version: \S+\n", f"\nsource_version: {state.version_text}\n", state.texts[lang]
            )
            state.texts[lang] = text.replace(f"\n\n{SCOPE[lang]}", f" Cambio {n}.\n\n{SCOPE[lang]}", 1)
            ops = [stream.modify(state.path(lang), state.texts[lang])]
            message = f"{lang} catches up with {state.version_text}"
        elif roll < 0.95:
            index = states.index(state)
            old = {lang: state.path(lang) for lang in state.texts}
            old_link, state.slug = f"/{state.slug}.md)", f"sop-{index:04d}-r{n}"
            ops = [stream.rename(old[lang], state.path(lang)) for lang in state.texts]
            linking = states[index - 1]  # each SOP links to the next one: fix the link to the renamed file
            for lang, text in linking.texts.items():
                linking.texts[lang] = text.replace(old_link, f"/{state.slug}.md)")
                ops.append(stream.modify(linking.path(lang), linking.texts[lang]))
            message = "Rename"
        else:
            state.texts["en"] = state.texts["en"].replace(
                "\n## Scope", f"\nTypo fixed in {n}.\n\n## Scope", 1
            )
            ops = [stream.modify(state.path("en"), state.texts["en"])]
            message = "Edit without a version bump"
        stream.commit(when, author, f"{state.folder.removeprefix('sops/')}/{state.slug}: {message}", ops)
    for path in sorted((root / "sops").rglob("*.md")):
        if path.parent != root / "sops":
            path.unlink()  # the files of the last commit replace the first commit's
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream.chunks), check=True
    )
    subprocess.run(["git", "-C", str(root), "reset", "--hard", "-q"], check=True)
    return root


if __name__ == "__main__":
    generate_history(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
