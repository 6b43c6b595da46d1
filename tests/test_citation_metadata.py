"""Each sheet's <head> carries its citation metadata for reference managers:
Highwire Press tags (read by Zotero's « Embedded Metadata ») and a schema.org
CreativeWork in JSON-LD, with the permanent address when the site's address
is set. (Hostile values: tests/test_escaping.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import EXAMPLE_SITE, copy_site, page, run_mkdocs

ADDRESS = "https://exemple.fr/fiches-hcts/"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("citation")
    site = copy_site(tmp / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp / "html"), env={"FICHES_SANS_RECHERCHE": "1", "SITE_URL": ADDRESS})
    assert result.returncode == 0, result.stderr
    return tmp / "html"


def head_of(site: Path, url: str):
    return page(site, url).find("head")


def test_highwire_tags_name_the_sheet_its_authors_its_version_and_its_permanent_address(published):
    head = head_of(published, "fiches/proteger-les-donnees")
    tags = [(m.attrs["name"], m.attrs["content"]) for m in head.find_all("meta") if m.attrs.get("name", "").startswith("citation_")]
    assert tags == [
        ("citation_title", "Protéger les données des personnes lors des démarches en ligne"),
        ("citation_author", "Groupe de travail « Usage du numérique dans le travail social » du HCTS"),
        ("citation_publication_date", "2019/03/02"),
        ("citation_online_date", "2019/03/02"),
        ("citation_publisher", "Numérique et travail social"),
        ("citation_language", "fr"),
        ("citation_public_url", f"{ADDRESS}id/FP-001/"),
    ]


def test_json_ld_describes_the_sheet_as_a_creative_work_with_its_licence(published):
    head = head_of(published, "fiches/proteger-les-donnees")
    [script] = head.find_all("script", type="application/ld+json")
    data = json.loads(script.text())
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["name"] == "Protéger les données des personnes lors des démarches en ligne"
    assert (data["identifier"], data["creativeWorkStatus"], data["inLanguage"]) == ("FP-001", "Validée par le HCTS", "fr")
    assert (data["dateCreated"], data["dateModified"]) == ("2018-11-20", "2019-03-02")
    assert data["url"] == f"{ADDRESS}id/FP-001/"
    assert data["license"].startswith("https://www.etalab.gouv.fr/licence")


def test_without_the_site_s_address_no_relative_address_is_given_as_absolute(example_site_build):
    head = head_of(example_site_build, "fiches/proteger-les-donnees")
    names = [m.attrs["name"] for m in head.find_all("meta") if m.attrs.get("name", "").startswith("citation_")]
    assert "citation_title" in names and "citation_public_url" not in names
    [script] = head.find_all("script", type="application/ld+json")
    assert "url" not in json.loads(script.text())


def test_only_sheets_carry_citation_metadata(published):
    for url in ("", "fiches", "parcours", "a-propos"):
        head = head_of(published, url)
        assert not head.find_all("script", type="application/ld+json"), url
        assert not [m for m in head.find_all("meta") if m.attrs.get("name", "").startswith("citation_")], url
