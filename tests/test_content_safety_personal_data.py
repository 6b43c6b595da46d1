"""Personal data in the body and the front matter: e-mail addresses outside
the allowlist, French phone numbers, social security numbers (NIR) and IBANs
whose check digits are right. Valid numbers are built here by computing
their keys, never copied from real ones."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from fiches_kb.frontmatter import parse_text
from fiches_kb.problems import sort_problems
from fiches_kb.rules import check_body_safety, check_front_matter_safety, renderer_for
from fiches_kb.rules.personal_data import (
    find_personal_data,
    is_allowed_email,
    is_valid_iban,
    is_valid_nir,
    nir_key,
    normalise_phone,
)
from fiches_kb.schema import SafetyRules, load_schema
from helpers import REPO, add_fixture, make_repo, problems_for

SCHEMA = load_schema(REPO)
RULES = SCHEMA.safety
HELP = "    aide : pages/contribuer/guide.md#securite"
WHY = "une fiche publique ne doit contenir aucune donnée personnelle : "


def check(body: str, header: str = "titre: Un titre\n", schema=SCHEMA) -> list[str]:
    """Problems of a sheet whose body starts on line 4."""
    source, problems = parse_text(f"---\n{header}---\n{body}", Path("fiches/essai.md"), "fiches/essai.md")
    assert source is not None, problems
    found = check_front_matter_safety(source, schema) + check_body_safety(source, schema, renderer_for(REPO))
    return [problem.format() for problem in sort_problems(found)]


def kinds(text: str, rules: SafetyRules = RULES) -> list[tuple[str, str]]:
    return [(finding.kind, finding.masked) for finding in find_personal_data(text, rules)]


# --- Building valid numbers -------------------------------------------------


def make_nir(sex: int, year: int, month: int, department: str, commune: int, order: int) -> str:
    """A NIR with its key: 97 - (13 digits mod 97), Corsica's 2A/2B read as 19/18."""
    first = f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"
    numeric = first[:5] + {"2A": "19", "2B": "18"}.get(department, department) + first[7:]
    return first + f"{97 - int(numeric) % 97:02d}"


def make_iban(country: str, bban: str) -> str:
    """An IBAN with its ISO 13616 check digits: 98 - (BBAN + country + 00, as digits, mod 97)."""
    digits = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def spaced_nir(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def spaced_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def wrong_key(number: str) -> str:
    return number[:-2] + f"{(int(number[-2:]) + 1) % 100:02d}"


NIR = make_nir(1, 85, 5, "78", 6, 84)
NIR_CORSICA_A = make_nir(2, 90, 12, "2A", 4, 123)
NIR_CORSICA_B = make_nir(1, 3, 1, "2B", 33, 7)
IBAN_FR = make_iban("FR", "30006000011234567890189")
IBAN_DE = make_iban("DE", "370400440532013000")


# --- NIR --------------------------------------------------------------------


def test_nir_key_follows_the_official_formula():
    assert nir_key(NIR[:13]) == int(NIR[13:])
    assert nir_key(NIR_CORSICA_A[:13]) == int(NIR_CORSICA_A[13:])
    assert nir_key(NIR_CORSICA_B[:13]) == int(NIR_CORSICA_B[13:])
    # 2A counts as 19 and 2B as 18: the keys differ from the same number with 20.
    assert nir_key(NIR_CORSICA_A[:5] + "20" + NIR_CORSICA_A[7:13]) != int(NIR_CORSICA_A[13:])


@pytest.mark.parametrize("nir", [NIR, NIR_CORSICA_A, NIR_CORSICA_B, spaced_nir(NIR), spaced_nir(NIR_CORSICA_A).lower()])
def test_valid_nirs_are_recognised(nir):
    assert is_valid_nir(nir)


@pytest.mark.parametrize(
    "nir",
    [
        wrong_key(NIR),
        wrong_key(NIR_CORSICA_A),
        NIR[:-1],
        NIR + "0",
        "3" + NIR[1:],  # no such first digit
        NIR[:9] + "A" + NIR[10:],  # a letter outside the department
        NIR_CORSICA_A[:5] + "2C" + NIR_CORSICA_A[7:],
    ],
)
def test_invalid_nirs_are_not(nir):
    assert not is_valid_nir(nir)


def test_a_nir_is_found_only_when_its_key_checks():
    masked = f"{NIR[0]} •• •• •• ••• ••• {NIR[-2:]}"
    assert kinds(f"Numéro : {spaced_nir(NIR)}.") == [("nir", masked)]
    assert kinds(f"Numéro : {NIR}.") == [("nir", masked)]
    assert kinds(f"Numéro : {spaced_nir(NIR_CORSICA_A)}") == [("nir", f"2 •• •• •• ••• ••• {NIR_CORSICA_A[-2:]}")]
    assert kinds(f"Numéro : {spaced_nir(wrong_key(NIR))}.") == []
    assert kinds(f"Numéro : {wrong_key(NIR)}.") == []


# --- IBAN -------------------------------------------------------------------


@pytest.mark.parametrize("iban", [IBAN_FR, IBAN_DE, spaced_iban(IBAN_FR), spaced_iban(IBAN_DE).lower()])
def test_valid_ibans_are_recognised(iban):
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    "iban",
    [
        IBAN_FR[:10] + str((int(IBAN_FR[10]) + 1) % 10) + IBAN_FR[11:],  # one digit changed
        IBAN_FR[:2] + f"{(int(IBAN_FR[2:4]) + 1) % 100:02d}" + IBAN_FR[4:],  # wrong check digits
        IBAN_FR[:-1],  # too short for France
        "ZZ" + IBAN_FR[2:],  # unknown country
        "FR00" + IBAN_FR[4:],
    ],
)
def test_invalid_ibans_are_not(iban):
    assert not is_valid_iban(iban)


