"""The search UI in Chromium: nothing of the search is fetched by a page
view, the header box leads to the search page, results show type and
status, and can be filtered by theme; every request stays on the site."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from helpers import REPO, published, referentiel

SHEETS = published(REPO)
BY_TITLE = {s["titre"]: s for s in SHEETS}


@pytest.fixture
def page_and_requests(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, requests
    context.close()
    host = urlsplit(site_url).netloc
    assert [u for u in requests if urlsplit(u).netloc != host and not u.startswith("data:")] == []
    assert errors == []


def is_search_index(url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith("/pagefind/") or path.endswith("search_index.json") or "/workers/search" in path


@pytest.mark.parametrize("path", ["", "fiches/faire-avec-les-personnes/", "themes/donnees-personnelles/", "catalogue/"])
def test_a_first_page_load_fetches_nothing_of_the_search(page_and_requests, site_url, path):
    page, requests = page_and_requests
    page.goto(f"{site_url}/{path}", wait_until="networkidle")
    assert [u for u in requests if is_search_index(u)] == []
    # The header search box is there, with an accessible name.
    assert page.get_by_role("search", name="Rechercher dans les fiches").count() == 1
    assert page.get_by_role("searchbox", name="Rechercher dans les fiches").count() == 1


def wait_for_status(page, text: str):
    page.locator("[data-recherche-etat]").filter(has_text=text).wait_for()
    return page.locator("[data-recherche-etat]").inner_text()


def test_header_search_opens_the_search_page_with_results_showing_type_and_status(page_and_requests, site_url):
    page, requests = page_and_requests
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site_url}/fiches/faire-avec-les-personnes/")
    box = page.get_by_role("searchbox", name="Rechercher dans les fiches")
    box.fill("secret professionnel")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=secret\+professionnel$"))
    status = wait_for_status(page, "secret professionnel")
    assert re.fullmatch(r"\d+\u00a0résultats pour «\u00a0secret professionnel\u00a0»\.", status), status
    assert page.locator("#recherche-q").input_value() == "secret professionnel"
    results = page.locator(".recherche-resultats > li")
    assert results.count() >= 3
    ref = referentiel()
    for item in results.all():
        title = item.locator("h2").inner_text()
        meta = item.locator(".fiches-liste__meta").inner_text()
        summary = item.locator(".fiches-liste__resume").inner_text()
        if title in BY_TITLE:
            sheet = BY_TITLE[title]
            assert meta == f"{ref['types'][sheet['_type']]['libelle']} · {ref['statuts'][sheet['statut']]['libelle']}"
            assert summary == " ".join(sheet["resume"].split())  # as in the catalogue
        else:
            assert meta == "Liste de contenus", title
            assert summary, title
    # The index came in chunks, on this query only.
    assert any(is_search_index(u) for u in requests)


def test_results_can_be_filtered_by_theme_and_audience(page_and_requests, site_url):
    page, _ = page_and_requests
    page.goto(f"{site_url}/recherche/?q=accompagner")
    before = wait_for_status(page, "accompagner")
    theme = "donnees-personnelles"
    label = referentiel()["themes"][theme]["libelle"]
    # Filters are folded until asked for: their counts are loaded then.
    assert page.get_by_label(re.compile("^" + re.escape(label))).is_hidden()
    page.get_by_text("Filtrer par thème, public, type ou statut").click()
    page.get_by_label(re.compile("^" + re.escape(label))).check()
    status = wait_for_status(page, "avec les filtres choisis")
    assert re.fullmatch(r"\d+\u00a0résultats? pour «\u00a0accompagner\u00a0» avec les filtres choisis\.", status), status
    assert int(status.split("\u00a0")[0]) < int(before.split("\u00a0")[0])
    titles = page.locator(".recherche-resultats > li h2").all_inner_texts()
    assert titles
    for title in titles:
        if title in BY_TITLE:
            assert theme in BY_TITLE[title]["themes"], title
        else:
            assert title == f"Thème : {label}"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["accompagner"], "theme": [theme]}
    # Counts beside the other facets follow the results.
    count_text = page.locator('label[for="recherche-public-travailleurs-sociaux"] [data-compte]').inner_text()
    assert re.fullmatch(r"\(\d+\)", count_text)
    # Audience on top: AND across facets.
    page.get_by_label(re.compile("^Employeurs et directions")).check()
    wait_for_status(page, "avec les filtres choisis")
    page.wait_for_function("() => new URLSearchParams(location.search).get('public') === 'employeurs'")
    for title in page.locator(".recherche-resultats > li h2").all_inner_texts():
        if title in BY_TITLE:
            assert theme in BY_TITLE[title]["themes"] and "employeurs" in BY_TITLE[title]["publics"], title


def all_result_titles(page) -> list[str]:
    """Titles of every result, after « Afficher plus de résultats » as often as it shows."""
    more = page.locator("[data-recherche-plus]")
    while more.is_visible():
        shown = page.locator(".recherche-resultats > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.recherche-resultats > li').length > {shown}")
    return page.locator(".recherche-resultats > li h2").all_inner_texts()


def shown_counts(page, facet: str) -> dict[str, int]:
    counts = {}
    for box in page.locator(f'input[name="{facet}"]').all():
        text = page.locator(f'label[for="{box.get_attribute("id")}"] [data-compte]').inner_text()
        counts[box.get_attribute("value")] = int(text.strip("()"))
    return counts


def test_each_count_says_what_checking_the_box_would_give(page_and_requests, site_url):
    """With a theme chosen, a theme box counts the query's results of that
    theme (the choice in its own facet set aside), an audience box the
    results of the chosen theme and of that audience; both computed here from
    the results listed and the front matter. Pagefind's filter chunks are
    never fetched: the page filters with the build's facet table."""
    page, requests = page_and_requests
    themes = referentiel()["themes"]
    page_of_theme = {f"Thème : {t['libelle']}": key for key, t in themes.items()}

    def facets_of(title):
        if title in BY_TITLE:
            return BY_TITLE[title]["themes"], BY_TITLE[title]["publics"]
        return [page_of_theme[title]] if title in page_of_theme else [], []

    page.goto(f"{site_url}/recherche/?q=accompagner")
    wait_for_status(page, "accompagner")
    unfiltered = [facets_of(title) for title in all_result_titles(page)]
    theme = "donnees-personnelles"
    page.get_by_text("Filtrer par thème, public, type ou statut").click()
    page.locator(f"#recherche-theme-{theme}").check()
    wait_for_status(page, "avec les filtres choisis")
    kept = [facets_of(title) for title in all_result_titles(page)]
    assert kept and all(theme in item_themes for item_themes, _ in kept)
    theme_counts, public_counts = shown_counts(page, "theme"), shown_counts(page, "public")
    assert set(theme_counts) <= set(themes) and set(public_counts) <= set(referentiel()["publics"])
    assert theme_counts == {key: sum(key in t for t, _ in unfiltered) for key in theme_counts}
    assert public_counts == {key: sum(key in p for _, p in kept) for key in public_counts}
    assert sum(public_counts.values()) > 0
    assert not [u for u in requests if "/pagefind/filter/" in u]
    assert any(u.endswith("/pagefind/facettes.json") for u in requests)


