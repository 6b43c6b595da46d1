"""Renaming or moving a sheet never breaks a link: every old file name of a
published sheet is recorded in anciennes-adresses.yml (the check finds a
missing line in git history and gives it), and the build makes each old
address a French, script-free redirect page."""

from __future__ import annotations

import json
import subprocess

import pytest

from fiches_kb.cli import main
from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, build_site, copy_site, page, parse

MISSING_LINE = "ajoutez à anciennes-adresses.yml (à la racine du dépôt) la ligne : fiches/proteger-les-donnees.md: FP-001"


def git(repo, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )
    return result.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The example site in a git repository of its own, one commit."""
    repo = copy_site(tmp_path / "depot", EXAMPLE_SITE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Premier état")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


def rename(repo, old: str, new: str, commit: bool = True) -> None:
    git(repo, "mv", old, new)
    if commit:
        git(repo, "commit", "-q", "-m", f"Renommer {old}")


def test_a_committed_rename_without_its_old_address_is_refused(repo, capsys):
    rename(repo, "fiches/proteger-les-donnees.md", "fiches/proteger-donnees-personnes.md")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert (
        "fiches/proteger-donnees-personnes.md:2 : erreur : champ « id » : cette fiche s'appelait "
        "« fiches/proteger-les-donnees.md » : son ancienne adresse « /fiches/proteger-les-donnees/ » "
        "ne mènerait plus nulle part" in err
    )
    assert MISSING_LINE in err


def test_a_rename_with_a_rewrite_in_the_same_commit_is_refused(repo, capsys):
    """git's rename detection sees a deletion and an addition; the identifier stays, so does the check."""
    old = repo / "fiches/proteger-les-donnees.md"
    header, _ = old.read_text(encoding="utf-8").split("\n---\n", 1)
    body = "".join(f"## {s}\n\nUn texte entièrement réécrit, sans rien de l'ancien.\n\n" for s in (
        "Ce qui est en jeu", "Ce que disent le droit et l'éthique", "Que faire", "Points de vigilance", "Ressources"))
    old.unlink()
    (repo / "fiches/donnees-des-personnes.md").write_text(f"{header}\n---\n\n{body}", encoding="utf-8")
    git(repo, "add", "-A", ".")
    git(repo, "commit", "-q", "-m", "Réécrire et renommer")
    assert main(["check"]) == 1
    assert MISSING_LINE in capsys.readouterr().err


def test_a_rename_not_yet_committed_is_refused_too(repo, capsys):
    """What the pre-commit hook runs: the rename is in the working tree only."""
    rename(repo, "fiches/proteger-les-donnees.md", "fiches/donnees-des-personnes.md", commit=False)
    assert main(["check", "fiches/donnees-des-personnes.md"]) == 1
    assert MISSING_LINE in capsys.readouterr().err


def test_a_rename_with_its_old_address_recorded_passes(repo, capsys):
    rename(repo, "fiches/proteger-les-donnees.md", "fiches/proteger-donnees-personnes.md")
    (repo / "anciennes-adresses.yml").write_text("fiches/proteger-les-donnees.md: FP-001\n", encoding="utf-8")
    assert main(["check"]) == 0, capsys.readouterr().err


def test_a_renamed_draft_needs_no_old_address(repo):
    """A draft was never published: nobody links to its address."""
    rename(repo, "fiches/brouillon-reseaux-sociaux.md", "fiches/reseaux-sociaux.md")
    assert main(["check"]) == 0


def test_without_git_history_the_check_is_skipped(tmp_path, monkeypatch):
    """A downloaded archive has no history to compare with: nothing to refuse."""
    site = copy_site(tmp_path / "archive", EXAMPLE_SITE)
    (site / "fiches/proteger-les-donnees.md").rename(site / "fiches/autre-nom.md")
    monkeypatch.chdir(site)
    assert main(["check"]) == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("fiches/ancien-nom.md: FP-099", "ancienne adresse « fiches/ancien-nom.md » : aucune fiche ne porte l'identifiant « FP-099 »."),
        ("pages/a-propos.md: FP-001", "ancienne adresse « pages/a-propos.md » : ce n'est pas le chemin d'une fiche."),
        ("fiches/ancien-nom.md: ecran", "ancienne adresse « fiches/ancien-nom.md » : l'identifiant de la fiche est attendu après « : »."),
        ("fiches/proteger-les-donnees.md: FP-001", "ce fichier est de nouveau une fiche, son adresse mène à cette fiche."),
    ],
)
def test_a_wrong_line_of_old_addresses_is_reported_with_its_line(repo, capsys, line, message):
    (repo / "anciennes-adresses.yml").write_text(f"# Anciennes adresses\n{line}\n", encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "anciennes-adresses.yml:2 : erreur : " in err and message in err


def test_old_and_permanent_addresses_both_lead_to_the_renamed_sheet(repo, tmp_path):
    rename(repo, "fiches/proteger-les-donnees.md", "fiches/proteger-donnees-personnes.md")
    (repo / "anciennes-adresses.yml").write_text("fiches/proteger-les-donnees.md: FP-001\n", encoding="utf-8")
    site = build_site(repo, tmp_path / "html")
    for address, target in (
        ("fiches/proteger-les-donnees", "../proteger-donnees-personnes/"),
        ("id/FP-001", "../../fiches/proteger-donnees-personnes/"),
    ):
        html = (site / address / "index.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert f'<link rel="canonical" href="{target}">' in html
        assert '<html lang="fr">' in html and "<script" not in html
        assert 'http-equiv="Content-Security-Policy"' in html
        link = parse(html).find("a", href=target)
        assert link is not None and link.text() == "Protéger les données des personnes lors des démarches en ligne"
        assert (site / address / target / "index.html").resolve().is_file()
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    entry = next(e for e in catalogue["fiches"] if e["id"] == "FP-001")
    assert entry["anciennes_url"] == ["fiches/proteger-les-donnees/"]
    old = page(site, "fiches/proteger-les-donnees")
    assert "Cette fiche pratique (FP-001) a changé d'adresse." in old.text()


def test_a_shallow_clone_is_checked_as_far_as_its_history_goes_and_says_so(repo, tmp_path, monkeypatch, capsys):
    """CI checks out the whole history (fetch-depth: 0); a shallow clone gets a warning, not an error."""
    rename(repo, "fiches/proteger-les-donnees.md", "fiches/proteger-donnees-personnes.md")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    monkeypatch.chdir(clone)
    assert main(["check"]) == 0
    output = capsys.readouterr()
    assert "anciennes-adresses.yml : avertissement : Historique git incomplet (clone superficiel)" in output.err + output.out


def test_the_repository_s_old_addresses_are_valid():
    assert (REPO / "anciennes-adresses.yml").is_file()  # where contributors find how it works
    corpus = load_corpus(REPO, load_schema(REPO), build_sheets=False)
    assert [p.format() for p in corpus.problems if p.path == "anciennes-adresses.yml" and p.is_error] == []
