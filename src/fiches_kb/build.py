"""The state of the MkDocs build, on one object that every hook reaches the same way.

The modules of hooks/ are thin adapters, one job each, and keep nothing
themselves: what an event learns and a later event needs is on `BUILD`, as
Material's plugins keep theirs on the plugin object. A process runs one
`mkdocs build`, or a build per change for `mkdocs serve`: `command`, `dirty`
and `previous` last as long as the process, the rest is reset by `begin`.

Where the order of the hooks matters, it is written once, in `EVENT_ORDER`,
and tests/test_build_state.py checks that MkDocs runs them in that order
(the order of mkdocs.yml's `hooks:` list, or a hook's @event_priority).

Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: no import cycle, no cost
    from .catalogue import Catalogue
    from .check_cache import CheckCache
    from .helper_process import HelperProcess
    from .indexing import SearchIndexing
    from .listings import Listing
    from .problems import Problem
    from .review import ReviewList
    from .site import SiteContent
    from .staging import StagedOutput

# event -> hooks (module names) that must run in this order for that event.
EVENT_ORDER: dict[str, tuple[str, ...]] = {
    # A new build and its content first: every other hook reads them.
    "config": ("load_content", "site_address", "staged_output", "check_rendering"),
    # The sheets, then the pages generated from them, then the search index,
    # which needs every indexable page (and puts listing pages first).
    "files": ("load_content", "listing_pages", "catalogue_page", "review_page", "catalogue_json", "feed", "search_index"),
    # Rules on the HTML MkDocs made, then the sheet's article, then the index, which reads the article.
    "page_content": ("check_rendering", "sheet_pages", "pdf_files", "search_index"),
    # The index and the PDFs are written into the staging folder before it is published.
    "post_build": ("search_index", "load_content", "pdf_files", "staged_output"),
}


@dataclass
class Build:
    """What the hooks know: about the process, then about the build under way."""

    command: str = "build"  # "build" or "serve"
    dirty: bool = False  # `--dirty`: MkDocs redoes only the pages whose file changed
    previous: SiteContent | None = None  # content of the last successful build in this process

    content: SiteContent | None = None
    listings: dict[str, Listing] = field(default_factory=dict)  # by src_uri
    catalogue: Catalogue | None = None
    review: ReviewList | None = None
    search: SearchIndexing | None = None  # None when FICHES_SANS_RECHERCHE=1
    output: StagedOutput | None = None  # None when the site folder is written in place
    raw_html: Any = None  # rules.rendering.RawHtmlRecorder, among MkDocs' Markdown extensions
    problems: list[Problem] = field(default_factory=list)  # found on the rendered pages
    verdicts: CheckCache | None = None  # the rules' results by sheet rendering, kept between builds
    helper: HelperProcess | None = None  # rules and Pagefind documents worked out beside MkDocs (hooks/check_rendering.py)
    templates: Any = None  # the theme's Jinja environment, for articles rendered before MkDocs renders pages
    articles: dict[str, str] = field(default_factory=dict)  # sheet articles (partials/fiche.html), by src_uri
    annotations: dict[str, str] = field(default_factory=dict)  # a sheet's filters and metadata for Pagefind, by src_uri
    nav_html: dict[str, str] = field(default_factory=dict)  # Material's nav by parent folder (hooks/nav_cache.py)
    page_links: dict[str, tuple[str, Any]] = field(default_factory=dict)  # src_uri -> (file, links.SheetLinks): sheets, docs_dir's pages
    link_warnings: list[tuple[str, str, str]] = field(default_factory=list)  # MkDocs' (src_uri, address, message) on sheets
    pdf: Any = None  # fiches_kb.pdf.PdfRenderer; None when the build makes no PDF (hooks/pdf_files.py)
    printed: dict[str, Any] = field(default_factory=dict)  # fiches_kb.pdf.PrintedSheet by sheet id
    qr: Any = None  # fiches_kb.qr.QrCodes: the print footers' QR codes, kept between builds

    def start(self, command: str, dirty: bool) -> None:
        """on_startup: once per process."""
        self.command, self.dirty = command, dirty

    def begin(self) -> None:
        """on_config: a new build; what the last one left (in `mkdocs serve`) is dropped."""
        if self.search is not None:
            self.search.stop()
        if self.pdf is not None:
            self.pdf.close()
        if self.helper is not None:
            self.helper.close()
        self.content = self.catalogue = self.review = self.search = self.output = None
        self.raw_html = self.templates = self.pdf = self.verdicts = self.qr = self.helper = None
        self.listings, self.problems, self.articles, self.nav_html, self.printed = {}, [], {}, {}, {}
        self.page_links, self.link_warnings, self.annotations = {}, [], {}

    def finished(self) -> None:
        """on_post_build, once the site is written: the next `--dirty` build compares with this one."""
        self.previous = self.content


BUILD = Build()


def page_source(markdown: str, template: str) -> str:
    """A generated page's Markdown, naming the template that renders it
    (MkDocs reads `template` from the front matter into page.meta)."""
    return f"---\ntemplate: {template}\n---\n\n{markdown}"
