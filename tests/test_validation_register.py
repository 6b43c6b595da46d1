"""A validation cannot be self-declared: a sheet is « validee » only for a
session of the register (validations.yml) that the HCTS secretariat keeps,
which CODEOWNERS gives to it alone; the register is listed on the site."""

from __future__ import annotations

from datetime import date

import pytest

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from fiches_kb.validations import REGISTER_FILE, load_register
from helpers import REPO, TODAY, make_repo

VALIDATED = (REPO / "tests" / "site" / "fiches" / "proteger-les-donnees.md").read_text(encoding="utf-8")


def problems_of(repo, path: str) -> list[str]:
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    return [p.format() for p in corpus.problems if p.path == path]


def test_a_sheet_validated_at_a_registered_session_passes(tmp_path):
    repo = make_repo(tmp_path)
    assert problems_of(repo, "fiches/proteger-les-donnees.md") == []


def test_a_validation_missing_from_the_register_is_refused_naming_who_records_it(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "fiches" / "proteger-les-donnees.md").write_text(VALIDATED.replace("2019-06-14", "2019-06-20"), encoding="utf-8")
    assert problems_of(repo, "fiches/proteger-les-donnees.md") == [
        "fiches/proteger-les-donnees.md:10 : erreur : champ « validation.seance » : la séance du 2019-06-20 n'est pas "
        "inscrite au registre des validations (validations.yml).\n"
        "    attendu : une séance que le secrétariat du HCTS a inscrite au registre\n"
        "    suggestion : seul le secrétariat du HCTS inscrit une séance au registre, avec la référence de sa décision ; "
        "d'ici là, gardez le statut « soumise » et retirez le champ « validation »\n"
        "    aide : pages/contribuer/guide.md#champ-validation"
    ]


def test_without_a_register_no_sheet_can_be_validated(tmp_path):
    repo = make_repo(tmp_path)
    (repo / REGISTER_FILE).unlink()
    assert "n'est pas inscrite au registre" in "\n".join(problems_of(repo, "fiches/proteger-les-donnees.md"))


def test_the_instance_must_be_the_registered_one(tmp_path):
    repo = make_repo(tmp_path)
    text = VALIDATED.replace("instance: Haut Conseil du travail social, séance plénière", "instance: Un autre conseil")
    (repo / "fiches" / "proteger-les-donnees.md").write_text(text, encoding="utf-8")
    (message,) = problems_of(repo, "fiches/proteger-les-donnees.md")
    assert message.startswith("fiches/proteger-les-donnees.md:9 : erreur : champ « validation.instance » : l'instance ne correspond pas")
    assert "attendu : « Haut Conseil du travail social, séance plénière »" in message


@pytest.mark.parametrize(
    "register, line, message",
    [
        ("seances: oui\n", 1, "« seances » doit être une liste de séances (« - date: … »)."),
        ("autre: []\n", 1, "le registre doit contenir la liste « seances: »."),
        ("seances:\n  - date: 2019-06-14\n    instance: HCTS\n", 2, "séance incomplète : « reference » manquant."),
        ("seances:\n  - date: 14/06/2019\n    instance: HCTS\n    reference: CR\n", 2, "date de séance invalide."),
        ("seances:\n  - date: 2099-01-01\n    instance: HCTS\n    reference: CR\n", 2, "une séance à venir ne peut pas être inscrite."),
        ("seances:\n  - date: 2019-06-14\n    instance: HCTS\n    reference: CR\n    lieu: Paris\n", 5, "clé inconnue « lieu » dans une séance."),
        (
            "seances:\n  - date: 2019-06-14\n    instance: HCTS\n    reference: CR\n"
            "  - date: 2019-06-14\n    instance: hcts\n    reference: CR 2\n",
            5,
            "séance du 2019-06-14 inscrite deux fois.",
        ),
        ("seances: [\n", 2, "registre illisible (erreur de syntaxe YAML)."),
    ],
)
def test_a_wrong_register_is_explained_in_french_with_its_line(tmp_path, register, line, message):
    (tmp_path / REGISTER_FILE).write_text(register, encoding="utf-8")
    _, problems = load_register(tmp_path, date(2026, 12, 6))
    assert [(p.path, p.line, p.message) for p in problems] == [(REGISTER_FILE, line, f"registre des validations : {message}")]


def test_the_repository_s_register_is_valid_and_records_no_session_yet():
    register, problems = load_register(REPO, date.today())
    assert problems == [] and register.sessions == ()


def test_codeowners_gives_the_register_the_schema_and_the_workflows_to_their_owners():
    rules = {
        line.split()[0]: line.split()[1:]
        for line in (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert set(rules) == {"/validations.yml", "/referentiel.yml", "/.github/"}
    assert all(owners for owners in rules.values())


def test_the_site_lists_the_register_s_sessions_with_the_sheets_they_validated(example_site_build):
    html = (example_site_build / "validations" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="seance-2019-06-14">Séance du <time datetime="2019-06-14">14 juin 2019</time></h2>' in html
    assert "Référence : Exemple de compte rendu de séance, pour les tests." in html
    assert "Protéger les données des personnes lors des démarches en ligne" in html
    sheet = (example_site_build / "fiches" / "proteger-les-donnees" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../validations/#seance-2019-06-14"' in sheet
