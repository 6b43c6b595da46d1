"""Printable versions: a tagged PDF of every published sheet, and booklets.

A sheet's PDF is its article (the HTML the page shows, `partials/fiche.html`,
rendered once by the build) in a small dedicated template
(`templates/pdf/document.html`) with its own print stylesheet
(`templates/pdf/fiche-pdf.css`), rendered by WeasyPrint as PDF/UA-1 (tagged,
with title, author, subject, keywords and language `fr`). Each page carries
the sheet's status, its version date, « page x / y », its full permanent
address and a QR code to it. A booklet (`booklet_document`) is a cover, a
table of contents with page numbers and the sheets, one after the other:
theme booklets use it, and so can training modules.

WeasyPrint is the slowest part of a build, so:
- every PDF is cached by a hash of everything that shapes it (its HTML, the
  template, the stylesheet, WeasyPrint's version, this module): a rebuild of
  an unchanged corpus renders none (`PdfCache`, in the user's cache folder);
- what must be rendered is rendered in worker processes, one per core
  (`PdfRenderer`), while MkDocs goes on with the site;
- a build can skip PDFs (`FICHES_PDF=non`), and `mkdocs serve` skips them
  unless asked (`FICHES_PDF=oui`).

WeasyPrint reads nothing from another host: its URL fetcher only serves
`data:` URLs and files of the site folder. Nothing here imports MkDocs.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import html
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import escape

from .check_cache import cache_dir
from .formatting import french_date
from .problems import Problem
from .qr import qr_svg
from .settings import ON_VALUES

PDF_ENV = "FICHES_PDF"
OFF_VALUES = ("0", "non", "false", "no")
PDF_FOLDER = "pdf"  # sheets' PDFs: pdf/<ID>.pdf; theme booklets: pdf/themes/<key>.pdf
FORMAT = 1  # bump when the cache's layout changes

TEMPLATE = "document.html"
STYLESHEET = "fiche-pdf.css"


# --- When ------------------------------------------------------------------

def pdf_wanted(command: str, environ: Mapping[str, str] = os.environ) -> bool:
    """`mkdocs build` makes PDFs unless FICHES_PDF is off (0, non, false, no);
    `mkdocs serve` only when it is on (1, oui, true, yes)."""
    value = environ.get(PDF_ENV, "").strip().lower()
    if command == "serve":
        return value in ON_VALUES
    return value not in OFF_VALUES


# --- Addresses --------------------------------------------------

def permanent_path(sheet_id: str) -> str:
    return f"id/{sheet_id}/"


def full_address(site_url: str | None, path: str) -> str | None:
    """The absolute address of a site path, or None when the site's address is not set."""
    return site_url.rstrip("/") + "/" + path if site_url else None


def pdf_path(sheet_id: str) -> str:
    """Where a sheet's PDF is, from the site's root."""
    return f"{PDF_FOLDER}/{sheet_id}.pdf"


def booklet_path(kind: str, key: str) -> str:
    """Where a booklet is, from the site's root (`kind`: « themes », « parcours »…)."""
    return f"{PDF_FOLDER}/{kind}/{key}.pdf"


def size_label(size: int) -> str:
    """« 84 ko »: kilobytes (1,000 bytes), rounded up, as French sites write them."""
    return f"{max(1, -(-size // 1000))}\u202fko"


# --- What is printed ---------------------------------------------------------

