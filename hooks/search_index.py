"""Search with Pagefind: the search page, what is indexed, the index.

MkDocs events:
- on_files: add the generated search page `recherche/` (in the nav), and
  start Pagefind (`fiches_kb.pagefind_stream`) unless FICHES_SANS_RECHERCHE=1
  (quick previews, build benchmarks); which Pagefind program runs, and why
  when it is not the preferred one, is `fiches_kb.pagefind_binary`'s choice,
  said in the log;
- on_nav: a Jinja environment of the theme with our filters (MkDocs
  gives hooks its own only after the Markdown of every page is converted);
- on_page_content: a sheet's article (`partials/fiche.html`) is rendered
  now and handed to Pagefind at once: MkDocs converts the Markdown of every
  page before it renders any page template, and this lets Pagefind index
  during that first phase too;
- on_page_context: `recherche` (the facets: labels of themes, audiences,
  types, statuses) and `mots_vides` (the function words left out of
  queries) for `partials/recherche.html`; `fiche_article`, the
  article rendered above, which main.html shows instead of rendering it again;
- on_post_page: on sheet and listing pages only, mark Material's content
  article `data-pagefind-body` and add the Pagefind filters and metadata
  (`fiches_kb.search`); listing pages, which MkDocs renders first
  (hooks/listing_pages.py puts them first), are handed to Pagefind here;
  every other page stays out of the index. Once the last indexable page is
  handed over, Pagefind writes the bundle `pagefind/` on the other core
  while MkDocs renders the sheets' pages;
- on_post_build: wait for that bundle, then write its facet table
  (`search.write_facet_table`, read by the search page); or, when some indexable pages were
  not rendered (`mkdocs serve --dirty` renders only what changed), hand
  them over, read back from the site folder, then write the bundle;
- on_build_error: stop Pagefind, remove any bundle it had begun.
The search box in the header is `overrides/partials/recherche-entete.html`,
put in Material's header by `overrides/main.html`.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from fiches_kb.catalogue import build_catalogue
from fiches_kb.pagefind_binary import PagefindProgram, choose_pagefind
from fiches_kb.pagefind_stream import PagefindError, StreamingIndex
from fiches_kb.search import (
    BUNDLE_DIR,
    FUNCTION_WORDS,
    SEARCH_INTRO,
    SEARCH_PAGE,
    SEARCH_TITLE,
    SHEET_TEMPLATE,
    SKIP_ENV,
    finish_bundle,
    indexable_document,
    listing_annotations,
    mark_for_index,
    page_url,
    sheet_annotations,
    sheet_document,
    skip_requested,
    start_bundle,
    start_index,
)
from fiches_kb.site import SITE_KEY

LISTINGS_KEY = "fiches_listings"  # set by hooks/listing_pages.py
log = logging.getLogger("mkdocs.plugins.fiches")
_marked: set[str] = set()  # pages marked for the index in this build
_files = None  # the build's files, to find the pages a dirty build did not render
_index: StreamingIndex | None = None
_program: PagefindProgram | None = None  # the Pagefind program of this build
_started = 0.0
_unfed: set[str] = set()  # indexable pages not yet handed to Pagefind in this build
_bundle_begun: Path | None = None  # site folder whose bundle Pagefind is writing
_begun_at = 0.0
_env = None  # the theme's Jinja environment, for sheet articles rendered in on_page_content
_articles: dict[str, str] = {}  # sheet articles rendered in on_page_content, by src_uri
_annotations: dict[str, str] = {}  # their Pagefind annotations, reused by on_post_page
_fed: set[str] = set()  # pages already handed to Pagefind in this build


def _stop_index() -> None:
    global _index, _bundle_begun
    if _index is not None:
        _index.close(kill=True)
        _index = None
    if _bundle_begun is not None:
        shutil.rmtree(_bundle_begun / BUNDLE_DIR, ignore_errors=True)
        _bundle_begun = None


def on_files(files, config):
    global _files, _index, _started, _program
    _marked.clear()
    _articles.clear()
    _annotations.clear()
    _fed.clear()
    _stop_index()  # a previous build of `mkdocs serve` that did not finish
    files.append(File.generated(config, SEARCH_PAGE, content=f"# {SEARCH_TITLE}\n\n{SEARCH_INTRO}\n"))
    _files = files
    # Every indexable page, drafts and excluded ones included: if one is not
    # rendered, the set never empties and the bundle is written at the end.
    _unfed.clear()
    _unfed.update(f.src_uri for f in files.documentation_pages(inclusion=lambda level: True) if _is_indexable(f, config))
    if not skip_requested():
        _started = time.perf_counter()
        try:
            _program = choose_pagefind()
            if _program.note:
                log.info(_program.note)
            _index = start_index(_program.path)
        except PagefindError as error:
            raise PluginError(str(error)) from None
        except OSError as error:
            raise PluginError(f"Recherche : impossible de lancer Pagefind ({error.strerror} : {error.filename}).") from None
    return files


def on_nav(nav, config, files):
    global _env
    if _index is not None:
        _env = config.theme.get_env()
        _env.filters.update(config[SITE_KEY].template_filters())
    return nav


def on_page_content(html, page, config, files):
    if _index is None:
        return html
    content = config[SITE_KEY]
    sheet = content.sheet_for(page.file.src_uri)
    if sheet is None:
        return html
    page.content = html  # what the template will show; MkDocs sets it after this event
    article = _env.get_template(SHEET_TEMPLATE).render(page=page, config=config, base_url="", **content.template_values(sheet))
    _articles[page.file.src_uri] = article
    annotations = _annotations[page.file.src_uri] = sheet_annotations(sheet)
    document = sheet_document(article, annotations, config.theme["language"], sheet.title)
    _hand_over(document, page, config)
    return html


def on_page_context(context, page, config, nav):
    if page.file.src_uri == SEARCH_PAGE:
        context["recherche"] = build_catalogue(config[SITE_KEY]).facets
        context["mots_vides"] = " ".join(sorted(FUNCTION_WORDS))
    article = _articles.pop(page.file.src_uri, None)
    if article is not None:
        context["fiche_article"] = article
    return context


def on_post_page(output, page, config):
    content = config[SITE_KEY]
    sheet = content.sheet_for(page.file.src_uri)
    if sheet is not None:
        annotations = _annotations.pop(page.file.src_uri, None) or sheet_annotations(sheet)
    else:
        listing = config.get(LISTINGS_KEY, {}).get(page.file.src_uri)
        if listing is None:
            return output
        annotations = listing_annotations(listing)
    marked = mark_for_index(output, annotations)
    if marked is None:
        raise PluginError(f"Recherche : article de contenu introuvable dans {page.file.src_uri}, page non indexable.")
    _marked.add(page.file.src_uri)
    if _index is not None and page.file.src_uri not in _fed:
        _hand_over(indexable_document(marked), page, config)
    return marked


def _hand_over(document: str, page, config) -> None:
    """Give Pagefind a page; after the last indexable one, start the bundle."""
    global _bundle_begun, _begun_at
    try:
        _index.add_page(document, page_url(page.file.dest_uri))
        _fed.add(page.file.src_uri)
        _unfed.discard(page.file.src_uri)
        if not _unfed and _bundle_begun is None:
            start_bundle(_index, Path(config.site_dir))
            _bundle_begun = Path(config.site_dir)
            _begun_at = time.perf_counter()
            log.debug(f"Recherche : dernière page indexable ({page.file.src_uri}), écriture de l'index commencée.")
    except (PagefindError, OSError) as error:
        raise PluginError(str(error)) from None


def _is_indexable(file: File, config) -> bool:
    return config[SITE_KEY].sheet_for(file.src_uri) is not None or file.src_uri in config.get(LISTINGS_KEY, {})


def on_post_build(config):
    global _index, _bundle_begun
    if _index is None:
        log.info(f"Recherche : index non construit ({SKIP_ENV}=1), la recherche ne trouvera rien.")
        return
    index, _index = _index, None
    begun, _bundle_begun = _bundle_begun, None
    waited_from = time.perf_counter()
    try:
        if begun is None:
            # In a dirty build, MkDocs renders only the changed pages; the others
            # are indexed from the site folder, as written (and marked) before.
            for file in _files.documentation_pages():
                if file.src_uri not in _marked and _is_indexable(file, config):
                    page_html = Path(file.abs_dest_path).read_text(encoding="utf-8")
                    index.add_page(indexable_document(page_html), page_url(file.dest_uri))
            start_bundle(index, Path(config.site_dir))
        count = finish_bundle(index, Path(config.site_dir))
    except (PagefindError, OSError) as error:
        shutil.rmtree(Path(config.site_dir) / BUNDLE_DIR, ignore_errors=True)
        raise PluginError(str(error)) from None
    finally:
        index.close()
    now = time.perf_counter()
    overlap = f", écriture commencée {waited_from - _begun_at:.1f} s avant" if begun is not None else ""
    log.info(
        f"Recherche : {count} pages indexées par {_program.label} pendant le rendu, "
        f"index écrit {now - waited_from:.1f} s après la fin du rendu{overlap} ({now - _started:.1f} s en tout)."
    )


def on_build_error(error):
    _stop_index()
