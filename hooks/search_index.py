"""Search with Pagefind: the search page, what is indexed, the index.

MkDocs events:
- on_files: add the generated search page `recherche/` (in the nav), and
  start Pagefind (`fiches_kb.pagefind_stream`) unless FICHES_SANS_RECHERCHE=1
  (quick previews, build benchmarks);
- on_page_context: `recherche` (the facets: labels of themes, audiences,
  types, statuses) for `partials/recherche.html`;
- on_post_page: on sheet and listing pages only, mark Material's content
  article `data-pagefind-body`, add the Pagefind filters and metadata
  (`fiches_kb.search`), and hand the page to Pagefind, which indexes it on
  the other core while MkDocs renders the next pages; every other page
  stays out of the index;
- on_post_build: hand over the indexable pages this build did not render
  (`mkdocs serve --dirty` renders only what changed; they are read back
  from the site folder), then write the bundle `pagefind/`;
- on_build_error: stop Pagefind, write nothing.
The search box in the header is `overrides/partials/header.html`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from fiches_kb.catalogue import build_catalogue
from fiches_kb.pagefind_stream import PagefindError, StreamingIndex
from fiches_kb.search import (
    SEARCH_INTRO,
    SEARCH_PAGE,
    SEARCH_TITLE,
    SKIP_ENV,
    indexable_document,
    listing_annotations,
    mark_for_index,
    page_url,
    sheet_annotations,
    skip_requested,
    start_index,
    write_bundle,
)
from fiches_kb.site import SITE_KEY

LISTINGS_KEY = "fiches_listings"  # set by hooks/listing_pages.py
log = logging.getLogger("mkdocs.plugins.fiches")
_marked: set[str] = set()  # pages marked for the index in this build
_files = None  # the build's files, to find the pages a dirty build did not render
_index: StreamingIndex | None = None
_started = 0.0


def _stop_index() -> None:
    global _index
    if _index is not None:
        _index.close()
        _index = None


def on_files(files, config):
    global _files, _index, _started
    _marked.clear()
    _stop_index()  # a previous build of `mkdocs serve` that did not finish
    files.append(File.generated(config, SEARCH_PAGE, content=f"# {SEARCH_TITLE}\n\n{SEARCH_INTRO}\n"))
    _files = files
    if not skip_requested():
        _started = time.perf_counter()
        try:
            _index = start_index()
        except PagefindError as error:
            raise PluginError(str(error)) from None
        except OSError as error:
            raise PluginError(f"Recherche : impossible de lancer Pagefind ({error.strerror} : {error.filename}).") from None
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == SEARCH_PAGE:
        context["recherche"] = build_catalogue(config[SITE_KEY]).facets
    return context


def on_post_page(output, page, config):
    content = config[SITE_KEY]
    sheet = content.sheet_for(page.file.src_uri)
    if sheet is not None:
        annotations = sheet_annotations(sheet)
    else:
        listing = config.get(LISTINGS_KEY, {}).get(page.file.src_uri)
        if listing is None:
            return output
        annotations = listing_annotations(listing)
    marked = mark_for_index(output, annotations)
    if marked is None:
        raise PluginError(f"Recherche : article de contenu introuvable dans {page.file.src_uri}, page non indexable.")
    _marked.add(page.file.src_uri)
    if _index is not None:
        _index.add_page(indexable_document(marked), page_url(page.file.dest_uri))
    return marked


def _is_indexable(file: File, config) -> bool:
    return config[SITE_KEY].sheet_for(file.src_uri) is not None or file.src_uri in config.get(LISTINGS_KEY, {})


def on_post_build(config):
    global _index
    if _index is None:
        log.info(f"Recherche : index non construit ({SKIP_ENV}=1), la recherche ne trouvera rien.")
        return
    index, _index = _index, None
    waited_from = time.perf_counter()
    try:
        # In a dirty build, MkDocs renders only the changed pages; the others
        # are indexed from the site folder, as written (and marked) before.
        for file in _files.documentation_pages():
            if file.src_uri not in _marked and _is_indexable(file, config):
                page_html = Path(file.abs_dest_path).read_text(encoding="utf-8")
                index.add_page(indexable_document(page_html), page_url(file.dest_uri))
        count = write_bundle(index, Path(config.site_dir))
    except (PagefindError, OSError) as error:
        raise PluginError(str(error)) from None
    finally:
        index.close()
    now = time.perf_counter()
    log.info(
        f"Recherche : {count} pages indexées par Pagefind pendant le rendu, "
        f"index écrit {now - waited_from:.1f} s après la fin du rendu ({now - _started:.1f} s en tout)."
    )


def on_build_error(error):
    _stop_index()