def test_an_iban_is_found_only_when_its_checksum_is_right():
    masked = "FR" + IBAN_FR[2:4] + " •••• •••• •••• •••• •••• •" + IBAN_FR[-2:]
    assert kinds(f"Virement sur {spaced_iban(IBAN_FR)} avant lundi.") == [("iban", masked)]
    assert kinds(f"IBAN:{IBAN_FR}") == [("iban", masked)]
    assert kinds(f"IBAN {spaced_iban(IBAN_DE)}")[0][0] == "iban"
    changed = IBAN_FR[:10] + str((int(IBAN_FR[10]) + 1) % 10) + IBAN_FR[11:]
    assert kinds(f"Virement sur {spaced_iban(changed)}.") == []
    assert kinds(f"Virement sur {IBAN_FR}9.") == []  # longer than an IBAN


# --- Phones -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, masked",
    [
        ("01 23 45 67 89", "01 •• •• •• 89"),
        ("01.23.45.67.89", "01 •• •• •• 89"),
        ("01-23-45-67-89", "01 •• •• •• 89"),
        ("0123456789", "01 •• •• •• 89"),
        ("06\u00a012\u00a034\u00a056\u00a078", "06 •• •• •• 78"),
        ("09 87 65 43 21", "09 •• •• •• 21"),
        ("+33 1 23 45 67 89", "+33 1 •• •• •• 89"),
        ("+33 (0)1 23 45 67 89", "+33 1 •• •• •• 89"),
        ("+33(0)123456789", "+33 1 •• •• •• 89"),
        ("+33612345678", "+33 6 •• •• •• 78"),
        ("0033 6 12 34 56 78", "+33 6 •• •• •• 78"),
    ],
)
def test_french_phone_numbers_are_found_and_masked(text, masked):
    assert kinds(f"Appelez le {text}, merci.") == [("telephone", masked)]


@pytest.mark.parametrize(
    "text",
    [
        "le 2019-06-14",
        "la fiche FP-012",
        "14 millions de personnes",
        "83 % du public",
        "1 000 000 €",
        "le 01/02/2019",
        "de 2018 à 2020, puis 2021-2022",
        "le 3939, le 115 ou le 119",
        "le numéro vert 0 800 12 34 56",
        "le 08 00 12 34 56",
        "la référence 012345678901",
        "l'article L. 262-1 du code",
        "SIRET 123 456 789 00012",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000886460",
    ],
)
def test_dates_ids_and_ordinary_numbers_are_not_phones(text):
    assert kinds(text) == []


def test_allowlisted_phone_numbers_pass_in_any_writing():
    rules = dataclasses.replace(RULES, phone_numbers=(normalise_phone("01 23 45 67 89"),))
    assert kinds("01.23.45.67.89 ou +33 1 23 45 67 89", rules) == []
    assert kinds("01 23 45 67 80", rules) == [("telephone", "01 •• •• •• 80")]


