"""Generated listing pages (per type, theme, audience, status, and the index
of each vocabulary), checked against the front matter of the sheets.

The expected lists are computed here from the raw YAML front matter and
referentiel.yml, not through fiches_kb, and compared with what the built
HTML shows.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_SITE, REPO


# --- Reading the sources -------------------------------------------------

def referentiel() -> dict:
    return yaml.safe_load((REPO / "referentiel.yml").read_text(encoding="utf-8"))


def front_matters(content: Path) -> list[dict]:
    """Front matter of every sheet under content (fiches/, pratiques-inspirantes/)."""
    ref = referentiel()
    sheets = []
    for type_key, spec in ref["types"].items():
        for path in sorted((content / spec["dossier"]).glob("*.md")):
            if path.name in ("MODELE.md", "README.md"):
                continue
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text.split("---\n", 2)[1])
            data["_type"] = type_key
            data["_slug"] = path.stem
            data["_url"] = f"{spec['dossier']}/{path.stem}/"
            sheets.append(data)
    return sheets


def published(content: Path) -> list[dict]:
    statuses = referentiel()["statuts"]
    return [s for s in front_matters(content) if statuses[s["statut"]].get("publie", True)]


def french_key(title: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(c))
    return folded.lstrip(" \u00a0«»\"'")


def expected_order(sheets: list[dict]) -> list[str]:
    """Validated first, archived last, French alphabetical order within each group."""
    def rank(sheet):
        group = 0 if sheet["statut"] == "validee" else 2 if sheet["statut"] == "archivee" else 1
        return (group, french_key(sheet["titre"]))

    return [s["titre"] for s in sorted(sheets, key=rank)]


# --- Reading the HTML ----------------------------------------------------

class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.classes)
                    and all(child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
                ):
                    found.append(child)
                found += child.find_all(tag, cls, **attrs)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def page(site: Path, url: str) -> Node:
    return parse((site / url / "index.html").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Collapse runs of ordinary white space; no-break spaces are kept (French typography)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def listed_items(node: Node, list_class: str = "fiches-liste") -> list[dict]:
    """The sheets of a list: title, link, type, status, summary and data-* attributes."""
    items = []
    for ul in node.find_all(cls=list_class):
        for li in ul.find_all("li", cls="fiches-liste__item"):
            link = li.find("h2").find("a")
            items.append(
                {
                    "title": squash(link.text()),
                    "href": link.attrs["href"],
                    "type": squash(li.find(cls="fiches-liste__type").text()),
                    "status": squash(li.find(cls="fiches-statut").text()),
                    "summary": squash(li.find(cls="fiches-liste__resume").text()),
                    "data": {k: v for k, v in li.attrs.items() if k.startswith("data-")},
                }
            )
    return items


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
        assert squash(html.find("h1").text()).rstrip("¶") == f"{prefix} : {term['libelle']}"
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
    practices = [i["title"] for i in listed_items(page(repo_site_build, "pratiques-inspirantes"))]
    # « « Le dossier social… » » files under L, not before every other title.
    assert practices.index("La Maison de l'inclusion numérique (L@Min) à Nîmes : un tiers-lieu porté par la CAF du Gard") < practices.index(
        "« Le dossier social à l'@ir du numérique » : l'expérience d'un café social"
    ) < practices.index("Promeneurs du Net en Ardèche : une présence éducative sur Internet, avec le syndicat mixte Numérian")


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
