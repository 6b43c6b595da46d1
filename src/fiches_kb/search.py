"""Site search with Pagefind: what gets indexed, and running the indexer.

Why Pagefind and not Material's lunr search, with the figures:
docs-dev/decisions/0002-search-with-pagefind.md (French stemming and accent
folding, an index split in chunks fetched on demand, nothing fetched before
the first query). How it is wired: docs-dev/search.md.

Only sheet pages and listing pages are indexed. Their main `<article>` is
marked `data-pagefind-body` and given, as empty elements (so that nothing is
added to the indexed text):
- `data-pagefind-filter` for theme, audience (`public`), type and status,
  with vocabulary keys as values (the search page shows the labels);
- `data-pagefind-meta` for what results show: the type and status labels
  and the summary (`resume`).
Parts repeated on every sheet (status box, metadata table, "À lire aussi")
and the lists of listing pages are excluded from the index (EXCLUDED), so
that a query finds the sheet that talks about it, not every page that
links to it.

What Pagefind indexes of a page is its text without French function words
(`FUNCTION_WORDS`: « de », « la », « l' »…) and with straight apostrophes
(`searchable_document`); the search page leaves the same words out of
queries. Results show the page's summary (`resume` metadata), as the
catalogue does, not Pagefind's excerpt of that text.

The index is fed page by page while MkDocs renders (`start_index`; see
`pagefind_stream`): a sheet as its rendered article (`sheet_document`), a
listing page reduced to its head and content article
(`indexable_document`). Pagefind works on the other core, and writes the
bundle (`start_bundle`, then `finish_bundle`) while the rest of the site
renders: the build does not wait for a second pass over the site. Then
the filters of every page are read back from the bundle into one facet
table (`write_facet_table`): the search page filters and counts results
with it, not with Pagefind's filters (one more search per facet with a
choice, and the whole index fetched for filters without a query).

Nothing here imports MkDocs.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import string
from pathlib import Path

from .corpus import Sheet
from .listings import Listing, page_url as listing_url, term_page
from .pagefind_stream import PagefindError, StreamingIndex
from .settings import setting_on
from .synonyms import other_terms

SEARCH_PAGE = "recherche/index.md"
SEARCH_TITLE = "Rechercher"
# No-break spaces inside guillemets and before the colon (French typography).
SEARCH_INTRO = (
    "Cherchez dans le texte des fiches pratiques et des pratiques inspirantes. Les accents et les "
    "pluriels sont facultatifs\u00a0: «\u00a0donnees personnelles\u00a0» trouve «\u00a0données personnelles\u00a0». Les petits "
    "mots («\u00a0de\u00a0», «\u00a0la\u00a0», «\u00a0l'\u00a0»…) ne comptent pas\u00a0: «\u00a0protection de l'enfance\u00a0» cherche «\u00a0protection enfance\u00a0»."
)
BUNDLE_DIR = "pagefind"
LANGUAGE = "fr"
# Material's content article: present on every page, outside the templates
# of the sheets and listings, so marking it covers both kinds of page.
ARTICLE_TAG = '<article class="md-content__inner md-typeset"'
EXCLUDED = [
    ".headerlink",  # the "¶" of headings
    ".fiche-statut",  # status box: the same sentence on every sheet of a status
    ".fiche-meta",  # metadata table: dates, authors, labels (filters carry themes and audiences)
    ".fiche-liens",  # "À lire aussi": titles of other sheets
    "#a-lire-aussi",
    ".fiches-liste",  # sheets listed on a listing page: each has its own page
    ".fiches-termes",  # terms listed on an index page
    ".fiches-compte",  # "12 contenus"
    ".fiches-voir-aussi",  # link to the catalogue
]
# Files of the Pagefind bundle that our own UI (pages/assets/recherche.js)
# never loads: Pagefind's ready-made UIs and highlighter.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# Pagefind's filter chunks: the search page filters with our facet table
# instead (`write_facet_table`), so they are never fetched.
UNUSED_FILTER_DIR = "filter"
FACETS_FILE = "facettes.json"
# The listing pages' ids alone (under 1 kB): what a query with no filter needs
# of the table, to put sheets before listing pages.
LISTINGS_FILE = "rubriques.json"
FRAGMENT_SIGNATURE = b"pagefind_dcd"
LISTING_TYPE_LABEL = "Liste de contenus"
MODULE_TYPE_LABEL = "Parcours de formation"
SKIP_ENV = "FICHES_SANS_RECHERCHE"


def skip_requested(environ=os.environ) -> bool:
    """FICHES_SANS_RECHERCHE=1: build without the search index, for quick
    previews and build benchmarks."""
    return setting_on(environ, SKIP_ENV)


def _empty(attribute: str, key: str, value: str) -> str:
    return f'<span {attribute}="{html.escape(key)}:{html.escape(value)}"></span>'


def sheet_annotations(sheet: Sheet) -> str:
    """Filters and metadata of a sheet, as empty elements for Pagefind."""
    parts = [_empty("data-pagefind-filter", "theme", t.key) for t in sheet.themes]
    parts += [_empty("data-pagefind-filter", "public", a.key) for a in sheet.audiences]
    parts.append(_empty("data-pagefind-filter", "type", sheet.type.key))
    parts.append(_empty("data-pagefind-filter", "statut", sheet.status.key))
    parts.append(_empty("data-pagefind-meta", "type", sheet.type.label))
    parts.append(_empty("data-pagefind-meta", "statut", sheet.status.label))
    parts.append(_empty("data-pagefind-meta", "statut_cle", sheet.status.key))
    parts.append(_empty("data-pagefind-meta", "id", sheet.id))
    parts.append(_empty("data-pagefind-meta", "resume", sheet.summary))
    if sheet.essentials:  # « L'essentiel », its first line: what a result can show besides the summary
        parts.append(_empty("data-pagefind-meta", "essentiel", sheet.essentials[0]))
    return "".join(parts)


def synonym_annotation(sheet: Sheet, body_html: str, groups: tuple[tuple[str, ...], ...]) -> str:
    """The other terms of the synonym groups (referentiel.yml › synonymes)
    that the sheet uses a term of, as the metadata `synonymes`: Pagefind
    indexes metadata, so « e-mail » finds a sheet that only writes
    « courriel », without a word added to its text or shown in a result.
    Read from the title, summary, « L'essentiel » and the rendered body;
    empty when it uses none. The search page also expands queries."""
    text = " ".join((sheet.title, sheet.summary, *sheet.essentials, html.unescape(_TAG.sub(" ", body_html))))
    others = other_terms(text, groups, FUNCTION_WORDS)
    return _empty("data-pagefind-meta", "synonymes", ", ".join(others)) if others else ""


FILTER_OF_VOCABULARY = {"themes": "theme", "publics": "public", "types": "type", "statuts": "statut"}


def theme_links(content) -> list[tuple[str, str]]:
    """(label, site-relative URL) of every theme's page: what the search
    page offers when no sheet matches a query."""
    return [(term.label, listing_url(term_page("themes", term, content))) for term in content.schema.themes.values()]


def listing_annotations(listing: Listing) -> str:
    """A term's page is found under its own filter (the theme page when
    filtering on that theme); index pages have no filter."""
    parts = [_empty("data-pagefind-meta", "type", LISTING_TYPE_LABEL), _empty("data-pagefind-meta", "resume", listing.intro)]
    if listing.vocabulary and listing.term_key:
        parts.append(_empty("data-pagefind-filter", FILTER_OF_VOCABULARY[listing.vocabulary], listing.term_key))
    return "".join(parts)


def module_annotations(module) -> str:
    """A training module's page (`parcours.Module`): found by its title, its
    description and its sheets' titles, shown as « Parcours de formation »."""
    return _empty("data-pagefind-meta", "type", MODULE_TYPE_LABEL) + _empty("data-pagefind-meta", "resume", module.description)


