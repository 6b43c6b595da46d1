"""What a sheet shows of issue 20's fields, on the example site: « L'essentiel »
first, sources as links with their period and dates, a notice when the newest
source is old, « Testée avec des personnes concernées » or that it was not
tested yet, the page of every consultation, and the Pagefind meta that search
results show."""

from __future__ import annotations

from helpers import page, squash

PRACTICE = "pratiques-inspirantes/aidants-connect"  # in review, sources of 2024, one consultation
VALIDATED = "fiches/proteger-les-donnees"  # validated, sources of 2017 and 2019, never tested
ARCHIVED = "fiches/ancienne-fiche-messagerie"  # archived, a source of 2018


def article(site, path):
    return page(site, path).find("article", cls="fiche")


def test_l_essentiel_comes_first_right_under_the_title(example_site_build):
    sheet = article(example_site_build, VALIDATED)
    html = (example_site_build / VALIDATED / "index.html").read_text(encoding="utf-8")
    section = sheet.find("section", cls="fiche-essentiel")
    assert section.find("h2").text() == "L'essentiel"
    assert [squash(li.text()) for li in section.find_all("li")] == [
        "Ne gardez aucun code d'accès d'une personne, ni sur papier ni dans le dossier.",
        "Faites la démarche avec elle, sur son propre compte, en lui laissant le clavier.",
        "Fermez sa session et le navigateur à la fin de la démarche.",
    ]
    order = [html.index(marker) for marker in ('id="fiche-titre"', 'class="fiche-essentiel"', 'class="fiche-resume"', "fiche-statut", 'class="fiche-meta"')]
    assert order == sorted(order)


def test_sources_are_links_with_their_dates_and_period(example_site_build):
    html = (example_site_build / VALIDATED / "index.html").read_text(encoding="utf-8")
    sheet = article(example_site_build, VALIDATED)
    assert squash(sheet.find("p", cls="fiche-sources__periode").text()) == "Sources de 2017 à 2019."
    items = sheet.find("ul", cls="fiche-sources").find_all("li")
    assert [a.attrs["href"] for item in items for a in item.find_all("a")] == [
        "https://www.example.gouv.fr/mandat-hcts",
        "https://www.example.gouv.fr/cnil-demarches",
    ]
    assert squash(items[1].text()) == "CNIL, recommandations sur les démarches en ligne (12 mars 2019)"
    assert '<time datetime="2019-03-12">12 mars 2019</time>' in html
    practice = article(example_site_build, PRACTICE)
    assert squash(practice.find("p", cls="fiche-sources__periode").text()) == "Source de 2024."
    assert "(mars 2024)" in squash(practice.find("ul", cls="fiche-sources").text())


def test_a_sheet_whose_newest_source_is_old_tells_its_readers(example_site_build):
    notice = article(example_site_build, VALIDATED).find("p", cls="fiche-sources-anciennes")
    assert notice is not None and "les sources les plus récentes de cette fiche datent de 2019" in squash(notice.text())
    assert article(example_site_build, PRACTICE).find("p", cls="fiche-sources-anciennes") is None  # 2024: recent
    assert article(example_site_build, ARCHIVED).find("p", cls="fiche-sources-anciennes") is None  # replaced: its banner says so


def test_consultations_are_shown_or_their_absence_said(example_site_build):
    practice = article(example_site_build, PRACTICE)
    assert practice.find("h2", id="testee-avec-des-personnes-concernees").text() == "Testée avec des personnes concernées"
    assert squash(practice.find("ul", cls="fiche-consultations").text()) == (
        "18 novembre 2025, Personnes accompagnées d'un CCAS : Les étapes suivent l'ordre de la démarche ; "
        "le mot « mandat » est expliqué."
    )
    untested = article(example_site_build, VALIDATED).find("p", cls="fiche-consultations--aucune")
    assert squash(untested.text()).startswith("Cette fiche pratique n'a pas encore été testée avec des personnes concernées")


def test_a_page_lists_every_consultation(example_site_build):
    listing = page(example_site_build, "consultations").find("article")
    assert listing.find("h1").text().startswith("Fiches testées avec les personnes concernées")
    (item,) = listing.find("ul", cls="fiches-consultations").find_all("li")
    assert item.find("a").attrs["href"] == "../pratiques-inspirantes/aidants-connect/"
    assert "Groupe consulté : Personnes accompagnées d'un CCAS" in squash(item.text())
    untested = [squash(a.text()) for a in listing.find_all("a") if "proteger-les-donnees" in a.attrs.get("href", "")]
    assert untested == ["Protéger les données des personnes lors des démarches en ligne"]
    nav = (example_site_build / "index.html").read_text(encoding="utf-8")
    assert 'href="consultations/"' in nav


def test_search_results_get_the_first_line_of_l_essentiel(example_site_build):
    html = (example_site_build / PRACTICE / "index.html").read_text(encoding="utf-8")
    assert '<span data-pagefind-meta="essentiel:Vérifiez si votre structure est habilitée Aidants Connect."></span>' in html


def test_the_build_notes_old_sources_without_failing_strict(tmp_path):
    from helpers import EXAMPLE_SITE, copy_site, run_mkdocs

    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env={"FICHES_SANS_RECHERCHE": "1"})
    assert result.returncode == 0, result.stderr
    assert (
        "INFO    -  fiches/proteger-les-donnees.md : les sources les plus récentes de cette fiche datent de 2019 "
        "(plus de 5 ans) ; la fiche le signale à ses lecteurs." in result.stderr
    )
    assert "aidants-connect.md : les sources" not in result.stderr
