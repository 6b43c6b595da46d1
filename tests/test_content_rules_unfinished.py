"""Nothing unfinished is published (issue 20): « À compléter », « Non précisé par
les sources » and the model's identifier are refused in a published sheet, with
the line to change; a draft may keep them."""

from __future__ import annotations

import pytest

from helpers import EXAMPLE_SITE, make_repo, problems_for

BASE = (EXAMPLE_SITE / "fiches" / "proteger-les-donnees.md").read_text(encoding="utf-8")


def write_sheet(repo, text: str, name: str = "fiche-en-cours.md"):
    path = repo / "fiches" / name
    path.write_text(text.replace("id: FP-001", "id: FP-050", 1), encoding="utf-8")
    return path


def published(text: str) -> str:
    """The example sheet, in review (published, never validated)."""
    return text.replace("statut: validee", "statut: en-relecture", 1).replace(
        "validation:\n  instance: Haut Conseil du travail social, séance plénière\n  seance: 2019-06-14\n", "", 1
    )


def unfinished_lines(problems: list[str]) -> list[str]:
    return [p.split("\n")[0] for p in problems if "rien contenir d'inachevé" in p]


def test_a_published_sheet_without_placeholder_passes(tmp_path):
    repo = make_repo(tmp_path)
    assert problems_for(repo, write_sheet(repo, published(BASE))) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("## Que faire\n\n- Faire avec la personne.", "## Que faire\n\nÀ compléter.", 36, None),
        ("## Que faire\n\n- Faire avec la personne.", "## Que faire\n\n1. À compléter : les étapes.", 36, None),
        ("Aucun mot de passe noté.", "Le délai est non précisé\npar les sources.", 40, None),
        ("resume: Ce que", "resume: 'À compléter : ce que", 4, "resume"),
        ("titre: CNIL, recommandations", "titre: CNIL (date non précisée par les sources), recommandations", 20, "sources[2].titre"),
    ],
)
def test_a_placeholder_in_a_published_sheet_is_refused_with_its_line(tmp_path, old, new, line, field):
    repo = make_repo(tmp_path)
    text = published(BASE)
    assert old in text
    if new.startswith("resume: 'À compléter"):
        text = text.replace("resume: Ce que", "resume: \"À compléter : ce que", 1).replace(
            "démarche en ligne.\nstatut", "démarche en ligne.\"\nstatut", 1
        )
    else:
        text = text.replace(old, new, 1)
    problems = problems_for(repo, write_sheet(repo, text))
    subject = f"champ « {field} » : " if field else ""
    assert unfinished_lines(problems) == [
        f"fiches/fiche-en-cours.md:{line} : erreur : {subject}une fiche publiée (statut « en-relecture ») ne doit rien contenir d'inachevé."
    ], problems
    assert "aide : pages/contribuer/guide.md#rien-d-inacheve" in problems[0]


def test_a_form_to_complete_in_a_sentence_is_ordinary_french(tmp_path):
    repo = make_repo(tmp_path)
    text = published(BASE).replace("Aucun mot de passe noté.", "Le formulaire à compléter reste chez la personne.", 1)
    assert problems_for(repo, write_sheet(repo, text)) == []


def test_the_model_identifier_is_refused_in_a_published_sheet(tmp_path):
    repo = make_repo(tmp_path)
    path = repo / "fiches" / "fiche-en-cours.md"
    path.write_text(published(BASE).replace("id: FP-001", "id: FP-000", 1), encoding="utf-8")
    assert unfinished_lines(problems_for(repo, path)) == [
        "fiches/fiche-en-cours.md:2 : erreur : champ « id » : une fiche publiée (statut « en-relecture ») ne doit rien contenir d'inachevé."
    ]


def test_a_draft_may_keep_its_placeholders(tmp_path):
    repo = make_repo(tmp_path)
    text = published(BASE).replace("statut: en-relecture", "statut: brouillon", 1).replace("Aucun mot de passe noté.", "À compléter.", 1)
    assert problems_for(repo, write_sheet(repo, text)) == []


def test_a_new_sheet_from_the_model_cannot_be_published_unfinished(tmp_path):
    """fiches nouvelle writes « À compléter » where the contributor must write: publishing it as is fails."""
    from fiches_kb.cli import scaffold
    from fiches_kb.schema import load_schema

    repo = make_repo(tmp_path)
    from datetime import date

    text = scaffold(load_schema(repo), "fiche", "FP-050", "Une fiche toute neuve", date(2026, 11, 1))
    path = repo / "fiches" / "fiche-en-cours.md"
    path.write_text(text, encoding="utf-8")
    assert problems_for(repo, path) == []
    path.write_text(text.replace("statut: brouillon", "statut: en-relecture", 1), encoding="utf-8")
    fields = {line.split("champ « ")[1].split(" »")[0] for line in unfinished_lines(problems_for(repo, path)) if "champ « " in line}
    assert {"resume", "essentiel[1]", "auteurs[1]", "sources[1].titre"} <= fields
