"""The GitHub workflow cannot run here, so it is validated: schema, pins and permissions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_workflows_match_the_github_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    run = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_full_commit_sha(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(?:/[\w.-]+)*@[0-9a-f]{40}", action), action


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
        "evidence ingest --check",
        "evidence check --format github",
        "make site",
        "lychee",
        "vnu.jar",
        "bibtex",
        "biber --tool",
    ):
        assert command in steps, command


def test_ci_checks_what_it_publishes_and_trusts_only_mains_cache() -> None:
    """Cards made from a PR's seeds must be committed before anything is checked or built, and
    the card cache is restored (main's) but saved only by pushes to main."""
    steps = _workflow()["jobs"]["build"]["steps"]
    runs = [str(step.get("run", "")) for step in steps]

    def index(command: str) -> int:
        return next(i for i, run in enumerate(runs) if command in run)

    assert index("evidence ingest --check") < index("evidence check") < index("make site")
    caches = [step for step in steps if "actions/cache" in str(step.get("uses", ""))]
    assert [step["uses"].split("@")[0] for step in caches] == [
        "actions/cache/restore",
        "actions/cache/save",
    ]
    assert "push" in caches[1]["if"]
    assert "refs/heads/main" in caches[1]["if"]
    cache_dir = _workflow()["jobs"]["build"]["env"]["EVIDENCE_CACHE_DIR"]
    assert all(step["with"]["path"] == cache_dir for step in caches)
    assert "/../" in cache_dir  # outside the checkout


def test_the_lock_upgrade_opens_a_pull_request_only_after_the_tests() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/lock-upgrade.yml").read_text("utf-8"))
    assert "schedule" in workflow[True]
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["upgrade"]["steps"]]
    upgrade = next(i for i, run in enumerate(runs) if "make lock-upgrade" in run)
    tests = next(i for i, run in enumerate(runs) if ".ci/run" in run)
    pull_request = next(i for i, run in enumerate(runs) if "gh pr create" in run)
    assert upgrade < tests < pull_request
