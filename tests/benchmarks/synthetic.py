"""A synthetic SOP library of any size, for benchmarks: N SOPs x 3 languages, about 1,200 words each.

Deterministic (seeded), valid under `sop lint`, shaped like the sample library: five teams, the required
sections, numbered steps with decision points, tables, links between SOPs, accented Spanish and Portuguese.

    python tests/benchmarks/synthetic.py 1000 /tmp/library    # writes a library with 1,000 SOPs
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEAMS = {
    "appeals": "APL",
    "quality-assurance": "QA",
    "customer-service": "CS",
    "knowledge-management": "KM",
    "bpo-training": "TRN",
}
KPIS = [
    "dsat",
    "rsat",
    "24h-resolution-rate",
    "contact-rate",
    "contact-time",
    "fatal-error-rate",
    "audit-accuracy",
    "coaching-compliance",
    "appeal-overturn-rate",
    "appeal-turnaround",
]
SECTIONS = {
    "en": ["Purpose", "Scope", "Definitions", "Procedure", "Quality checks", "Escalation", "References"],
    "es": [
        "Propósito",
        "Alcance",
        "Definiciones",
        "Procedimiento",
        "Controles de calidad",
        "Escalamiento",
        "Referencias",
    ],
    "pt": [
        "Objetivo",
        "Escopo",
        "Definições",
        "Procedimento",
        "Verificações de qualidade",
        "Escalonamento",
        "Referências",
    ],
}
WORDS = {
    "en": (
        "the agent seller buyer creator appeal refund return evidence listing removal case hub queue review "
        "decision policy owner escalation tier hours business days approve reject overturn notify outcome "
        "scorecard audit fatal error coaching calibration trainer nesting knowledge check payment carrier "
        "tracking damaged photo voucher within before after when confirms records checks opens sends"
    ).split(),
    "es": (
        "el agente vendedor comprador creador apelación reembolso devolución evidencia publicación baja caso "
        "fila revisión decisión política responsable escalamiento nivel horas días hábiles aprueba rechaza "
        "revoca notifica resultado auditoría error fatal coaching calibración capacitador guía paquetería "
        "rastreo dañado fotografía antes después cuando confirma registra revisa abre envía según también"
    ).split(),
    "pt": (
        "o agente vendedor comprador criador apelação reembolso devolução evidência anúncio remoção caso "
        "fila revisão decisão política responsável escalonamento nível horas dias úteis aprova rejeita "
        "reverte notifica resultado auditoria erro fatal coaching calibração instrutor transportadora "
        "rastreio danificado foto antes depois quando confirma registra verifica abre envia conforme também"
    ).split(),
}
TITLE = {
    "en": "Procedure {n}: {a} {b}",
    "es": "Procedimiento {n}: {a} {b}",
    "pt": "Procedimento {n}: {a} {b}",
}


def _sentence(rng: random.Random, lang: str, words: int) -> str:
    text = " ".join(rng.choice(WORDS[lang]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, lang: str, words: int) -> str:
    sentences, total = [], 0
    while total < words:
        length = rng.randint(8, 18)
        sentences.append(_sentence(rng, lang, length))
        total += length
    return " ".join(sentences)


def _body(rng: random.Random, lang: str, index: int, count: int) -> str:
    names = SECTIONS[lang]
    other = (index + 1) % count
    team = list(TEAMS)[other % len(TEAMS)]
    steps = "\n".join(
        f"{n}. **{_sentence(rng, lang, 3)[:-1]}.** {_paragraph(rng, lang, 45)}" for n in range(1, 13)
    )
    table = "| | |\n| --- | --- |\n" + "\n".join(
        f"| {_sentence(rng, lang, 3)} | {rng.randint(2, 72)} h |" for _ in range(5)
    )
    return (
        "\n\n".join(
            [
                f"## {names[0]}",
                _paragraph(rng, lang, 90),
                f"## {names[1]}",
                _paragraph(rng, lang, 80),
                f"## {names[2]}",
                _paragraph(rng, lang, 70),
                f"## {names[3]}",
                steps,
                f"## {names[4]}",
                table,
                _paragraph(rng, lang, 120),
                f"## {names[5]}",
                _paragraph(rng, lang, 120),
                f"## {names[6]}",
                f"- [{_sentence(rng, lang, 3)}](../{team}/sop-{other:04d}.md)",
            ]
        )
        + "\n"
    )


def _english_front_matter(rng: random.Random, index: int, title: str) -> str:
    team = list(TEAMS)[index % len(TEAMS)]
    kpis = ", ".join(rng.sample(KPIS, 2))
    return (
        f'---\nid: SOP-{TEAMS[team]}-{index // len(TEAMS) + 101:03d}\ntitle: "{title}"\nversion: 1.1.0\n'
        f'status: active\nteam: {team}\nowner: "@marketplace-ops/{team}-leads"\nregions: [MX, BR]\n'
        f"audience: [agent, qa-auditor]\nkpis: [{kpis}]\neffective_date: 2026-06-01\nreview_by: 2027-06-01\n"
        f"tags: [synthetic, {team}]\nchanges:\n  - version: 1.1.0\n    date: 2026-06-01\n"
        "    type: procedure\n"
        f"    summary: {_sentence(rng, 'en', 10)}\n  - version: 1.0.0\n    date: 2026-01-15\n"
        f"    type: policy\n    summary: First version.\n---\n\n"
    )


def generate(count: int, root: Path) -> Path:
    """Write a library of `count` SOPs (each in en, es, pt) into `root`; returns root."""
    if root.exists():
        shutil.rmtree(root)
    for folder in ("schemas", "translations"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "sops").mkdir()
    for lang, suffix in (("en", ""), ("es", ".es"), ("pt", ".pt")):
        (root / "sops" / f"index{suffix}.md").write_text(
            f"---\ntitle: Synthetic library\n---\n\n# Synthetic library ({lang})\n\n"
            f"{_paragraph(random.Random(lang), lang, 60)}\n",
            encoding="utf-8",
        )
    rng = random.Random(20261122)
    for index in range(count):
        team = list(TEAMS)[index % len(TEAMS)]
        folder = root / "sops" / team
        folder.mkdir(parents=True, exist_ok=True)
        a, b = rng.choice(WORDS["en"]), rng.choice(WORDS["en"])
        (folder / f"sop-{index:04d}.md").write_text(
            _english_front_matter(rng, index, TITLE["en"].format(n=index, a=a, b=b))
            + _body(rng, "en", index, count),
            encoding="utf-8",
        )
        for lang in ("es", "pt"):
            a, b = rng.choice(WORDS[lang]), rng.choice(WORDS[lang])
            front = (
                f"---\nid: SOP-{TEAMS[team]}-{index // len(TEAMS) + 101:03d}\n"
                f'title: "{TITLE[lang].format(n=index, a=a, b=b)}"\nsource_version: 1.1.0\n---\n\n'
            )
            (folder / f"sop-{index:04d}.{lang}.md").write_text(
                front + _body(rng, lang, index, count), encoding="utf-8"
            )
    return root


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
