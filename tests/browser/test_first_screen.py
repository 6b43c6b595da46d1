"""On a phone (Chromium at 375 × 800), every published sheet shows the first
line of « L'essentiel » without scrolling (issue 20): it comes right under the
title, and the metadata is compact on small screens. Printed, « L'essentiel »
is on the first page, and a search result shows its first line."""

from __future__ import annotations

import pytest

import io

from pypdf import PdfReader

from helpers import REPO, published

PHONE = {"width": 375, "height": 800}
SHEETS = [sheet["_url"] for sheet in published(REPO)]


@pytest.mark.parametrize("url", SHEETS)
def test_the_first_line_of_l_essentiel_is_on_the_first_screen_of_a_phone(repo_site_build, site_url, new_page, url):
    page = new_page(viewport=PHONE)
    page.goto(f"{site_url}/{url}")
    page.wait_for_load_state("load")
    first = page.locator(".fiche-essentiel li").first
    assert first.count() == 1, f"{url} : pas de « L'essentiel »"
    box = first.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    # The first line of the item: its top plus one line of text.
    line = float(page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", first.element_handle()))
    assert box["y"] >= 0 and box["y"] + line <= PHONE["height"], f"{url} : première ligne de « L'essentiel » à {box['y']:.0f} px"
    assert first.is_visible()


def test_the_metadata_is_compact_on_a_phone(repo_site_build, site_url, new_page):
    """The metadata box of a sheet takes less than a third of the phone's screen."""
    page = new_page(viewport=PHONE)
    page.goto(f"{site_url}/{SHEETS[0]}")
    page.wait_for_load_state("load")
    height = page.locator(".fiche-meta").bounding_box()["height"]
    assert height < PHONE["height"] / 3, f"boîte des métadonnées de {height:.0f} px"


def test_l_essentiel_is_printed_on_the_first_page(repo_site_build, site_url, new_page):
    sheet = published(REPO)[0]
    page = new_page()
    page.goto(f"{site_url}/{sheet['_url']}")
    page.emulate_media(media="print")
    assert page.is_visible(".fiche-essentiel")
    first_page = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text()
    words = sheet["essentiel"][0].split()[:4]
    assert "L'essentiel" in first_page.replace("’", "'")
    assert " ".join(words) in " ".join(first_page.split()), first_page[:500]


def test_a_search_result_shows_the_first_line_of_l_essentiel(repo_site_build, site_url, new_page):
    from browser_support import open_page

    page = open_page(new_page, site_url, "recherche/?q=données", "search-results")
    first = page.locator(".recherche-resultat").first
    line = first.locator(".fiches-liste__essentiel")
    assert line.count() == 1
    title = first.locator(".fiches-liste__titre").inner_text().strip()
    sheet = next(s for s in published(REPO) if " ".join(s["titre"].split()) == " ".join(title.split()))
    assert " ".join(line.inner_text().split()) == "L'essentiel : " + " ".join(sheet["essentiel"][0].split())  # split() also takes the no-break space