def mark_for_index(page_html: str, annotations: str) -> str | None:
    """Mark Material's content article as the indexed body and add the
    annotations just inside it. None if the article is not found."""
    start = page_html.find(ARTICLE_TAG)
    if start < 0:
        return None
    end = page_html.find(">", start)
    return (
        page_html[:start]
        + '<article data-pagefind-body class="md-content__inner md-typeset"'
        + page_html[start + len(ARTICLE_TAG) : end + 1]
        + annotations
        + page_html[end + 1 :]
    )


TYPOGRAPHIC_APOSTROPHE = "\u2019"
# French function words: articles, prepositions, conjunctions, pronouns, and
# the elided forms (l', d', qu'...). They are on almost every page, so they
# do not help to find one, and Pagefind would index them like any word, in
# the largest chunks of the index, which a query word falling between two
# chunks makes Pagefind fetch for nothing (decision record 0002). So they are left out of
# what Pagefind indexes (`searchable_document`) and out of what the search
# page asks it (pages/assets/recherche.js reads this list from the search
# form). Kept: words that change a query's meaning in social work (« sans »,
# « pas », « sous »), and « est » (« Grand Est »).
# Metadata is another matter: Pagefind indexes it as written (titles,
# summaries, labels), so function words of titles and summaries are in the
# index, in much smaller chunks than those of the whole text.
FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d au aux à a en dans par pour sur avec chez vers "
    "et ou ni mais donc car que qu quand ce ces cet cette c se s sa son ses leur leurs "
    "il ils elle elles on nous vous je j tu me m te t y lui qui dont ne n sont".split()
)
# Single letters are function words only when elided (« l'usager »): on
# their own they are initials or references (« vitamine D », « article L. 1110-4 »).
_STANDALONE_FUNCTION_WORDS = frozenset(word for word in FUNCTION_WORDS if len(word) > 1 or word in ("a", "à", "y"))
_PUNCTUATION = string.punctuation + "«»“”‘’…–—"
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_FIRST_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_HEADERLINK = re.compile(r"<a\b[^>]*\bclass=\"headerlink\"[^>]*>.*?</a>", re.S)  # the "¶" after a heading


