"""The fields of issue 20 are checked like every field, in French, with the file
and the line: « essentiel » (3 to 5 lines of 10 to 160 characters), a
source's « date » (a year, a month or a day, never in the future) and « lien »
(https), « consultations » (a date not in the future, a group, what changed,
no personal data)."""

from __future__ import annotations

from datetime import date

import pytest

from fiches_kb.corpus import Source, load_corpus
from fiches_kb.schema import load_schema
from fiches_kb.source_age import old_sources_notices
from fiches_kb.validate import parse_partial_date
from helpers import EXAMPLE_SITE, TODAY, make_repo, problems_for

PRACTICE = (EXAMPLE_SITE / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8")
NAME = "pratiques-inspirantes/aidants-connect.md"


def check(tmp_path, old: str, new: str) -> list[str]:
    repo = make_repo(tmp_path)
    assert old in PRACTICE
    path = repo / NAME
    path.write_text(PRACTICE.replace(old, new, 1), encoding="utf-8")
    return problems_for(repo, path)


def line(fragment: str, text: str = PRACTICE) -> int:
    return text[: text.index(fragment)].count("\n") + 1


ESSENTIALS = "essentiel:\n  - Vérifiez si votre structure est habilitée Aidants Connect.\n"


def test_the_example_site_passes(tmp_path):
    repo = make_repo(tmp_path)
    assert problems_for(repo, repo / NAME) == []


def test_l_essentiel_needs_three_lines_at_least(tmp_path):
    text = "  - Proposez le mandat à la personne qui ne peut pas faire la démarche seule.\n  - Expliquez-lui ce que le mandat permet, et pour combien de temps.\n"
    problems = check(tmp_path, text, "")
    assert problems == [
        f"{NAME}:{line('essentiel:')} : erreur : champ « essentiel » : pas assez d'éléments.\n"
        "    attendu : au moins 3\n"
        "    trouvé : 1\n"
        "    aide : pages/contribuer/guide.md#champ-essentiel"
    ]


def test_l_essentiel_has_five_lines_at_most(tmp_path):
    more = "".join(f"  - Ligne supplémentaire numéro {n} de l'essentiel.\n" for n in range(3))
    (problem,) = check(tmp_path, ESSENTIALS, ESSENTIALS + more)
    assert problem.startswith(f"{NAME}:{line('essentiel:')} : erreur : champ « essentiel » : trop d'éléments.\n    attendu : au plus 5\n    trouvé : 6")


def test_a_line_of_l_essentiel_too_long_is_refused_with_its_line(tmp_path):
    long_line = "Vérifiez " + "très " * 40 + "longuement."
    (problem,) = check(tmp_path, "Vérifiez si votre structure est habilitée Aidants Connect.", long_line)
    assert problem.startswith(
        f"{NAME}:{line('Vérifiez si votre')} : erreur : champ « essentiel[1] » : ligne 1 trop longue.\n"
        "    attendu : au plus 160 caractères par ligne\n"
        f"    trouvé : {len(long_line)} caractères"
    )


def test_a_line_of_l_essentiel_too_short_is_refused(tmp_path):
    (problem,) = check(tmp_path, "Vérifiez si votre structure est habilitée Aidants Connect.", "Agir.")
    assert f"{NAME}:{line('Vérifiez si votre')} : erreur : champ « essentiel[1] » : ligne 1 trop courte." in problem


@pytest.mark.parametrize("written", ["2024", "2024-03", "2024-03-12", "'2024'"])
def test_a_source_is_dated_by_a_year_a_month_or_a_day(tmp_path, written):
    assert check(tmp_path, "    date: 2024-03\n", f"    date: {written}\n") == []


@pytest.mark.parametrize(
    ("written", "message", "suggestion"),
    [
        ("2024-13", "date mal écrite.", "écrivez l'année seule, par exemple 2024, ou la date sous la forme AAAA-MM-JJ"),
        ("12/03/2024", "date mal écrite.", "écrivez « 2024-03-12 »"),
        ("mars 2024", "date mal écrite.", "écrivez l'année seule, par exemple 2024, ou la date sous la forme AAAA-MM-JJ"),
        ("2031", "la date est dans le futur.", "indiquez la date de publication du document"),
    ],
)
def test_a_badly_written_or_future_source_date_is_refused(tmp_path, written, message, suggestion):
    (problem,) = check(tmp_path, "    date: 2024-03\n", f"    date: {written}\n")
    assert problem.startswith(f"{NAME}:{line('    date: 2024-03')} : erreur : champ « sources[2].date » : {message}")
    assert f"suggestion : {suggestion}" in problem


def test_a_source_link_in_http_is_refused(tmp_path):
    (problem,) = check(tmp_path, "https://www.example.gouv.fr/aidants-connect", "http://www.example.gouv.fr/aidants-connect")
    assert problem.startswith(f"{NAME}:{line('    lien: https://www.example.gouv.fr/aidants-connect')} : erreur : champ « sources[2].lien » : lien non sécurisé (http).")


def test_a_consultation_in_the_future_is_refused(tmp_path):
    (problem,) = check(tmp_path, "  - date: 2025-11-18", "  - date: 2027-01-15")
    assert problem == (
        f"{NAME}:{line('  - date: 2025-11-18')} : erreur : champ « consultations[1].date » : la date de consultation est dans le futur.\n"
        f"    attendu : une consultation déjà faite (au plus tard le {TODAY.isoformat()})\n"
        "    trouvé : « 2027-01-15 »\n"
        "    suggestion : ajoutez la consultation une fois qu'elle a eu lieu, avec ce qu'elle a changé\n"
        "    aide : pages/contribuer/guide.md#champ-consultations"
    )


def test_a_consultation_needs_its_group_and_what_changed(tmp_path):
    problems = check(tmp_path, "    groupe: Personnes accompagnées d'un CCAS\n", "")
    assert problems[0].startswith(f"{NAME}:{line('  - date: 2025-11-18')} : erreur : champ « consultations[1].groupe » : champ obligatoire manquant.")


def test_a_consultation_never_names_a_person(tmp_path):
    problems = check(
        tmp_path,
        "    groupe: Personnes accompagnées d'un CCAS",
        "    groupe: Personnes accompagnées d'un CCAS, contact 06 12 34 56 78",
    )
    assert len(problems) == 1 and problems[0].startswith(f"{NAME}:{line('    groupe: Personnes')} : erreur : champ « consultations[1].groupe »")
    assert "téléphone" in problems[0]


def test_partial_dates_mean_their_last_possible_day():
    assert parse_partial_date(2019).last_day == date(2019, 12, 31)
    assert parse_partial_date("2024-02").last_day == date(2024, 2, 29)
    assert parse_partial_date("2024-03-12").last_day == date(2024, 3, 12)
    assert parse_partial_date("2024-02-30") is None and parse_partial_date(True) is None


def test_the_build_notices_a_published_sheet_whose_newest_source_is_old(tmp_path):
    repo = make_repo(tmp_path)
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    assert old_sources_notices(corpus.sheets) == [
        "fiches/proteger-les-donnees.md : les sources les plus récentes de cette fiche datent de 2019 (plus de 5 ans) ; "
        "la fiche le signale à ses lecteurs. Relisez-la avec des sources à jour (champ « sources », avec « lien » et « date »)."
    ]
    (validated,) = [sheet for sheet in corpus.sheets if sheet.id == "FP-001"]
    assert validated.source_period == "Sources de 2017 à 2019" and validated.sources_are_old
    (practice,) = [sheet for sheet in corpus.sheets if sheet.id == "PI-001"]
    assert practice.source_period == "Source de 2024" and not practice.sources_are_old
    assert Source("Sans date").date_label is None


def test_the_threshold_comes_from_referentiel(tmp_path):
    repo = make_repo(tmp_path)
    referentiel = repo / "referentiel.yml"
    referentiel.write_text(referentiel.read_text(encoding="utf-8").replace("sources_anciennes_apres_ans: 5", "sources_anciennes_apres_ans: 10"), encoding="utf-8")
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    assert old_sources_notices(corpus.sheets) == []


@pytest.mark.parametrize("name", ["essentiel", "sources", "consultations"])
def test_the_guide_s_example_pasted_into_a_published_sheet_passes(tmp_path, name):
    """The example the contributor guide shows for each new field (guide.example_yaml,
    from referentiel.yml) replaces the field in a sheet in review: fiches check passes."""
    import re

    from fiches_kb.guide import example_yaml

    repo = make_repo(tmp_path)
    example = example_yaml(name, load_schema(repo).fields[name].example)
    example = re.sub(r"^- ", "  - ", re.sub(r"^  ", "    ", example, flags=re.M), flags=re.M)  # the sheet's indentation
    block = re.search(rf"^{name}:\n(?:  .*\n)+", PRACTICE, re.M)[0]
    path = repo / NAME
    path.write_text(PRACTICE.replace(block, example, 1), encoding="utf-8")
    assert problems_for(repo, path) == []
