"""The Content-Security-Policy of the site and the referrer policy
(overrides/partials/politiques-securite.html, included by main.html and
redirection.html).

- In the built HTML (every page, no browser): the policy is the first
  element of <head>, as strict as intended, and nothing in the page needs
  more (no inline script, event-handler attribute, javascript: URL or
  inline style).
- In Chromium, on every page type: no CSP violation event, no
  "Content Security Policy" console error, no JavaScript error; and the
  policy is really enforced (an injected inline script does not run).
- Material's inline scripts that we replaced by files are unchanged in the
  installed Material (else the replacement must be updated).
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from browser_support import PAGE_TYPE_KEYS, page_path, wait_until_ready

# Material's partials whose inline scripts pages/assets/material-*.js
# replace (overrides/partials/javascripts/). sha256 of Material 9.8.1's.
REPLACED_MATERIAL_PARTIALS = {
    "partials/javascripts/base.html": (
        "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
        "pages/assets/material-globals.js",
    ),
    "partials/javascripts/content.html": (
        "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
        "pages/assets/material-content.js",
    ),
}
NON_EXECUTABLE_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def parse_policy(text: str) -> dict[str, list[str]]:
    policy = {}
    for directive in text.split(";"):
        tokens = directive.split()
        if tokens:
            policy[tokens[0].lower()] = tokens[1:]
    return policy


class _PageScan(HTMLParser):
    """What a page holds that the policy is about."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head_elements: list[tuple[str, dict]] = []  # elements directly in <head>, in order
        self.in_head = False
        self.problems: list[str] = []
        self.policies: list[str] = []
        self.referrer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value or "") for name, value in attrs}
        line = self.getpos()[0]
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head_elements.append((tag, attributes))
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(attributes.get("content", ""))
        if tag == "meta" and attributes.get("name", "").lower() == "referrer":
            self.referrer.append(attributes.get("content", ""))
        if tag == "script":
            kind = attributes.get("type", "").lower()
            if "src" not in attributes and kind not in NON_EXECUTABLE_SCRIPT_TYPES:
                self.problems.append(f"ligne {line} : script en ligne <script{' type=' + kind if kind else ''}>")
        if tag == "style":
            self.problems.append(f"ligne {line} : élément <style> (style-src 'self' l'interdit)")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"ligne {line} : attribut {name}= sur <{tag}> (gestionnaire d'événement en ligne)")
            if name == "style":
                self.problems.append(f"ligne {line} : attribut style= sur <{tag}> (style-src 'self' l'interdit)")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"ligne {line} : URL javascript: dans {name}= de <{tag}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def scan(path: Path) -> _PageScan:
    parser = _PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def site_pages(build: Path) -> list[Path]:
    """Every HTML page of the site, the permanent-address redirections (id/…,
    overrides/redirection.html) included: they have the same policies."""
    return sorted(build.rglob("*.html"))


def test_material_inline_scripts_we_replaced_are_unchanged():
    templates = Path(material.__file__).parent / "templates"
    changed = []
    for partial, (expected, replacement) in REPLACED_MATERIAL_PARTIALS.items():
        digest = hashlib.sha256((templates / partial).read_bytes()).hexdigest()
        if digest != expected:
            changed.append(
                f"- {partial} a changé dans Material (sha256 {digest}) : reportez le changement dans "
                f"{replacement} et overrides/{partial}, puis mettez à jour l'empreinte dans {__file__}"
            )
    assert not changed, "\n".join(changed)


def test_every_page_starts_with_the_policy_and_needs_nothing_more(repo_site_build):
    pages = site_pages(repo_site_build)
    assert pages
    problems = []
    for path in pages:
        name = path.relative_to(repo_site_build).as_posix()
        page = scan(path)
        if len(page.policies) != 1:
            problems.append(f"{name} : {len(page.policies)} balise(s) Content-Security-Policy au lieu d'une")
            continue
        first = page.head_elements[0] if page.head_elements else ("rien", {})
        if not (first[0] == "meta" and first[1].get("http-equiv", "").lower() == "content-security-policy"):
            problems.append(f"{name} : le premier élément de <head> est <{first[0]}>, pas la Content-Security-Policy")
        if page.referrer != ["no-referrer"]:
            problems.append(f"{name} : politique de référent {page.referrer!r} au lieu de ['no-referrer']")
        problems += [f"{name} : {problem}" for problem in page.problems]
    assert not problems, "\n".join(problems)


