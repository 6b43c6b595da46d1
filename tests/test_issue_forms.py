"""A contributor without git has a way in: issue forms in French (their
choice lists from referentiel.yml, never drifting), and on every sheet a
link to edit its own file in GitHub's web editor and one to report an error
with the sheet filled in."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import yaml

from fiches_kb.issue_forms import ERROR_FORM, FORMS_DIR, form_files
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, copy_site, run_mkdocs

SCHEMA = load_schema(REPO)
REPOSITORY = "https://github.com/exemple/fiches-hcts"
FORMS = {path.name: path for path in (REPO / FORMS_DIR).glob("*.yml")}


def test_the_committed_forms_are_what_fiches_formulaires_writes():
    expected = form_files(SCHEMA)
    assert set(FORMS) == set(expected), "lancez « fiches formulaires »"
    for name, text in expected.items():
        assert FORMS[name].read_text(encoding="utf-8") == text, f"{name} a dérivé de referentiel.yml : lancez « fiches formulaires »"


@pytest.mark.parametrize("name", sorted(set(FORMS) - {"config.yml"}))
def test_each_form_follows_github_s_issue_form_rules(name):
    text = FORMS[name].read_text(encoding="utf-8")
    assert not re.search(r"[&*]id\d", text)  # no YAML aliases
    form = yaml.safe_load(text)
    assert form["name"] and form["description"] and form["body"]
    assert set(form) <= {"name", "description", "title", "labels", "assignees", "body", "projects", "type"}
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert len(labels) == len(set(labels))
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] == "markdown":
            assert item["attributes"]["value"]
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert options and len(options) == len(set(options)) and "None" not in options


def test_the_choice_lists_are_the_referentiel_s_themes_and_audiences():
    form = yaml.safe_load(FORMS["proposer-une-fiche.yml"].read_text(encoding="utf-8"))
    dropdowns = {item["id"]: item["attributes"]["options"] for item in form["body"] if item["type"] == "dropdown"}
    assert dropdowns == {"themes": [t.label for t in SCHEMA.themes.values()], "publics": [t.label for t in SCHEMA.audiences.values()]}


def test_the_error_form_has_the_field_the_sheets_fill_in():
    form = yaml.safe_load(FORMS[ERROR_FORM].read_text(encoding="utf-8"))
    assert "fiche" in [item.get("id") for item in form["body"]]


@pytest.fixture(scope="module")
def site_with_repository(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("depot")
    site = copy_site(tmp / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp / "html"),
                        env={"FICHES_SANS_RECHERCHE": "1", "REPO_URL": REPOSITORY})
    assert result.returncode == 0, result.stderr
    return tmp


def sheet_pages(html: Path) -> list[Path]:
    return sorted(p for folder in ("fiches", "pratiques-inspirantes") for p in (html / folder).glob("*/index.html"))


def test_every_sheet_links_to_its_own_file_in_the_web_editor_and_to_the_error_form(site_with_repository):
    site, html = site_with_repository / "site", site_with_repository / "html"
    pages = sheet_pages(html)
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        (edit,) = re.findall(r'<a href="([^"]+)">Proposer une modification de cette fiche</a>', text)
        assert edit.startswith(f"{REPOSITORY}/edit/main/")
        path = edit[len(f"{REPOSITORY}/edit/main/"):]
        assert (site / path).is_file(), path  # the sheet's real file
        (report,) = re.findall(r'<a href="([^"]+)">Signaler une erreur ou un contenu dépassé</a>', text)
        query = parse_qs(urlparse(report.replace("&amp;", "&")).query)
        assert report.startswith(f"{REPOSITORY}/issues/new?")
        assert query["template"] == [ERROR_FORM] and (REPO / FORMS_DIR / ERROR_FORM).is_file()
        identifier = re.search(r"^id: (\S+)$", (site / path).read_text(encoding="utf-8"), re.M)[1]
        assert query["fiche"] == [identifier]
        assert unquote(query["title"][0]).startswith(f"[{identifier}] ")


def test_the_repository_link_fetches_nothing_from_github(site_with_repository):
    for page in (site_with_repository / "html").rglob("*.html"):
        assert 'data-md-component="source"' not in page.read_text(encoding="utf-8"), page


def test_without_a_repository_address_there_is_no_edit_link(example_site_build):
    for page in sheet_pages(example_site_build):
        assert "Proposer une modification" not in page.read_text(encoding="utf-8")
