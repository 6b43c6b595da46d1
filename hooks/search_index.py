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
  stays out of the index. Once the last indexable page is handed over,
  Pagefind starts writing the bundle `pagefind/` while MkDocs renders the
  pages that come after it (the catalogue and « À relire », the largest);
- on_post_build: wait for that bundle; or, when some indexable pages were
  not rendered (`mkdocs serve --dirty` renders only what changed), hand
  them over, read back from the site folder, then write the bundle;
- on_build_error: stop Pagefind, remove any bundle it had begun.
The search box in the header is `overrides/partials/header.html`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import shutil

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from fiches_kb.catalogue import build_catalogue
from fiches_kb.pagefind_stream import PagefindError, StreamingIndex
from fiches_kb.search import (
    BUNDLE_DIR,
    SEARCH_INTRO,
    SEARCH_PAGE,
    SEARCH_TITLE,
    SKIP_ENV,
    indexable_document,
    listing_annotations,
    mark_for_index,
    page_url,
    sheet_annotations,
    finish_bundle,
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
_started = 0.0
_unfed: set[str] = set()  # indexable pages not yet handed to Pagefind in this build
_bundle_begun: Path | None = None  # site folder whose bundle Pagefind is writing
_begun_at = 0.0


def _stop_index() -> None:
    global _index, _bundle_begun
    if _index is not None:
        _index.close(kill=True)
        _index = None
    if _bundle_begun is not None:
        shutil.rmtree(_bundle_begun / BUNDLE_DIR, ignore_errors=True)
        _bundle_begun = None


def on_files(files, config):
    global _files, _index, _started
    _marked.clear()
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
    global _bundle_begun, _begun_at
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
        try:
            _index.add_page(indexable_document(marked), page_url(page.file.dest_uri))
            _unfed.discard(page.file.src_uri)
            if not _unfed and _bundle_begun is None:
                start_bundle(_index, Path(config.site_dir))
                _bundle_begun = Path(config.site_dir)
                _begun_at = time.perf_counter()
                log.debug(f"Recherche : dernière page indexable ({page.file.src_uri}), écriture de l'index commencée.")
        except (PagefindError, OSError) as error:
            raise PluginError(str(error)) from None
    return marked


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
        f"Recherche : {count} pages indexées par Pagefind pendant le rendu, "
        f"index écrit {now - waited_from:.1f} s après la fin du rendu{overlap} ({now - _started:.1f} s en tout)."
    )


def on_build_error(error):
    _stop_index()
