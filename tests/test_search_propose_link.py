"""When no sheet matches a query, the search page offers the issue form
« Proposer une fiche » (repo_url, from REPO_URL): the link names the form
that exists, and the form has the field the page fills with the query."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import yaml

from helpers import EXAMPLE_SITE, REPO, copy_site, run_mkdocs

REPOSITORY = "https://github.com/exemple/fiches"
FORM = "proposer-une-fiche.yml"


def test_the_search_page_offers_the_proposal_form_of_the_repository(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"),
                        env={"FICHES_SANS_RECHERCHE": "1", "REPO_URL": REPOSITORY})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "html" / "recherche" / "index.html").read_text(encoding="utf-8")
    (address,) = re.findall(r'data-recherche-proposer data-adresse="([^"]+)"', html)
    assert address.startswith(f"{REPOSITORY}/issues/new?")
    assert parse_qs(urlparse(address.replace("&amp;", "&")).query) == {"template": [FORM]}
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / FORM).read_text(encoding="utf-8"))
    # recherche.js fills the title and this field with the query.
    assert "situation" in [item.get("id") for item in form["body"]]


def test_without_a_repository_the_search_page_points_to_the_contributor_page(example_site_build):
    html = (example_site_build / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "data-recherche-proposer" not in html
    assert re.search(r'<a href="\.\./contribuer/">proposez une fiche sur ce sujet</a>', html)