# --- E-mail addresses --------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "contact@association-exemple.fr",
        "Contact@Association-Exemple.fr",
        "accueil-nimes@association-exemple.fr",
        "accueil.paris@association-exemple.fr",
        "secretariat_direction@ccas-exemple.fr",
        "info+lettre@association-exemple.fr",
        "dpo@cnil.fr",
        "accueil@social.gouv.fr",
        "pref-courrier@aisne.gouv.fr",
        "prenom.nom@example.org",
    ],
)
def test_generic_and_institutional_addresses_are_allowed(address):
    assert is_allowed_email(address, RULES)
    assert kinds(f"Écrire à {address}.") == []


@pytest.mark.parametrize(
    "address, masked",
    [
        ("jean.dupont@gmail.com", "j•••@g•••.com"),
        ("claire@association-exemple.fr", "c•••@a•••.fr"),
        ("contactjean@association-exemple.fr", "c•••@a•••.fr"),  # not « contact » followed by - . or _
        ("jean@gouv.fr.exemple.com", "j•••@g•••.f•••.e•••.com"),  # gouv.fr must be the end
        ("jean.dupont@fauxgouv.fr", "j•••@f•••.fr"),
    ],
)
def test_other_addresses_are_personal_data(address, masked):
    assert not is_allowed_email(address, RULES)
    assert kinds(f"Écrire à {address}.") == [("courriel", masked)]


def test_listed_addresses_are_allowed_one_by_one():
    rules = dataclasses.replace(RULES, email_addresses=("dgcs-hcts@exemple-ministere.fr",))
    assert is_allowed_email("DGCS-HCTS@exemple-ministere.fr", rules)
    assert not is_allowed_email("dgcs-autre@exemple-ministere.fr", rules)


@pytest.mark.parametrize("text", ["L@Min", "Nîmes (L@Min)", "un @ seul", "@compte", "a@b", "x@y.z1"])
def test_things_that_are_not_addresses(text):
    assert kinds(text) == []


def test_an_address_written_with_an_entity_is_found():
    assert kinds("jean.dupont&#64;gmail.com") == []  # raw text: the body check decodes entities first
    assert check("Écrire à jean.dupont&#64;gmail.com.\n")[0].startswith(
        f"fiches/essai.md:4 : erreur : {WHY}cette adresse électronique peut être celle d'une personne."
    )


# --- Messages ---------------------------------------------------------------

PHONE_MESSAGE = (
    "fiches/essai.md:{line} : erreur : {field}" + WHY + "ce numéro de téléphone peut être celui d'une personne.\n"
    "    attendu : aucun numéro personnel ; les numéros en 08 et les numéros courts (3939, 115…) sont acceptés\n"
    "    trouvé : « {masked} » (masqué)\n"
    "    suggestion : retirez le numéro et renvoyez vers la page de contact de la structure ; "
    "le standard d'une institution peut être ajouté à la rubrique « securite » de referentiel.yml\n" + HELP
)
EMAIL_MESSAGE = (
    "fiches/essai.md:{line} : erreur : {field}" + WHY + "cette adresse électronique peut être celle d'une personne.\n"
    "    attendu : l'adresse générique d'une structure (par exemple contact@…, accueil@…, secretariat@…) "
    "ou une adresse d'un domaine institutionnel (par exemple gouv.fr, cnil.fr)\n"
    "    trouvé : « {masked} » (masqué)\n"
    "    suggestion : remplacez-la par l'adresse générique de la structure ou par le lien de sa page de contact ; "
    "si c'est l'adresse d'un service, demandez son ajout à la rubrique « securite » de referentiel.yml\n" + HELP
)
NIR_MESSAGE = (
    "fiches/essai.md:{line} : erreur : {field}" + WHY
    + "ce numéro de sécurité sociale (NIR, clé de contrôle juste) identifie une personne.\n"
    "    attendu : aucun numéro de sécurité sociale\n"
    "    trouvé : « {masked} » (masqué)\n"
    "    suggestion : supprimez ce numéro ; pour un exemple, écrivez des X : « 1 XX XX XX XXX XXX XX »\n" + HELP
)
IBAN_MESSAGE = (
    "fiches/essai.md:{line} : erreur : {field}" + WHY
    + "ces coordonnées bancaires (IBAN, clé de contrôle juste) désignent un compte réel.\n"
    "    attendu : aucune coordonnée bancaire\n"
    "    trouvé : « {masked} » (masqué)\n"
    "    suggestion : supprimez l'IBAN ; pour un don ou un paiement, renvoyez vers la page officielle de la structure\n"
    + HELP
)


