"""Printing a sheet gives an A4 handout: no site chrome, the metadata, the
status and the permanent address."""

from __future__ import annotations


def test_print_hides_the_site_chrome_and_shows_the_handout_footer(browser, site_url):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(f"{site_url}/fiches/proteger-donnees-demarches-en-ligne/")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    assert page.is_visible(".fiche-meta")
    assert page.is_visible(".fiche-statut")
    footer = page.inner_text(".fiche-impression")
    assert "non validée par le HCTS" in footer
    assert "id/FP-004/" in footer
    page.close()


def test_screen_does_not_show_the_print_footer(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/fiches/proteger-donnees-demarches-en-ligne/")
    assert not page.is_visible(".fiche-impression")
    page.close()
