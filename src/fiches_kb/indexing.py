"""The search index of one build: which pages Pagefind gets, and when.

Pagefind runs beside MkDocs, on the other core (`fiches_kb.pagefind_stream`),
and indexes pages as they are handed over. MkDocs converts the Markdown of
every page before it renders any page template:
- a sheet is handed over in that first phase, as soon as its article is
  rendered (`sheet_document`);
- other indexable pages (listings) once their page is rendered
  (`indexable_document`). `order_files` puts them first, so that the last
  indexable page is done early in the second phase: Pagefind then writes the
  bundle while MkDocs renders the sheets' pages.
A `--dirty` rebuild renders only the pages that changed: `finish` hands over
the others from the site folder, as written before.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from .pagefind_binary import PagefindProgram, choose_pagefind
from .search import BUNDLE_DIR, finish_bundle, indexable_document, mark_for_index, page_url, start_bundle, start_index

log = logging.getLogger("mkdocs.plugins.fiches")  # MkDocs shows its plugins' loggers


class SearchIndexing:
    """Pagefind fed page by page during one build."""

    def __init__(self, program: PagefindProgram, site_dir: Path, indexable: dict[str, str]) -> None:
        self.program = program
        self.site_dir = site_dir
        self._dest_uris = indexable  # src_uri -> dest_uri of every indexable page
        self.unfed = set(indexable)  # indexable pages (src_uri) not handed over yet
        self._started = time.perf_counter()
        self._index = start_index(program.path)
        self._bundle_begun_at: float | None = None

    @classmethod
    def start(cls, site_dir: Path, indexable: dict[str, str]) -> SearchIndexing:
        """Pagefind started for the pages `indexable` (src_uri -> dest_uri);
        PagefindError or OSError when it cannot be."""
        return cls(choose_pagefind(), site_dir, indexable)

    def hand_over(self, document: str, src_uri: str, dest_uri: str) -> None:
        """Give Pagefind a page, once; after the last indexable one, start
        writing the bundle."""
        if src_uri not in self.unfed:
            return
        self._index.add_page(document, page_url(dest_uri))
        self.unfed.discard(src_uri)
        if self.unfed or self._bundle_begun_at is not None:
            return
        start_bundle(self._index, self.site_dir)
        self._bundle_begun_at = time.perf_counter()
        log.debug(f"Recherche : dernière page indexable ({src_uri}), écriture de l'index commencée.")

    def page_written(self, page_html: str, annotations: str, src_uri: str, dest_uri: str) -> str | None:
        """The page marked for the index (handed over if it was not yet); None
        when it has no content article to mark."""
        marked = mark_for_index(page_html, annotations)
        if marked is not None and src_uri in self.unfed:
            self.hand_over(indexable_document(marked), src_uri, dest_uri)
        return marked

    def finish(self) -> str:
        """Wait for the bundle and complete it; return the log line. The
        indexable pages a dirty build did not render are handed over first,
        as written (and marked) in the site folder by an earlier build."""
        render_end = time.perf_counter()
        begun_at = self._bundle_begun_at
        try:
            if begun_at is None:
                for src_uri in sorted(self.unfed):
                    written = self.site_dir / self._dest_uris[src_uri]
                    if written.is_file():  # a page MkDocs excluded is never written
                        document = indexable_document(written.read_text(encoding="utf-8"))
                        self._index.add_page(document, page_url(self._dest_uris[src_uri]))
                start_bundle(self._index, self.site_dir)
            count = finish_bundle(self._index, self.site_dir)
        except BaseException:
            shutil.rmtree(self.site_dir / BUNDLE_DIR, ignore_errors=True)
            raise
        finally:
            self._index.close()
        now = time.perf_counter()
        overlap = f", écriture commencée {render_end - begun_at:.1f} s avant" if begun_at is not None else ""
        return (
            f"Recherche : {count} pages indexées par {self.program.label} pendant le rendu, "
            f"index écrit {now - render_end:.1f} s après la fin du rendu{overlap} ({now - self._started:.1f} s en tout)."
        )

    def stop(self) -> None:
        """A failed or abandoned build: Pagefind stopped, any bundle it began removed."""
        self._index.close(kill=True)
        if self._bundle_begun_at is not None:
            shutil.rmtree(self.site_dir / BUNDLE_DIR, ignore_errors=True)


def order_files(files: list, handed_over_after_rendering: set[str]) -> list:
    """The build's files with the pages handed over after rendering first (see the module's docstring)."""
    first = [f for f in files if f.src_uri in handed_over_after_rendering]
    return first + [f for f in files if f.src_uri not in handed_over_after_rendering]
