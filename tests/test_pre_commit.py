"""The pre-commit hooks check the changed sheets (all of them when the
schema changes) with `fiches check`, exactly as a contributor would run it."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from helpers import REPO, add_fixture, make_repo

CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def test_the_changed_sheets_are_checked_and_only_they():
    hook = HOOKS["fiches-check"]
    assert hook["entry"] == "fiches check" and hook["language"] == "system" and hook.get("pass_filenames", True)
    selected = re.compile(hook["files"])
    excluded = re.compile(hook["exclude"])

    def checked(path: str) -> bool:
        return bool(selected.search(path)) and not excluded.search(path)

    assert checked("fiches/proteger-les-donnees.md") and checked("pratiques-inspirantes/aidants-connect.md")
    for other in ("fiches/MODELE.md", "fiches/README.md", "pages/index.md", "fiches/sous-dossier/x.md", "README.md"):
        assert not checked(other), other


def test_a_change_to_the_schema_checks_every_sheet():
    hook = HOOKS["fiches-check-referentiel"]
    assert hook["entry"] == "fiches check" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "referentiel.yml")


def test_a_change_to_a_module_or_to_the_old_addresses_checks_everything():
    """A module names sheets, an old address a sheet's id: they are checked against every sheet."""
    hook = HOOKS["fiches-check-referentiel"]
    for path in ("parcours/numerique-accompagnement-bases.yml", "anciennes-adresses.yml"):
        assert re.search(hook["files"], path), path
    assert not re.search(hook["files"], "pages/parcours.md")


def test_the_hook_command_passes_on_valid_sheets_and_fails_with_the_line_on_an_invalid_one(tmp_path):
    repo = make_repo(tmp_path)
    fiches = REPO / ".venv" / "bin" / "fiches"
    command = [str(fiches)] if fiches.exists() else [sys.executable, "-m", "fiches_kb.cli"]
    valid = sorted(p.relative_to(repo).as_posix() for p in (repo / "fiches").glob("*.md") if p.name not in ("MODELE.md", "README.md"))
    result = subprocess.run([*command, "check", *valid], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    add_fixture(repo, "invalid/statut-inconnu.md")
    result = subprocess.run([*command, "check", "fiches/statut-inconnu.md"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "fiches/statut-inconnu.md:5 : erreur : champ « statut »" in result.stderr
