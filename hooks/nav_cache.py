"""Render Material's navigation once per kind of page, not once per page.

Material renders the whole nav into every page. Our nav lists sections
only, and most pages (sheets, listing pages of a term) are not in it: for
them nothing in the nav is active, and its links are relative to the page's
folder: "fiches/a/" and "fiches/b/" both link to "../", and to
"../../themes/". So the nav of such a page is the same HTML for every page
of the same parent folder: `overrides/partials/nav.html` renders Material's
partial once per parent folder and reuses it (a page in the nav, whose
own entry is highlighted, is always rendered). Tested: the site is the same
byte for byte with and without the cache (tests/test_site_build.py).

MkDocs events:
- on_env: let templates reach Material's own partials as "material/…"
  (our partials/nav.html shadows Material's), and give them the cache;
- on_pre_build: a new cache for every build (mkdocs serve rebuilds).
"""

from __future__ import annotations

from pathlib import Path

import material
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
_cache: dict[str, str] = {}


def nav_cache_key(page, nav) -> str | None:
    """The parent folder of the page's URL if its nav is shared ("fiches"
    for "fiches/a/"), None if it must be rendered."""
    if page is None or not page.url.endswith("/") or page in nav.pages:
        return None
    return page.url.rstrip("/").rpartition("/")[0]


def nav_cache_store(key, html):
    _cache[key] = html
    return html


def on_env(env, config, files):
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(str(MATERIAL_TEMPLATES))})])
    env.globals["nav_cache"] = _cache
    env.globals["nav_cache_key"] = nav_cache_key
    env.globals["nav_cache_store"] = nav_cache_store
    return env


def on_pre_build(config):
    _cache.clear()
