"""French search relevance, on the real site and its real Pagefind index, in
Chromium, through the search page: for each query (with and without
accents, singular and plural), the expected sheet is among the first three
results. The queries come from what the real sheets talk about."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from browser_support import every_result_title
from helpers import REPO, published

TITLES = {s["id"]: s["titre"] for s in published(REPO)}

# (query, id of a sheet expected in the top 3)
QUERIES = [
    ("donnees personnelles", "FP-004"),
    ("données personnelles", "FP-004"),
    ("numériques", "FP-010"),
    ("competence numerique", "FP-010"),
    ("mediation", "FP-002"),
    ("médiations numériques", "PI-009"),
    ("reseaux sociaux", "FP-006"),
    ("réseau social", "FP-006"),
    ("aidants connect", "PI-001"),
    ("aidant connect", "PI-001"),
    ("accompagnement a distance", "FP-009"),
    ("distance", "FP-009"),  # PI-005, the Breton guide, went back to draft
    ("secret professionnel", "FP-005"),
    ("mineurs", "FP-007"),
    ("mineur", "FP-007"),
    ("handicap", "FP-011"),
    ("personnes handicapees", "FP-011"),
    ("courriels", "FP-005"),
    ("dossier social informatise", "FP-012"),
    ("écrans", "FP-008"),
    ("ecran", "FP-008"),
    ("promeneurs du net", "PI-010"),  # the national page; PI-002 (Ardèche) went back to draft
    ("emmaus", "PI-007"),
    ("nimes", "PI-003"),
    ("tiers-lieu", "PI-003"),
    ("risques en ligne", "FP-007"),
    ("acces aux droits", "FP-001"),
    ("deconnexion", "FP-006"),
    ("pornographie", "FP-007"),
    ("reconnect", "PI-004"),
    ("face a face", "FP-008"),
    # Synonyms (referentiel.yml › synonymes): one term finds the sheets that use another.
    ("e-mail", "FP-005"),
    ("stockage des documents", "FP-014"),
    ("texto", "FP-006"),
    ("visio", "FP-009"),
]


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/recherche/")
    yield page
    context.close()


def top_titles(page, query: str, count: int = 3) -> list[str]:
    field = page.locator("#recherche-q")
    field.fill(query)
    field.press("Enter")
    status = page.locator("[data-recherche-etat]")
    # The status names the query once its results are shown.
    status.filter(has_text=f"«\u00a0{query}\u00a0»").wait_for()
    return page.locator(".recherche-resultats > li h2").all_inner_texts()[:count]


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_sheet_is_in_the_top_three(search_page, query, expected):
    assert expected in TITLES, f"{expected} n'est plus publiée : mettez ce test à jour"
    titles = top_titles(search_page, query)
    assert TITLES[expected] in titles, f"« {query} » : {titles}"


def test_accents_and_plurals_find_the_same_sheets(search_page):
    """Same results; only their order may differ (an exact accent ranks a little higher)."""
    pairs = [("donnees personnelles", "données personnelles"), ("mineurs", "mineur"), ("ecrans", "écran")]
    for a, b in pairs:
        assert sorted(all_titles(search_page, a)) == sorted(all_titles(search_page, b)), (a, b)


def all_titles(page, query: str) -> list[str]:
    """Every result, not only the first page of ten: « Afficher plus de résultats » until it goes."""
    top_titles(page, query)
    return every_result_title(page)


def test_what_pagefind_is_given_finds_words_after_apostrophes_and_not_function_words(browser, tmp_path):
    """« enfance » finds a page that only writes « l’enfance » (typographic
    apostrophe), and « de » finds nothing, because the build gives Pagefind
    the text without function words and with straight apostrophes
    (fiches_kb.search.searchable_document). The control page, given to
    Pagefind as written, shows why: Pagefind keeps « l’enfance » whole, and
    indexes « de » like any word."""
    from helpers import serve
    from fiches_kb.pagefind_stream import StreamingIndex
    from fiches_kb.search import sheet_document

    article = "<h1>{title}</h1><p>Repères pour la protection de l’enfance et l’accès aux droits.</p>"
    index = StreamingIndex({"exclude_selectors": []})
    index.add_page(sheet_document(article.format(title="Fiche"), "", "fr", "Fiche"), "/fiche/")
    control = (
        '<html lang="fr"><head><title>Témoin</title></head><body><article data-pagefind-body>'
        + article.format(title="Témoin")
        + "</article></body></html>"
    )
    index.add_page(control, "/temoin/")
    assert index.write(tmp_path / "pagefind") == 2
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><title>t</title></head><body><script type="module">'
        # found() is there at once and awaits Pagefind itself: a failed import
        # then fails the test with its own message, not with a timeout.
        'const loading = import("/pagefind/pagefind.js");'
        "window.found = async (query) => {"
        "  const pagefind = await loading;"
        "  const search = await pagefind.search(query);"
        "  return Promise.all(search.results.map((r) => r.data().then((d) => d.url)));"
        "};</script></body></html>",
        encoding="utf-8",
    )
    server, url = serve(tmp_path)
    try:
        page = browser.new_page()
        failures = []
        page.on("pageerror", lambda error: failures.append(f"erreur JavaScript : {error}"))
        page.on("requestfailed", lambda request: failures.append(f"requête échouée : {request.url} ({request.failure})"))
        page.goto(url + "/")
        page.wait_for_function("() => typeof window.found === 'function'")
        assert page.evaluate("found('enfance')") == ["/fiche/"], failures
        assert page.evaluate("found('de')") == ["/temoin/"]
        assert sorted(page.evaluate("found('protection')")) == ["/fiche/", "/temoin/"]
        page.close()
    finally:
        server.shutdown()