def searchable_text(text: str) -> str:
    """Text as Pagefind should index it: straight apostrophes, and no French
    function words (`FUNCTION_WORDS`), elided ones included (« l'enfance »
    → « enfance »), nor the punctuation stuck to them; compound words stay
    whole (« au-delà », « et/ou »). Pagefind splits a
    word after a straight apostrophe, but keeps « l’enfance » (typographic)
    whole, which « enfance » would not find. Words are separated by single
    spaces (Pagefind only splits at white space); white space at either end
    is kept, so that words on either side of a tag stay apart."""
    words = text.replace(TYPOGRAPHIC_APOSTROPHE, "'").split()
    if not words:
        return text
    kept = []
    for word in words:
        lower = word.lower()
        if lower in _STANDALONE_FUNCTION_WORDS:
            continue
        if "'" in lower:
            opening = word[: len(word) - len(word.lstrip(_PUNCTUATION))]  # « (l'Avenir) » keeps its « ( »
            elided, _, rest = word[len(opening) :].partition("'")
            if not rest and elided.lower() in FUNCTION_WORDS:
                continue  # « de l'<a>Association</a> »: the elided word ends the text before a tag
            if rest[:1].isalpha() and elided.lower() in FUNCTION_WORDS:
                word = opening + rest
                lower = word.lower()
                if lower in _STANDALONE_FUNCTION_WORDS:
                    continue
        if not (lower[0].isalnum() and lower[-1].isalnum()) and lower.strip(_PUNCTUATION) in _STANDALONE_FUNCTION_WORDS:
            continue
        kept.append(word)
    before = " " if text[0].isspace() else ""
    after = " " if text[-1].isspace() or text[-1] in "'\u2019" else ""  # an elision dropped before a tag
    return before + " ".join(kept) + after if kept else before or after


def searchable_document(document: str) -> str:
    """A marked document as Pagefind should get it: the text of its indexed
    body through `searchable_text`, attributes untouched. The title Pagefind
    shows (by default the text of the first `<h1>`) is given as written, as
    `data-pagefind-meta`. A document without an indexed body is returned
    unchanged."""
    body = document.find("<article data-pagefind-body")
    if body < 0:
        return document
    opening_end = document.find(">", body) + 1
    heading = _FIRST_H1.search(document, opening_end)
    title = " ".join(html.unescape(_TAG.sub("", _HEADERLINK.sub("", heading.group(1)))).split()) if heading else ""
    meta = _empty("data-pagefind-meta", "title", title) if title else ""
    parts = _TAG_SPLIT.split(document[opening_end:])  # text, tag, text, tag... text
    for i in range(0, len(parts), 2):
        text = parts[i]
        if "&" in text:  # character references (&#39; is an apostrophe)
            parts[i] = html.escape(searchable_text(html.unescape(text)), quote=False)
        elif text:
            parts[i] = searchable_text(text)
    return document[:opening_end] + meta + "".join(parts)


def indexable_document(page_html: str) -> str:
    """What Pagefind needs of a marked page: its head (language, title) and
    the content article, without the header, navigation, table of contents
    and footer that it would parse only to skip (fewer bytes through the
    pipe, less work for Pagefind, the same index).
    Material's content article is the last one of the page (sheets nest
    theirs inside it)."""
    body = page_html.find("<body")
    start = page_html.find("<article data-pagefind-body")
    end = page_html.rfind("</article>")
    if min(body, start, end) < 0:
        return searchable_document(page_html)
    return searchable_document(
        page_html[: page_html.find(">", body) + 1] + page_html[start : end + len("</article>")] + "</body></html>"
    )


SHEET_TEMPLATE = "partials/fiche.html"