def test_each_kind_of_personal_data_in_the_body_has_its_message_and_line():
    body = (
        "Texte.\n\n"
        "Appelez le 06 12 34 56 78.\n"
        "Écrivez à jean.dupont@gmail.com.\n"
        f"Son numéro de sécurité sociale : {spaced_nir(NIR)}.\n"
        f"Son IBAN : {spaced_iban(IBAN_FR)}.\n"
    )
    assert check(body) == [
        PHONE_MESSAGE.format(line=6, field="", masked="06 •• •• •• 78"),
        EMAIL_MESSAGE.format(line=7, field="", masked="j•••@g•••.com"),
        NIR_MESSAGE.format(line=8, field="", masked=f"1 •• •• •• ••• ••• {NIR[-2:]}"),
        IBAN_MESSAGE.format(line=9, field="", masked=f"FR{IBAN_FR[2:4]} •••• •••• •••• •••• •••• •{IBAN_FR[-2:]}"),
    ]


def test_personal_data_in_front_matter_names_the_field():
    header = (
        "titre: Un titre\n"
        "auteurs:\n"
        "  - Groupe de travail\n"
        '  - "Claire, 06 12 34 56 78"\n'
        "sources:\n"
        "  - titre: Un document\n"
        "    lien: https://exemple.fr\n"
        "  - titre: Courriel de jean.dupont@gmail.com\n"
        f"structure: {NIR}\n"  # unquoted: YAML reads a number, still checked
        "contact:\n"
        f'  structure: "IBAN {spaced_iban(IBAN_FR)}"\n'
    )
    assert check("Texte.\n", header=header) == [
        PHONE_MESSAGE.format(line=5, field="champ « auteurs[2] » : ", masked="06 •• •• •• 78"),
        EMAIL_MESSAGE.format(line=9, field="champ « sources[2].titre » : ", masked="j•••@g•••.com"),
        NIR_MESSAGE.format(line=10, field="champ « structure » : ", masked=f"1 •• •• •• ••• ••• {NIR[-2:]}"),
        IBAN_MESSAGE.format(
            line=12,
            field="champ « contact.structure » : ",
            masked=f"FR{IBAN_FR[2:4]} •••• •••• •••• •••• •••• •{IBAN_FR[-2:]}",
        ),
    ]


def test_personal_data_is_found_in_code_too():
    body = "`06 12 34 56 78`\n\n```\njean.dupont@gmail.com\n```\n"
    assert [p.split("\n")[0] for p in check(body)] == [
        f"fiches/essai.md:4 : erreur : {WHY}ce numéro de téléphone peut être celui d'une personne.",
        f"fiches/essai.md:7 : erreur : {WHY}cette adresse électronique peut être celle d'une personne.",
    ]


def test_messages_never_echo_the_whole_number():
    body = f"06 12 34 56 78 {spaced_nir(NIR)} {spaced_iban(IBAN_FR)} jean.dupont@gmail.com\n"
    output = "\n".join(check(body))
    digits_only = re.sub(r"\D", "", output)
    for secret in ("0612345678", NIR, IBAN_FR[4:], "jean.dupont", "gmail"):
        assert secret not in output
    assert "12345678" not in digits_only


def test_the_fixture_reports_personal_data_on_its_lines(tmp_path):
    repo = make_repo(tmp_path)
    path = add_fixture(repo, "safety/donnees-personnelles.md")
    headlines = [problem.split("\n")[0] for problem in problems_for(repo, path)]
    assert headlines == [
        f"fiches/donnees-personnelles.md:21 : erreur : {WHY}ce numéro de téléphone peut être celui d'une personne.",
        f"fiches/donnees-personnelles.md:21 : erreur : {WHY}cette adresse électronique peut être celle d'une personne.",
        f"fiches/donnees-personnelles.md:25 : erreur : {WHY}ce numéro de téléphone peut être celui d'une personne.",
    ]
