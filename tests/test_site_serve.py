"""`mkdocs serve` shows drafts (marked as such) to contributors and rebuilds
when a sheet of the top-level folders changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from helpers import EXAMPLE_SITE, copy_site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_shows_drafts_marked_as_drafts(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        html = fetch(f"http://127.0.0.1:{port}/fiches/brouillon-reseaux-sociaux/", time.monotonic() + 60)
        assert "Brouillon : non validée par le HCTS" in html
        assert "Réseaux sociaux et disponibilité en soirée" in html

        # watch: an edit in the top-level fiches/ folder is rebuilt and served.
        sheet = site / "fiches/brouillon-reseaux-sociaux.md"
        sheet.write_text(
            sheet.read_text(encoding="utf-8").replace("disponibilité en soirée", "disponibilité le week-end"),
            encoding="utf-8",
        )
        deadline = time.monotonic() + 60
        while "disponibilité le week-end" not in html:
            assert time.monotonic() < deadline, "la fiche modifiée n'a pas été reconstruite"
            time.sleep(0.5)
            html = fetch(f"http://127.0.0.1:{port}/fiches/brouillon-reseaux-sociaux/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=20)
