"""Links from a sheet to the site's other pages and files: are they there?

MkDocs' strict build refuses a link or an image to a file that is not in the
site, and a link to an anchor (« autre-fiche.md#section », « #section ») the
page does not have; and both refuse a link written from the site's root
(« /id/FP-001/ »), which MkDocs leaves as written (`resolve`). Both `fiches check` and the build judge the links of
every sheet and of every page of `docs_dir` with `link_problems`, so both
report the same French message on the same line:

- `sheet_links` reads, once per sheet, what its rendering links to and the
  anchors it has (`RenderedBody.links` and `.anchors`, recorded where MkDocs
  reads them); `fiches check` keeps them with the file's cached result;
- `link_problems` resolves them against a `Targets`: in `fiches check`,
  `CheckTargets` (every sheet's recorded anchors, the files of `docs_dir`,
  the pages the build generates); in the build, MkDocs' own files and pages
  (hooks/check_rendering.py). A target's anchors are asked for only when a
  link names one, so the pass over the corpus is linear.

Addresses are resolved as MkDocs resolves them
(`mkdocs.structure.pages._RelativePathTreeprocessor`): relative to the
sheet's place in the site (« fiches/x.md »), not in the repository.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, Protocol
from urllib.parse import unquote, urlsplit

from markdown.util import AMP_SUBSTITUTE

from .check_cache import CheckCache
from .frontmatter import SourceFile
from .problems import Problem
from .rules import check_rendered_body, renderer_for
from .rules.render_cost import render_cost_problems
from .rules.addresses import url_scheme
from .rules.rendering import RenderedBody, load_docs_dir
from .rules.source_map import SourceMap
from .schema import Schema
from .text import closest, quote

HELP = "pages/contribuer/guide.md#liens"
_PERMANENT_ADDRESS = re.compile(r"id/[^/]+(?:/(?:index\.html)?)?")  # « /id/FP-001/ », the permanent address
# MkDocs never takes these from docs_dir (its default exclude_docs).
_EXCLUDED_FOLDERS = {"templates"}
# Files of the content folders that are not sheets (corpus.IGNORED_FILES, which imports this module).
NOT_SHEETS = frozenset({"MODELE.md", "README.md"})


class Link(NamedTuple):
    """A link or an image of a sheet to a page or file of the site.

    Named tuples, not dataclasses: `fiches check` keeps every sheet's links
    in its cache, and tuples pickle in a third less room and load faster.
    """

    line: int
    address: str  # as written
    image: bool
    target: str  # the target's place in the site (src_uri); the sheet's own for « #anchor »
    anchor: str  # "" when none
    absolute: bool = False  # written from the site's root (« /fiches/x/ »): refused, wherever it leads


class SheetLinks(NamedTuple):
    """What one sheet links to, and the anchors it has: all the cross-file pass needs of it."""

    links: tuple[Link, ...] = ()
    anchors: frozenset[str] = frozenset()


def sheet_links(source, src_uri: str, rendered: RenderedBody) -> SheetLinks:
    """The links of a rendered sheet that lead to the site itself, with their lines."""
    links: list[Link] = []
    source_map = None
    for tag, address in rendered.links:
        resolved = resolve(src_uri, address)
        if resolved is None:
            continue  # not to the site
        target, anchor, absolute = resolved
        if not absolute and target == src_uri and anchor in rendered.anchors:
            continue  # to a section of this very sheet (every heading's « ¶ » link): always there
        if source_map is None:
            source_map = SourceMap(source)
        line = source_map.line_of(address, html.escape(address, quote=False), html.escape(address), address[:40])
        links.append(Link(line, address, tag == "img", target, anchor, absolute))
    return SheetLinks(tuple(links), rendered.anchors)


def resolve(src_uri: str, address: str) -> tuple[str, str, bool] | None:
    """(target src_uri, anchor, written from the site's root) of an address to
    the site, else None: an address with a scheme or a host (judged by
    rules/addresses.py), an e-mail address, a bare « ? ». An address written
    from the site's root (« /id/FP-001/ », « /images/x.png ») comes back with
    its path without the « / » and True: MkDocs leaves it as written, it breaks
    when the site is published in a sub-folder (GitHub Pages' project sites),
    and nothing checks its target, so it is refused wherever it leads."""
    try:
        scheme, netloc, path, _query, anchor = urlsplit(address)
    except ValueError:
        return None
    if scheme or netloc or url_scheme(address) is not None:
        return None  # url_scheme: a scheme hidden by entities or invisible characters, refused by rules/addresses.py
    if path.startswith("/"):
        return None if path.startswith("//") else (posixpath.normpath(unquote(path)).lstrip("/"), anchor, True)
    if address.startswith("\\") or AMP_SUBSTITUTE in address:
        return None
    if not path:
        return (src_uri, anchor, False) if anchor else None
    return target_uri(src_uri, unquote(path)), anchor, False


def target_uri(src_uri: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


class Targets(Protocol):
    """What a sheet's links are resolved against."""

    def exists(self, uri: str) -> bool:
        """uri is a page or file of the site the linking sheet is built in."""

    def unpublished(self, uri: str) -> bool:
        """uri is a sheet that is not published (so not on the site)."""

    def generated(self, uri: str) -> bool:
        """uri is a page the build generates (listings, catalogue…), with no anchors to link to."""

    def anchors(self, uri: str) -> frozenset[str] | None:
        """The anchors of the page uri, or None when unknown (a file that is not a page)."""

    def uris(self) -> Iterable[str]:
        """Every page and file of the site, for suggestions."""


def link_problems(rel_path: str, src_uri: str, links: SheetLinks, targets: Targets) -> list[Problem]:
    """Every link of one sheet to a page, file or anchor that is not there."""
    found = (link_problem(rel_path, src_uri, link, links.anchors, targets) for link in links.links)
    return [problem for problem in found if problem is not None]


def link_problem(rel_path: str, src_uri: str, link: Link, own_anchors: frozenset[str], targets: Targets) -> Problem | None:
    """What is wrong with one link of a sheet (whose anchors are own_anchors), if anything."""
    if link.absolute:
        return _from_site_root(rel_path, src_uri, link, targets)
    if link.target != src_uri and not targets.exists(link.target):
        return _missing(rel_path, src_uri, link, targets)
    if not link.anchor:
        return None
    if link.target != src_uri and targets.generated(link.target):
        return _anchor_on_generated_page(rel_path, link)
    anchors = own_anchors if link.target == src_uri else targets.anchors(link.target)
    if anchors is not None and link.anchor not in anchors:
        return _missing_anchor(rel_path, src_uri, link, anchors)
    return None


def _problem(rel_path: str, link: Link, rule: str, message: str, expected: str, suggestion: str) -> Problem:
    return Problem(
        rel_path, link.line, message, expected=expected, found=quote(link.address, 120), suggestion=suggestion, help=HELP, rule=rule
    )


def _relative(uri: str, src_uri: str) -> str:
    return posixpath.relpath(uri, posixpath.dirname(src_uri) or ".")


def _missing(rel_path: str, src_uri: str, link: Link, targets: Targets) -> Problem:
    if targets.unpublished(link.target):
        return _problem(
            rel_path,
            link,
            "fiche-non-publiee",
            f"lien vers une fiche qui n'est pas publiée ({link.target}) : sur le site, ce lien serait cassé.",
            "un lien vers une fiche publiée",
            "retirez le lien jusqu'à la publication de la fiche visée, ou publiez-la dans la même demande",
        )
    guess = _guess(link.target, targets)
    written = _relative(guess, src_uri) + (f"#{link.anchor}" if link.anchor else "") if guess else None
    if link.image:
        return _problem(
            rel_path,
            link,
            "image-introuvable",
            f"image introuvable : « {link.target} » n'est pas un fichier du site.",
            "une image enregistrée dans le dossier « pages/ » du dépôt (par exemple « pages/images/schema.png »), "
            "écrite depuis la fiche « ../images/schema.png »",
            f"vouliez-vous dire « {written} » ?" if written else
            "enregistrez l'image dans « pages/images/ » et écrivez « ![description de l'image](../images/nom-du-fichier.png) »",
        )
    return _problem(
        rel_path,
        link,
        "lien-introuvable",
        f"lien vers une page qui n'existe pas : « {link.target} » n'est pas une page ni un fichier du site.",
        "le fichier d'une fiche ou d'une page du site, écrit depuis ce fichier-ci : « autre-fiche.md », "
        "« ../pratiques-inspirantes/une-pratique.md », « ../glossaire.md »",
        f"vouliez-vous dire « {written} » ?" if written else "vérifiez le nom du fichier visé (il se termine par « .md »)",
    )


def _from_site_root(rel_path: str, src_uri: str, link: Link, targets: Targets) -> Problem:
    permanent = _PERMANENT_ADDRESS.fullmatch(link.target)
    guess = None if permanent or link.target in ("", ".") else _guess(link.target.removesuffix("/index.html"), targets)
    written = _relative(guess, src_uri) + (f"#{link.anchor}" if link.anchor else "") if guess else None
    if written:
        suggestion = f"vouliez-vous dire « {written} » ?"
    elif permanent:
        suggestion = (
            "écrivez le lien vers le fichier de la fiche visée, depuis ce fichier-ci (par exemple « autre-fiche.md » "
            "ou « ../pratiques-inspirantes/une-pratique.md ») ; l'adresse permanente « /id/… » sert aux liens venant d'autres sites"
        )
    else:
        suggestion = "écrivez le lien vers le fichier visé, depuis ce fichier-ci (il se termine par « .md »)"
    return _problem(
        rel_path,
        link,
        "lien-depuis-la-racine",
        f"lien écrit depuis la racine du site : « {link.address} » ne mène pas au bon endroit quand le site est publié "
        "dans un sous-dossier (comme sur GitHub Pages), et la vérification ne peut pas savoir si sa cible existe.",
        "un lien vers le fichier d'une fiche ou d'une page, écrit depuis ce fichier-ci : « autre-fiche.md », "
        "« ../pratiques-inspirantes/une-pratique.md », « ../glossaire.md »",
        suggestion,
    )


def _guess(uri: str, targets: Targets) -> str | None:
    """The page or file most likely meant: as MkDocs guesses (« page/ » for
    « page.md »), the file named from the repository (« ../pages/… »), else the closest name."""
    stem = uri[: -len(".html")] if uri.endswith(".html") else uri
    for candidate in (f"{stem}.md", f"{uri}/index.md", uri.split("/", 1)[-1] if "/" in uri else ""):
        if candidate and targets.exists(candidate):
            return candidate
    # By file name (« index » pages aside), those of the same folder first.
    folder, name = posixpath.split(uri)
    names = {}
    for candidate in sorted(targets.uris(), key=lambda other: posixpath.dirname(other) == folder):
        candidate_name = posixpath.basename(candidate)
        if candidate_name != "index.md" and posixpath.splitext(candidate_name)[1] == posixpath.splitext(name)[1]:
            names[posixpath.splitext(candidate_name)[0]] = candidate
    return closest(posixpath.splitext(name)[0], names)


def _missing_anchor(rel_path: str, src_uri: str, link: Link, anchors: frozenset[str]) -> Problem:
    itself = "cette fiche" if rel_path == src_uri else "cette page"  # a page of docs_dir is named by its file
    where = f"dans {itself}" if link.target == src_uri else f"dans « {link.target} »"
    guess = closest(link.anchor, sorted(anchors))
    path = "" if link.target == src_uri else link.address.split("#", 1)[0]
    return _problem(
        rel_path,
        link,
        "ancre-introuvable",
        f"la section « #{link.anchor} » n'existe pas {where}.",
        "l'ancre d'un titre de la page visée, telle que le site l'écrit (le lien « ¶ » à côté du titre)",
        f"vouliez-vous dire « {path}#{guess} » ?" if guess else "ouvrez la page visée sur le site et copiez le lien « ¶ » du titre voulu",
    )


def _anchor_on_generated_page(rel_path: str, link: Link) -> Problem:
    return _problem(
        rel_path,
        link,
        "ancre-introuvable",
        f"« {link.target} » est une page produite automatiquement : ses sections n'ont pas d'ancre à viser.",
        "un lien vers la page elle-même, sans « #… »",
        f"écrivez « {link.address.split('#', 1)[0]} »",
    )


# --- the build: the site as MkDocs made it ------------------------------------


class BuildTargets:
    """The site under construction: MkDocs' files and pages (duck-typed:
    `mkdocs.structure.files.Files`), once every page's Markdown is rendered.
    A sheet file that is not among them is not published in this build."""

    def __init__(self, files, root: Path, schema: Schema) -> None:
        self.files, self.root = files, root
        self.folders = {content_type.folder for content_type in schema.types.values()}

    def _file(self, uri: str):
        return self.files.get_file_from_path(uri)

    def exists(self, uri: str) -> bool:
        return self._file(uri) is not None

    def unpublished(self, uri: str) -> bool:
        folder, _, name = uri.partition("/")
        return folder in self.folders and name.endswith(".md") and name not in NOT_SHEETS and (self.root / uri).is_file()

    def generated(self, uri: str) -> bool:
        file = self._file(uri)
        return file is not None and file.abs_src_path is None and file.is_documentation_page()

    def anchors(self, uri: str) -> frozenset[str] | None:
        file = self._file(uri)
        page = file.page if file is not None else None
        anchors = page.present_anchor_ids if page is not None else None
        return frozenset(anchors) if anchors is not None else None  # None: not a page, or not rendered (serve --dirty)

    def uris(self) -> Iterable[str]:
        return self.files.src_uris


# --- fiches check: the site as the build will make it ------------------------


def generated_pages(schema: Schema, published_ids: Iterable[str]) -> set[str]:
    """The pages and files the build's hooks generate that a sheet may link to.

    tests/test_cli_check_links.py checks each is in the built site, and that
    every page of the built site is known here (the training modules' pages
    are given by the corpus: `corpus_link_problems`'s other_pages).
    """
    uris = {f"{content_type.folder}/index.md" for content_type in schema.types.values()}
    for vocabulary in ("themes", "publics", "statuts"):  # fiches_kb.listings.TAXONOMIES
        uris.add(f"{vocabulary}/index.md")
        uris |= {
            f"{vocabulary}/{key}.md"
            for key, term in schema.vocabulary(vocabulary).items()
            if vocabulary != "statuts" or term.published
        }
    uris |= {"catalogue/index.md", "recherche/index.md", "a-relire/index.md", "validations/index.md", "consultations/index.md"}
    uris |= {"feed.xml", "catalogue.json", "catalogue-1.schema.json"}
    uris |= {f"id/{identifier}/index.html" for identifier in published_ids}
    return uris


class CheckTargets:
    """The site a sheet's links lead into, known without building it.

    `sheets`: every sheet file (src_uri → published?, its SheetLinks or None
    when it could not be read); a draft sheet is built only with the drafts,
    where every sheet is there. Pages of `docs_dir` are rendered only when a
    link names one of their anchors.
    """

    def __init__(
        self,
        root: Path,
        schema: Schema,
        sheets: dict[str, tuple[bool, SheetLinks | None]],
        published_ids: Iterable[str],
        cache: CheckCache | None = None,
    ) -> None:
        self.root, self.schema, self.sheets, self.cache = root, schema, sheets, cache
        self.docs_dir = root / load_docs_dir(root)
        self.docs_files = set(_site_files(self.docs_dir))
        self.generated_uris = generated_pages(schema, published_ids)
        self.published_view = True  # the linking sheet is published: the drafts are not on its site
        self._published = {uri for uri, (is_published, _) in sheets.items() if is_published}
        self._pages: dict[str, SheetLinks | None] = {}

    def exists(self, uri: str) -> bool:
        if uri in self.sheets:
            return uri in self._published or not self.published_view
        return uri in self.docs_files or uri in self.generated_uris

    def unpublished(self, uri: str) -> bool:
        return uri in self.sheets and uri not in self._published and self.published_view

    def generated(self, uri: str) -> bool:
        return uri in self.generated_uris and uri not in self.docs_files and uri.endswith(".md")

    def anchors(self, uri: str) -> frozenset[str] | None:
        if uri in self.sheets:
            links = self.sheets[uri][1]
            return links.anchors if links is not None else None
        if not uri.endswith(".md") or uri not in self.docs_files:
            return None  # MkDocs checks anchors on pages only
        links = self.page_links(uri)
        return links.anchors if links is not None else None

    def uris(self) -> Iterable[str]:
        visible = self.sheets if not self.published_view else self._published
        return [*visible, *self.docs_files, *self.generated_uris]

    def pages(self) -> list[tuple[str, str]]:
        """(src_uri, path in the repository) of every page of docs_dir."""
        return [(uri, (self.docs_dir / uri).relative_to(self.root).as_posix()) for uri in sorted(self.docs_files) if uri.endswith(".md")]

    def page_links(self, uri: str) -> SheetLinks | None:
        """A page's links and anchors (None: unreadable), from the check cache when its bytes are known."""
        if uri not in self._pages:
            path = self.docs_dir / uri
            rel_path = path.relative_to(self.root).as_posix()
            fingerprint = CheckCache.fingerprint(path, MAX_PAGE_BYTES) if self.cache is not None else None
            known = self.cache.get(rel_path, fingerprint) if self.cache is not None else None
            if known is None:
                known = (_render_page(self.root, self.schema, uri, path, rel_path),)
                if self.cache is not None:
                    self.cache.put(rel_path, fingerprint, known)
            self._pages[uri] = known[0]
        return self._pages[uri]


# Pages of docs_dir larger than this are not kept in the check cache (read and rendered every time).
MAX_PAGE_BYTES = 4 * 1024 * 1024


def _render_page(root: Path, schema: Schema, uri: str, path: Path, rel_path: str) -> SheetLinks | None:
    """A page of docs_dir rendered as the build renders it; lines are counted in the whole file."""
    from mkdocs.utils.meta import get_data

    from .guide import GUIDE_PAGE, render_guide

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the build reports an unreadable page itself
    markdown, _ = get_data(text)
    if uri == GUIDE_PAGE:  # as hooks/contributor_guide.py fills it
        markdown = render_guide(markdown, schema)
    return sheet_links(SourceFile(path, rel_path, {}, {}, text, 1), uri, renderer_for(root).render(markdown))


def _site_files(docs_dir: Path) -> Iterable[str]:
    """The files MkDocs takes from docs_dir (not the hidden ones, nor templates/), as src_uris."""
    for folder, subfolders, names in os.walk(docs_dir):
        relative = Path(folder).relative_to(docs_dir)
        subfolders[:] = [
            name for name in subfolders if not name.startswith(".") and not (relative == Path(".") and name in _EXCLUDED_FOLDERS)
        ]
        for name in names:
            if not name.startswith("."):
                yield (relative / name).as_posix()


def render_and_check_body(source, schema: Schema, renderer) -> tuple[list[Problem], SheetLinks | None]:
    """check_body_safety, keeping what the sheet links to from the same rendering
    (None when the body is too costly to render: it is refused unrendered)."""
    too_costly = render_cost_problems(source)
    if too_costly:
        return too_costly, None
    rendered = renderer.render(source.body)
    return check_rendered_body(source, schema, rendered), sheet_links(source, source.rel_path, rendered)


def corpus_link_problems(
    root: Path, schema: Schema, sources, unread: Iterable[str], other_pages: Iterable[str] = (), cache: CheckCache | None = None
) -> list[tuple[Problem, str]]:
    """`fiches check`'s pass across files: the links of every sheet and page of
    docs_dir against the whole site, each problem with the src_uri its link
    leads into (`fiches check B` also reports the links into B that B no
    longer answers). A page's links and anchors are kept in `cache`.

    `sources`: the SourceFiles read, each with the SheetLinks its check recorded
    (`links`; None when its body was not rendered); `unread`: the src_uris of
    the sheet files that could not be read (there, with unknown anchors);
    `other_pages`: generated pages known only from the corpus (training modules).
    """
    sheets: dict[str, tuple[bool, SheetLinks | None]] = {uri: (True, None) for uri in unread}
    ids = []
    for source in sources:
        status = source.data.get("statut")
        term = schema.statuses.get(status) if isinstance(status, str) else None
        is_published = term.published if term is not None else True
        sheets[source.rel_path] = (is_published, source.links)
        if is_published and isinstance(source.data.get("id"), str):
            ids.append(source.data["id"])
    targets = CheckTargets(root, schema, sheets, ids, cache)
    targets.generated_uris.update(other_pages)
    linking = [(uri, uri, is_published, links) for uri, (is_published, links) in sheets.items()]
    linking += [(uri, rel_path, True, targets.page_links(uri)) for uri, rel_path in targets.pages()]
    problems = []
    for uri, rel_path, is_published, links in linking:
        if links is None or not links.links:
            continue
        targets.published_view = is_published  # a draft is built only with the drafts, so with every sheet
        for link in links.links:
            problem = link_problem(rel_path, uri, link, links.anchors, targets)
            if problem is not None:
                problems.append((problem, link.target))
    if cache is not None:
        cache.save()
    return problems
