"""Small SOP libraries written into temporary folders: templates and the Tree helper."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)

ENGLISH = """\
---
id: SOP-APL-001
title: Seller appeal of a listing removal
version: 1.1.0
status: active
team: appeals
owner: "@org/appeals-leads"
regions: [MX, BR]
audience: [agent]
kpis: [appeal-overturn-rate]
effective_date: 2026-06-01
review_by: 2027-06-01
tags: [listings]
changes:
  - version: 1.1.0
    date: 2026-06-01
    type: procedure
    summary: Evidence window extended from 48 to 72 hours.
  - version: 1.0.0
    date: 2026-01-10
    type: policy
    summary: First version.
---

## Purpose

Sellers can appeal the removal of a listing.

## Scope

Agents of the appeals queue.

## Procedure

1. **Open the case.** Open the oldest case in Case Hub.
2. **Check the evidence.** The seller has 72 hours.

## Escalation

Unclear cases go to the appeals lead within 24 hours.
"""

SPANISH = """\
---
id: SOP-APL-001
title: Apelación de un vendedor por la baja de una publicación
source_version: 1.1.0
---

## Propósito

Los vendedores pueden apelar la baja de una publicación.

## Alcance

Agentes de la fila de apelaciones.

## Procedimiento

1. **Abra el caso.** Abra el caso más antiguo en Case Hub.
2. **Revise la evidencia.** El vendedor tiene 72 horas.

## Escalamiento

Los casos dudosos van al líder de apelaciones en 24 horas.
"""

PORTUGUESE = """\
---
id: SOP-APL-001
title: Apelação de um vendedor pela remoção de um anúncio
source_version: 1.1.0
---

## Objetivo

Os vendedores podem apelar da remoção de um anúncio.

## Escopo

Agentes da fila de apelações.

## Procedimento

1. **Abra o caso.** Abra o caso mais antigo no Case Hub.
2. **Verifique as evidências.** O vendedor tem 72 horas.

## Escalonamento

Casos duvidosos vão para o líder de apelações em 24 horas.
"""


class Tree:
    """A library in a temporary folder: the repository's schemas/ and translations/, and SOP files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "schemas", root / "schemas")
        shutil.copytree(REPO / "translations", root / "translations")
        (root / "sops").mkdir()

    def as_site(self) -> Tree:
        """A library `sop build` can build: the repository's mkdocs.yml and landing pages (without the link
        to the contributor guide, which is not in it)."""
        shutil.copyfile(REPO / "mkdocs.yml", self.root / "mkdocs.yml")
        for landing in ("index.md", "index.es.md", "index.pt.md"):
            text = (REPO / "sops" / landing).read_text(encoding="utf-8")
            self.write(f"sops/{landing}", text.split("\n## ")[0] + "\n")
        return self

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def add_sop(
        self,
        key: str = "appeals/seller-appeal",
        en: str = ENGLISH,
        es: str | None = SPANISH,
        pt: str | None = PORTUGUESE,
    ) -> None:
        self.write(f"sops/{key}.md", en)
        if es is not None:
            self.write(f"sops/{key}.es.md", es)
        if pt is not None:
            self.write(f"sops/{key}.pt.md", pt)
