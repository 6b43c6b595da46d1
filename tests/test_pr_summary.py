"""`fiches bilan`: the job summary of a pull request lists the sheets it
adds, changes or removes, with their status and what the check found."""

from __future__ import annotations

import shutil
import subprocess

from fiches_kb.cli import main
from helpers import EXAMPLE_SITE, make_repo


def git(repo, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@exemple.fr", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@exemple.fr", "PATH": "/usr/bin:/bin", "HOME": str(repo)})


def test_the_summary_lists_added_changed_and_removed_sheets_with_status_and_problems(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "proposition")
    sheets = sorted(p for p in (repo / "fiches").glob("*.md") if p.name not in ("MODELE.md", "README.md"))
    changed, removed = sheets[0], sheets[1]
    changed.write_text(changed.read_text(encoding="utf-8").replace("\nstatut: ", "\nstatut: inconnu-"), encoding="utf-8")
    removed.unlink()
    added = repo / "pratiques-inspirantes" / "nouvelle.md"
    added.write_text((repo / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8").replace("id: PI-001", "id: PI-050"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "proposition")
    monkeypatch.chdir(repo)
    assert main(["bilan", "--depuis", "main"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert len(rows) == 3
    row_of = {row.split("`")[1]: row for row in rows}
    assert "(supprimée) | | | |" in row_of[f"fiches/{removed.name}"]
    assert "(ajoutée) | PI-050 — " in row_of["pratiques-inspirantes/nouvelle.md"] and "✅ aucune erreur" in row_of["pratiques-inspirantes/nouvelle.md"]
    changed_row = row_of[f"fiches/{changed.name}"]
    assert "(modifiée) | — | — | ❌ 1 erreur : ligne " in changed_row and "champ « statut » : valeur non autorisée." in changed_row
    assert out.startswith("## Fiches de cette demande de modification\n")


def test_an_unknown_base_is_a_french_error(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    monkeypatch.chdir(repo)
    assert main(["bilan", "--depuis", "origin/inexistante"]) == 2
    assert "fiches : git n'a pas pu comparer avec « origin/inexistante »" in capsys.readouterr().err


def test_an_id_taken_meanwhile_on_the_target_branch_fails_the_check(tmp_path, monkeypatch, capsys):
    """Two requests opened at the same time take the same next free id: the
    second one is refused once the first is merged, before it is merged."""
    repo = make_repo(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    practice = (repo / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "premiere")
    (repo / "pratiques-inspirantes" / "premiere.md").write_text(practice.replace("id: PI-001", "id: PI-050"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "première proposition")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "seconde")
    (repo / "pratiques-inspirantes" / "seconde.md").write_text(practice.replace("id: PI-001", "id: PI-050"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "seconde proposition")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "premiere")
    git(repo, "checkout", "-q", "seconde")
    monkeypatch.chdir(repo)
    assert main(["bilan", "--depuis", "main"]) == 1
    captured = capsys.readouterr()
    assert (
        "pratiques-inspirantes/seconde.md:2 : erreur : champ « id » : l'identifiant PI-050 est déjà pris sur la branche "
        "de destination, par pratiques-inspirantes/premiere.md."
    ) in captured.err
    assert "❌ pratiques-inspirantes/seconde.md:2 : erreur : champ « id » : l'identifiant PI-050" in captured.out
    git(repo, "checkout", "-q", "premiere")
    assert main(["bilan", "--depuis", "main"]) == 0  # its own id, in its own file


def test_the_summary_lists_the_training_modules_a_request_adds_or_changes(tmp_path, monkeypatch, capsys):
    """Training schools' modules are content too: a module with a sheet that
    does not exist is reported in the summary, as a sheet is."""
    repo = make_repo(tmp_path)
    shutil.copytree(EXAMPLE_SITE / "parcours", repo / "parcours")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "proposition")
    existing = repo / "parcours" / "premiers-pas.yml"
    existing.write_text(existing.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    broken = repo / "parcours" / "autre-parcours.yml"
    broken.write_text(
        existing.read_text(encoding="utf-8").replace('titre: "', 'titre: "Autre — ', 1).replace("FP-001", "FP-999"), encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "proposition")
    monkeypatch.chdir(repo)
    assert main(["bilan", "--depuis", "main"]) == 0
    out = capsys.readouterr().out
    assert "Aucune fiche ajoutée ni modifiée par rapport à « main »." in out
    assert "## Parcours de formation de cette demande" in out
    row_of = {line.split("`")[1]: line for line in out.splitlines() if line.startswith("| `")}
    assert set(row_of) == {"parcours/premiers-pas.yml", "parcours/autre-parcours.yml"}
    assert "(modifié) |" in row_of["parcours/premiers-pas.yml"] and "✅ aucune erreur" in row_of["parcours/premiers-pas.yml"]
    assert "(ajouté) | — |" in row_of["parcours/autre-parcours.yml"]  # a refused module has no title to show, as a refused sheet
    assert "❌ 1 erreur : ligne " in row_of["parcours/autre-parcours.yml"] and "FP-999" in row_of["parcours/autre-parcours.yml"]
