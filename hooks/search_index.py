"""Search with Pagefind: the search page, what is indexed, the index.

MkDocs events:
- on_files, after every hook that adds pages: add the search page
  `recherche/` (in the nav, template `recherche.html`); unless
  FICHES_SANS_RECHERCHE=1 (quick previews, build benchmarks), start Pagefind
  (`fiches_kb.indexing`: which program, said in the log when it is not the
  usual one) and put the listing and training-module pages first (why:
  `fiches_kb.indexing`);
- on_page_content, after hooks/sheet_pages.py has rendered a sheet's
  article: its document for Pagefind, with its filters and metadata and
  the other terms of the synonym groups it uses (`synonym_annotation`,
  kept on `BUILD.annotations` for on_post_page), is made by the helper
  process (`BUILD.helper`); documents are handed to Pagefind as they come
  back, in the order of the pages;
- on_env: the last documents, once the helper has finished (MkDocs has
  converted every page);
- on_page_context: `recherche` (the facets of the catalogue),
  `mots_vides` (the function words left out of queries), `synonymes`
  (referentiel.yml › synonymes, expanded by the page) and
  `themes_recherche` (offered when no sheet matches) for the template;
- on_post_page: on sheet, listing and training-module pages only, mark
  Material's content article `data-pagefind-body` and add the Pagefind
  filters and metadata (`fiches_kb.search`); listing and module pages are
  handed to Pagefind here; every other page stays out of the index;
- on_post_build: wait for the bundle and complete it, handing over first,
  in a `--dirty` rebuild, the pages MkDocs did not render;
- on_build_error: stop Pagefind, remove any bundle it had begun.
The search box in the header is `overrides/partials/recherche-entete.html`,
put in Material's header by `overrides/main.html`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from fiches_kb.build import BUILD, page_source
from fiches_kb.helper_process import Document
from fiches_kb.indexing import SearchIndexing, order_files
from fiches_kb.pagefind_stream import PagefindError
from fiches_kb.parcours import module_pages
from fiches_kb.search import (
    FUNCTION_WORDS,
    SEARCH_INTRO,
    SEARCH_PAGE,
    SEARCH_TITLE,
    SKIP_ENV,
    listing_annotations,
    mark_for_index,
    module_annotations,
    sheet_annotations,
    skip_requested,
    synonym_annotation,
    theme_links,
)

log = logging.getLogger("mkdocs.plugins.fiches")


def on_files(files, config):
    files.append(File.generated(config, SEARCH_PAGE, content=page_source(f"# {SEARCH_TITLE}\n\n{SEARCH_INTRO}\n", "recherche.html")))
    if skip_requested():
        return files
    # Every indexable page, drafts and excluded ones included: if one is not
    # rendered, the bundle is written at the end (on_post_build).
    pages = files.documentation_pages(inclusion=lambda level: True)
    modules = module_pages(BUILD.content.corpus.modules)
    after_rendering = set(BUILD.listings) | set(modules)  # pages handed over once rendered (on_post_page)
    indexable = {f.src_uri: f.dest_uri for f in pages if BUILD.content.sheet_for(f.src_uri) or f.src_uri in after_rendering}
    try:
        BUILD.search = SearchIndexing.start(Path(config.site_dir), indexable)
    except PagefindError as error:
        raise PluginError(str(error)) from None
    except OSError as error:
        raise PluginError(f"Recherche : impossible de lancer Pagefind ({error.strerror} : {error.filename}).") from None
    if BUILD.search.program.note:
        log.info(BUILD.search.program.note)
    return Files(order_files(list(files), after_rendering))


def on_page_content(html, page, config, files):
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if BUILD.search is None or sheet is None:
        return html
    article = BUILD.articles[page.file.src_uri]
    annotations = BUILD.annotations[page.file.src_uri] = _sheet_annotations(sheet, html)
    job = Document(page.file.src_uri, page.file.dest_uri, article, annotations, config.theme["language"], sheet.title)
    BUILD.helper.document(job)
    _hand_over(BUILD.helper.ready_documents())
    return html


def on_env(env, config, files):
    if BUILD.search is not None and BUILD.helper is not None:
        BUILD.helper.finish()
        _hand_over(BUILD.helper.ready_documents())
    return env


def on_page_context(context, page, config, nav):
    if page.file.src_uri == SEARCH_PAGE:
        context["recherche"] = BUILD.catalogue.facets
        context["mots_vides"] = " ".join(sorted(FUNCTION_WORDS))
        context["synonymes"] = [list(group) for group in BUILD.content.schema.synonyms]
        context["themes_recherche"] = theme_links(BUILD.content)
    return context


def on_post_page(output, page, config):
    src_uri = page.file.src_uri
    sheet = BUILD.content.sheet_for(src_uri)
    listing = BUILD.listings.get(src_uri)
    module = module_pages(BUILD.content.corpus.modules).get(src_uri) if sheet is None and listing is None else None
    if sheet is None and listing is None and module is None:
        return output
    if sheet is not None:  # made by on_page_content, unless the index is not built
        annotations = BUILD.annotations.pop(src_uri, None)
        if annotations is None:
            annotations = _sheet_annotations(sheet, page.content or "")  # page.content: the body, as on_page_content had it
    elif listing is not None:
        annotations = listing_annotations(listing)
    else:
        annotations = module_annotations(module)
    if BUILD.search is None:
        marked = mark_for_index(output, annotations)
    else:
        marked = _guarded(BUILD.search.page_written, output, annotations, src_uri, page.file.dest_uri)
    if marked is None:
        raise PluginError(f"Recherche : article de contenu introuvable dans {src_uri}, page non indexable.")
    return marked


def on_post_build(config):
    search, BUILD.search = BUILD.search, None
    if search is None:
        log.info(f"Recherche : index non construit ({SKIP_ENV}=1), la recherche ne trouvera rien.")
        return
    log.info(_guarded(search.finish))


def on_build_error(error):
    search, BUILD.search = BUILD.search, None
    if search is not None:
        search.stop()


def _hand_over(documents) -> None:
    for job, document in documents:
        _guarded(BUILD.search.hand_over, document, job.src_uri, job.dest_uri)


def _sheet_annotations(sheet, body_html: str) -> str:
    return sheet_annotations(sheet) + synonym_annotation(sheet, body_html, BUILD.content.schema.synonyms)


def _guarded(action, *args):
    """Pagefind's failures as build errors, in French, without a traceback."""
    try:
        return action(*args)
    except (PagefindError, OSError) as error:
        raise PluginError(str(error)) from None
