"""Search with Pagefind: the search page, what is indexed, the index.

MkDocs events:
- on_files: add the generated search page `recherche/` (in the nav);
- on_page_context: `recherche` (the facets: labels of themes, audiences,
  types, statuses) for `partials/recherche.html`;
- on_post_page: on sheet and listing pages only, mark Material's content
  article `data-pagefind-body` and add the Pagefind filters and metadata
  (`fiches_kb.search`); every other page stays out of the index;
- on_post_build: run Pagefind once over the built site (linear in pages),
  unless FICHES_SANS_RECHERCHE=1 (quick previews, build benchmarks).
The search box in the header is `overrides/partials/header.html`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from fiches_kb.catalogue import build_catalogue
from fiches_kb.search import (
    SEARCH_INTRO,
    SEARCH_PAGE,
    SEARCH_TITLE,
    SKIP_ENV,
    index_site,
    listing_annotations,
    mark_for_index,
    sheet_annotations,
    skip_requested,
)
from fiches_kb.site import SITE_KEY

LISTINGS_KEY = "fiches_listings"  # set by hooks/listing_pages.py
log = logging.getLogger("mkdocs.plugins.fiches")
_marked: set[str] = set()  # pages marked for the index in this build


def on_files(files, config):
    _marked.clear()
    files.append(File.generated(config, SEARCH_PAGE, content=f"# {SEARCH_TITLE}\n\n{SEARCH_INTRO}\n"))
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
    return marked


def on_post_build(config):
    if skip_requested():
        log.info(f"Recherche : index non construit ({SKIP_ENV}=1), la recherche ne trouvera rien.")
        return
    started = time.perf_counter()
    folders = {src_uri.split("/", 1)[0] for src_uri in _marked}
    index_site(Path(config.site_dir), sorted(folders))
    log.info(f"Recherche : {len(_marked)} pages indexées par Pagefind en {time.perf_counter() - started:.1f} s.")
