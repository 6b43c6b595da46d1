"""feed.xml: an Atom feed of the published sheets, newest update first, with
status and summary, linked from every page's <head> and from the home page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, TODAY, copy_site, run_mkdocs

ATOM = "{http://www.w3.org/2005/Atom}"
ADDRESS = "https://exemple.fr/fiches-hcts/"


def test_the_feed_is_atom_with_every_published_sheet_newest_update_first(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"),
                        env={"FICHES_SANS_RECHERCHE": "1", "SITE_URL": ADDRESS})
    assert result.returncode == 0, result.stderr
    root = ET.parse(tmp_path / "html" / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    published = load_corpus(EXAMPLE_SITE, load_schema(REPO), today=TODAY).published()
    assert sorted(e.findtext(f"{ATOM}id") for e in entries) == sorted(f"{ADDRESS}id/{s.id}/" for s in published)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    by_id = {s.id: s for s in published}
    for entry in entries:
        sheet = by_id[entry.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[-1]]
        assert entry.findtext(f"{ATOM}title") == sheet.title
        assert entry.findtext(f"{ATOM}summary") == f"{sheet.type.label}, {sheet.status.label.lower()} : {sheet.summary}"
        assert entry.find(f"{ATOM}link").get("href") == f"{ADDRESS}id/{sheet.id}/"
        assert updated and entry.findtext(f"{ATOM}updated").startswith(sheet.updated.isoformat())


def test_every_page_links_to_the_feed_in_its_head(example_site_build):
    for page in [example_site_build / "index.html", *example_site_build.glob("fiches/*/index.html")]:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert 'rel="alternate" type="application/atom+xml"' in head and "feed.xml" in head, page


def test_the_home_page_links_to_the_feed(repo_site_build):
    assert 'href="feed.xml"' in (repo_site_build / "index.html").read_text(encoding="utf-8")
