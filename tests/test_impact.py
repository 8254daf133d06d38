"""Change impact in `sop report`: the SOPs that link to a changed SOP, for their owners to check."""

from __future__ import annotations

from pathlib import Path

from gitrepo import Repo
from sop_trees import ENGLISH, PORTUGUESE, SPANISH, Tree
from soplib import report
from soplib.load.library import load_library
from soplib.load.project import Project
from soplib.repo.git import Git

LINKING = (
    ENGLISH.replace("SOP-APL-001", "SOP-CS-001")
    .replace("team: appeals", "team: customer-service")
    .replace('owner: "@org/appeals-leads"', 'owner: "@org/cs-leads"')
    .replace("title: Seller appeal of a listing removal", "title: Refund requests")
    .replace(
        "Agents of the appeals queue.",
        "Refund agents; appeals follow [the appeal SOP](../appeals/seller-appeal.md#procedure).",
    )
)


def test_the_report_names_the_sops_that_link_to_a_changed_one(tmp_path: Path) -> None:
    repo = Repo(Tree(tmp_path / "library"))
    repo.tree.add_sop()
    es = SPANISH.replace("SOP-APL-001", "SOP-CS-001").replace(
        "Agentes de la fila de apelaciones.", "Ver [la apelación](../appeals/seller-appeal.es.md)."
    )
    repo.tree.add_sop("customer-service/refunds", en=LINKING, es=es, pt=PORTUGUESE.replace("APL", "CS"))
    repo.commit("2026-06-01T10:00:00-06:00", "Mariana López", "two SOPs")
    repo.tree.write("sops/appeals/seller-appeal.md", ENGLISH.replace("72 hours", "96 hours"))
    library = load_library(Project(repo.root))
    found = report.compute(library, Git(repo.root), "HEAD")
    (changed,) = found.sops
    assert [(r.sop_id, r.path, r.owner, r.anchors) for r in changed.linked_from] == [
        ("SOP-CS-001", "sops/customer-service/refunds.md", "@org/cs-leads", ("", "procedure"))
    ]
    text = report.RENDERERS["md"](library.project).render(found)
    assert (
        "- 🔗 Linked from **SOP-CS-001** Refund requests (`sops/customer-service/refunds.md`, "
        "owner @org/cs-leads) at `#procedure`: check that the link still fits.\n" in text
    )
    data = report.RENDERERS["json"](library.project).render(found)
    assert '"linked_from": [\n        {\n          "id": "SOP-CS-001"' in data
