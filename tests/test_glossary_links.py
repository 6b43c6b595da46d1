"""The first use of a glossary term on a page links to its entry (issue 20)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from fiches_kb.glossary_links import GlossaryTerm, read_glossary
from helpers import REPO

GLOSSARY = """\
# Glossaire

CAF
:   Caisse d'allocations familiales.
    { #caf }

Conseiller numérique { #conseiller-numerique }
:   Professionnel de la médiation numérique.

Secret partagé { #secret-partage }
:   Partage d'informations entre professionnels.

Sans ancre
:   Un terme sans identifiant n'est jamais lié.
"""


@pytest.fixture
def build_pages(tmp_path):
    """Build a small MkDocs site (with the glossary above) and return each page's HTML by its source path."""

    def make(pages: dict[str, str]) -> dict[str, str]:
        docs = tmp_path / "docs"
        for name, text in {"glossaire.md": GLOSSARY, **pages}.items():
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: Essai\nmarkdown_extensions:\n  - attr_list\n  - def_list\n  - toc\n  - fiches_kb.glossary_links\n",
            encoding="utf-8",
        )
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        build(config)
        site = tmp_path / "site"
        return {name: (site / Path(name).with_suffix("") / "index.html").read_text(encoding="utf-8") for name in pages}

    return make


def links(page_html: str) -> list[tuple[str, str]]:
    """(href, text) of the links to the glossary."""
    return re.findall(r'<a href="([^"]*glossaire/#[^"]*)">([^<]*)</a>', page_html)


def test_the_glossary_page_is_read_with_anchors_on_the_term_or_in_the_definition():
    assert read_glossary(GLOSSARY) == [
        GlossaryTerm("CAF", "caf"),
        GlossaryTerm("Conseiller numérique", "conseiller-numerique"),
        GlossaryTerm("Secret partagé", "secret-partage"),
    ]


def test_only_the_first_use_of_a_term_links_to_its_entry(build_pages):
    page = build_pages({"fiches/une-fiche.md": "# Fiche\n\nLa CAF verse le RSA. Appelez la CAF.\n\nLe secret partagé, puis le secret partagé.\n"})
    assert links(page["fiches/une-fiche.md"]) == [("../../glossaire/#caf", "CAF"), ("../../glossaire/#secret-partage", "secret partagé")]


def test_plurals_and_any_case_are_found(build_pages):
    page = build_pages({"page.md": "# Page\n\nLes **Conseillers numériques** du département.\n"})
    assert links(page["page.md"]) == [("../glossaire/#conseiller-numerique", "Conseillers numériques")]


def test_headings_code_links_and_words_that_merely_contain_a_term_are_left_alone(build_pages):
    page = build_pages(
        {
            "page.md": """\
            # La CAF

            ## Secret partagé

            `CAF` et [la CAF](https://www.caf.fr) ; CAFÉ, escaf, CAF-X.

                CAF dans un bloc de code
            """
        }
    )
    assert links(page["page.md"]) == []


def test_a_term_the_writer_already_linked_is_not_linked_again(build_pages):
    page = build_pages({"page.md": "# Page\n\nLa [Caisse](glossaire.md#caf) (CAF) et le secret partagé.\n"})
    assert links(page["page.md"]) == [("../glossaire/#caf", "Caisse"), ("../glossaire/#secret-partage", "secret partagé")]


def test_terms_without_an_anchor_and_the_glossary_itself_get_no_link(build_pages, tmp_path):
    page = build_pages({"page.md": "# Page\n\nSans ancre, rien.\n"})
    assert links(page["page.md"]) == []
    glossary = (tmp_path / "site" / "glossaire" / "index.html").read_text(encoding="utf-8")
    assert 'href="#caf"' not in glossary and "glossaire/#" not in glossary


def test_published_sheets_link_each_glossary_term_once(repo_site_build):
    """On the real site: beyond the links writers wrote, terms are linked, and never twice on a sheet."""
    written = made = 0
    for folder in ("fiches", "pratiques-inspirantes"):
        for source in sorted((REPO / folder).glob("*.md")):
            page = repo_site_build / folder / source.stem / "index.html"
            if not page.exists():  # a draft, or the model
                continue
            html = page.read_text(encoding="utf-8")
            anchors = [href.rpartition("#")[2] for href, _ in links(html[html.find('<article') : html.rfind("</article>")])]
            assert len(anchors) == len(set(anchors)), source.name
            written += source.read_text(encoding="utf-8").count("glossaire.md#")
            made += len(anchors)
    assert made > written > 0
