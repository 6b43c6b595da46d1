"""axe-core on every page type of the real site, at desktop and phone widths:
no violation of WCAG 2.0/2.1 A and AA, nor of axe's best practices.

One test per page type and width (test id: `page type-width`). A failure
lists each violated rule (id, impact, help text and link) and the CSS
selectors of the offending elements: see README.md.
"""

from __future__ import annotations

import pytest

from browser_support import PAGE_TYPE_KEYS, WIDTHS, format_violations, open_page, page_path, run_axe

# Violations in files this suite does not own, reported to their owners.
# (page type, rule id) -> why it is tolerated for now. Keep this empty.
KNOWN_ISSUES: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("key", PAGE_TYPE_KEYS)
def test_no_axe_violation(repo_site_build, site_url, new_page, key, width):
    path = page_path(repo_site_build, key)
    page = open_page(new_page, site_url, path, key, width)
    violations = run_axe(page)
    size = WIDTHS[width]
    where = f"{key} (/{path}) à {size['width']}×{size['height']}"
    unknown = [v for v in violations if (key, v["id"]) not in KNOWN_ISSUES]
    assert not unknown, format_violations(violations, where)
    if violations:
        reasons = "; ".join(KNOWN_ISSUES[(key, v["id"])] for v in violations)
        pytest.xfail(f"problèmes connus, signalés : {reasons}\n{format_violations(violations, where)}")


# Pages that link a PDF (hooks/pdf_files.py): the real site is built without
# PDFs in the tests, so these are the example site's, built with them.
PDF_LINK_PAGES = {"fiche-pratique": "fiches/proteger-les-donnees/", "theme": "themes/donnees-personnelles/"}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("key", list(PDF_LINK_PAGES), ids=lambda key: f"{key}-avec-pdf")
def test_no_axe_violation_on_pages_linking_a_pdf(pdf_site_build, pdf_site_url, new_page, key, width):
    path = PDF_LINK_PAGES[key]
    assert "application/pdf" in (pdf_site_build / path / "index.html").read_text(encoding="utf-8")
    page = open_page(new_page, pdf_site_url, path, key, width)
    violations = run_axe(page)
    size = WIDTHS[width]
    assert not violations, format_violations(violations, f"{key} avec son PDF (/{path}) à {size['width']}×{size['height']}")
