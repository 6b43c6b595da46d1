"""Shared fixtures: the example site, a built site, a browser (plain helpers,
paths and REPO are in helpers.py).

Browser tests run in Debian's Chromium (/usr/bin/chromium), driven by
Playwright's Python package; Playwright never downloads a browser here. On a
machine without Chromium they are skipped with a clear message, except under
CI=true, where a skipped browser test is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from helpers import EXAMPLE_SITE, PDF_SITE_ADDRESS, REPO, build_site, copy_site, in_ci, serve

# Property tests check for crashes, not speed: no per-example deadline, which
# only made them flaky on a loaded 2-core machine.
settings.register_profile("fiches", deadline=None)
settings.load_profile("fiches")

CHROMIUM = os.environ.get("FICHES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_session(tmp_path_factory):
    """Builds made by session fixtures (before any test's own folder is set)
    keep their results in a folder of this session, never the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FICHES_CACHE", str(tmp_path_factory.mktemp("cache-session")))
        yield


@pytest.fixture(autouse=True)
def check_cache_of_this_test(tmp_path_factory, monkeypatch):
    """`fiches check` and the build keep results in FICHES_CACHE: a fresh folder per test,
    never the user's cache, and no test sees another's results."""
    monkeypatch.setenv("FICHES_CACHE", str(tmp_path_factory.mktemp("cache-fiches-check")))


@pytest.fixture(autouse=True)
def no_pdfs_unless_asked(monkeypatch):
    """Builds make no PDF unless a test asks (FICHES_PDF=oui in the build's
    environment): WeasyPrint is the slowest part of a build, and scripts such
    as benchmarks/run.py build with the test's environment."""
    monkeypatch.setenv("FICHES_PDF", "non")


@pytest.fixture(scope="session")
def example_site_build(tmp_path_factory) -> Path:
    """The small example site of tests/site, built with the real config."""
    site = copy_site(tmp_path_factory.mktemp("example-site"), EXAMPLE_SITE)
    return build_site(site, tmp_path_factory.mktemp("example-site-html"))


@pytest.fixture(scope="session")
def repo_site_build(tmp_path_factory) -> Path:
    """The real knowledge base, built as in production but without PDFs (a
    cold build of its PDFs takes about two minutes here; tests/test_pdf.py
    builds the example site's)."""
    site = copy_site(tmp_path_factory.mktemp("repo-site"))
    return build_site(site, tmp_path_factory.mktemp("repo-site-html"))


@pytest.fixture(scope="session")
def pdf_site_build(tmp_path_factory) -> Path:
    """The example site with its PDFs and the site's address (PDF_SITE_ADDRESS),
    with a PDF cache of its own, and the real site's stylesheets (printed by the browser tests)."""
    site = copy_site(tmp_path_factory.mktemp("pdf-site"), EXAMPLE_SITE)
    shutil.copytree(REPO / "pages" / "assets", site / "pages" / "assets", dirs_exist_ok=True)
    env = {"FICHES_PDF": "oui", "SITE_URL": PDF_SITE_ADDRESS, "FICHES_SANS_RECHERCHE": "1", "FICHES_CACHE": str(tmp_path_factory.mktemp("pdf-cache"))}
    return build_site(site, tmp_path_factory.mktemp("pdf-site-html"), env=env)


@pytest.fixture(scope="session")
def pdf_site_url(pdf_site_build):
    """Base URL of the example site with its PDFs, served on loopback."""
    server, url = serve(pdf_site_build)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(repo_site_build):
    """Base URL of the real site, served on loopback."""
    server, url = serve(repo_site_build)
    yield url
    server.shutdown()


def _browser_unavailable_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium » pour les tests navigateur"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "le paquet Python « playwright » n'est pas installé"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_unavailable_reason()
    if reason:
        if in_ci():
            pytest.fail(f"test navigateur impossible sous CI=true : {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs Chromium (skipped without it, except under CI=true)")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "browser" in getattr(r, "keywords", {})]
    if skipped and not in_ci():
        terminalreporter.write_line(
            f"{len(skipped)} test(s) navigateur ignoré(s) : Chromium absent. Sous CI=true, ils échoueraient."
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped browser test is a failure, whatever skipped it."""
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"test navigateur ignoré sous CI=true : {report.longrepr}"


@pytest.fixture
def new_page(browser):
    """Factory: new_page(**context_options) gives a page in a fresh browser
    context (no cookies, no storage, French locale), closed after the test.
    Options are Playwright's browser.new_context() options (viewport...)."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"locale": "fr-FR", **options})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def worker_pools_started(monkeypatch):
    """Counts the worker pools load_corpus starts (one entry per pool: its
    number of chunks), to know which path a check took."""
    import fiches_kb.corpus as corpus_module

    calls = []
    real = corpus_module._start_workers

    def spy(chunks, *args):
        calls.append(len(chunks))
        return real(chunks, *args)

    monkeypatch.setattr(corpus_module, "_start_workers", spy)
    return calls
