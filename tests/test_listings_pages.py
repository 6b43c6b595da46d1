"""Generated listing pages (per type, theme, audience, status, and the index
of each vocabulary), checked against the front matter of the sheets.

The expected lists are computed here from the raw YAML front matter and
referentiel.yml, not through fiches_kb, and compared with what the built
HTML shows.
"""

from __future__ import annotations

import unicodedata

import pytest

from helpers import EXAMPLE_SITE, REPO, Node, expected_order, listed_items, page, published, referentiel, squash


# --- Reading the HTML ----------------------------------------------------

def term_counts(node: Node) -> dict[str, str]:
    """Index page: label of each term -> its count text."""
    counts = {}
    for li in node.find("ul", cls="fiches-termes").find_all("li"):
        counts[squash(li.find("a").text())] = squash(li.find(cls="fiches-compte").text())
    return counts


# --- The tests -----------------------------------------------------------

SITES = [
    pytest.param("example_site_build", EXAMPLE_SITE, id="site-exemple"),
    pytest.param("repo_site_build", REPO, id="base-reelle"),
]


def count_text(n: int) -> str:
    return f"({n} {'contenu' if n < 2 else 'contenus'})"


@pytest.mark.parametrize("fixture, content", SITES)
def test_type_pages_list_the_published_sheets_of_their_type_in_order(fixture, content, request):
    site = request.getfixturevalue(fixture)
    ref = referentiel()
    for type_key, spec in ref["types"].items():
        expected = [s for s in published(content) if s["_type"] == type_key]
        items = listed_items(page(site, spec["dossier"]))
        assert [i["title"] for i in items] == expected_order(expected), spec["dossier"]
        by_title = {s["titre"]: s for s in expected}
        for item in items:
            sheet = by_title[item["title"]]
            assert item["type"] == spec["libelle"]
            assert item["status"] == ref["statuts"][sheet["statut"]]["libelle"]
            assert item["summary"] == squash(sheet["resume"])
            assert item["href"] == f"{sheet['_slug']}/"


@pytest.mark.parametrize("fixture, content", SITES)
@pytest.mark.parametrize(
    "vocabulary, field, folder, prefix",
    [("themes", "themes", "themes", "Thème"), ("publics", "publics", "publics", "Public"), ("statuts", "statut", "statuts", "Statut")],
)
def test_term_pages_and_index_counts_match_the_front_matter(fixture, content, vocabulary, field, folder, prefix, request):
    site = request.getfixturevalue(fixture)
    ref = referentiel()
    sheets = published(content)
    terms = {k: v for k, v in ref[vocabulary].items() if v.get("publie", True)}
    index = page(site, folder)
    counts = term_counts(index)
    assert list(counts) == [t["libelle"] for t in terms.values()]
    for key, term in terms.items():
        expected = [s for s in sheets if (key in s[field] if isinstance(s[field], list) else s[field] == key)]
        html = page(site, f"{folder}/{key}")
        assert squash(html.find("h1").text()).rstrip("¶") == f"{prefix}\u202f: {term['libelle']}"  # French spacing
        items = listed_items(html)
        assert [i["title"] for i in items] == expected_order(expected), f"{folder}/{key}"
        assert counts[term["libelle"]] == count_text(len(expected))


def test_a_draft_never_appears_and_the_draft_status_has_no_page(example_site_build):
    assert not (example_site_build / "statuts/brouillon").exists()
    assert not (example_site_build / "fiches/brouillon-reseaux-sociaux").exists()
    theme = listed_items(page(example_site_build, "themes/messageries-et-reseaux"))
    assert [i["title"] for i in theme] == ["Utiliser la messagerie professionnelle (ancienne version)"]
    assert "Brouillon" not in term_counts(page(example_site_build, "statuts"))


def test_validated_sheets_come_first_and_archived_ones_last(example_site_build):
    items = listed_items(page(example_site_build, "fiches"))
    assert [(i["title"], i["status"]) for i in items] == [
        ("Protéger les données des personnes lors des démarches en ligne", "Validée par le HCTS"),
        ("Utiliser la messagerie professionnelle (ancienne version)", "Archivée"),
    ]


def test_alphabetical_order_is_french_accents_and_quotes_ignored(repo_site_build):
    titles = [i["title"] for i in listed_items(page(repo_site_build, "fiches"))]
    # « Évaluer » files under E, between « Développer » and « Faire », not after « Utiliser ».
    assert titles.index("Développer ses compétences numériques et celles de l'équipe") < titles.index(
        "Évaluer la situation numérique d'une personne et l'orienter vers la médiation"
    ) < titles.index("Faire avec les personnes, pas à leur place")
    # Every listing in that order: accents, case and opening quotes ignored.
    for listing in ("fiches", "pratiques-inspirantes"):
        titles = [i["title"] for i in listed_items(page(repo_site_build, listing))]
        assert titles == sorted(titles, key=_french_order), listing


def _french_order(title: str) -> str:
    """An independent reading of French alphabetical order, for the listings' titles."""
    return unicodedata.normalize("NFD", title).encode("ascii", "ignore").decode().lower().lstrip(" «\"'")


def test_listing_page_shows_its_count_and_links_to_the_catalogue(example_site_build):
    html = page(example_site_build, "themes/donnees-personnelles")
    assert squash(html.find("p", cls="fiches-compte").text()) == "1 contenu."
    link = html.find("p", cls="fiches-voir-aussi").find("a")
    assert link.attrs["href"] == "../../catalogue/"
    assert squash(link.text()) == "catalogue des fiches"


def test_empty_term_page_says_so(example_site_build):
    html = page(example_site_build, "themes/risques-en-ligne")
    assert listed_items(html) == []
    assert "Aucun contenu publié pour l'instant." in html.text()


def test_lists_show_titles_with_french_spacing(repo_site_build):
    """Titles in lists get the narrow no-break space before « : » like the sheets' own headings."""
    items = listed_items(page(repo_site_build, "fiches"))
    colon = [i for i in items if " :" in i["title"]]
    assert colon
    for item in colon:
        assert "\u202f:" in item["shown_title"] and " :" not in item["shown_title"], item["shown_title"]
