"""`sop mcp`: the library for AI assistants, as a Model Context Protocol server over stdio.

Each tool is a few lines: it opens the library as it is now, calls soplib.assistant, and answers with the
Markdown the assistant reads and the same answer as data (structured content) for programs. Bad arguments
come back as tool errors the assistant can read and correct, never as a crash of the server.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any, Protocol

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from soplib.assistant import Context
from soplib.assistant.changes import ChangesAnswer, DiffAnswer, changes_since, diff
from soplib.assistant.sops import SearchAnswer, SopAnswer, get_sop, search
from soplib.core.errors import SopError
from soplib.load.project import Project

INSTRUCTIONS = """\
The Standard Operating Procedures (SOPs) of a marketplace's operations in Latin America, in English (en,
the source), Mexican Spanish (es) and Brazilian Portuguese (pt). Answer in the user's language and pass it
as `lang`. Cite the SOP id, version and URL of every answer. When `text_language` differs from `lang`, the
text is English because there is no translation of that version: say so. A translation that is `stale`
must not be followed."""
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)
Lang = Annotated[str | None, Field(description="en, es or pt: the language to answer in (default: en)")]


class _Answer(Protocol):
    def markdown(self) -> str: ...


def build_server(root: Path) -> MCPServer:
    Project.discover(root)  # not a library: said now, before a client connects

    def answer(ask: Callable[[Context], _Answer]) -> CallToolResult:
        try:
            found = ask(Context.open(root, datetime.date.today()))
        except SopError as error:
            raise ToolError(str(error)) from None
        data: dict[str, Any] = asdict(found)  # type: ignore[call-overload]
        return CallToolResult(
            content=[TextContent(type="text", text=found.markdown())], structured_content=data
        )

    server = MCPServer("sop-library", instructions=INSTRUCTIONS, version=version("sop-library"))

    @server.tool(annotations=READ_ONLY)
    def search_sops(
        query: Annotated[str, Field(description='words, a title or an id ("devolucion", "apl 4")')],
        lang: Lang = None,
        limit: Annotated[int, Field(ge=1, le=50)] = 10,
    ) -> Annotated[CallToolResult, SearchAnswer]:
        """Find SOPs as the site's search box does: the caller's language, accents optional, ids typed
        loosely; SOPs in force first, deprecated and retired ones last."""
        return answer(lambda context: search(context, query, lang, limit))

    @server.tool(name="get_sop", annotations=READ_ONLY)
    def get_sop_tool(
        sop_id: Annotated[str, Field(description="SOP-CS-001, or cs 1")],
        lang: Lang = None,
        date: Annotated[str | None, Field(description="YYYY-MM-DD: the version in force that day")] = None,
    ) -> Annotated[CallToolResult, SopAnswer]:
        """An SOP as Markdown with its metadata and translation state: the version in force today, or on
        `date` (from the library's git history)."""
        return answer(lambda context: get_sop(context, sop_id, lang, date))

    @server.tool(annotations=READ_ONLY)
    def list_changes(
        since: Annotated[str, Field(description="YYYY-MM-DD")], lang: Lang = None
    ) -> Annotated[CallToolResult, ChangesAnswer]:
        """Every new version of every SOP in force on or after `since`, newest first, with its type and
        summary (those not in force yet are marked)."""
        return answer(lambda context: changes_since(context, since, lang))

    @server.tool(annotations=READ_ONLY)
    def diff_sop(
        sop_id: Annotated[str, Field(description="SOP-CS-001, or cs 1")],
        lang: Lang = None,
        from_version: Annotated[
            str | None, Field(description="default: the version before to_version")
        ] = None,
        to_version: Annotated[str | None, Field(description="default: the newest version")] = None,
    ) -> Annotated[CallToolResult, DiffAnswer]:
        """What changed in an SOP between two versions, by section, step and word; numbers and time limits
        that changed are listed apart."""
        return answer(lambda context: diff(context, sop_id, lang, from_version, to_version))

    return server


def serve(root: Path) -> None:
    build_server(root).run("stdio")
