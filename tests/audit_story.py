"""A temporary git repository for scorecards and knowledge checks: one SOP whose scorecard changes.

    1.0.0  (2026-01-10)  two steps; checks: Case opened (step 1), Evidence window (step 2, 48 hours), Notes
    1.1.0  (2026-06-01)  a new first step (verify the seller, refunds up to MXN 500 / BRL 150 at once); the
                         evidence window is 72 hours and deciding early is fatal; a new fatal Identity check;
                         Notes removed; Case opened renumbered (step 2), not changed

Spanish follows both versions; Portuguese stays at 1.0.0 (stale), so its 1.1.0 scorecard is English's.
"""

from __future__ import annotations

import gitrepo as story
from gitrepo import Repo
from sop_trees import Tree

assert story.EN_100.count("48 hours.") == 1 and story.ES_100.count("48 horas.") == 1

PATH = "sops/appeals/seller-appeal"

EN_CHECKS = """\
## Quality checks

| check | step | the auditor looks for | scoring |
| --- | --- | --- | --- |
| Case opened | 1 | the oldest case taken first | standard |
| Evidence window | 2 | no decision before the 48 hours are over | standard |
| Notes | 2 | the evidence received is listed | standard |

## Escalation
"""
EN_100 = story.EN_100.replace("48 hours.", "48 hours to send it.").replace("## Escalation\n", EN_CHECKS, 1)

EN_110 = (
    EN_100.replace("version: 1.0.0\n", "version: 1.1.0\n", 1)
    .replace("effective_date: 2026-01-10", "effective_date: 2026-06-01")
    .replace(
        "changes:\n",
        "changes:\n  - version: 1.1.0\n    date: 2026-06-01\n    type: procedure\n"
        "    summary: The seller is **verified first**; the evidence window is `72 hours`.\n",
    )
    .replace(
        "1. **Open the case.** Open the oldest case in Case Hub.\n2. **Check the evidence.** The seller "
        "has 48",
        "1. **Verify the seller.** Check the account; listing fees up to MXN 500 / BRL 150 are refunded "
        "at once.\n2. **Open the case.** Open the oldest case in Case Hub.\n3. **Check the evidence.** The "
        "seller has 72",
    )
    .replace(
        "| Case opened | 1 | the oldest case taken first | standard |\n"
        "| Evidence window | 2 | no decision before the 48 hours are over | standard |\n"
        "| Notes | 2 | the evidence received is listed | standard |\n",
        "| Identity | 1 | seller verified before any case detail | fatal if missed |\n"
        "| Evidence window | 3 | no decision before the 72 hours are over | fatal if decided early |\n"
        "| Case opened | 2 | the oldest case taken first | standard |\n",
    )
)

ES_CHECKS = """\
## Controles de calidad

| control | paso | qué revisa el auditor | calificación |
| --- | --- | --- | --- |
| Caso abierto | 1 | se tomó primero el caso más antiguo | estándar |
| Plazo de evidencias | 2 | ninguna decisión antes de que pasen las 48 horas | estándar |
| Notas | 2 | se anotó la evidencia recibida | estándar |

## Escalamiento
"""
ES_100 = story.ES_100.replace("48 horas.", "48 horas para enviarla.").replace(
    "## Escalamiento\n", ES_CHECKS, 1
)

ES_110 = (
    ES_100.replace("source_version: 1.0.0", "source_version: 1.1.0")
    .replace(
        "1. **Abra el caso.** Abra el caso más antiguo en Case Hub.\n2. **Revise la evidencia.** El "
        "vendedor tiene 48",
        "1. **Verifique al vendedor.** Revise la cuenta; las comisiones hasta MXN 500 / BRL 150 se "
        "reembolsan de inmediato.\n2. **Abra el caso.** Abra el caso más antiguo en Case Hub.\n3."
        " **Revise la "
        "evidencia.** El vendedor tiene 72",
    )
    .replace(
        "| Caso abierto | 1 | se tomó primero el caso más antiguo | estándar |\n"
        "| Plazo de evidencias | 2 | ninguna decisión antes de que pasen las 48 horas | estándar |\n"
        "| Notas | 2 | se anotó la evidencia recibida | estándar |\n",
        "| Identidad | 1 | vendedor verificado antes de dar cualquier dato del caso | fatal si falta |\n"
        "| Plazo de evidencias | 3 | ninguna decisión antes de que pasen las 72 horas "
        "| fatal si decide antes |\n"
        "| Caso abierto | 2 | se tomó primero el caso más antiguo | estándar |\n",
    )
)

PT_CHECKS = """\
## Verificações de qualidade

| verificação | etapa | o que o auditor confere | pontuação |
| --- | --- | --- | --- |
| Caso aberto | 1 | o caso mais antigo atendido primeiro | padrão |
| Prazo de evidências | 2 | nenhuma decisão antes do fim das 48 horas | padrão |
| Notas | 2 | as evidências recebidas registradas | padrão |

## Escalonamento
"""
PT_100 = story.PT_100.replace("## Escalonamento\n", PT_CHECKS, 1)


def build_audit_story(tree: Tree) -> Repo:
    repo = Repo(tree)
    for suffix, text in ((".md", EN_100), (".es.md", ES_100), (".pt.md", PT_100)):
        tree.write(f"{PATH}{suffix}", text)
    repo.commit("2026-01-10T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0: new SOP")
    tree.write(f"{PATH}.md", EN_110)
    tree.write(f"{PATH}.es.md", ES_110)
    repo.commit("2026-06-01T09:30:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0 (procedure)")
    return repo
