"""The content's licence is declared once, in referentiel.yml, and shown in
every page's footer, on every sheet (so in print too) and in the legal notice."""

from __future__ import annotations

import pytest

from fiches_kb.schema import DEFAULT_LICENCE, SchemaError, load_schema, parse_licence
from helpers import REPO

SCHEMA = load_schema(REPO)


def test_the_licence_is_declared_in_the_referentiel():
    assert SCHEMA.licence.short_name == "Licence Ouverte 2.0"
    assert SCHEMA.licence.url.startswith("https://www.etalab.gouv.fr/")


def test_every_page_shows_the_licence_in_its_footer(example_site_build):
    pages = sorted(example_site_build.rglob("*.html"))
    pages = [p for p in pages if "/id/" not in p.as_posix() and "pagefind" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'Contenus sous <a href="{SCHEMA.licence.url}" hreflang="fr">{SCHEMA.licence.short_name}</a>' in html, page


def test_every_sheet_says_how_it_may_be_reused(example_site_build):
    sheets = [*example_site_build.glob("fiches/*/index.html"), *example_site_build.glob("pratiques-inspirantes/*/index.html")]
    assert sheets
    for page in sheets:
        html = " ".join(page.read_text(encoding="utf-8").split())
        assert f'publiée sous la <a href="{SCHEMA.licence.url}" hreflang="fr">{SCHEMA.licence.name}</a>' in html, page
        assert "en citant sa source et sa date de mise à jour" in html


def test_the_legal_notice_asks_the_publisher_to_confirm_the_licence():
    notice = (REPO / "pages" / "mentions-legales.md").read_text(encoding="utf-8")
    assert "referentiel.yml" in notice and "doit confirmer ce choix" in notice


def test_without_a_licence_section_the_default_is_the_licence_ouverte():
    assert parse_licence(None, lambda message: pytest.fail(message)) == DEFAULT_LICENCE


@pytest.mark.parametrize(
    "section, message",
    [
        ("Licence Ouverte", "la rubrique « licence » doit contenir « nom », « nom_court » et « adresse »."),
        ({"nom": "X", "adresse": "http://exemple.fr/licence"}, "« licence.adresse » doit être l'adresse en https du texte de la licence."),
        ({"nom": "", "adresse": "https://exemple.fr/"}, "« licence.nom » et « licence.nom_court » doivent être des textes non vides."),
        ({"nom": "X", "adresse": "https://exemple.fr/", "version": 2}, "rubrique « licence » : clé inconnue « version » (clés possibles : nom, nom_court, adresse)."),
    ],
)
def test_a_wrong_licence_section_is_explained_in_french(tmp_path, section, message):
    import yaml

    data = yaml.safe_load((REPO / "referentiel.yml").read_text(encoding="utf-8"))
    data["licence"] = section
    (tmp_path / "referentiel.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError) as error:
        load_schema(tmp_path)
    assert message in [problem.message for problem in error.value.problems]
