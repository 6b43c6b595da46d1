"""The issue forms, their configuration and the workflows are valid against
GitHub's JSON schemas (issue 19), as SchemaStore publishes them and
check-jsonschema ships them (vendored: nothing is downloaded when the tests run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO

FORMS = REPO / ".github" / "ISSUE_TEMPLATE"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def check(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )


def test_every_issue_form_is_valid_against_github_s_schema():
    forms = sorted(path for path in FORMS.glob("*.yml") if path.name != "config.yml")
    assert len(forms) == 3
    result = check("vendor.github-issue-forms", *forms)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_issue_forms_configuration_is_valid():
    result = check("vendor.github-issue-config", FORMS / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_workflow_is_valid_against_github_s_schema():
    assert WORKFLOWS
    result = check("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        # a dropdown without options, and a field type GitHub does not know
        ("vendor.github-issue-forms", "name: Essai\ndescription: Essai\nbody:\n  - type: dropdown\n    id: x\n    attributes:\n      label: X\n  - type: calendrier\n"),
        ("vendor.github-issue-config", "blank_issues_enabled: peut-être\n"),
    ],
)
def test_a_broken_form_is_refused(tmp_path, schema, text):
    broken = tmp_path / "casse.yml"
    broken.write_text(text, encoding="utf-8")
    assert check(schema, broken).returncode == 1