def test_a_query_without_filters_fetches_the_listing_ids_not_the_facet_table(page_and_requests, site_url):
    """The facet table (42 kB compressed at 5,000 sheets) is for filters: a
    plain query needs only which results are listing pages, to put sheets first."""
    page, requests = page_and_requests
    page.goto(f"{site_url}/recherche/?q=donn%C3%A9es%20personnelles")
    wait_for_status(page, "résultats pour")
    assert any(u.endswith("/pagefind/rubriques.json") for u in requests)
    assert not any(u.endswith("/pagefind/facettes.json") for u in requests)
    page.get_by_text("Filtrer par thème, public, type ou statut").click()
    page.wait_for_selector("[data-compte]:not(:empty)", state="attached")
    assert any(u.endswith("/pagefind/facettes.json") for u in requests)


def test_filters_without_a_query_give_counts_and_the_catalogue_without_loading_the_index(page_and_requests, site_url):
    """Pagefind would fetch its whole index to list every page (6.8 MB at
    5,000 sheets): without a query, the page counts with its facet table and
    sends the reader to the catalogue, filtered the same way."""
    page, requests = page_and_requests
    theme = "donnees-personnelles"
    page.goto(f"{site_url}/recherche/?theme={theme}")
    themed = [s for s in SHEETS if theme in s["themes"]]
    status = wait_for_status(page, "aux filtres")
    assert status == f"{len(themed)}\u00a0contenus correspondent aux filtres. Saisissez des mots pour chercher dans leur texte."
    public_counts = shown_counts(page, "public")
    assert public_counts == {key: sum(key in s["publics"] for s in themed) for key in public_counts}
    link = page.locator("[data-recherche-catalogue] a")
    assert link.inner_text() == f"Voir ces {len(themed)}\u00a0contenus dans le catalogue"
    assert [u for u in requests if is_search_index(u)] == [f"{site_url}/pagefind/facettes.json"]
    # Unchecking the theme: the counts of the whole site again, no link.
    page.locator(f"#recherche-theme-{theme}").uncheck()
    whole = {key: sum(key in s["publics"] for s in SHEETS) for key in public_counts}
    page.wait_for_function(
        "expected => Object.entries(expected).every(([key, n]) =>"
        " document.querySelector(`label[for='recherche-public-${key}'] [data-compte]`).textContent === `(${n})`)",
        arg={key: n + 1 for key, n in whole.items()},  # each audience's own page is indexed too
    )
    assert page.locator("[data-recherche-catalogue]").is_hidden()
    assert page.locator("[data-recherche-etat]").inner_text() == ""
    assert parse_qs(urlsplit(page.url).query) == {}
    page.locator(f"#recherche-theme-{theme}").check()
    status = wait_for_status(page, "aux filtres")
    link.click()
    page.wait_for_url(re.compile(r"/catalogue/\?theme=donnees-personnelles$"))
    page.locator("p.catalogue-resultat").filter(has_text="aux filtres").wait_for()
    assert page.locator("p.catalogue-resultat").inner_text().startswith(f"{len(themed)}\u00a0contenus correspondent aux filtres")


