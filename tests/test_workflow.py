"""The GitHub workflow cannot run here, so it is validated: schema, pins and permissions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_workflow_matches_the_github_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    run = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_action_is_pinned_to_a_full_commit_sha() -> None:
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_pull_requests_get_a_read_only_token_and_only_deploy_writes() -> None:
    workflow = _workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    writers = {name for name, job in jobs.items() if "permissions" in job}
    assert writers == {"deploy"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "push" in jobs["deploy"]["if"]
    assert "refs/heads/main" in jobs["deploy"]["if"]
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")


def test_the_workflow_runs_the_checks_the_issue_names() -> None:
    steps = " ".join(str(step.get("run", "")) for step in _workflow()["jobs"]["build"]["steps"])
    for command in (
        "make test",
        "evidence check --format github",
        "make site",
        "lychee",
        "vnu.jar",
        "bibtex",
        "biber --tool",
    ):
        assert command in steps, command
