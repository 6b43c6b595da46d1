"""benchmarks/build_phases.py: where a build's time goes, per hook, Markdown and template."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import REPO, copy_site

pytestmark = pytest.mark.benchmark


def test_build_phases_times_every_hook_markdown_and_the_page_templates(tmp_path):
    site = copy_site(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "build_phases.py"), "--site", str(site), "--repeat", "2", "--top", "100"],
        capture_output=True, text=True, env={**os.environ, "FICHES_SANS_RECHERCHE": "1"}, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 build(s) of ")
    names = [line.split(None, 1)[1] for line in lines[1:]]
    assert names[0] == "whole build"
    for expected in ("markdown      conversion", "page_content  hooks/check_rendering.py", "template      fiche.html",
                     "config        hooks/load_content.py", "env           hooks/nav_cache.py"):
        assert expected in names
    seconds = [float(line.split()[0]) for line in lines[1:]]
    assert seconds == sorted(seconds, reverse=True) and seconds[0] > 0
    assert (site / "site" / "index.html").is_file()
