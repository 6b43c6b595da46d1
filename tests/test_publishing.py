"""Publishing: the site's address comes from one setting (SITE_URL) and
reaches the sitemap, canonical links and printed sheets; a build without it
says so in French; the workflows publish on GitHub Pages and check every
pull request in a Debian container, with the least permissions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from fiches_kb.site import MISSING_ADDRESS
from helpers import EXAMPLE_SITE, REPO, copy_site, run_mkdocs

ADDRESS = "https://exemple.fr/fiches-hcts/"
WORKFLOWS = REPO / ".github" / "workflows"
FAST = {"FICHES_SANS_RECHERCHE": "1"}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("publie")
    site = copy_site(tmp / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp / "html"), env={**FAST, "SITE_URL": ADDRESS})
    assert result.returncode == 0, result.stderr
    assert MISSING_ADDRESS not in result.stderr
    return tmp / "html"


def sheet_pages(html: Path) -> list[Path]:
    return sorted(p for folder in ("fiches", "pratiques-inspirantes") for p in (html / folder).glob("*/index.html"))


def test_the_sitemap_lists_every_page_with_its_full_address(published):
    locations = re.findall(r"<loc>([^<]*)</loc>", (published / "sitemap.xml").read_text(encoding="utf-8"))
    assert locations and all(location.startswith(ADDRESS) for location in locations)
    for location in locations:
        assert (published / location[len(ADDRESS):] / "index.html").is_file(), location
    listed = set(locations)
    for page in sheet_pages(published):
        assert ADDRESS + page.parent.relative_to(published).as_posix() + "/" in listed


def test_sheet_pages_have_an_absolute_canonical_link_and_print_their_full_permanent_address(published):
    for page in sheet_pages(published):
        html = page.read_text(encoding="utf-8")
        path = page.parent.relative_to(published).as_posix()
        assert f'<link rel="canonical" href="{ADDRESS}{path}/">' in html
        assert re.search(f"Version en ligne, à jour : {re.escape(ADDRESS)}id/[A-Z]+-\\d+/", html), path


def test_a_build_without_an_address_says_so_in_french_and_still_passes_strict(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env=FAST)
    assert result.returncode == 0, result.stderr
    assert f"INFO    -  {MISSING_ADDRESS}" in result.stderr
    assert "<loc>" not in (tmp_path / "html" / "sitemap.xml").read_text(encoding="utf-8")


def workflow(name: str) -> dict:
    data = yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # "on" stays a key
    assert data["name"]
    return data


def test_every_pull_request_is_checked_once_in_a_debian_container():
    ci = workflow("ci.yml")
    assert ci["on"] == {"pull_request": "", "push": {"branches": ["main"]}}  # not twice for a pull request's pushes
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] == "true"
    (job,) = ci["jobs"].values()
    assert job["container"].startswith("python:3.11-") and "bookworm" in job["container"]  # Debian, like .ci/run
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert any("fiches check" in run for run in runs)
    assert "bash .ci/run" in runs  # the build and every test, browser tests included
    assert any("fiches bilan --depuis" in run and "GITHUB_STEP_SUMMARY" in run for run in runs)
    assert job["steps"][0]["with"]["fetch-depth"] == "0"
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"] == {"name": "apercu-du-site", "path": "apercu"}
    assert "sudo" not in " ".join(runs)  # root in the container


def test_every_push_to_main_publishes_on_github_pages_with_its_address():
    publication = workflow("publication.yml")
    assert publication["on"]["push"] == {"branches": ["main"]}
    assert publication["permissions"] == {"contents": "read"}
    assert publication["concurrency"] == {"group": "publication", "cancel-in-progress": "false"}
    build, deploy = publication["jobs"]["construire"], publication["jobs"]["publier"]
    build_step = next(step for step in build["steps"] if "mkdocs build --strict" in step.get("run", ""))
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert build_step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"  # edit and report links
    assert any(step.get("id") == "pages" and step["uses"].startswith("actions/configure-pages@") for step in build["steps"])
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any("libpango-1.0-0" in step.get("run", "") for step in build["steps"])  # WeasyPrint, for the PDFs
    cache = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "~/.cache/fiches-kb"  # PDFs, checking results, QR codes kept between publications
    assert deploy["needs"] == "construire"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}  # only the job that deploys
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


# Majors that run on Node 24 (GitHub removed Node 20 from its runners in September 2026).
NODE24_MAJORS = {
    "actions/checkout": 6, "actions/setup-python": 6, "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5, "actions/upload-artifact": 7,
    "actions/cache": 5,
}


@pytest.mark.parametrize("name", ["ci.yml", "publication.yml", "liens.yml"])
def test_workflow_steps_use_current_actions_and_commands_that_exist(name):
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    for job in workflow(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert action in NODE24_MAJORS and int(version.lstrip("v").split(".")[0]) >= NODE24_MAJORS[action], step
            run = step.get("run", "")
            if run.startswith("{"):
                continue  # a block of echo lines for the job summary
            for command in re.split(r"\s*&&\s*", run):
                if not command:
                    continue
                program = command.split()[0]
                if "=" in program:  # VARIABLE=value command
                    program = command.split()[1]
                if program.startswith((".venv/bin/", "/tmp/fiches/bin/")):
                    assert Path(program).name in {*scripts, "pip", "python", "mkdocs"}, command
                elif program == "bash":
                    assert (REPO / command.split()[1]).is_file(), command
                elif program == "sudo":  # the publishing runner installs Pango for the PDFs
                    assert command.split()[1] == "apt-get", command
                else:
                    assert program in {"python3"}, command


def test_every_sheet_suggests_how_to_cite_it_with_its_permanent_address(published, example_site_build):
    for page in sheet_pages(published):
        text = " ".join(page.read_text(encoding="utf-8").split())
        citation = re.search(r'<p class="fiche-citation"> Citer cette (.*?)</p>', text)
        assert citation, page
        assert re.search(rf'<a href="{re.escape(ADDRESS)}id/([A-Z]+-\d+)/">{re.escape(ADDRESS)}id/\1/</a>, Licence Ouverte 2\.0\.', citation[1])
        assert ", version du " in citation[1] and ", statut : " in citation[1]
    local = " ".join((example_site_build / "fiches" / "proteger-les-donnees" / "index.html").read_text(encoding="utf-8").split())
    assert (
        "« Protéger les données des personnes lors des démarches en ligne », fiche pratique FP-001, version du 2 mars 2019, "
        "statut : Validée par le HCTS, Numérique et travail social, adresse permanente "
        '<a href="../../id/FP-001/">id/FP-001/</a>, Licence Ouverte 2.0.'
    ) in local
