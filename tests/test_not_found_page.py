"""The page served for an address that does not exist is French and offers
the search box, the catalogue and the themes."""

from __future__ import annotations

import re


def test_the_404_page_is_french_and_leads_to_the_search_and_the_catalogue(example_site_build):
    html = (example_site_build / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in html and "404 -" not in html
    assert "<title>Page introuvable - " in html
    assert '<h1 id="page-introuvable">Page introuvable</h1>' in html
    form = re.search(r'<form class="fiches-recherche-404" role="search" method="get" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form and form[1].endswith("recherche/")
    assert '<label for="fiches-recherche-404-q">Rechercher une fiche</label>' in form[2]
    assert 'name="q"' in form[2]
    assert re.search(r'<a href="[^"]*catalogue/">le catalogue des fiches</a>', html)
    assert "/id/FP-001/" in html  # permanent addresses never break