def test_filters_that_match_nothing_say_so_and_open_the_whole_catalogue(page_and_requests, site_url):
    page, _ = page_and_requests
    ref = referentiel()
    theme, audience = next(
        (t, p)
        for t in ref["themes"]
        for p in ref["publics"]
        if any(t in s["themes"] for s in SHEETS) and not any(t in s["themes"] and p in s["publics"] for s in SHEETS)
    )
    page.goto(f"{site_url}/recherche/?theme={theme}&public={audience}")
    assert wait_for_status(page, "aux filtres") == (
        "Aucun contenu ne correspond aux filtres. Décochez une case, ou saisissez des mots à rechercher."
    )
    link = page.locator("[data-recherche-catalogue] a")
    assert link.inner_text() == "Ouvrir le catalogue des fiches"
    assert urlsplit(link.evaluate("a => a.href")).query == ""
    # Each box counts the sheets it gives with the other facet's choice: none here.
    assert shown_counts(page, "public")[audience] == 0
    assert shown_counts(page, "theme")[theme] == 0


def test_opening_the_filters_without_a_query_shows_the_counts_of_the_whole_site(page_and_requests, site_url):
    page, requests = page_and_requests
    page.goto(f"{site_url}/recherche/", wait_until="networkidle")
    assert [u for u in requests if is_search_index(u)] == []  # nothing before a query or the filters
    page.get_by_text("Filtrer par thème, public, type ou statut").click()
    ref = referentiel()
    for key, term in ref["themes"].items():
        count = sum(1 for s in SHEETS if key in s["themes"]) + 1  # the theme's own page is indexed too
        label = page.locator(f'label[for="recherche-theme-{key}"]')
        label.filter(has_text=f"({count})").wait_for()
        assert label.inner_text() == f"{term['libelle']} ({count})"


def test_search_works_when_pagefind_cannot_start_its_worker(page_and_requests, site_url):
    """On a slow line Pagefind's worker may not start within 5 s; Pagefind
    then runs its WebAssembly on the page, which the Content-Security-Policy
    must allow ('wasm-unsafe-eval'). Here the worker script is refused."""
    page, requests = page_and_requests
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.route("**/pagefind/pagefind-worker.js", lambda route: route.abort())
    page.goto(f"{site_url}/recherche/?q=secret+professionnel")
    status = wait_for_status(page, "secret professionnel")
    assert re.fullmatch(r"\d+\u00a0résultats pour «\u00a0secret professionnel\u00a0»\.", status), status
    assert page.locator(".recherche-resultats > li").count() >= 3
    assert any(u.endswith("/pagefind/pagefind-worker.js") for u in requests)
    assert violations == []