def test_policy_is_strict(repo_site_build):
    policy = parse_policy(scan(repo_site_build / "index.html").policies[0])
    assert policy.get("default-src") == ["'self'"]
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") == ["'self'"]
    # WebAssembly compilation only (Pagefind on the page when its worker is late), never eval().
    assert policy.get("script-src") == ["'self'", "'wasm-unsafe-eval'"]
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy["default-src"])
        loose = [s for s in sources if s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")]
        assert not loose, f"{directive} autorise {loose}"
    every_source = [s for sources in policy.values() for s in sources]
    assert not [s for s in every_source if "://" in s or s in ("*", "http:", "https:")], (
        f"la politique autorise un autre hôte : {policy}"
    )


def test_permanent_addresses_have_no_script(repo_site_build):
    redirections = sorted((repo_site_build / "id").rglob("*.html"))
    assert redirections
    problems = []
    for path in redirections:
        text = path.read_text(encoding="utf-8")
        if "<script" in text or "<style" in text or "<iframe" in text:
            problems.append(path.relative_to(repo_site_build).as_posix())
    assert not problems, f"pages de redirection avec script, style ou iframe : {problems}"


# --- In the browser ---------------------------------------------------------

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} a bloqué ${event.blockedURI || "(en ligne)"}`
    + ` dans ${event.sourceFile || "?"}:${event.lineNumber}`
    + (event.sample ? ` : ${event.sample}` : "")
  );
});
"""


def watch(page) -> list[str]:
    """Start collecting CSP console errors and JavaScript errors of page."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(f"console {message.type} : {message.text}")
        if message.type in ("error", "warning") and "Content Security Policy" in message.text
        else None,
    )
    page.on("pageerror", lambda error: problems.append(f"erreur JavaScript : {error}"))
    return problems


@pytest.mark.parametrize("key", PAGE_TYPE_KEYS)
def test_no_csp_violation_nor_script_error(repo_site_build, site_url, new_page, key):
    path = page_path(repo_site_build, key)
    page = new_page(viewport={"width": 1280, "height": 800})
    problems = watch(page)
    response = page.goto(f"{site_url}/{path}")
    assert response is not None and response.ok
    wait_until_ready(page, key)
    page.mouse.wheel(0, 5000)  # scroll: Material's header, back-to-top button, toc
    page.wait_for_timeout(300)
    problems += page.evaluate("() => window.__cspViolations")
    assert not problems, f"/{path} :\n" + "\n".join(problems)


def test_policy_is_enforced(repo_site_build, site_url, new_page):
    """The <meta> policy works: an injected inline script does not run, and
    a script of the site itself cannot use eval(). (The probe script is
    served by Playwright at a same-origin address: code run through
    page.evaluate is exempt from the policy, a page's own script is not.)"""
    page = new_page()
    problems = watch(page)
    probe = (
        "window.__probe = { ran: true, evaluated: false };"
        "try { window.__probe.evaluated = eval('true'); } catch (error) {}"
    )
    page.route(
        f"{site_url}/__sonde-csp.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=probe),
    )
    page.goto(f"{site_url}/")
    page.wait_for_load_state("load")
    page.evaluate(
        """() => new Promise((resolve) => {
          const inline = document.createElement("script");
          inline.textContent = "window.__injected = true";
          document.head.appendChild(inline);
          const probe = document.createElement("script");
          probe.src = "/__sonde-csp.js";
          probe.onload = probe.onerror = resolve;
          document.head.appendChild(probe);
        })"""
    )
    page.wait_for_timeout(200)
    outcome = page.evaluate("() => ({ injected: window.__injected === true, probe: window.__probe || null })")
    violations = page.evaluate("() => window.__cspViolations")
    assert outcome == {"injected": False, "probe": {"ran": True, "evaluated": False}}, (
        f"politique non appliquée : {outcome}"
    )
    assert any(v.startswith("script-src-elem") for v in violations), f"script en ligne non signalé : {violations}"
    assert any(v.startswith("script-src ") for v in violations), f"eval() non signalé : {violations} {problems}"
