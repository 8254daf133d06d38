"""Two git repositories in which a Spanish translation is left behind English, for `sop translate`.

- `stale_story`: the diff story's SOP (tests/diff_story.py: a reworded step, a moved step, a renumbered
  list, a changed time limit, an added section, a front-matter change), with Spanish still at 1.0.0;
- `structure_story`: one English version that deletes a paragraph and a step, changes a table row, adds a
  row and a step: every kind of edit an import writes.
"""

from __future__ import annotations

from diff_story import PATH, build_story, bump
from gitrepo import EN_100, Repo
from sop_trees import Tree

SHEET_ID = "SOP-APL-001:1.0.0-1.5.0"

# What a translator returns for each segment of the stale story.
STALE_TARGETS = {
    f"{SHEET_ID}:definitions:new-item-1": "**Evidencia**: documentos que muestran que la publicación cumple "
    "con la política.",
    f"{SHEET_ID}:procedure:step-2": "**Revise la evidencia.** El vendedor tiene 72 horas para subir los "
    'documentos.\n- Si falta la evidencia, envíe la plantilla "Apelación \u2013 evidencia requerida".',
    f"{SHEET_ID}:escalation:paragraph-1": "Los casos dudosos van al líder de apelaciones en un máximo de "
    "12 horas.",
}


def stale_story(tree: Tree) -> Repo:
    """English through 1.5.0, one commit per version; Spanish at 1.0.0 throughout."""
    return build_story(tree, catch_up=False)


STRUCTURE_EN_100 = EN_100.split("---\n\n", 1)[0] + (
    "---\n\n## Purpose\n\nSellers can appeal the removal of a listing.\n\nAppeals are free of charge.\n\n"
    "## Scope\n\n| Queue | Region |\n| --- | --- |\n| Appeals | MX |\n| Appeals | BR |\n\n"
    "## Procedure\n\n1. **Open the case.** Open the oldest case in Case Hub.\n"
    "2. **Check the evidence.** The seller has 72 hours.\n"
    "3. **Call the seller.** Only when the evidence is unclear.\n"
    "4. **Decide.** Overturn when the listing complies.\n\n"
    "## Escalation\n\nUnclear cases go to the appeals lead within 24 hours.\n"
)
STRUCTURE_EN_110 = (
    bump(STRUCTURE_EN_100, "1.1.0", "2026-06-01", "procedure", "No call; the seller gets the outcome.")
    .replace("\nAppeals are free of charge.\n", "")
    .replace("| Appeals | BR |\n", "| Appeals and BPO | BR |\n| Appeals | CO |\n")
    .replace("3. **Call the seller.** Only when the evidence is unclear.\n4.", "3.")
    .replace(
        "Overturn when the listing complies.\n",
        "Overturn when the listing complies.\n"
        "4. **Send the outcome.** Use its template and resolve the case.\n",
    )
)
STRUCTURE_ES_100 = (
    "---\nid: SOP-APL-001\ntitle: Apelación de un vendedor por la baja de una publicación\n"
    "source_version: 1.0.0\n---\n\n## Propósito\n\n"
    "Los vendedores pueden apelar la baja de una publicación.\n\n"
    "Las apelaciones no tienen costo.\n\n"
    "## Alcance\n\n| Fila | Región |\n| --- | --- |\n| Apelaciones | MX |\n| Apelaciones | BR |\n\n"
    "## Procedimiento\n\n1. **Abra el caso.** Abra el caso más antiguo en Case Hub.\n"
    "2. **Revise la evidencia.** El vendedor tiene 72 horas.\n"
    "3. **Llame al vendedor.** Solo cuando la evidencia no es clara.\n"
    "4. **Decida.** Revoque la baja cuando la publicación cumple.\n\n"
    "## Escalamiento\n\nLos casos dudosos van al líder de apelaciones en 24 horas.\n"
)
STRUCTURE_ES_110 = (
    STRUCTURE_ES_100.replace("source_version: 1.0.0", "source_version: 1.1.0")
    .replace("\nLas apelaciones no tienen costo.\n", "")
    .replace("| Apelaciones | BR |\n", "| Apelaciones y BPO | BR |\n| Apelaciones | CO |\n")
    .replace("3. **Llame al vendedor.** Solo cuando la evidencia no es clara.\n", "")
    .replace(
        "cuando la publicación cumple.\n",
        "cuando la publicación cumple.\n4. **Envíe el resultado.** Use su plantilla y resuelva el caso.\n",
    )
)
STRUCTURE_TARGETS = {
    "SOP-APL-001:1.0.0-1.1.0:scope:row-2": "| Apelaciones y BPO | BR |",
    "SOP-APL-001:1.0.0-1.1.0:scope:new-row-3": "| Apelaciones | CO |",
    "SOP-APL-001:1.0.0-1.1.0:procedure:new-step-4": "**Envíe el resultado.** Use su plantilla y resuelva el "
    "caso.",
}


def structure_story(tree: Tree) -> Repo:
    repo = Repo(tree)
    tree.write(f"{PATH}.md", STRUCTURE_EN_100)
    tree.write(f"{PATH}.es.md", STRUCTURE_ES_100)
    repo.commit("2026-01-10T10:00:00-06:00", "Mariana López", "SOP-APL-001 1.0.0")
    tree.write(f"{PATH}.md", STRUCTURE_EN_110)
    repo.commit("2026-06-01T10:00:00-06:00", "Daniela Ortega", "SOP-APL-001 1.1.0")
    return repo
