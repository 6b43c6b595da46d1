"""What the browser tests share: the page types of the site, the two screen
widths, axe-core and how to report its results. See README.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

WIDTHS = {
    "desktop": {"width": 1280, "height": 800},
    "mobile": {"width": 375, "height": 740},
}

SEARCH_QUERY = "données"
NOTHING_QUERY = "kayak"  # no sheet on this: the « nothing on this » answer


@dataclass(frozen=True)
class PageType:
    """One kind of page of the site. `find` gives the path of a page of
    that kind in the built site (None: the kind does not exist yet)."""

    key: str
    find: object
    missing: str = ""  # skip reason when `find` gives None


def _fixed(path: str, marker: str):
    return lambda build: path if (build / marker).is_file() else None


def _first_child(folder: str):
    """The first page (by name) under folder/, its index excluded."""

    def find(build: Path):
        children = sorted(p.parent.name for p in (build / folder).glob("*/index.html"))
        return f"{folder}/{children[0]}/" if children else None

    return find


def _search_results(build: Path):
    if (build / "recherche" / "index.html").is_file() and (build / "pagefind" / "pagefind.js").is_file():
        return f"recherche/?q={SEARCH_QUERY}"
    return None


def _search_nothing(build: Path):
    return f"recherche/?q={NOTHING_QUERY}" if _search_results(build) else None


def _search_filtered(with_query: bool):
    """The search page with a theme chosen (filters open, with their counts),
    with a query (results) or without (counts and the catalogue link)."""

    def find(build: Path):
        theme = _first_child("themes")(build)
        if theme is None or _search_results(build) is None or not (build / "pagefind" / "facettes.json").is_file():
            return None
        query = f"q={SEARCH_QUERY}&" if with_query else ""
        return f"recherche/?{query}theme={theme.split('/')[1]}"

    return find


PAGE_TYPES = [
    PageType("home", _fixed("", "index.html")),
    PageType("fiche-pratique", _first_child("fiches")),
    PageType("pratique-inspirante", _first_child("pratiques-inspirantes")),
    PageType("theme", _first_child("themes")),
    PageType("theme-index", _fixed("themes/", "themes/index.html")),
    PageType("audience", _first_child("publics")),
    PageType("status", _first_child("statuts")),
    PageType("type-listing", _fixed("fiches/", "fiches/index.html")),
    PageType("about", _fixed("a-propos/", "a-propos/index.html")),
    PageType("glossary", _fixed("glossaire/", "glossaire/index.html")),
    PageType("contribute", _fixed("contribuer/", "contribuer/index.html")),
    PageType("contributor-guide", _fixed("contribuer/guide/", "contribuer/guide/index.html")),
    PageType("accessibility-statement", _fixed("accessibilite/", "accessibilite/index.html")),
    PageType("legal-notice", _fixed("mentions-legales/", "mentions-legales/index.html")),
    PageType("404", _fixed("404.html", "404.html")),
    PageType("validations", _fixed("validations/", "validations/index.html")),
    PageType("consultations", _fixed("consultations/", "consultations/index.html")),
    PageType("training-modules", _fixed("parcours/", "parcours/index.html")),
    PageType("training-module", _first_child("parcours")),
    PageType(
        "catalogue",
        _fixed("catalogue/", "catalogue/index.html"),
        "pas encore de catalogue dans le site construit (catalogue/index.html absent)",
    ),
    PageType(
        "review",
        _fixed("a-relire/", "a-relire/index.html"),
        "pas encore de page « À relire » dans le site construit (a-relire/index.html absent)",
    ),
    PageType(
        "search-results",
        _search_results,
        "pas encore de recherche dans le site construit (recherche/index.html ou pagefind/pagefind.js absent)",
    ),
    PageType(
        "search-nothing",
        _search_nothing,
        "pas encore de recherche dans le site construit (recherche/index.html ou pagefind/pagefind.js absent)",
    ),
    PageType(
        "search-filtered",
        _search_filtered(with_query=True),
        "pas de filtres de recherche dans le site construit (pagefind/facettes.json absent)",
    ),
    PageType(
        "search-filters-only",
        _search_filtered(with_query=False),
        "pas de filtres de recherche dans le site construit (pagefind/facettes.json absent)",
    ),
]
SEARCH_PAGE_KEYS = ("search-results", "search-nothing", "search-filtered", "search-filters-only")
PAGE_TYPE_KEYS = [page_type.key for page_type in PAGE_TYPES]
_BY_KEY = {page_type.key: page_type for page_type in PAGE_TYPES}


def page_path(build: Path, key: str) -> str:
    """Path of a page of kind `key` in the built site; skips the test if the
    kind does not exist yet, fails if a kind that must exist is missing."""
    page_type = _BY_KEY[key]
    path = page_type.find(build)
    if path is None:
        if page_type.missing:
            pytest.skip(page_type.missing)
        pytest.fail(f"aucune page de type « {key} » dans le site construit ({build})")
    return path


def permanent_address(build: Path) -> str:
    """A permanent address (id/XX-000/), a redirection page."""
    ids = sorted(p.parent.name for p in (build / "id").glob("*/index.html"))
    assert ids, "aucune adresse permanente id/… dans le site construit"
    return f"id/{ids[0]}/"


def wait_until_ready(page, key: str) -> None:
    """Wait until the page shows what is tested: Material has mounted its
    components and, on the search page, the results are listed."""
    page.wait_for_load_state("load")
    if key in SEARCH_PAGE_KEYS:
        # recherche.js sets data-recherche-fin once results (or, without a query, counts)
        # and the status line are shown.
        page.wait_for_selector("[data-recherche-resultats][data-recherche-fin]", state="attached", timeout=15_000)
    # Let Material's transitions end (skip link, drawer, headers).
    page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish() } catch (e) {} })")


def open_page(new_page, base_url: str, path: str, key: str, width: str = "desktop"):
    page = new_page(viewport=WIDTHS[width])
    response = page.goto(f"{base_url}/{path}")
    assert response is not None and response.ok, f"{path} : réponse {response.status if response else 'absente'}"
    wait_until_ready(page, key)
    return page


def same_origin(url: str, base_url: str) -> bool:
    target, base = urlsplit(url), urlsplit(base_url)
    if target.scheme in ("data", "blob", "about"):
        return True
    return (target.scheme, target.netloc) == (base.scheme, base.netloc)


# --- axe-core ---------------------------------------------------------------


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """Inject the vendored axe-core and return its violations.

    Injected with page.evaluate (DevTools protocol), which the page's
    Content-Security-Policy does not apply to: add_script_tag would insert
    an inline script that the policy blocks."""
    if page.evaluate("() => typeof window.axe") != "object":
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    options: dict = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    else:
        options["runOnly"] = {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def format_violations(violations: list[dict], where: str) -> str:
    """One block per violation: rule id, impact, help text and link, then
    each offending element (CSS selector) with what axe says to fix."""
    lines = [f"axe-core : {len(violations)} règle(s) enfreinte(s) sur {where}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or '?'}] {violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            selector = " ".join(json.dumps(part, ensure_ascii=False) if not isinstance(part, str) else part for part in node["target"])
            lines.append(f"    • {selector}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            for line in summary[1:4]:  # the first line is "Fix any/all of the following:"
                lines.append(f"        {line.strip()}")
    return "\n".join(lines)


def every_result_title(page) -> list[str]:
    """Every search result's title, « Afficher plus de résultats » clicked until it goes."""
    items = page.locator(".recherche-resultats > li")
    more = page.locator("[data-recherche-plus]")
    while more.is_visible():
        before = items.count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.recherche-resultats > li').length > n"
            " || document.querySelector('[data-recherche-plus]').hidden", arg=before)
    return page.locator(".recherche-resultats > li h2").all_inner_texts()
