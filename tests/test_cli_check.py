"""`fiches check`: finds the repository like git, checks all or some files,
exits 0 or 1, prints French messages and GitHub annotations."""

from __future__ import annotations

import pytest

from fiches_kb.cli import main
from helpers import FIXTURES, add_fixture, make_repo


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


def test_valid_repository_exits_zero(repo, capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "4 fichiers vérifiés, aucune erreur.\n"


def test_repository_is_found_from_a_subfolder(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo / "fiches")
    assert main(["check"]) == 0


def test_outside_a_repository_says_where_to_go(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "aucun fichier mkdocs.yml ici ni dans les dossiers parents" in capsys.readouterr().err


def test_all_errors_of_all_files_are_reported_then_fail_once(repo, capsys):
    add_fixture(repo, "invalid/statut-inconnu.md")
    add_fixture(repo, "invalid/fichier-vide.md")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "fiches/statut-inconnu.md:5 : erreur : champ « statut » : valeur non autorisée." in err
    assert "fiches/fichier-vide.md:1 : erreur : le fichier est vide." in err
    assert err.endswith("2 erreurs dans 2 fichiers (sur 6 vérifiés).\n")


def test_only_the_given_files_are_reported(repo, capsys):
    add_fixture(repo, "invalid/statut-inconnu.md")
    good = repo / "fiches/proteger-les-donnees.md"
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().out == "1 fichier vérifié, aucune erreur.\n"
    assert main(["check", "fiches/statut-inconnu.md"]) == 1


def test_a_file_outside_the_content_folders_is_refused(repo, capsys):
    (repo / "notes.md").write_text("x", encoding="utf-8")
    assert main(["check", "notes.md"]) == 2
    assert "« notes.md » n'est pas une fiche du dépôt" in capsys.readouterr().err


def test_github_annotations_when_running_in_actions(repo, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    add_fixture(repo, "invalid/statut-inconnu.md")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (
        "::error file=fiches/statut-inconnu.md,line=5,title=Champ « statut »::valeur non autorisée."
        "%0Aattendu : l'une des valeurs brouillon, en-relecture, soumise, validee, archivee"
        "%0Atrouvé : le texte « validé »%0Asuggestion : écrivez « validee »"
        "%0Aaide : pages/contribuer/guide.md#champ-statut"
    ) in out


def test_broken_schema_is_reported_in_french(repo, capsys):
    (repo / "referentiel.yml").write_text("themes: [pas, un, dictionnaire]\n", encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "referentiel.yml : erreur : la rubrique « types » manque ou est vide." in err


def test_bad_command_line_is_explained_in_french(repo, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["verifier"])
    assert exit_info.value.code == 2
    assert "fiches : commande mal formée" in capsys.readouterr().err


def test_new_sheet_is_scaffolded_valid_with_a_free_identifier(repo, capsys):
    assert main(["nouvelle", "fiche", "Parler du numérique en réunion d'équipe"]) == 0
    created = repo / "fiches/parler-du-numerique-en-reunion-d-equipe.md"
    text = created.read_text(encoding="utf-8")
    assert "id: FP-004\n" in text
    assert "statut: brouillon\n" in text
    assert "## Points de vigilance" in text
    assert "Créé : fiches/parler-du-numerique-en-reunion-d-equipe.md (identifiant FP-004" in capsys.readouterr().out
    assert main(["check", str(created)]) == 0


def test_new_practice_gets_the_practice_fields(repo):
    assert main(["nouvelle", "pratique", "Un atelier numérique au centre social"]) == 0
    text = (repo / "pratiques-inspirantes/un-atelier-numerique-au-centre-social.md").read_text(encoding="utf-8")
    assert "id: PI-002\n" in text and "structure:" in text and "## Pour reproduire" in text
    assert main(["check"]) == 0


def test_new_refuses_an_unknown_type_and_an_existing_file(repo, capsys):
    assert main(["nouvelle", "article", "Un titre assez long"]) == 2
    assert "type « article » inconnu (types possibles : fiche, pratique, parcours)" in capsys.readouterr().err
    assert main(["nouvelle", "fiche", "Tenir un agenda partagé"]) == 0
    assert main(["nouvelle", "fiche", "Tenir un agenda partagé"]) == 1
    assert "fiches/tenir-un-agenda-partage.md existe déjà" in capsys.readouterr().err


def test_template_sheet_is_ignored_by_the_checker(repo, capsys):
    (repo / "fiches/MODELE.md").write_text((FIXTURES / "invalid/fichier-vide.md").read_text(), encoding="utf-8")
    assert main(["check"]) == 0
