"""Pages generated from the vocabularies: one per content type, theme,
audience and status, plus an index per vocabulary. Never written by hand.

These pages are also the catalogue's facets for readers without
JavaScript: each term page lists its sheets, each index gives the counts.
"""

from __future__ import annotations

import html
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


def term_page(vocabulary: str, term_or_key: Term | str, content: SiteContent) -> str:
    """src_uri of the generated page of a term (for types: the type's folder index)."""
    key = term_or_key if isinstance(term_or_key, str) else term_or_key.key
    if vocabulary == "types":
        return f"{content.schema.types[key].folder}/index.md"
    return f"{TAXONOMIES[vocabulary][0]}/{key}.md"


def page_url(src_uri: str) -> str:
    """Site-relative URL of a generated page (MkDocs' directory URLs)."""
    if src_uri.endswith("index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/"


@dataclass(frozen=True)
class Listing:
    """A page that lists sheets (or, for an index, the terms of a vocabulary)."""

    src_uri: str
    title: str
    intro: str
    sheets: tuple[Sheet, ...] = ()
    terms: tuple[tuple[Term, str, int], ...] = ()  # (term, src_uri of its page, count) on index pages
    vocabulary: str | None = None  # "types", "themes", "publics" or "statuts" for a term's page
    term_key: str | None = None

    def markdown(self) -> str:
        # Labels and descriptions of referentiel.yml are text: escaped, or
        # Markdown would pass a tag through (and the page title, which
        # Material reads from the heading, would carry it).
        return f"# {html.escape(self.title, quote=False)}\n\n{html.escape(self.intro, quote=False)}\n"

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


def visible_terms(content: SiteContent, vocabulary: str) -> dict[str, Term]:
    """The terms that get a page: every theme and audience, and only the
    statuses published in this build (no "draft" page on the public site)."""
    return {
        key: term
        for key, term in content.schema.vocabulary(vocabulary).items()
        if vocabulary == "types" or term.published or content.include_drafts
    }


def build_listings(content: SiteContent) -> list[Listing]:
    schema = content.schema
    listings = [
        Listing(
            f"{t.folder}/index.md",
            t.label_plural,
            t.description,
            tuple(content.of_type(t.key)),
            vocabulary="types",
            term_key=t.key,
        )
        for t in schema.types.values()
    ]
    for vocabulary, (folder, index_title, prefix) in TAXONOMIES.items():
        terms = visible_terms(content, vocabulary)
        pages = [
            Listing(
                f"{folder}/{term.key}.md",
                f"{prefix} : {term.label}",
                term.description,
                tuple(content.with_term(vocabulary, term)),
                vocabulary=vocabulary,
                term_key=term.key,
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
