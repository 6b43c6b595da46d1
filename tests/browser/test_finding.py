"""Finding the answer (issue 21), in Chromium on the real site: the home
page starts the search and shows the situations on a phone's first screen;
the search page expands synonyms, names the words that match nothing, says
when the base has no sheet on a subject, puts sheets before listing pages,
and announces its count to screen readers."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from browser_support import NOTHING_QUERY, every_result_title
from fiches_kb.schema import load_schema
from helpers import REPO, published

SCHEMA = load_schema(REPO)
TITLES = {s["id"]: s["titre"] for s in published(REPO)}


def plain(text: str) -> str:
    """Text shown with French spacing, compared with the text as written."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def search(page, site_url: str, query: str) -> str:
    page.goto(f"{site_url}/recherche/?q={quote(query)}")
    # recherche.js sets data-recherche-fin once the status line is final (words that match nothing known).
    page.wait_for_selector("[data-recherche-resultats][data-recherche-fin]", state="attached", timeout=15_000)
    return page.locator("[data-recherche-etat]").inner_text()


# --- Home page ----------------------------------------------------------------


def test_home_page_search_field_and_first_situation_show_on_a_375_by_800_screen(new_page, site_url):
    page = new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{site_url}/")
    field = page.get_by_role("searchbox", name="Chercher une fiche, une pratique, un mot")
    situation = page.locator(".accueil-situation").first
    assert page.evaluate("window.scrollY") == 0
    for element, what in ((field, "le champ de recherche"), (situation.locator("h3"), "la première situation"),
                          (situation.locator("a").first, "le premier lien de la première situation")):
        box = element.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 800, f"{what} hors du premier écran : {box}"
    assert plain(situation.locator("h3").inner_text()) == SCHEMA.situations[0].phrase


def test_home_page_situations_come_from_referentiel_and_lead_to_their_sheets(new_page, site_url):
    page = new_page()
    page.goto(f"{site_url}/")
    items = page.locator(".accueil-situation")
    shown = [s for s in SCHEMA.situations if any(i in TITLES for i in s.sheet_ids) or s.theme]
    assert items.count() == len(shown)
    for item, situation in zip(items.all(), shown):
        assert plain(item.locator("h3").inner_text()) == situation.phrase
        links = [plain(text) for text in item.locator("a").all_inner_texts()]
        assert [TITLES[i] for i in situation.sheet_ids if i in TITLES] == links[: len([i for i in situation.sheet_ids if i in TITLES])]


def test_home_page_search_works_with_the_keyboard(new_page, site_url):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site_url}/")
    home_field = page.locator("#accueil-q")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "accueil-q":
            break
    else:
        pytest.fail("le champ de recherche de l'accueil n'est pas atteint au clavier")
    # Reached before any situation's link.
    assert page.evaluate("document.activeElement.compareDocumentPosition(document.querySelector('.accueil-situation a')) & 4")
    page.keyboard.type("secret professionnel")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=secret\+professionnel$"))
    page.locator("[data-recherche-etat]").filter(has_text="résultats pour").wait_for()
    assert home_field.count() == 0


def test_home_page_search_works_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(f"{site_url}/")
    page.fill("#accueil-q", "données")
    page.locator(".accueil-recherche button[type=submit]").click()
    page.wait_for_url(re.compile(r"/recherche/\?q="))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["données"]}


def test_reader_menu_holds_reader_pages_and_contributor_pages_go_under_contribuer(new_page, site_url):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site_url}/")
    top = page.locator("nav.md-nav--primary > ul > li > a, nav.md-nav--primary > ul > li > label, nav.md-nav--primary > ul > li > div > a")
    names = [" ".join(text.split()) for text in top.all_inner_texts()]
    for reader in ("Fiches pratiques", "Pratiques inspirantes", "Thèmes", "Publics", "Rechercher", "À propos", "Contribuer"):
        assert any(name.startswith(reader) for name in names), (reader, names)
    for contributor in ("Statuts", "À relire", "Validations du HCTS"):
        assert not any(name.startswith(contributor) for name in names), (contributor, names)


# --- Search page ----------------------------------------------------------------


def test_the_result_count_is_announced_to_screen_readers(new_page, site_url):
    page = new_page()
    status = search(page, site_url, "secret professionnel")
    live = page.locator("[data-recherche-etat]")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    count = len(every_result_title(page))  # every result, « Afficher plus » clicked
    assert status.startswith(f"{count}\u00a0résultats pour «\u00a0secret professionnel\u00a0»."), status


@pytest.mark.parametrize("group", [g for g in SCHEMA.synonyms], ids=lambda g: " / ".join(g))
def test_a_synonym_finds_what_the_other_terms_of_its_group_find(new_page, site_url, group):
    page = new_page()
    found = {}
    for term in group:
        search(page, site_url, term)
        found[term] = set(every_result_title(page))
    union = set().union(*found.values())
    for term in group:
        assert found[term] == union, f"« {term} » ne trouve pas tout ce que trouve son groupe : {sorted(union - found[term])}"


def test_a_word_that_matches_nothing_is_named_and_the_others_are_searched(new_page, site_url):
    page = new_page()
    status = search(page, site_url, f"numérique {NOTHING_QUERY}")
    assert f"Mots absents\u00a0: {NOTHING_QUERY}." in status, status
    assert "(cherché\u00a0: numérique)" in status
    assert page.locator(".recherche-resultats > li").count() > 0
    assert f"La base ne contient pas encore de fiche sur «\u00a0numérique {NOTHING_QUERY}\u00a0»." in status


def test_nothing_on_this_offers_to_propose_a_sheet_and_the_themes(new_page, site_url):
    page = new_page()
    status = search(page, site_url, NOTHING_QUERY)
    assert status.startswith(f"Aucun résultat pour «\u00a0{NOTHING_QUERY}\u00a0». La base ne contient pas encore de fiche")
    block = page.locator("[data-recherche-rien]")
    assert block.is_visible()
    themes = block.locator(".recherche-rien__themes a")
    assert themes.all_inner_texts() == [theme.label for theme in SCHEMA.themes.values()]
    # Without a repository address (as in the tests' builds), the contributor page.
    assert block.get_by_role("link", name="proposez une fiche sur ce sujet").get_attribute("href").endswith("contribuer/")


def test_a_query_with_sheets_does_not_say_nothing_on_this(new_page, site_url):
    page = new_page()
    status = search(page, site_url, "secret professionnel")
    assert "Mots absents" not in status and "ne contient pas encore" not in status
    assert page.locator("[data-recherche-rien]").is_hidden()


def test_sheets_come_before_listing_pages_and_training_modules(new_page, site_url):
    page = new_page()
    search(page, site_url, "données personnelles")
    every_result_title(page)
    types = [text.split(" · ")[0] for text in page.locator(".recherche-resultats > li .fiches-liste__meta").all_inner_texts()]
    others = {"Liste de contenus", "Parcours de formation"}
    assert others <= set(types)  # the query finds theme pages and a training module too
    first_other = min(types.index(kind) for kind in others)
    assert all(kind in others for kind in types[first_other:]), types
