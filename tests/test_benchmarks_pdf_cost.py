"""benchmarks/pdf_cost.py: a build's PDFs timed cold and warm, next to the build without them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import REPO

pytestmark = pytest.mark.benchmark


def test_pdf_cost_reports_cold_warm_and_no_pdf_builds(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "pdf_cost.py"), "--sizes", "3", "--work", str(tmp_path), "--repeat", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [row["build"] for row in rows] == ["sans PDF", "PDF à froid", "PDF à chaud"]
    without, cold, warm = rows
    assert without["made"] == 0
    assert cold["made"] == cold["rendered"] > 3  # the sheets and their themes' booklets
    assert warm["made"] == cold["made"] and warm["rendered"] == 0
    assert "| 3 | PDF à chaud |" in result.stdout
