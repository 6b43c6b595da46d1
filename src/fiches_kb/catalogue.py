"""The catalogue: every published sheet, with facets theme × audience × type
× status and their counts, computed at build time from the front matter.

The page lists every sheet in the HTML (so it works without JavaScript);
`pages/assets/catalogue.js` filters the list in the browser and recomputes
the counts. Each facet value also links to its generated page (see
`listings.py`), which is the facet for readers without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Sheet
from .listings import page_url, term_page, visible_terms
from .site import SiteContent, sort_for_listing

CATALOGUE_PAGE = "catalogue/index.md"
CATALOGUE_TITLE = "Catalogue des fiches"
CATALOGUE_INTRO = (
    "Toutes les fiches pratiques et pratiques inspirantes publiées. Cochez des thèmes, des publics, "
    "des types ou des statuts pour réduire la liste : les nombres indiquent combien de contenus "
    "correspondent. Sans JavaScript, suivez les liens de chaque thème, public, type ou statut."
)

# Facet name (also the query parameter and the data-* attribute) ->
# (vocabulary, legend of its fieldset)
FACETS = {
    "theme": ("themes", "Thème"),
    "public": ("publics", "Public"),
    "type": ("types", "Type de contenu"),
    "statut": ("statuts", "Statut de validation"),
}


def sheet_keys(sheet: Sheet, facet: str) -> tuple[str, ...]:
    """The keys a sheet has in one facet."""
    return sheet.term_keys(FACETS[facet][0])


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    url: str  # site-relative URL of the generated page of this value

    @property
    def count_text(self) -> str:
        return f"{self.count}\u00a0{'contenu' if self.count < 2 else 'contenus'}"


@dataclass(frozen=True)
class Facet:
    name: str
    legend: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Catalogue:
    title: str
    intro: str
    sheets: tuple[Sheet, ...]
    facets: tuple[Facet, ...]

    @property
    def count_text(self) -> str:
        n = len(self.sheets)
        return f"{n}\u00a0{'contenu publié' if n < 2 else 'contenus publiés'}"

    def data_attributes(self, sheet: Sheet) -> dict[str, str]:
        """data-* attributes of a sheet's list item: space-separated keys per facet."""
        return {f"data-{facet.name}": " ".join(sheet_keys(sheet, facet.name)) for facet in self.facets}

    def markdown(self) -> str:
        return f"# {self.title}\n\n{self.intro}\n"


def count_values(sheets: list[Sheet], facet: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sheet in sheets:
        for key in sheet_keys(sheet, facet):
            counts[key] = counts.get(key, 0) + 1
    return counts


def build_catalogue(content: SiteContent) -> Catalogue:
    sheets = sort_for_listing(content.sheets)
    facets = []
    for name, (vocabulary, legend) in FACETS.items():
        counts = count_values(sheets, name)
        facets.append(
            Facet(
                name,
                legend,
                tuple(
                    FacetValue(
                        key,
                        term.label if vocabulary != "types" else term.label_plural,
                        counts.get(key, 0),
                        page_url(term_page(vocabulary, key, content)),
                    )
                    for key, term in visible_terms(content, vocabulary).items()
                ),
            )
        )
    return Catalogue(CATALOGUE_TITLE, CATALOGUE_INTRO, tuple(sheets), tuple(facets))
