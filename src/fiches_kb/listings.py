"""Pages generated from the vocabularies: one per content type, theme,
audience and status, plus an index per vocabulary. Never written by hand."""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Sheet
from .schema import Term
from .site import SiteContent

# vocabulary name -> (folder of its pages, title of its index, prefix of a page title)
TAXONOMIES = {
    "themes": ("themes", "Thèmes", "Thème"),
    "publics": ("publics", "Publics", "Public"),
    "statuts": ("statuts", "Statuts de validation", "Statut"),
}


@dataclass(frozen=True)
class Listing:
    """A page that lists sheets (or, for an index, the terms of a vocabulary)."""

    src_uri: str
    title: str
    intro: str
    sheets: tuple[Sheet, ...] = ()
    terms: tuple[tuple[Term, str, int], ...] = ()  # (term, src_uri of its page, count) on index pages

    def markdown(self) -> str:
        return f"# {self.title}\n\n{self.intro}\n"


def build_listings(content: SiteContent) -> list[Listing]:
    schema = content.schema
    listings = [
        Listing(f"{t.folder}/index.md", t.label_plural, t.description, tuple(content.of_type(t.key)))
        for t in schema.types.values()
    ]
    for vocabulary, (folder, index_title, prefix) in TAXONOMIES.items():
        terms = {
            key: term
            for key, term in schema.vocabulary(vocabulary).items()
            if term.published or content.include_drafts  # no "draft" page on the public site
        }
        pages = [
            Listing(
                f"{folder}/{term.key}.md",
                f"{prefix} : {term.label}",
                term.description,
                tuple(content.with_term(vocabulary, term)),
            )
            for term in terms.values()
        ]
        listings += pages
        listings.append(
            Listing(
                f"{folder}/index.md",
                index_title,
                f"Les fiches pratiques et pratiques inspirantes, classées par {index_title.lower()}.",
                terms=tuple((term, page.src_uri, len(page.sheets)) for term, page in zip(terms.values(), pages)),
            )
        )
    return listings
