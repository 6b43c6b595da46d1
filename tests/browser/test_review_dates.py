"""Review dates decided in the browser (pages/assets/relecture.js): a page
built before a sheet's review date says « (relecture en retard) » once the
reader's date has passed it, on the sheet and on « À relire »; without
JavaScript the build-time text stays. Playwright's clock sets the reader's
date."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from browser_support import format_violations, run_axe
from helpers import EXAMPLE_SITE, REPO, build_site, copy_site, serve

PRACTICE = "pratiques-inspirantes/aidants-connect.md"  # the example site's only sheet not archived nor draft
SHEET_PAGE = "pratiques-inspirantes/aidants-connect/"
# Due in ten days from the build: up to date on the sheet, listed in « À relire dans les 60 jours ».
REVIEW = date.today() + timedelta(days=10)
MARKER = "(relecture en retard)"


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example site, with the repository's assets (relecture.js) and its
    practice due for review ten days after the build."""
    source = copy_site(tmp_path_factory.mktemp("review-site"), EXAMPLE_SITE)
    shutil.copytree(REPO / "pages" / "assets", source / "pages" / "assets")
    path = source / PRACTICE
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^prochaine_relecture: .*$", f"prochaine_relecture: {REVIEW.isoformat()}", text, flags=re.M), encoding="utf-8")
    server, url = serve(build_site(source, tmp_path_factory.mktemp("review-html")))
    yield url
    server.shutdown()


def open_at(new_page, url: str, when: datetime | str, **options):
    """The page at url, the reader's clock fixed at when (context options: time zone, JavaScript…)."""
    page = new_page(**options)
    page.clock.set_fixed_time(when)
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def sheet_marker(page):
    return page.locator(".fiche-meta [data-fiches-relecture-retard]")


def expect_decision(page, overdue: bool) -> None:
    """relecture.js decided (its verdict on the <time>) and the marker follows it."""
    time = page.locator(".fiche-meta time[data-fiches-relecture]")
    expect(time).to_have_attribute("data-fiches-relecture-etat", "en-retard" if overdue else "a-jour")
    if overdue:
        expect(sheet_marker(page)).to_be_visible()
    else:
        expect(sheet_marker(page)).to_be_hidden()


@pytest.mark.parametrize(
    "day, overdue",
    [(REVIEW - timedelta(days=1), False), (REVIEW, False), (REVIEW + timedelta(days=1), True), (REVIEW + timedelta(days=200), True)],
    ids=["veille", "jour-meme", "lendemain", "six-mois-apres"],
)
def test_the_sheet_says_overdue_once_the_readers_date_is_past_the_review_date(browser, new_page, site, day, overdue):
    page = open_at(new_page, f"{site}/{SHEET_PAGE}", noon(day))
    expect_decision(page, overdue)
    # What is read (innerText leaves hidden elements out).
    assert (MARKER in page.locator(".fiche-meta").inner_text()) is overdue


@pytest.mark.parametrize("timezone, overdue", [("Europe/Paris", True), ("America/Cayenne", False)])
def test_the_readers_local_calendar_date_decides(browser, new_page, site, timezone, overdue):
    """At 01:30 UTC the day after the review date, it is that day in Paris
    but still the review date itself in French Guiana (UTC-3)."""
    instant = f"{(REVIEW + timedelta(days=1)).isoformat()}T01:30:00Z"
    page = open_at(new_page, f"{site}/{SHEET_PAGE}", instant, timezone_id=timezone)
    expect_decision(page, overdue)


def test_the_review_page_marks_and_counts_the_sheets_overdue_since_the_build(browser, new_page, site):
    page = open_at(new_page, f"{site}/a-relire/", noon(REVIEW + timedelta(days=1)))
    item = page.locator(".fiches-a-relire li", has_text="Aidants Connect")
    expect(item.locator("[data-fiches-relecture-retard]")).to_be_visible()
    expect(item).to_contain_text(MARKER)
    expect(page.locator("#relecture-en-retard")).to_have_text(re.compile(r"^Relecture en retard \(1\)"))
    expect(page.locator("[data-fiches-relecture-depuis]")).to_have_text(
        "1\u00a0fiche de la liste «\u00a0À relire dans les 60\u00a0jours\u00a0» ci-dessous a dépassé sa date de "
        "relecture depuis la mise en ligne de cette page\u00a0: elle y est signalée «\u00a0(relecture en retard)\u00a0»."
    )
    expect(page.get_by_text("Aucune fiche n'a dépassé sa date de relecture.")).to_be_hidden()


def test_the_review_page_before_the_date_is_as_built(browser, new_page, site):
    page = open_at(new_page, f"{site}/a-relire/", noon(REVIEW - timedelta(days=1)))
    item = page.locator(".fiches-a-relire li", has_text="Aidants Connect")
    expect(item.locator("time[data-fiches-relecture]")).to_have_attribute("data-fiches-relecture-etat", "a-jour")
    expect(item.locator("[data-fiches-relecture-retard]")).to_be_hidden()
    expect(page.locator("#relecture-en-retard")).to_have_text(re.compile(r"^Relecture en retard \(0\)"))
    expect(page.locator("[data-fiches-relecture-depuis]")).to_be_hidden()
    expect(page.get_by_text("Aucune fiche n'a dépassé sa date de relecture.")).to_be_visible()


def test_without_javascript_the_build_time_text_stays(browser, new_page, site):
    later = noon(REVIEW + timedelta(days=30))
    sheet = open_at(new_page, f"{site}/{SHEET_PAGE}", later, java_script_enabled=False)
    expect(sheet.locator(".fiche-meta time[data-fiches-relecture]")).to_have_attribute("datetime", REVIEW.isoformat())
    expect(sheet_marker(sheet)).to_be_hidden()
    assert MARKER not in sheet.locator(".fiche-meta").inner_text()
    review = open_at(new_page, f"{site}/a-relire/", later, java_script_enabled=False)
    expect(review.locator("#relecture-en-retard")).to_have_text(re.compile(r"^Relecture en retard \(0\)"))
    expect(review.get_by_text("Aucune fiche n'a dépassé sa date de relecture.")).to_be_visible()
    expect(review.locator(".fiches-a-relire li", has_text="Aidants Connect")).to_contain_text("Relecture prévue le")


@pytest.mark.parametrize("path", [SHEET_PAGE, "a-relire/"], ids=["fiche", "a-relire"])
def test_no_axe_violation_once_overdue(browser, new_page, site, path):
    page = open_at(new_page, f"{site}/{path}", noon(REVIEW + timedelta(days=1)))
    expect(page.locator("[data-fiches-relecture-retard]").first).to_be_visible()
    page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish() } catch (e) {} })")
    violations = run_axe(page)
    assert not violations, format_violations(violations, f"{path} (relecture en retard)")