def test_no_result_is_said_in_french(page_and_requests, site_url):
    page, _ = page_and_requests
    page.goto(f"{site_url}/recherche/?q=zzyzx")
    assert wait_for_status(page, "zzyzx") == (
        "Aucun résultat pour «\u00a0zzyzx\u00a0». La base ne contient pas encore de fiche sur «\u00a0zzyzx\u00a0». "
        "Vérifiez l'orthographe ou essayez un autre mot."
    )
    assert page.locator(".recherche-resultats > li").count() == 0


def search_on_a_fresh_page(browser, site_url, query: str) -> tuple[str, list[str], list[str]]:
    """The status line, every result title and the index chunks fetched, for
    a first query in a fresh browser context."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/recherche/?q={quote(query)}")
    status = wait_for_status(page, "pour")
    titles = all_result_titles(page)
    context.close()
    return status, titles, sorted(u.rsplit("/", 1)[1] for u in requests if u.endswith(".pf_index"))


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("l'accompagnement", "accompagnement"),
        ("L\u2019accompagnement", "accompagnement"),
        ("protection de l'enfance", "protection enfance"),
        ("le secret professionnel", "secret professionnel"),
        ("données et réseaux sociaux", "données réseaux sociaux"),
    ],
)
def test_function_words_and_elisions_are_left_out_of_what_pagefind_is_asked(browser, site_url, typed, searched):
    status, titles, chunks = search_on_a_fresh_page(browser, site_url, typed)
    plain_status, plain_titles, plain_chunks = search_on_a_fresh_page(browser, site_url, searched)
    assert titles and titles == plain_titles
    assert chunks == plain_chunks  # no index chunk for « de », « le », « l »...
    assert status == plain_status.replace(f"«\u00a0{searched}\u00a0»", f"«\u00a0{typed}\u00a0»")  # as typed


def test_an_elided_word_finds_the_pages_that_use_it_without_elision(browser, site_url):
    """Pagefind glues « l'accompagnement » in a query into one word, which
    only titles and summaries spelt so give (metadata, which Pagefind
    indexes as written); the page asks for « accompagnement », which the
    text of every page that uses the word gives."""
    _, elided, _ = search_on_a_fresh_page(browser, site_url, "l'accompagnement")
    _, glued, _ = search_on_a_fresh_page(browser, site_url, "laccompagnement")
    assert len(elided) > len(glued) > 0


def test_a_query_of_function_words_only_says_so_and_fetches_nothing(page_and_requests, site_url):
    page, requests = page_and_requests
    page.goto(f"{site_url}/recherche/?q=de+la")
    assert wait_for_status(page, "de la") == (
        "«\u00a0de la\u00a0» ne contient que des petits mots («\u00a0de\u00a0», «\u00a0la\u00a0», «\u00a0l'\u00a0»…), "
        "qui ne sont pas cherchés. Ajoutez un mot plus précis."
    )
    assert page.locator(".recherche-resultats > li").count() == 0
    assert [u for u in requests if is_search_index(u)] == []
    # The page says beforehand that those words do not count (French spacing: narrow no-break spaces in « »).
    assert "Les petits mots («\u202fde\u202f», «\u202fla\u202f», «\u202fl'\u202f»…) ne comptent pas" in page.locator("article").inner_text()


def test_search_page_without_javascript_points_to_the_catalogue(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/recherche/?q=donnees")
    text = page.locator("main").inner_text()
    assert "La recherche dans le texte a besoin de JavaScript. Sans JavaScript, le catalogue des fiches" in text
    page.get_by_role("link", name="catalogue des fiches").click()
    assert urlsplit(page.url).path == "/catalogue/"
    context.close()


def test_phone_header_search_icon_opens_the_search_page_with_the_cursor_in_its_field(browser, site_url):
    """The icon is a link, not the empty form's button: no empty search."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{site_url}/fiches/faire-avec-les-personnes/")
    assert page.locator("#fiches-recherche-entete-q").is_hidden()
    assert page.get_by_role("button", name="Rechercher").count() == 0 or page.get_by_role("button", name="Rechercher").is_hidden()
    page.get_by_role("link", name="Rechercher dans les fiches").click()
    page.wait_for_url(re.compile(r"/recherche/#recherche-q$"))
    assert page.locator("h1").inner_text().rstrip("¶") == "Rechercher"
    assert page.evaluate("document.activeElement.id") == "recherche-q"
    assert page.locator("[data-recherche-etat]").inner_text() == ""  # nothing searched
    context.close()
