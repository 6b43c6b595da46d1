"""Printing a sheet gives an A4 handout: no site chrome, the metadata, the
status, the full permanent address and a QR code to it, body text at 11 pt
or more measured in what Chromium prints, no blank page at the end."""

from __future__ import annotations

import io
import math
import unicodedata

from pypdf import PdfReader

from helpers import EXAMPLE_SITE, PDF_SITE_ADDRESS, published


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


# --- Measured in Chromium's printed output (page.pdf), as a reader prints --------

def _printed(browser, url: str) -> PdfReader:
    """What Chromium prints of `url` on A4 (its « Enregistrer en PDF »), read back with pypdf."""
    page = browser.new_page()
    page.goto(url)
    data = page.pdf(format="A4")
    page.close()
    return PdfReader(io.BytesIO(data))


SHEET = next(s for s in published(EXAMPLE_SITE) if s.get("essentiel"))


def _flat(text: str) -> str:
    """As printed text reads back: ligatures undone, narrow and no-break spaces as spaces, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _runs(reader: PdfReader) -> list[tuple[float, str]]:
    """Each piece of printed text with its size in points."""
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1), _flat(text)))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return runs


def _own_text(sheet: dict) -> list[str]:
    """What the sheet says itself: « L'essentiel », its summary and the paragraphs of its sections."""
    source = EXAMPLE_SITE / sheet["_url"].rsplit("/", 2)[0] / f"{sheet['_slug']}.md"
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    paragraphs = [line.lstrip("-0123456789. ") for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return [_flat(text) for text in (*sheet["essentiel"], sheet["resume"], *paragraphs)]


def test_body_text_prints_at_11_pt_or_more(browser, pdf_site_url):
    """The sheet's own text (« L'essentiel », summary, sections) at 11 pt or more, as
    Chromium prints it; what follows it on paper (sources, « À lire aussi », training
    modules, licence), the metadata and the footer may be smaller, never under 7.5 pt."""
    runs = _runs(_printed(browser, f"{pdf_site_url}/{SHEET['_url']}"))
    own = _own_text(SHEET)
    measured = [(size, text) for size, text in runs if len(text) > 3 and any(text in part for part in own)]
    assert sum(len(text) for _, text in measured) >= 0.9 * sum(len(part) for part in own), (own, runs)
    assert all(size >= 10.95 for size, _ in measured), measured
    assert min(size for size, _ in runs) >= 7.5, runs


def test_no_blank_page_follows_the_sheet(browser, pdf_site_url):
    reader = _printed(browser, f"{pdf_site_url}/{SHEET['_url']}")
    assert all(page.extract_text().strip() for page in reader.pages)


def test_the_printout_has_no_chrome_and_says_essentials_first_and_the_full_address(browser, pdf_site_url):
    printed = "\n".join(p.extract_text() for p in _printed(browser, f"{pdf_site_url}/{SHEET['_url']}").pages)
    text = " ".join(unicodedata.normalize("NFKC", printed).split())  # Chromium prints « ﬁ » ligatures
    for chrome in ("Rechercher", "Aller au contenu", "Proposer une modification", "Télécharger la fiche"):
        assert chrome not in text
    essentials = text.index(" ".join(SHEET["essentiel"][0].split()))
    assert essentials < text.index("Mise à jour")  # before the metadata and the text
    assert f"Version en ligne, à jour : {PDF_SITE_ADDRESS}id/{SHEET['id']}/" in text


def test_the_print_footer_has_a_qr_code_to_the_permanent_address(browser, pdf_site_url):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(f"{pdf_site_url}/{SHEET['_url']}")
    code = page.locator(".fiche-impression svg.qr-code")
    assert code.is_visible()
    assert code.get_attribute("role") == "img"
    assert code.get_attribute("aria-label") == f"Code QR vers la version en ligne : {PDF_SITE_ADDRESS}id/{SHEET['id']}/"
    box = code.bounding_box()
    assert box["width"] >= 70  # about 2 cm on paper: readable by a phone
    page.close()


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(browser, pdf_site_url):
    """The last line of each page but the last is never a heading (printed larger than the text)."""
    for sheet in published(EXAMPLE_SITE):
        reader = _printed(browser, f"{pdf_site_url}/{sheet['_url']}")
        for number, page in enumerate(reader.pages[:-1], 1):
            lines: list[tuple[float, str]] = []

            def visit(text, cm, tm, font, size):
                if text.strip():
                    lines.append((round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1), text.strip()))

            page.extract_text(visitor_text=visit)
            size, text = lines[-1]
            assert size < 12.5, f"{sheet['id']}, page {number} : « {text} » seul en bas de page"
