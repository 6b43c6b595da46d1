"""Render Material's navigation once per folder for the pages it does not list.

Material renders the whole nav into every page. Our nav lists sections only,
and most pages (sheets, listing pages of a term) are not in it: for them
nothing in the nav is active, and its links are relative to the page's
folder ("fiches/a/" and "fiches/b/" both link to "../"). So the nav of such a
page is the same HTML for every page of the same parent folder:
`overrides/partials/nav.html` renders Material's partial once per parent
folder, keeps it on `BUILD.nav_html` and reuses it; a page in the nav, whose
own entry is highlighted, is always rendered. The site is the same byte for
byte with and without it (tests/test_site_build.py); its gain is measured in
BENCHMARKS.md (`benchmarks/build_phases.py`).

MkDocs event: on_env: templates reach Material's own partials as
"material/…" (our partials/nav.html shadows Material's), and get the two
functions of the cache.
"""

from __future__ import annotations

from pathlib import Path

import material
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from fiches_kb.build import BUILD

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


def nav_cache_key(page, nav) -> str | None:
    """The parent folder of the page's URL if its nav is shared ("fiches"
    for "fiches/a/"), None if it must be rendered."""
    if page is None or not page.url.endswith("/") or page in nav.pages:
        return None
    return page.url.rstrip("/").rpartition("/")[0]


def nav_cache_get(key):
    return BUILD.nav_html.get(key)


def nav_cache_store(key, html):
    BUILD.nav_html[key] = html
    return html


def on_env(env, config, files):
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(str(MATERIAL_TEMPLATES))})])
    env.globals.update(nav_cache_key=nav_cache_key, nav_cache_get=nav_cache_get, nav_cache_store=nav_cache_store)
    return env