def sheet_document(article: str, annotations: str, language: str, title: str) -> str:
    """What Pagefind is given for a sheet whose article was rendered on its
    own (before Material's page template): the same as `indexable_document`
    of the finished page, whose head Pagefind only reads for the language."""
    return searchable_document(
        f'<html lang="{html.escape(language)}"><head><title>{html.escape(title)}</title></head><body>'
        f'<article data-pagefind-body class="md-content__inner md-typeset">{annotations}{article}</article>'
        "</body></html>"
    )


def start_index(executable: Path | None = None) -> StreamingIndex:
    """A Pagefind index to feed page by page while the site renders
    (`fiches_kb.pagefind_stream`: the indexing runs on the other core), by
    the program `executable` (default: `pagefind_binary.choose_pagefind`)."""
    return StreamingIndex({"exclude_selectors": EXCLUDED}, executable=executable)


def start_bundle(index: StreamingIndex, site_dir: Path) -> None:
    """Begin writing the search bundle into `site_dir`/pagefind, in the
    background: Pagefind writes it while the build renders the pages it no
    longer needs (hooks/search_index.py: the sheets' pages, the catalogue,
    « À relire »). `finish_bundle` waits for it."""
    output = site_dir / BUNDLE_DIR
    if output.exists():
        shutil.rmtree(output)
    index.start_write(output)


def finish_bundle(index: StreamingIndex, site_dir: Path) -> int:
    """Wait for the bundle begun by `start_bundle`, write the facet table
    (`write_facet_table`), then remove the files our UI never loads.
    Returns the number of pages indexed."""
    count = index.finish_write()
    bundle = site_dir / BUNDLE_DIR
    write_facet_table(bundle)
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / UNUSED_FILTER_DIR, ignore_errors=True)
    return count


def read_fragment(path: Path) -> dict:
    """A page's record in the bundle: Pagefind writes it as gzip of
    "pagefind_dcd" followed by JSON (url, content, filters, meta...)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(FRAGMENT_SIGNATURE):
        raise ValueError("signature absente")
    return json.loads(data[len(FRAGMENT_SIGNATURE) :])


def facet_table(fragments: dict[str, dict]) -> dict:
    """The facet table of the search page, from the pages' fragments by
    Pagefind page id: `facets`, each filter's name and values (sorted);
    `pages`, for each page id, one list of value positions per facet;
    `listings`, the ids of the pages that are not sheets (they have no `id`
    metadata), so that the page can say how many sheets match."""
    names = sorted({name for record in fragments.values() for name in record.get("filters", {})})
    values = {
        name: sorted({value for record in fragments.values() for value in record.get("filters", {}).get(name, [])})
        for name in names
    }
    position = {name: {value: i for i, value in enumerate(values[name])} for name in names}
    pages = {
        page_id: [sorted(position[name][v] for v in record.get("filters", {}).get(name, [])) for name in names]
        for page_id, record in sorted(fragments.items())
    }
    listings = sorted(page_id for page_id, record in fragments.items() if "id" not in record.get("meta", {}))
    return {"facets": [{"name": name, "values": values[name]} for name in names], "pages": pages, "listings": listings}


def write_facet_table(bundle: Path) -> int:
    """Write `bundle`/facettes.json and `bundle`/rubriques.json (its listing
    pages only), read by pages/assets/recherche.js, and return the number of
    pages in the table.

    Why not Pagefind's filters on the search page: counts that follow the
    choices cost one more Pagefind search per facet with a choice, and a
    filter chosen before any query made Pagefind fetch its whole index
    (figures: decision record 0002). So Pagefind does the text search
    only, and the page filters and counts its results with this table
    (fetched only when the filters are used; a plain query fetches
    rubriques.json, under 1 kB). The values come from the fragments,
    that is from each page's `data-pagefind-filter`: one source for both."""
    fragments = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        try:
            fragments[path.name.split(".")[0]] = read_fragment(path)
        except (OSError, EOFError, ValueError) as error:  # gzip.BadGzipFile and JSON errors are OSError / ValueError
            raise PagefindError(
                f"Recherche : fragment illisible dans l'index ({path.name} : {error}). "
                "Relancez la construction ; si l'erreur revient, signalez-la."
            ) from None
    table = facet_table(fragments)
    (bundle / FACETS_FILE).write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    listings = {"listings": table["listings"]}
    (bundle / LISTINGS_FILE).write_text(json.dumps(listings, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(fragments)


def page_url(dest_uri: str) -> str:
    """The address Pagefind gives a built file: "fiches/x/index.html" → "/fiches/x/"."""
    url = "/" + dest_uri
    return url[: -len("index.html")] if url.endswith("/index.html") else url
