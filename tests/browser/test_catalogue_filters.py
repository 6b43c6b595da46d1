"""The catalogue in Chromium: usable without JavaScript (every sheet, links
to the generated pages), and with JavaScript (checkboxes filter the list,
counts and the announced number of results follow)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from helpers import REPO, published, referentiel

SHEETS = published(REPO)
THEME = "donnees-personnelles"
AUDIENCE = "employeurs"


def plural(n: int, one: str, many: str) -> str:
    return f"{n}\u00a0{one if n < 2 else many}"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def js_page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_without_javascript_every_sheet_and_every_facet_link_is_there(site_url, no_js_page):
    page = no_js_page
    page.goto(f"{site_url}/catalogue/")
    assert page.locator(".catalogue-liste > li").count() == len(SHEETS)
    assert page.locator(".catalogue-liste > li:visible").count() == len(SHEETS)
    assert page.locator("form.catalogue-filtres").is_hidden()  # needs the script: not offered without it
    assert page.locator("p.catalogue-resultat").inner_text() == plural(len(SHEETS), "contenu publié", "contenus publiés") + "."
    label = referentiel()["themes"][THEME]["libelle"]
    count = sum(1 for s in SHEETS if THEME in s["themes"])
    link = page.locator("nav.catalogue-parcourir li", has_text=label)
    assert link.inner_text() == f"{label} ({plural(count, 'contenu', 'contenus')})"
    link.locator("a").click()
    assert urlsplit(page.url).path == f"/themes/{THEME}/"
    assert page.locator("h1").inner_text().rstrip("¶") == f"Thème\u202f: {label}"  # French spacing
    assert page.locator("ul.fiches-liste > li").count() == count
    # A sheet link works too.
    page.goto(f"{site_url}/catalogue/")
    page.locator(".catalogue-liste > li h2 a").first.click()
    assert page.locator("article.fiche h1").count() == 1


def test_checking_a_theme_filters_the_list_and_updates_counts_and_status(site_url, js_page):
    page = js_page
    page.goto(f"{site_url}/catalogue/")
    assert page.locator("nav.catalogue-parcourir").is_hidden()
    form = page.locator("form.catalogue-filtres")
    assert form.is_visible()
    themed = [s for s in SHEETS if THEME in s["themes"]]
    page.get_by_label(re.compile("^" + re.escape(referentiel()["themes"][THEME]["libelle"]))).check()
    status = page.locator("p.catalogue-resultat")
    expected = plural(len(themed), "contenu correspond", "contenus correspondent") + f" aux filtres, sur {len(SHEETS)}."
    assert status.inner_text() == expected
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator(".catalogue-liste > li:visible").count() == len(themed)
    visible_titles = page.locator(".catalogue-liste > li:visible h2").all_inner_texts()
    as_written = [title.replace("\u202f", " ").replace("\u00a0", " ") for title in visible_titles]  # French spacing
    assert sorted(as_written) == sorted(s["titre"] for s in themed)
    # The audience counts now count only the sheets of that theme.
    for key, term in referentiel()["publics"].items():
        n = sum(1 for s in themed if key in s["publics"])
        label = page.locator(f'label[for="filtre-public-{key}"]')
        assert label.inner_text() == f"{term['libelle']} ({n})"
    # The theme's own counts do not shrink (OR within a facet).
    for key, term in referentiel()["themes"].items():
        n = sum(1 for s in SHEETS if key in s["themes"])
        assert page.locator(f'label[for="filtre-theme-{key}"]').inner_text() == f"{term['libelle']} ({n})"
    assert parse_qs(urlsplit(page.url).query) == {"theme": [THEME]}


def test_two_facets_combine_and_the_address_restores_them(site_url, js_page):
    page = js_page
    page.goto(f"{site_url}/catalogue/?theme={THEME}&public={AUDIENCE}")
    both = [s for s in SHEETS if THEME in s["themes"] and AUDIENCE in s["publics"]]
    assert page.locator(f"#filtre-theme-{THEME}").is_checked()
    assert page.locator(f"#filtre-public-{AUDIENCE}").is_checked()
    assert page.locator(".catalogue-liste > li:visible").count() == len(both)
    assert page.locator("p.catalogue-resultat").inner_text() == (
        plural(len(both), "contenu correspond", "contenus correspondent") + f" aux filtres, sur {len(SHEETS)}."
    )
    page.get_by_role("button", name="Effacer les filtres").click()
    # expect() retries until the script has updated the page (no race).
    expect(page.locator("p.catalogue-resultat")).to_have_text(
        plural(len(SHEETS), "contenu publié", "contenus publiés") + "."
    )
    expect(page.locator(".catalogue-liste > li:visible")).to_have_count(len(SHEETS))


def test_filters_work_from_the_keyboard_and_say_when_nothing_matches(site_url, js_page):
    page = js_page
    page.goto(f"{site_url}/catalogue/")
    box = page.locator("#filtre-statut-archivee")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    archived = [s for s in SHEETS if s["statut"] == "archivee"]
    if archived:
        assert page.locator(".catalogue-liste > li:visible").count() == len(archived)
    else:
        assert page.locator("p.catalogue-resultat").inner_text() == "Aucun contenu ne correspond aux filtres."
        assert page.locator("[data-catalogue-vide]").inner_text() == (
            "Aucun contenu ne correspond à ces filtres. Décochez une case ou effacez les filtres."
        )
    # Fieldsets have a legend, and every checkbox a label.
    legends = page.locator("form.catalogue-filtres fieldset legend").all_inner_texts()
    assert legends == ["Thème", "Public", "Type de contenu", "Statut de validation"]
    for checkbox in page.locator("form.catalogue-filtres input[type=checkbox]").all():
        assert page.locator(f'label[for="{checkbox.get_attribute("id")}"]').count() == 1
