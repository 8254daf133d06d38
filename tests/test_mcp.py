"""`sop mcp` as an assistant meets it: the server started as a subprocess, spoken to with the SDK's own stdio
client, on a temporary git repository with pinned dates (tests/diff_story.py: SOP-APL-001 1.0.0 to 1.5.0,
its Spanish translation at 1.0.0, then 1.3.0) plus a second SOP and a draft."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult

from diff_story import build_story
from gitrepo import QA_EN_100, QA_ES_100
from sop_trees import Tree

SOP = Path(sys.executable).with_name("sop")
QA = "sops/quality-assurance/calibration-sessions"
DRAFT = "sops/quality-assurance/draft-appeal-audits"
DRAFT_EN = (
    QA_EN_100.replace("SOP-QA-001", "SOP-QA-002")
    .replace("status: active", "status: draft")
    .replace("title: Calibration sessions", "title: Auditing appeals")
)
DRAFT_ES = QA_ES_100.replace("SOP-QA-001", "SOP-QA-002").replace(
    "Sesiones de calibración", "Auditoría de apelaciones"
)

CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "search_es": ("search_sops", {"query": "apelacion", "lang": "es"}),
    "search_pt_id": ("search_sops", {"query": "qa 1", "lang": "pt"}),
    "now_es": ("get_sop", {"sop_id": "apl 1", "lang": "es"}),
    "june_en": ("get_sop", {"sop_id": "SOP-APL-001", "date": "2026-06-15"}),
    "july_es": ("get_sop", {"sop_id": "SOP-APL-001", "lang": "es", "date": "2026-07-10"}),
    "changes_es": ("list_changes", {"since": "2026-08-01", "lang": "es"}),
    "diff_es": (
        "diff_sop",
        {"sop_id": "SOP-APL-001", "lang": "es", "from_version": "1.2.1", "to_version": "1.3.0"},
    ),
    "draft_get": ("get_sop", {"sop_id": "SOP-QA-002", "lang": "es"}),
    "draft_diff": ("diff_sop", {"sop_id": "SOP-QA-002"}),
    "unknown_id": ("get_sop", {"sop_id": "SOP-XYZ-999"}),
    "bad_date": ("get_sop", {"sop_id": "SOP-APL-001", "date": "10/07/2026"}),
    "no_such_day": ("list_changes", {"since": "2026-02-30"}),
    "before_first": ("get_sop", {"sop_id": "SOP-APL-001", "date": "2025-12-31"}),
    "bad_lang": ("search_sops", {"query": "apelacion", "lang": "fr"}),
    "bad_version": ("diff_sop", {"sop_id": "SOP-APL-001", "from_version": "9.9.9"}),
}


async def _session(root: Path) -> tuple[list[str], dict[str, CallToolResult]]:
    params = StdioServerParameters(command=str(SOP), args=["mcp", "--root", str(root)])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = (await session.list_tools()).tools
        for tool in listed:  # read-only, and their answers described for programs
            assert tool.output_schema and tool.annotations and tool.annotations.read_only_hint
        tools = [tool.name for tool in listed]
        results = {key: await session.call_tool(name, arguments) for key, (name, arguments) in CALLS.items()}
        return tools, results


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, CallToolResult]]:
    tree = Tree(tmp_path_factory.mktemp("mcp") / "library")
    repo = build_story(tree)
    for path, text in ((f"{QA}.md", QA_EN_100), (f"{QA}.es.md", QA_ES_100), (f"{DRAFT}.md", DRAFT_EN)):
        tree.write(path, text)
    tree.write(f"{DRAFT}.es.md", DRAFT_ES)
    repo.commit("2026-10-01T10:00:00-06:00", "Rafael Souza", "SOP-QA-001 and a draft")
    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(anyio.run, _session, tree.root).result()


def data(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def error(result: CallToolResult) -> str:
    assert result.is_error
    text = result.content[0]
    assert text.type == "text"
    return text.text


def test_the_tools(served: tuple[list[str], dict[str, CallToolResult]]) -> None:
    assert served[0] == ["search_sops", "get_sop", "list_changes", "diff_sop"]


def test_unaccented_spanish_search_finds_the_sop_first_and_never_a_draft(
    served: tuple[list[str], dict[str, CallToolResult]],
) -> None:
    found = data(served[1]["search_es"])["results"]
    assert found[0]["id"] == "SOP-APL-001"
    assert found[0]["title"] == "Apelación de un vendedor por la baja de una publicación"
    assert found[0]["url"] == "es/appeals/seller-appeal/" and found[0]["version"] == "1.5.0"
    assert "SOP-QA-002" not in [hit["id"] for hit in found]
    assert data(served[1]["search_pt_id"])["results"][0]["id"] == "SOP-QA-001"


def test_the_version_in_force_on_a_past_date_comes_from_git_history(
    served: tuple[list[str], dict[str, CallToolResult]],
) -> None:
    june = data(served[1]["june_en"])
    assert (june["version"], june["effective_date"], june["in_force_on"]) == (
        "1.2.1",
        "2026-06-01",
        "2026-06-15",
    )
    assert "within 24 hours" in june["body"] and june["latest_version"] == "1.5.0"
    text = served[1]["june_en"].content[0]
    assert text.type == "text" and text.text.startswith("---\nid: SOP-APL-001\n")
    assert "url: appeals/seller-appeal/" in text.text and "the newest version is 1.5.0" in text.text
    july = data(served[1]["july_es"])
    assert (july["version"], july["text_language"], july["source_version"]) == ("1.3.0", "es", "1.3.0")
    assert "en un máximo de 12 horas" in july["body"]


def test_a_stale_translation_gives_the_english_text_and_says_so(
    served: tuple[list[str], dict[str, CallToolResult]],
) -> None:
    now = data(served[1]["now_es"])
    assert (now["version"], now["translation"], now["text_language"]) == ("1.5.0", "stale", "en")
    assert now["notes"] == [
        "Este SOP no tiene texto en español de la versión 1.5.0: sigue el texto en inglés."
    ]
    assert "## Procedure" in now["body"]


def test_changes_since_a_date_in_the_callers_language(
    served: tuple[list[str], dict[str, CallToolResult]],
) -> None:
    changes = data(served[1]["changes_es"])
    assert [(c["id"], c["version"], c["date"]) for c in changes["changes"]] == [
        ("SOP-APL-001", "1.5.0", "2026-09-14"),
        ("SOP-APL-001", "1.4.0", "2026-08-03"),
    ]
    assert changes["changes"][0]["url"] == "es/appeals/seller-appeal/"
    assert changes["text"].startswith("# Registro de cambios\n")


def test_diff_of_two_versions_in_english_where_the_translation_lacks_one(
    served: tuple[list[str], dict[str, CallToolResult]],
) -> None:
    diff = data(served[1]["diff_es"])
    assert (diff["from_version"], diff["to_version"], diff["text_language"]) == ("1.2.1", "1.3.0", "en")
    assert "<del>24</del>" in diff["text"] and "<ins>12</ins>" in diff["text"]
    assert "## Resumen de cambios" in diff["text"]


def test_drafts_are_never_returned(served: tuple[list[str], dict[str, CallToolResult]]) -> None:
    for key in ("draft_get", "draft_diff"):
        assert "SOP-QA-002 is a draft: it is not published" in error(served[1][key])


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("unknown_id", "unknown SOP id 'SOP-XYZ-999': no published SOP has it"),
        ("bad_date", "write dates as YYYY-MM-DD (for 10 July 2026: 2026-07-10)"),
        ("no_such_day", "there is no such day (February 2026 has 28 days)"),
        (
            "before_first",
            "SOP-APL-001 was not in force on 2025-12-31: its first version took effect on 2026-01-12",
        ),
        ("bad_lang", "unknown language 'fr': the library's languages are en, es, pt"),
        ("bad_version", "SOP-APL-001 has no version 9.9.9; its versions are 1.0.0, 1.1.0, 1.2.0"),
    ],
)
def test_bad_arguments_are_tool_errors(
    served: tuple[list[str], dict[str, CallToolResult]], key: str, message: str
) -> None:
    assert message in error(served[1][key])
