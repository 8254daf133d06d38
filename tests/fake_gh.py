"""A stand-in for `gh api`: the comments and issues of one repository, kept in a JSON file.

Enough of the GitHub REST API for `sop report --comment` and `sop reminders --github`. Lists come in pages
of two, printed one after the other as `gh api --paginate` prints them. Every call is logged in the file.

    FAKE_GH_STATE=state.json gh api --method POST repos/{owner}/{repo}/issues --input -
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

REPO = "repos/{owner}/{repo}/"


def install(folder: Path, state: Path) -> dict[str, str]:
    """Write a `gh` command into `folder`; the environment that puts it first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    command = folder / "gh"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n')
    command.chmod(command.stat().st_mode | stat.S_IXUSR)
    if not state.exists():
        save(state, {"comments": [], "issues": [], "labels": [], "calls": [], "next": 100})
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "FAKE_GH_STATE": str(state)}


def load(state: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
    return data


def save(state: Path, data: dict[str, Any]) -> None:
    state.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _pages(items: list[dict[str, Any]]) -> str:
    pages = [items[at : at + 2] for at in range(0, len(items), 2)] or [[]]
    return "".join(json.dumps(page) for page in pages)


class NotFound(Exception):
    pass


def _answer(data: dict[str, Any], method: str, endpoint: str, body: dict[str, Any] | None) -> Any:
    path, _, query = endpoint.removeprefix(REPO).partition("?")
    if method == "POST" and path != "labels":  # issues and comments share one numbering
        data["next"] += 1
    new_id = data["next"]
    if match := re.fullmatch(r"issues/(\d+)/comments", path):
        number = int(match[1])
        if method == "GET":
            return [c for c in data["comments"] if c["issue"] == number]
        comment = {
            "id": new_id,
            "issue": number,
            "body": body["body"] if body else "",
            "html_url": f"c/{new_id}",
        }
        data["comments"].append(comment)
        return comment
    if match := re.fullmatch(r"issues/comments/(\d+)", path):
        comment = next(c for c in data["comments"] if c["id"] == int(match[1]))
        comment.update(body or {})
        return comment
    if path == "issues" and method == "GET":
        assert "state=open" in query
        return [i for i in data["issues"] if i["state"] == "open"]
    if path == "issues":
        issue = {"number": new_id, "state": "open", "labels": [], **(body or {})}
        data["issues"].append(issue)
        return issue
    if match := re.fullmatch(r"issues/(\d+)", path):
        issue = next(i for i in data["issues"] if i["number"] == int(match[1]))
        issue.update(body or {})
        return issue
    if match := re.fullmatch(r"labels/([\w-]+)", path):
        label = next((label for label in data["labels"] if label["name"] == match[1]), None)
        if label is None:
            raise NotFound
        return label
    if path == "labels" and method == "POST":
        data["labels"].append(body)
        return body
    raise SystemExit(f"fake gh: no such endpoint {method} {endpoint}")


def main(args: list[str]) -> int:
    state = Path(os.environ["FAKE_GH_STATE"])
    data = load(state)
    method, endpoint, body = "GET", "", None
    words = iter(args[1:] if args[:1] == ["api"] else [])
    for word in words:
        if word == "--method":
            method = next(words)
        elif word == "--input":
            body = json.loads(sys.stdin.read()) if next(words) == "-" else None
        elif not word.startswith("--"):
            endpoint = word
    data["calls"].append([method, endpoint])
    if data.get("fail"):
        save(state, data)
        print(data["fail"], file=sys.stderr)
        return 1
    try:
        answer = _answer(data, method, endpoint, body)
    except NotFound:
        save(state, data)
        print("gh: Not Found (HTTP 404)", file=sys.stderr)
        return 1
    save(state, data)
    print(_pages(answer) if isinstance(answer, list) else json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
