"""The « securite » section of referentiel.yml: read once into
`Schema.safety` (the validator and the contributor guide both use it), and
its own mistakes reported in French."""

from __future__ import annotations

import pytest
import yaml

from fiches_kb.schema import SafetyRules, SchemaError, load_schema, parse_schema
from helpers import REPO

RAW = yaml.safe_load((REPO / "referentiel.yml").read_text(encoding="utf-8"))


def with_section(section) -> dict:
    data = dict(RAW)
    data["securite"] = section
    return data


def schema_errors(section) -> list[str]:
    with pytest.raises(SchemaError) as error:
        parse_schema(with_section(section))
    return [problem.message for problem in error.value.problems]


def test_the_lists_are_on_the_schema():
    safety = load_schema(REPO).safety
    assert safety.html_tags == {
        "abbr": ("title",),
        "br": (),
        "sub": (),
        "sup": (),
        "kbd": (),
        "mark": (),
        "small": (),
        "details": ("open",),
        "summary": (),
    }
    assert "gouv.fr" in safety.email_domains
    assert {"contact", "accueil", "secretariat", "info"} <= set(safety.email_generic_names)
    assert safety.email_addresses == ()
    assert safety.phone_numbers == ()


def test_without_the_section_nothing_is_allowed():
    data = dict(RAW)
    del data["securite"]
    assert parse_schema(data).safety == SafetyRules()


def test_entries_are_normalised():
    section = {
        "balises_html": {"ABBR": ["Title"]},
        "courriels": {"domaines": ["Gouv.FR"], "noms_generiques": [" Contact "], "adresses": ["Service@Exemple.fr"]},
        "telephones_autorises": ["+33 (0)1 23 45 67 89", "01.98.76.54.32"],
    }
    safety = parse_schema(with_section(section)).safety
    assert safety == SafetyRules(
        html_tags={"abbr": ("title",)},
        email_domains=("gouv.fr",),
        email_generic_names=("contact",),
        email_addresses=("service@exemple.fr",),
        phone_numbers=("0123456789", "0198765432"),
    )


def test_dangerous_tags_and_attributes_cannot_be_allowed():
    assert schema_errors({"balises_html": {"script": [], "abbr": ["title", "onclick", "style"]}}) == [
        "« securite.balises_html.script » : la balise <script> est toujours interdite et ne peut pas être autorisée.",
        "« securite.balises_html.abbr » : l'attribut « onclick » est toujours interdit et ne peut pas être autorisé.",
        "« securite.balises_html.abbr » : l'attribut « style » est toujours interdit et ne peut pas être autorisé.",
    ]


def test_mistakes_in_the_section_are_explained():
    assert schema_errors(
        {
            "balise_html": {},
            "courriels": {"domaine": [], "domaines": ["@gouv.fr"], "noms_generiques": "contact", "adresses": ["pas-une-adresse"]},
            "telephones_autorises": ["3939"],
        }
    ) == [
        "« securite.balise_html » : rubrique inconnue (rubriques possibles : balises_html, balises_markdown, courriels, telephones_autorises, taille_maximale_fichier_ko).",
        "« securite.courriels.domaine » : rubrique inconnue (rubriques possibles : domaines, noms_generiques, adresses).",
        "« securite.courriels.domaines » : « @gouv.fr » n'est pas un domaine (par exemple « gouv.fr », sans « @ »).",
        "« securite.courriels.noms_generiques » doit être une liste de textes entre crochets, par exemple [a, b].",
        "« securite.courriels.adresses » : « pas-une-adresse » n'est pas une adresse électronique.",
        "« securite.telephones_autorises » : « 3939 » n'est pas un numéro français à dix chiffres (par exemple \"01 23 45 67 89\").",
    ]


def test_a_section_that_is_not_a_mapping_is_explained():
    assert schema_errors(["abbr"]) == ["la rubrique « securite » doit contenir des listes « clé: valeur »."]
