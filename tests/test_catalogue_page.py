"""The catalogue page, as built (no browser): every published sheet with its
data-* attributes, and facet counts computed at build time, checked against
the front matter of the sheets."""

from __future__ import annotations

import pytest

from helpers import EXAMPLE_SITE, REPO, expected_order, listed_items, page, published, referentiel, squash

SITES = [
    pytest.param("example_site_build", EXAMPLE_SITE, id="site-exemple"),
    pytest.param("repo_site_build", REPO, id="base-reelle"),
]
FACETS = {
    "theme": ("themes", "Thème"),
    "public": ("publics", "Public"),
    "type": ("types", "Type de contenu"),
    "statut": ("statuts", "Statut de validation"),
}


def keys(sheet: dict, facet: str) -> list[str]:
    return {
        "theme": sheet["themes"],
        "public": sheet["publics"],
        "type": [sheet["_type"]],
        "statut": [sheet["statut"]],
    }[facet]


def expected_facets(content) -> dict[str, list[tuple[str, str, int]]]:
    """facet -> [(key, label, count)] in the order of referentiel.yml, from the front matter."""
    ref = referentiel()
    sheets = published(content)
    result = {}
    for facet, (vocabulary, _) in FACETS.items():
        values = []
        for key, term in ref[vocabulary].items():
            if vocabulary == "statuts" and not term.get("publie", True):
                continue
            label = term["libelle_pluriel"] if vocabulary == "types" else term["libelle"]
            values.append((key, label, sum(1 for s in sheets if key in keys(s, facet))))
        result[facet] = values
    return result


def plural(n: int, one: str, many: str) -> str:
    return f"{n}\u00a0{one if n < 2 else many}"


@pytest.mark.parametrize("fixture, content", SITES)
def test_catalogue_lists_every_published_sheet_with_its_facets(fixture, content, request):
    html = page(request.getfixturevalue(fixture), "catalogue")
    sheets = published(content)
    items = listed_items(html, "catalogue-liste")
    assert [i["title"] for i in items] == expected_order(sheets)
    by_title = {s["titre"]: s for s in sheets}
    for item in items:
        sheet = by_title[item["title"]]
        assert item["href"] == f"../{sheet['_url']}"
        for facet in FACETS:
            assert item["data"][f"data-{facet}"].split() == keys(sheet, facet), (sheet["id"], facet)
    status = html.find("p", cls="catalogue-resultat")
    assert squash(status.text()) == plural(len(sheets), "contenu publié", "contenus publiés") + "."
    assert status.attrs["role"] == "status" and status.attrs["aria-live"] == "polite"


@pytest.mark.parametrize("fixture, content", SITES)
def test_facet_counts_are_computed_from_the_front_matter(fixture, content, request):
    html = page(request.getfixturevalue(fixture), "catalogue")
    form = html.find("form", cls="catalogue-filtres")
    for facet, values in expected_facets(content).items():
        fieldset = form.find("fieldset", data_facette=facet)
        assert squash(fieldset.find("legend").text()) == FACETS[facet][1]
        shown = []
        for box in fieldset.find_all("input"):
            assert box.attrs["type"] == "checkbox" and box.attrs["name"] == facet
            label = fieldset.find("label", **{"for": box.attrs["id"]})
            shown.append((box.attrs["value"], squash(label.text())))
        assert shown == [(key, f"{label} ({count})") for key, label, count in values]


@pytest.mark.parametrize("fixture, content", SITES)
def test_without_javascript_each_facet_value_links_to_its_generated_page(fixture, content, request):
    site = request.getfixturevalue(fixture)
    html = page(site, "catalogue")
    links = html.find("nav", cls="catalogue-parcourir")
    assert squash(links.find("h2").text()) == "Parcourir par thème, public, type ou statut"
    ref = referentiel()
    expected = expected_facets(content)
    lists = links.find_all("ul")
    assert [squash(h.text()) for h in links.find_all("h3")] == [legend for _, legend in FACETS.values()]
    for (facet, values), ul in zip(expected.items(), lists):
        shown = [(li.find("a").attrs["href"], squash(li.text())) for li in ul.find_all("li")]
        folder = {"theme": "themes", "public": "publics", "statut": "statuts"}.get(facet)
        hrefs = [
            f"../{folder}/{key}/" if folder else f"../{ref['types'][key]['dossier']}/" for key, _, _ in values
        ]
        assert shown == [
            (href, f"{label} ({plural(count, 'contenu', 'contenus')})") for href, (key, label, count) in zip(hrefs, values)
        ]
        for href in hrefs:  # the generated page exists and shows the same count
            target = site / "catalogue" / href / "index.html"
            assert target.resolve().is_file(), href


def test_the_form_is_a_get_form_shown_by_the_script_and_has_no_inline_script(example_site_build):
    raw = (example_site_build / "catalogue/index.html").read_text(encoding="utf-8")
    html = page(example_site_build, "catalogue")
    form = html.find("form", cls="catalogue-filtres")
    assert form.attrs["method"] == "get"
    assert "hidden" in form.attrs  # shown by catalogue.js: useless without it
    assert squash(form.find("h2").text()) == "Filtrer le catalogue"
    assert squash(form.find("button").text()) == "Effacer les filtres"
    scripts = [s for s in html.find_all("script")]
    assert all("src" in s.attrs for s in scripts if not s.attrs.get("type", "").endswith("json")), "inline script"
    assert '<script src="../assets/catalogue.js" defer></script>' in raw


def test_catalogue_is_in_the_nav(example_site_build):
    html = page(example_site_build, "")
    nav_links = {squash(a.text()): a.attrs.get("href") for a in html.find_all("a", cls="md-nav__link")}
    assert nav_links["Catalogue"] == "catalogue/"
    assert nav_links["À relire"] == "a-relire/"
    assert nav_links["Rechercher"] == "recherche/"
