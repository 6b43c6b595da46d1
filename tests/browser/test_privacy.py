"""Readers' privacy: the site asks nothing of another host, sets no cookie,
stores nothing in the browser and has no analytics.

- In Chromium, every page type (and a permanent address, which redirects):
  any request to a host other than the site's own fails the test (and is
  blocked, so nothing leaves the machine); the offending URLs are listed.
- After browsing every page type in one browser context: no cookie, nothing
  in localStorage or sessionStorage.
- In the built HTML of every page (no browser): no reference to another
  host in what a browser loads by itself (scripts, styles, images, frames,
  fonts), no Google Fonts, no analytics snippet; in mkdocs.yml, system
  fonts (`theme.font: false`) and no `extra.analytics` nor `extra.consent`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from browser_support import PAGE_TYPE_KEYS, WIDTHS, page_path, permanent_address, same_origin, wait_until_ready
from helpers import REPO

ANALYTICS_MARKERS = [
    "googletagmanager", "google-analytics", "gtag(", "matomo", "piwik", "plausible", "_paq",
    "hotjar", "clarity.ms", "xiti", "at-internet", "eulerian", "segment.com", "mixpanel",
]


def browse(page, url: str, key: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} : réponse {response.status if response else 'absente'}"
    if key == "permanent-address":  # a meta refresh to the sheet's page
        page.wait_for_url(lambda address: "/id/" not in address, timeout=10_000)
    wait_until_ready(page, key)
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(200)


def guard(context, site_url: str) -> list[str]:
    """Block and record every request that leaves the site."""
    outside: list[str] = []

    def handle(route):
        url = route.request.url
        if same_origin(url, site_url):
            route.continue_()
        else:
            outside.append(f"{route.request.resource_type} {url}")
            route.abort()

    context.route("**/*", handle)
    context.on("request", lambda request: None if same_origin(request.url, site_url) else outside.append(f"{request.resource_type} {request.url}"))
    return outside


@pytest.mark.parametrize("key", PAGE_TYPE_KEYS + ["permanent-address"])
def test_no_request_to_another_host(repo_site_build, site_url, new_page, key):
    if key == "permanent-address":
        path = permanent_address(repo_site_build)
    else:
        path = page_path(repo_site_build, key)
    page = new_page(viewport=WIDTHS["desktop"])
    outside = guard(page.context, site_url)
    page.on("websocket", lambda socket: outside.append(f"websocket {socket.url}"))
    browse(page, f"{site_url}/{path}", key)
    assert not outside, f"/{path} a demandé {len(set(outside))} ressource(s) hors du site :\n" + "\n".join(sorted(set(outside)))


def test_no_cookie_and_no_storage(repo_site_build, site_url, new_page):
    page = new_page()
    guard(page.context, site_url)
    visited = []
    for key in PAGE_TYPE_KEYS:
        try:
            path = page_path(repo_site_build, key)
        except pytest.skip.Exception:
            continue
        browse(page, f"{site_url}/{path}", key)
        visited.append(path)
    page.keyboard.press("Tab")
    cookies = page.context.cookies()
    assert not cookies, f"cookies déposés après {visited} : {cookies}"
    storage = page.evaluate(
        "() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) })"
    )
    assert storage == {"local": [], "session": []}, f"données stockées dans le navigateur : {storage}"


class _Loads(HTMLParser):
    """URLs a browser fetches by itself when it renders the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value or "") for name, value in attrs}
        line = self.getpos()[0]
        fetched = []
        if tag in ("script", "img", "iframe", "frame", "embed", "audio", "video", "source", "track", "input"):
            fetched.append(attributes.get("src", ""))
        if tag == "img":
            fetched += [part.split()[0] for part in attributes.get("srcset", "").split(",") if part.strip()]
        if tag == "link" and set(attributes.get("rel", "").lower().split()) & {
            "stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest",
        }:
            fetched.append(attributes.get("href", ""))
        if tag == "object":
            fetched.append(attributes.get("data", ""))
        for url in fetched:
            if url:
                self.urls.append((line, tag, url))


def test_built_pages_load_nothing_from_another_host(repo_site_build):
    problems = []
    for path in sorted(repo_site_build.rglob("*.html")):
        name = path.relative_to(repo_site_build).as_posix()
        text = path.read_text(encoding="utf-8")
        parser = _Loads()
        parser.feed(text)
        for line, tag, url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                problems.append(f"{name}:{line} : <{tag}> charge {url}")
        lowered = text.lower()
        for marker in ["fonts.googleapis", "fonts.gstatic", *ANALYTICS_MARKERS]:
            if marker in lowered:
                problems.append(f"{name} : contient « {marker} »")
    for path in sorted(repo_site_build.rglob("*.css")):
        for match in re.finditer(r"url\(\s*['\"]?(https?:)?//[^)]*\)|@import\s+['\"]?(https?:)?//", path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(repo_site_build).as_posix()} : {match.group(0)[:120]}")
    assert not problems, "\n".join(problems)


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def test_config_has_system_fonts_and_no_analytics():
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    assert config["theme"].get("font") is False, "theme.font doit valoir false : sinon Material charge Google Fonts"
    extra = config.get("extra") or {}
    assert "analytics" not in extra, "pas de mesure d'audience (extra.analytics)"
    assert "consent" not in extra, "pas de bandeau de consentement : il n'y a rien à consentir"
    plugins = config.get("plugins") or []
    names = [p if isinstance(p, str) else next(iter(p)) for p in plugins]
    assert not [n for n in names if "analytics" in n], f"extension de mesure d'audience : {names}"
