"""The repository on GitHub, through the `gh` command: one pull-request comment, one issue per owner.

Workflows only call `sop`; everything they do on GitHub is here, so that it is tested (with a stand-in
`gh`) rather than written as shell in YAML. `gh` reads its token from GH_TOKEN and fills in `{owner}` and
`{repo}` from GH_REPO or the clone's remote. Whatever is posted carries a hidden marker, the way it is
found again: a comment or an issue is updated in place, never posted twice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from soplib.core.errors import SopError
from soplib.core.markers import IssueText, one_word

REPO = "repos/{owner}/{repo}"
MAX_BODY = 65_000  # GitHub refuses comment and issue bodies over 65,536 characters


class GitHub:
    """Each method is one `gh api` call, run in the library's folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def api(
        self, endpoint: str, method: str = "GET", body: dict[str, Any] | None = None, missing_ok: bool = False
    ) -> Any:
        """The JSON answer; a list endpoint is read page by page and the pages joined. With `missing_ok`,
        None when GitHub answers 404 Not Found."""
        args = ["gh", "api", "--method", method, endpoint]
        if method == "GET":
            args.append("--paginate")
        if body is not None:
            args += ["--input", "-"]
        try:
            result = subprocess.run(
                args,
                cwd=self.root,
                input=json.dumps(body) if body is not None else None,
                capture_output=True,
                text=True,
                env={**os.environ, "GH_PROMPT_DISABLED": "1", "NO_COLOR": "1"},
                check=False,
            )
        except FileNotFoundError:
            raise SopError(
                "gh (the GitHub CLI) is not installed: GitHub's runners have it; elsewhere see cli.github.com"
            ) from None
        if result.returncode != 0 and missing_ok and "(HTTP 404)" in result.stderr:
            return None
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines()
            raise SopError(f"gh api {method} {endpoint} failed: {lines[-1] if lines else 'no message'}")
        return _joined(result.stdout)


def _joined(text: str) -> Any:
    """`gh api --paginate` prints one JSON value per page, one after the other: lists are joined."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        while text[at].isspace():
            at += 1
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    if not values:
        return None
    if all(isinstance(value, list) for value in values):
        return [item for value in values for item in value]
    return values[0]


def fit(body: str, note: str) -> str:
    """A body GitHub accepts: cut at a line before the limit, with `note` saying where the rest is."""
    if len(body) <= MAX_BODY:
        return body
    cut = body.rfind("\n", 0, MAX_BODY - len(note) - 2)
    return body[:cut] + "\n\n" + note + "\n"


# -- one comment on a pull request ----------------------------------------------------------------------
def upsert_comment(gh: GitHub, number: int, marker: str, body: str) -> str:
    """Post `body` on pull request `number`, or update the comment that starts with `marker`."""
    comments = gh.api(f"{REPO}/issues/{number}/comments?per_page=100") or []
    ours = [c for c in comments if str(c.get("body", "")).startswith(marker)]
    if not ours:
        created = gh.api(f"{REPO}/issues/{number}/comments", "POST", {"body": body})
        return f"Posted the report on pull request #{number}: {created.get('html_url', '')}"
    comment = ours[0]
    if comment.get("body") == body:
        return f"The report on pull request #{number} is up to date: {comment.get('html_url', '')}"
    gh.api(f"{REPO}/issues/comments/{comment['id']}", "PATCH", {"body": body})
    return f"Updated the report on pull request #{number}: {comment.get('html_url', '')}"


# -- one issue per key (an owner), opened, updated or closed ----------------------------------------------
def ensure_label(gh: GitHub, name: str, description: str) -> None:
    if gh.api(f"{REPO}/labels/{name}", missing_ok=True) is None:
        gh.api(f"{REPO}/labels", "POST", {"name": name, "color": "d93f0b", "description": description})


def sync_issues(
    gh: GitHub, prefix: str, wanted: Iterable[IssueText], label: tuple[str, str], closing_note: str
) -> list[str]:
    """One open issue per key: update the one there (by its marker), or open it with `label` (name and
    description); close the issues whose key has nothing left, and any duplicate. Returns one line per
    issue touched."""
    found = _open_issues(gh, prefix)
    done: list[str] = []
    for text in wanted:
        issues = found.pop(one_word(text.key), [])
        if issues:
            keep = issues[0]
            if keep.get("title") != text.title or keep.get("body") != text.body:
                gh.api(f"{REPO}/issues/{keep['number']}", "PATCH", {"title": text.title, "body": text.body})
                done.append(f"updated #{keep['number']} for {text.key}")
            else:
                done.append(f"#{keep['number']} for {text.key} is up to date")
            for duplicate in issues[1:]:
                _close(gh, duplicate, f"Duplicate of #{keep['number']}.")
                done.append(f"closed #{duplicate['number']}, a duplicate of #{keep['number']}")
        else:
            if not any(line.startswith("opened") for line in done):
                ensure_label(gh, *label)
            created = gh.api(
                f"{REPO}/issues", "POST", {"title": text.title, "body": text.body, "labels": [label[0]]}
            )
            done.append(f"opened #{created['number']} for {text.key}")
    for key, issues in sorted(found.items()):
        for issue in issues:
            _close(gh, issue, closing_note)
            done.append(f"closed #{issue['number']} for {key}: nothing is due")
    return done


_MARKER = re.compile(r"\A<!-- (?P<prefix>[\w-]+) (?P<key>\S+) -->")


def _open_issues(gh: GitHub, prefix: str) -> dict[str, list[dict[str, Any]]]:
    """Open issues (not pull requests) whose body starts with a marker of `prefix`, oldest first, by key."""
    found: dict[str, list[dict[str, Any]]] = {}
    for issue in gh.api(f"{REPO}/issues?state=open&per_page=100") or []:
        match = _MARKER.match(str(issue.get("body") or ""))
        if "pull_request" not in issue and match and match["prefix"] == prefix:
            found.setdefault(match["key"], []).append(issue)
    for issues in found.values():
        issues.sort(key=lambda issue: int(issue["number"]))
    return found


def _close(gh: GitHub, issue: dict[str, Any], note: str) -> None:
    gh.api(f"{REPO}/issues/{issue['number']}/comments", "POST", {"body": note})
    gh.api(f"{REPO}/issues/{issue['number']}", "PATCH", {"state": "closed", "state_reason": "completed"})


# -- what the commands post ----------------------------------------------------------------------------------
def post_report(root: Path, number: int, body: str, base: str) -> str:
    """`sop report --comment PR`: the report on the pull request, one comment updated in place."""
    from soplib.report import MARKER

    note = f"_The report is cut here: run `sop report --base {base}` for all of it._"
    return upsert_comment(GitHub(root), number, MARKER, fit(body, note))


def post_reminders(root: Path, wanted: list[IssueText]) -> list[str]:
    """`sop reminders --github`: one issue per owner opened, updated, or closed when nothing is due."""
    from soplib.reminders import LABEL, PREFIX

    closing = "Nothing is due any more: closing this reminder."
    return sync_issues(GitHub(root), PREFIX, wanted, LABEL, closing) or [
        "No reminders, and no reminder issue open."
    ]
