"""A temporary git repository for the diff tests: one SOP whose every version makes one kind of change.

    1.0.0  the first version (2026-01-12)
    1.1.0  a reworded step                       (step 2 gets a longer sentence)
    1.2.0  a moved step                          (checking the seller's history comes before the evidence)
    1.2.1  a renumbered list                     (the steps written "1." each: Markdown numbers them)
    1.3.0  a changed number in a sentence        (escalation within 24 hours -> 12 hours)
    1.4.0  an added section                      (## Definitions)
    1.5.0  a front-matter change                 (owner, KPIs, review date)

The Spanish translation follows 1.0.0 and 1.3.0 only, so it lags English at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gitrepo import Repo
from sop_trees import Tree

PATH = "sops/appeals/seller-appeal"

EN_100 = """\
---
id: SOP-APL-001
title: Seller appeal of a listing removal
version: 1.0.0
status: active
team: appeals
owner: "@org/appeals-leads"
regions: [MX, BR]
audience: [agent]
kpis: [appeal-overturn-rate]
effective_date: 2026-01-12
review_by: 2027-01-12
tags: [listings]
changes:
  - version: 1.0.0
    date: 2026-01-12
    type: policy
    summary: First version.
---

## Purpose

Sellers can appeal the removal of a listing. Agents decide every appeal on evidence, within 72 hours.

## Scope

Agents of the appeals queue, in-house and at BPOs, in Mexico and Brazil.

## Procedure

1. **Open the case.** Open the oldest case in Case Hub.
2. **Check the evidence.** The seller has 72 hours.
   - If the evidence is missing, send the template "Appeal \u2013 evidence needed".
3. **Check the seller's history.** Look for earlier removals of the same listing.
4. **Decide.** Overturn when the listing complies with the policy.
5. **Notify the seller.** Send the outcome template and resolve the case.

## Escalation

Unclear cases go to the appeals lead within 24 hours.
"""

ES_100 = """\
---
id: SOP-APL-001
title: Apelación de un vendedor por la baja de una publicación
source_version: 1.0.0
---

## Propósito

Los vendedores pueden apelar la baja de una publicación. Los agentes deciden cada apelación con base en
la evidencia, en un máximo de 72 horas.

## Alcance

Agentes de la fila de apelaciones, internos y de BPO, en México y Brasil.

## Procedimiento

1. **Abra el caso.** Abra el caso más antiguo en Case Hub.
2. **Revise la evidencia.** El vendedor tiene 72 horas.
   - Si falta la evidencia, envíe la plantilla "Apelación \u2013 evidencia requerida".
3. **Revise el historial del vendedor.** Busque bajas anteriores de la misma publicación.
4. **Decida.** Revoque la baja cuando la publicación cumple con la política.
5. **Notifique al vendedor.** Envíe la plantilla del resultado y resuelva el caso.

## Escalamiento

Los casos dudosos van al líder de apelaciones en un máximo de 24 horas.
"""

Edit = Callable[[str], str]


def bump(text: str, version: str, day: str, kind: str, summary: str) -> str:
    text = re.sub(r"\nversion: \S+\n", f"\nversion: {version}\n", text, count=1)
    text = re.sub(r"\neffective_date: \S+\n", f"\neffective_date: {day}\n", text, count=1)
    entry = f"changes:\n  - version: {version}\n    date: {day}\n    type: {kind}\n    summary: {summary}\n"
    return text.replace("changes:\n", entry, 1)


def _renumber(text: str) -> str:
    return re.sub(r"^\d\. \*\*", "1. **", text, flags=re.MULTILINE)


MOVED = (
    "3. **Check the seller's history.** Look for earlier removals of the same listing.\n",
    "2. **Check the evidence.**",
)
VERSIONS: list[tuple[str, str, str, str, Edit]] = [
    (
        "1.1.0",
        "2026-03-02",
        "clarification",
        "Step 2 says what the seller uploads.",
        lambda t: t.replace("The seller has 72 hours.", "The seller has 72 hours to upload the documents."),
    ),
    (
        "1.2.0",
        "2026-05-04",
        "procedure",
        "The seller's history is checked before the evidence.",
        lambda t: t.replace(MOVED[0], "").replace(
            MOVED[1], MOVED[0].replace("3.", "2.", 1) + MOVED[1].replace("2.", "3.", 1)
        ),
    ),
    ("1.2.1", "2026-06-01", "editorial", "Steps written as 1. for easier reordering.", _renumber),
    (
        "1.3.0",
        "2026-07-06",
        "procedure",
        "Unclear cases escalated within 12 hours instead of 24.",
        lambda t: t.replace("within 24 hours", "within 12 hours"),
    ),
    (
        "1.4.0",
        "2026-08-03",
        "clarification",
        "Definitions added.",
        lambda t: t.replace(
            "\n## Procedure\n",
            "\n## Definitions\n\n- **Evidence**: documents that show the listing complies with the policy.\n"
            "\n## Procedure\n",
        ),
    ),
    (
        "1.5.0",
        "2026-09-14",
        "policy",
        "The appeals policy owners own the SOP; appeal turnaround is tracked.",
        lambda t: (
            t.replace('"@org/appeals-leads"', '"@org/appeals-policy"')
            .replace("kpis: [appeal-overturn-rate]", "kpis: [appeal-overturn-rate, appeal-turnaround]")
            .replace("review_by: 2027-01-12", "review_by: 2027-03-14")
        ),
    ),
]
ES_MOVED = (
    "3. **Revise el historial del vendedor.** Busque bajas anteriores de la misma publicación.\n",
    "2. **Revise la evidencia.**",
)
ES_130 = (
    _renumber(
        ES_100.replace(ES_MOVED[0], "").replace(
            ES_MOVED[1], ES_MOVED[0].replace("3.", "2.", 1) + ES_MOVED[1].replace("2.", "3.", 1)
        )
    )
    .replace("source_version: 1.0.0", "source_version: 1.3.0")
    .replace("El vendedor tiene 72 horas.", "El vendedor tiene 72 horas para subir los documentos.")
    .replace("en un máximo de 24 horas", "en un máximo de 12 horas")
)


def english(version: str) -> str:
    """The English file at `version`."""
    text = EN_100
    for number, day, kind, summary, edit in VERSIONS:
        text = bump(edit(text), number, day, kind, summary)
        if number == version:
            break
    return text


def build_story(tree: Tree, catch_up: bool = True) -> Repo:
    """The repository, one commit per version; Spanish with 1.0.0 and 1.3.0 (only 1.0.0 without
    `catch_up`: a translation left behind, for `sop translate`)."""
    repo = Repo(tree)
    tree.write(f"{PATH}.md", EN_100)
    tree.write(f"{PATH}.es.md", ES_100)
    repo.commit("2026-01-12T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0")
    for number, day, _, _, _ in VERSIONS:
        tree.write(f"{PATH}.md", english(number))
        if number == "1.3.0" and catch_up:
            tree.write(f"{PATH}.es.md", ES_130)
        repo.commit(f"{day}T10:00:00-06:00", "Daniela Ortega", f"SOP-APL-001 {number}")
    return repo
