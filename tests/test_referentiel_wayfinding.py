"""The home page's situations and the search synonyms are edited in
referentiel.yml without code, and checked like the rest: every mistake is a
French problem with its line in referentiel.yml."""

from __future__ import annotations

import shutil

import pytest

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import SchemaError, load_schema
from helpers import REPO, TODAY, make_repo


def with_sections(tmp_path, situations: str | None = None, synonyms: str | None = None):
    """A copy of the real referentiel.yml whose sections are replaced by the given YAML."""
    shutil.copy2(REPO / "referentiel.yml", tmp_path / "referentiel.yml")
    text = (tmp_path / "referentiel.yml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)

    def replace(name: str, body: str | None):
        nonlocal lines
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
        end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "")), len(lines))
        if body is not None:
            lines[start:end] = [f"{name}:\n", *[line + "\n" for line in body.splitlines()], "\n"]

    replace("situations", situations)
    replace("synonymes", synonyms)
    (tmp_path / "referentiel.yml").write_text("".join(lines), encoding="utf-8")
    return tmp_path


def line_of(tmp_path, fragment: str) -> int:
    lines = (tmp_path / "referentiel.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def schema_problems(root) -> list[str]:
    with pytest.raises(SchemaError) as caught:
        load_schema(root)
    return [problem.format() for problem in caught.value.problems]


def test_the_real_referentiel_has_situations_and_synonyms():
    schema = load_schema(REPO)
    assert len(schema.situations) >= 3
    assert all(s.phrase and s.text and (s.sheet_ids or s.theme) for s in schema.situations)
    groups = {group[0]: group for group in schema.synonyms}
    assert groups["courriel"] == ("courriel", "e-mail", "mail", "messagerie")
    assert "caisse d'allocations familiales" in groups["CAF"]


def test_every_situation_of_the_real_base_leads_to_published_sheets():
    schema = load_schema(REPO)
    corpus = load_corpus(REPO, schema, render_bodies=False)  # the real base, today
    published = {sheet.id for sheet in corpus.sheets if sheet.is_published}
    assert not [p for p in corpus.problems if p.path == "referentiel.yml"]
    for situation in schema.situations:
        assert set(situation.sheet_ids) <= published, situation.phrase


def test_a_term_listed_twice_is_an_error_with_its_line(tmp_path):
    root = with_sections(tmp_path, synonyms="  - [courriel, e-mail]\n  - [Courriel, messagerie]")
    problems = schema_problems(root)
    line = line_of(root, "[Courriel, messagerie]")
    assert problems == [
        f"referentiel.yml:{line} : erreur : champ « synonymes[2] » : synonymes de la recherche : "
        f"le terme « Courriel » est déjà listé (ligne {line - 1}).\n"
        "    attendu : chaque terme dans un seul groupe, une seule fois\n"
        "    suggestion : retirez ce doublon, ou réunissez les deux groupes en un seul\n"
        "    aide : pages/contribuer/guide.md#synonymes"
    ]


@pytest.mark.parametrize(
    "body, fragment, message",
    [
        ("  - []", "- []", "groupe vide."),
        ("  - [courriel, \"\", mail]", "[courriel, \"\", mail]", "terme vide."),
        ("  - [courriel]", "[courriel]", "le groupe ne contient qu'un terme (« courriel »)."),
        ("  - courriel, mail", "courriel, mail", "chaque groupe est une liste de termes entre crochets."),
    ],
    ids=["empty group", "empty term", "one term", "not a list"],
)
def test_an_empty_entry_is_an_error_with_its_line(tmp_path, body, fragment, message):
    root = with_sections(tmp_path, synonyms=body)
    problems = schema_problems(root)
    assert len(problems) == 1
    assert problems[0].startswith(f"referentiel.yml:{line_of(root, fragment)} : erreur : champ « synonymes[1] » : synonymes de la recherche : {message}")


def test_an_unknown_theme_is_an_error_with_its_line_and_a_suggestion(tmp_path):
    root = with_sections(tmp_path, situations="  - situation: Un cas\n    texte: Un texte.\n    theme: risque-en-ligne")
    problems = schema_problems(root)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"referentiel.yml:{line_of(root, 'theme: risque-en-ligne')} : erreur : champ « situations[1].theme » : "
        "situations de l'accueil : thème « risque-en-ligne » inconnu."
    )
    assert "suggestion : vouliez-vous dire « risques-en-ligne » ?" in problems[0]


@pytest.mark.parametrize(
    "body, fragment, message",
    [
        ("  - situation: Un cas\n    texte: Un texte.", "situation: Un cas", "la situation ne mène nulle part."),
        ("  - situation: Un cas\n    fiches: [FP-001]", "situation: Un cas", "le texte « texte » manque ou est vide."),
        ("  - situation: Un cas\n    texte: Un texte.\n    fiche: [FP-001]", "fiche: [FP-001]", "clé inconnue « fiche »."),
    ],
    ids=["nowhere", "no text", "unknown key"],
)
def test_an_incomplete_situation_is_an_error_with_its_line(tmp_path, body, fragment, message):
    root = with_sections(tmp_path, situations=body)
    problems = schema_problems(root)
    assert any(p.startswith(f"referentiel.yml:{line_of(root, fragment)} : erreur :") and message in p for p in problems), problems


def test_an_unknown_sheet_id_is_an_error_with_its_line(tmp_path):
    root = make_repo(tmp_path)
    with_sections(root, situations="  - situation: Un cas\n    texte: Un texte.\n    fiches:\n      - FP-001\n      - FP-999")
    corpus = load_corpus(root, load_schema(root), today=TODAY, render_bodies=False)
    problems = [p.format() for p in corpus.problems if p.path == "referentiel.yml"]
    assert len(problems) == 1
    assert problems[0].startswith(
        f"referentiel.yml:{line_of(root, '- FP-999')} : erreur : champ « situations[1].fiches » : "
        "situations de l'accueil : aucune fiche ne porte l'identifiant « FP-999 »."
    )
