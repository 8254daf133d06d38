"""The files GitHub reads: workflows (actionlint, and no logic of their own), templates, pre-commit hook."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sop_trees import REPO
from soplib.load.project import Project

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / "@tktco" / "node-actionlint"
RUNNER = Path(__file__).with_name("run_actionlint.cjs")
BIN = Path(sys.executable).parent


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not (ACTIONLINT / "main.wasm").is_file():
        pytest.fail(
            f"actionlint is not installed in {ACTIONLINT}: `make test` installs it (`make actionlint`)"
        )
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: `make test` installs Node.js (`make node`)")
    return subprocess.run(
        [node, str(RUNNER), str(ACTIONLINT), *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_workflows_pass_actionlint() -> None:
    names = [path.name for path in WORKFLOWS]
    assert names == ["publish.yml", "pull-request.yml", "release.yml", "reminders.yml"]
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "4 workflow files checked: 0 problems"


def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (GITHUB / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("  pull_request:\n", "  pull_requests:\n", 1).replace(
            "runs-on: ubuntu-24.04", "runs-on: ubuntu-24.4", 1
        ),
        encoding="utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'unknown Webhook event "pull_requests"' in result.stdout
    assert 'label "ubuntu-24.4" is unknown' in result.stdout
    assert result.stdout.splitlines()[-1] == "1 workflow files checked: 2 problems"


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_workflows_only_call_make_sop_and_actions() -> None:
    """What a workflow does lives in `sop` and `make`, where it is tested: a step runs one of them."""
    for path in WORKFLOWS:
        for step in _steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if "run" in step:
                lines = [line for line in step["run"].splitlines() if line.strip()]
                assert len(lines) == 1, (path.name, step)
                assert re.match(r"^(make \w+|\.venv/bin/sop \w+)", lines[0]), (path.name, lines[0])
            else:
                assert re.match(r"^actions/[\w-]+@[0-9a-f]{40}$", step["uses"]), (path.name, step)


# Majors whose action.yml says `using: node20` (or, for a composite action, that call one): GitHub removed
# Node 20 from its runners in September 2026, so a workflow using one of them fails.
NODE_20_MAJORS = {
    "actions/checkout": {4},
    "actions/setup-python": {5},
    "actions/configure-pages": {4, 5},
    "actions/upload-pages-artifact": {3, 4},  # composite: they call actions/upload-artifact v4
    "actions/upload-artifact": {4, 5},
    "actions/deploy-pages": {4},
}
_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_VERSION = re.compile(r"^v(?P<major>\d+)(\.\d+){0,2}$")


def pin_problems(text: str) -> list[str]:
    """What is wrong with each `uses:` line: a tag without a commit, no `# vX` comment, a Node 20 major."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _USES.match(line)
        if not found:
            continue
        action, ref, comment = found["action"], found["ref"], (found["comment"] or "").strip()
        version = _VERSION.match(comment)
        if not _SHA.match(ref):
            problems.append(f"{number}: {action}@{ref} is not pinned by a full commit SHA")
        elif version is None:
            problems.append(f"{number}: {action}@{ref[:7]} has no `# vX.Y.Z` comment")
        elif int(version["major"]) in NODE_20_MAJORS.get(action, set()):
            problems.append(f"{number}: {action} {comment} runs on Node 20")
    return problems


def test_actions_are_pinned_by_commit_on_a_node_24_major() -> None:
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "uses:" in text, path.name
        assert pin_problems(text) == [], path.name


def test_the_pin_check_finds_tags_missing_comments_and_node_20_majors() -> None:
    sha = "3d3c42e5aac5ba805825da76410c181273ba90b1"
    text = "\n".join(
        [
            "    steps:",
            "      - uses: actions/checkout@v7",
            f"      - uses: actions/setup-python@{sha}",
            f"      - uses: actions/deploy-pages@{sha} # v4.0.5",
            f"        uses: actions/upload-pages-artifact@{sha} # v3",
            f"      - uses: actions/checkout@{sha} # v7.0.1",
        ]
    )
    assert pin_problems(text) == [
        "2: actions/checkout@v7 is not pinned by a full commit SHA",
        "3: actions/setup-python@3d3c42e has no `# vX.Y.Z` comment",
        "4: actions/deploy-pages v4.0.5 runs on Node 20",
        "5: actions/upload-pages-artifact v3 runs on Node 20",
    ]


def test_dependabot_keeps_actions_python_pins_and_the_ruff_hook_current() -> None:
    path = GITHUB / "dependabot.yml"
    checked = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    updates = yaml.safe_load(path.read_text(encoding="utf-8"))["updates"]
    ecosystems = {update["package-ecosystem"]: update for update in updates}
    assert set(ecosystems) == {"github-actions", "pip", "pre-commit"}
    assert all(update["directory"] == "/" for update in updates)
    # a ruff bump changes pyproject.toml and .pre-commit-config.yaml in one pull request
    assert ecosystems["pip"]["multi-ecosystem-group"] == ecosystems["pre-commit"]["multi-ecosystem-group"]


def test_the_pull_request_workflow_checks_against_the_target_branch() -> None:
    workflow = yaml.safe_load((GITHUB / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for step in _steps(workflow) if "run" in step]
    assert '.venv/bin/sop lint --base "$BASE" --format github' in runs
    assert ".venv/bin/sop owners --check" in runs
    assert "make test" in runs
    assert ".venv/bin/sop build" in runs
    assert '.venv/bin/sop report --base "$BASE" --comment "$PR"' in runs
    assert workflow["jobs"]["report"]["permissions"]["pull-requests"] == "write"


def test_the_pre_commit_hook_lints_sop_files() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("sop-lint", "sop lint", "python")
    files = re.compile(hook["files"])
    assert files.search("sops/appeals/seller-listing-removal-appeal.es.md")
    assert not files.search("sops/index.md")
    assert not files.search("README.md")


def test_issue_forms_are_complete_and_list_the_library_teams() -> None:
    forms = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))
    assert [form.name for form in forms] == ["change-an-sop.yml", "new-sop.yml"]
    for form in forms:
        data = yaml.safe_load(form.read_text(encoding="utf-8"))
        assert {"name", "description", "body"} <= set(data), form.name
        ids = [field["id"] for field in data["body"] if field["type"] != "markdown"]
        assert len(ids) == len(set(ids)), form.name
        for field in data["body"]:
            assert field["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, form.name
            assert field["attributes"].get("label") or field["type"] == "markdown", form.name
    new_sop = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "new-sop.yml").read_text(encoding="utf-8"))
    team = next(field for field in new_sop["body"] if field.get("id") == "team")
    assert team["attributes"]["options"] == Project(REPO).allowed_values("team")


def test_the_pull_request_template_asks_for_what_lint_checks() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for expected in ("`version`", "`changes`", "`effective_date`", "`source_version`", "SOP lint"):
        assert expected in text


def test_the_release_workflow_releases_a_pushed_tag_with_make() -> None:
    workflow = yaml.safe_load((GITHUB / "workflows" / "release.yml").read_text(encoding="utf-8"))
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # PyYAML reads the key `on` as true
    runs = [step["run"] for step in _steps(workflow) if "run" in step]
    assert runs == ["make install", 'make release TAG="$TAG"']
    assert workflow["jobs"]["release"]["permissions"] == {"contents": "write"}