_LINK = re.compile(r'(<a\b[^>]*?\s)href="([^"]*)"')
_IMAGE = re.compile(r'(<img\b[^>]*?\s)src="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _printed_links(article: str, page_url: str, site_url: str | None) -> str:
    """Links of the page made absolute (they lead to the site), or plain text
    without the site's address; images addressed from the site's root, where
    the URL fetcher finds them in the site folder."""

    def link(match: re.Match) -> str:
        start, href = match.groups()
        if href.startswith("#") or _SCHEME.match(href):
            return match.group(0)
        if not site_url:
            return start.rstrip()  # no address to give: the text stays, unlinked
        # The attribute's value is HTML (« &amp; »): unescaped, joined, escaped again.
        return f'{start}data-pdf-interne href="{escape(urljoin(full_address(site_url, page_url), html.unescape(href)))}"'

    def image(match: re.Match) -> str:
        start, src = match.groups()
        if _SCHEME.match(src) or src.startswith("/"):
            return match.group(0)
        return f'{start}src="{escape(urljoin("/" + page_url, html.unescape(src)).lstrip("/"))}"'

    return _IMAGE.sub(image, _LINK.sub(link, article))


@dataclass(frozen=True)
class PrintedSheet:
    """A sheet as its PDF shows it: what the page shows, nothing more."""

    id: str
    title: str
    summary: str
    type_label: str
    status_label: str
    official: bool
    updated: date
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    address: str  # absolute when the site's address is set, else « id/<ID>/ »
    absolute: bool
    article: str  # the page's article, as the page shows it
    page_url: str = ""  # the page's address from the site's root (« fiches/x/ »)
    site_url: str | None = None

    @property
    def status_line(self) -> str:
        return self.status_label + ("" if self.official else " (non validée par le HCTS)")

    @property
    def printed_article(self) -> str:
        """The article with its links made absolute (done where the PDF is rendered, not on a warm build)."""
        return _printed_links(self.article, self.page_url, self.site_url)

    @functools.cached_property
    def digest(self) -> str:
        """Hash of everything printed of this sheet (computed once: booklets reuse it)."""
        digest = hashlib.sha256()
        for spec in dataclasses.fields(self):
            digest.update(repr(getattr(self, spec.name)).encode() if spec.name != "article" else self.article.encode())
            digest.update(b"\0")
        return digest.hexdigest()


def printed_sheet(sheet, article: str, page_url: str, site_url: str | None) -> PrintedSheet:
    """`sheet`: a corpus Sheet; `article`: its page's article; `page_url`: its
    address from the site's root (« fiches/x/ »)."""
    address = full_address(site_url, permanent_path(sheet.id))
    return PrintedSheet(
        id=sheet.id,
        title=sheet.title,
        summary=sheet.summary,
        type_label=sheet.type.label,
        status_label=sheet.status.label,
        official=sheet.is_official,
        updated=sheet.updated,
        authors=tuple(sheet.authors),
        keywords=tuple(t.label for t in (*sheet.themes, *sheet.audiences)),
        address=address or permanent_path(sheet.id),
        absolute=address is not None,
        article=article,
        page_url=page_url,
        site_url=site_url,
    )


@dataclass(frozen=True)
class Cover:
    """A booklet's cover: what it gathers (« Thème », « Parcours »…), its
    title, a short description, the date and the licence."""

    kind: str
    title: str
    description: str
    when: date
    licence_name: str
    licence_url: str
    site_name: str
    address: str | None = None  # the booklet's page, absolute when known
    notes: tuple[tuple[str, str], ...] = ()  # (sheet id, note): a training module's note on a sheet, in its contents


def booklet_cover(
    kind: str, title: str, description: str, sheets: Sequence[PrintedSheet], licence, site_name: str, address: str,
    notes: Sequence[tuple[str, str]] = (),
) -> Cover:
    """The cover of a booklet of `sheets` (theme or training module), dated by its newest sheet;
    `licence`: referentiel.yml's (name and url); `notes`: (sheet id, note) shown
    under the sheet's line in the contents (a training module's notes)."""
    return Cover(
        kind=kind,
        title=title,
        description=description,
        when=max(sheet.updated for sheet in sheets),
        licence_name=licence.name,
        licence_url=licence.url,
        site_name=site_name,
        address=address,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class PageLimit:
    """The most A4 pages a sheet's PDF may have (referentiel.yml › types ›
    <type> › pages_a4_max), and where to send the contributor when it has more."""

    pages: int
    source: str  # the sheet's file, « fiches/x.md »
    line: int | None = None  # where its text starts
    help: str | None = None  # the guide's section on the structure of its type


@dataclass(frozen=True)
class PdfDocument:
    """One PDF to make: one sheet, or a booklet (with a cover). Plain data, so
    that its key is computed without rendering anything (a cached PDF costs
    a hash and a file read) and a worker process can render it."""

    label: str  # for messages: « la fiche FP-001 (fiches/x.md) », « le livret « … » »
    title: str
    sheets: tuple[PrintedSheet, ...]
    site_name: str
    cover: Cover | None = None
    limit: PageLimit | None = None  # a sheet's page limit (booklets have none)

    def over_limit(self, pages: int) -> bool:
        return self.limit is not None and pages > self.limit.pages

    @property
    def key(self) -> str:
        """Hash of everything that shapes the PDF (besides images of the site folder)."""
        digest = hashlib.sha256()
        # The limit too: a PDF over it is never cached, so a cached one is known to be within it.
        shape = repr((self.title, self.site_name, self.cover, self.limit and self.limit.pages))
        for part in (str(FORMAT), _machinery_fingerprint(), shape, *(s.digest for s in self.sheets)):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def html(self) -> str:
        """The HTML WeasyPrint reads (the PDF's metadata too: title, author, subject, keywords, language)."""
        sheets = self.sheets
        if self.cover is None:
            subject, when = sheets[0].summary, sheets[0].updated
        else:
            subject, when = self.cover.description, self.cover.when
        return _environment().get_template(TEMPLATE).render(
            titre=self.title,
            fiches=sheets,
            couverture=self.cover,
            site_name=self.site_name,
            auteurs=tuple(dict.fromkeys(a for s in sheets for a in s.authors)),
            sujet=subject,
            mots_cles=tuple(dict.fromkeys(k for s in sheets for k in s.keywords)),
            date_document=when,
        )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fiches_kb", "templates/pdf"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_fr"] = french_date
    env.globals["qr_svg"] = qr_svg
    return env


def _template_source(name: str) -> str:
    return (files("fiches_kb") / "templates" / "pdf" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _machinery_fingerprint() -> str:
    """Template, stylesheet, this module and WeasyPrint's version."""
    parts = (
        _template_source(TEMPLATE),
        _template_source(STYLESHEET),
        Path(__file__).read_text(encoding="utf-8"),
        metadata.version("weasyprint"),  # not imported: a warm build never loads WeasyPrint
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def sheet_document(printed: PrintedSheet, site_name: str, source: str, limit: PageLimit | None = None) -> PdfDocument:
    """The PDF of one sheet (`source`: its file, for messages; `limit`: its type's page limit, if any)."""
    return PdfDocument(f"la fiche {printed.id} ({source})", printed.title, (printed,), site_name, limit=limit)


def page_limit_problem(document: PdfDocument, pages: int) -> Problem:
    """A sheet whose PDF has more A4 pages than its type allows, as a French problem."""
    sheet, limit = document.sheets[0], document.limit
    return Problem(
        limit.source,
        limit.line,
        f"{sheet.id} s'imprime sur {pages} pages A4 ; une {sheet.type_label.lower()} tient en {limit.pages} pages au plus.",
        expected=f"{limit.pages} pages A4 au plus, une fois imprimée en PDF (referentiel.yml, type de contenu, « pages_a4_max »)",
        found=f"{pages} pages ({pdf_path(sheet.id)})",
        suggestion=(
            "raccourcissez le texte : supprimez ce qui se répète (entre « L'essentiel », le texte et les ressources), "
            "resserrez les phrases, ou faites d'un développement une fiche à part, reliée par le champ « liees » ; "
            "la construction du site refait le PDF (dossier site/pdf/) pour vérifier"
        ),
        help=limit.help,
    )


def booklet_document(title: str, cover: Cover, sheets: Sequence[PrintedSheet]) -> PdfDocument:
    """A booklet: `cover`, a table of contents with page numbers, then every
    sheet in the order given. Theme booklets use it; training modules can too
    (then submit it to the build's renderer, `BUILD.pdf.submit(path, document)`)."""
    return PdfDocument(f"le livret « {title} »", title, tuple(sheets), cover.site_name, cover)


# --- Rendering -----------------------------------------------------------------

MISSING_PANGO = (
    "WeasyPrint ne trouve pas la bibliothèque Pango. Installez-la (Debian ou Ubuntu : "
    "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 ; macOS : brew install pango), "
    "ou construisez sans les PDF : FICHES_PDF=non"
)


class PdfError(Exception):
    """A PDF could not be made: the message is French and names the sheet."""


def _local_fetcher(site_dir: Path):
    """WeasyPrint's URL fetcher, limited to `data:` URLs and the files of the site folder."""
    from weasyprint.urls import URLFetcher

    root = site_dir.resolve()

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(parts.path).resolve()
                if path.is_relative_to(root):
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"ressource refusée (seules celles du site sont lues) : {url}")

    return LocalOnly()


@dataclass(frozen=True)
class RenderedPdf:
    """What WeasyPrint made: the PDF's bytes and its number of pages."""

    data: bytes
    pages: int


def render_pdf(document: PdfDocument, site_dir: Path) -> bytes:
    """The PDF/UA-1 bytes of `document`; PdfError (French) on any failure."""
    return render_counted(document, site_dir).data


def render_counted(document: PdfDocument, site_dir: Path) -> RenderedPdf:
    """The PDF/UA-1 of `document` and its number of pages (laid out once); PdfError (French) on any failure."""
    try:
        import weasyprint
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise PdfError(f"Le PDF de {document.label} n'a pas pu être produit : {MISSING_PANGO} (détail technique : {error})") from None
    try:
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        stylesheet = weasyprint.CSS(string=_template_source(STYLESHEET))
        source = weasyprint.HTML(string=document.html(), base_url=site_dir.resolve().as_uri() + "/", url_fetcher=_local_fetcher(site_dir))
        options = {"stylesheets": [stylesheet], "pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
        laid_out = source.render(**options)  # what HTML.write_pdf does, keeping the pages to count them
        return RenderedPdf(laid_out.write_pdf(**options), len(laid_out.pages))
    except Exception as error:  # noqa: BLE001 - any failure becomes one French message
        raise PdfError(f"Le PDF de {document.label} n'a pas pu être produit par WeasyPrint : {type(error).__name__} : {error}") from None


class PdfCache:
    """Rendered PDFs by key, one file each, in the user's cache folder
    (`FICHES_CACHE`, else ~/.cache/fiches-kb on Linux). Written whole and
    renamed into place; a cache that cannot be read or written is ignored."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = (folder or cache_dir()) / "pdf"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> Path | None:
        """The cached PDF's file, if there is one (never read here: it is linked or copied into the site)."""
        path = self._path(key)
        return path if path.is_file() else None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as stream:
                stream.write(data)
            os.replace(stream.name, path)
        except OSError:
            pass


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass
class PdfRenderer:
    """The PDFs of one build: cached ones at once, the others rendered by
    worker processes (one per usable core) while the build goes on.

    `submit` as soon as a document's HTML is known; `size` waits for one
    PDF (a sheet page shows it); `write_all` waits for every PDF and writes
    them into the site folder (the staging folder, before it is published)."""

    site_dir: Path
    cache: PdfCache = field(default_factory=PdfCache)
    workers: int = field(default_factory=_usable_cpus)
    rendered: int = 0  # PDFs sent to WeasyPrint in this build (the others came from the cache)
    _pending: dict[str, tuple[PdfDocument, concurrent.futures.Future]] = field(default_factory=dict)
    _pool: concurrent.futures.ProcessPoolExecutor | None = None

    def submit(self, path: str, document: PdfDocument) -> None:
        """Make the PDF at `path` (from the site's root)."""
        key = document.key
        cached = self.cache.get(key)
        future: concurrent.futures.Future = concurrent.futures.Future()
        if cached is not None:
            future.set_result(cached)
        else:
            if self._pool is None:
                # spawn: a clean interpreter per worker, never a fork of MkDocs' threads.
                context = multiprocessing.get_context("spawn")
                self._pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context)
            future = self._pool.submit(render_counted, document, self.site_dir)
            self.rendered += 1
            future.add_done_callback(lambda done, key=key, document=document: self._keep(key, document, done))
        self._pending[path] = (document, future)

    def _keep(self, key: str, document: PdfDocument, future: concurrent.futures.Future) -> None:
        """Cache a rendered PDF, unless it is over its page limit: the next build
        renders it again and reports it again (a cached PDF is within its limit)."""
        if not future.cancelled() and future.exception() is None:
            rendered: RenderedPdf = future.result()
            if not document.over_limit(rendered.pages):
                self.cache.put(key, rendered.data)

    @property
    def made(self) -> int:
        return len(self._pending)

    def __contains__(self, path: str) -> bool:
        return path in self._pending

    def result(self, path: str) -> bytes | Path:
        """The PDF's bytes (just rendered) or its file in the cache."""
        data = self._outcome(path)
        return data.data if isinstance(data, RenderedPdf) else data

    def _outcome(self, path: str) -> RenderedPdf | Path:
        document, future = self._pending[path]
        try:
            return future.result()
        except PdfError:
            raise
        except Exception as error:  # a worker died (memory, signal): still one French message
            raise PdfError(f"Le PDF de {document.label} n'a pas pu être produit : {type(error).__name__} : {error}") from None

    def over_limit(self) -> list[Problem]:
        """Every sheet whose PDF has more pages than its type allows (waits for
        every PDF). Only rendered PDFs are counted: a cached one is within its
        limit, since the limit is part of its key and an over-limit PDF is never cached."""
        problems = []
        for path, (document, _) in self._pending.items():
            outcome = self._outcome(path)
            if isinstance(outcome, RenderedPdf) and document.over_limit(outcome.pages):
                problems.append(page_limit_problem(document, outcome.pages))
        return problems

    def size(self, path: str) -> int:
        data = self.result(path)
        return data.stat().st_size if isinstance(data, Path) else len(data)

    def write_all(self, site_dir: Path) -> None:
        """Wait for every PDF and write it under `site_dir`; PdfError on the first failure.
        A cached PDF is hard-linked into the site when it can be (no copy: the
        cache's files are replaced, never changed), else copied."""
        for path in self._pending:
            data = self.result(path)
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
                continue
            target.unlink(missing_ok=True)
            try:
                os.link(data, target)
            except OSError:
                shutil.copyfile(data, target)
        self.close()

    def close(self) -> None:
        """Stop the workers (a failed or interrupted build: what is queued is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

