"""The real knowledge base: every content file is valid, every theme is
covered, every sheet cites its sources. One test per file, so a failure
names the sheet."""

from __future__ import annotations

import re

import pytest

from fiches_kb.corpus import content_files, load_corpus
from fiches_kb.frontmatter import read_source
from fiches_kb.schema import load_schema
from helpers import REPO

SCHEMA = load_schema(REPO)
CORPUS = load_corpus(REPO, SCHEMA)
FILES = [path.relative_to(REPO).as_posix() for path, _ in content_files(REPO, SCHEMA)]


@pytest.mark.parametrize("rel_path", FILES)
def test_content_file_passes_fiches_check(rel_path):
    problems = [p.format() for p in CORPUS.problems if p.path == rel_path]
    assert problems == []


@pytest.mark.parametrize("rel_path", FILES)
def test_sheet_cites_at_least_one_source(rel_path):
    sheet = next(s for s in CORPUS.sheets if s.src_uri == rel_path)
    assert sheet.sources and all(source.title for source in sheet.sources)


def test_knowledge_base_has_enough_of_each_type():
    counts = {key: sum(1 for s in CORPUS.sheets if s.type.key == key) for key in SCHEMA.types}
    assert counts["fiche"] >= 10
    assert counts["pratique"] >= 8


@pytest.mark.parametrize("theme", list(SCHEMA.themes))
def test_every_theme_has_at_least_one_fiche(theme):
    assert any(theme in [t.key for t in s.themes] for s in CORPUS.sheets if s.type.key == "fiche")


def test_no_sheet_claims_a_validation_the_sources_do_not_give():
    """The founding sources give no HCTS session for these sheets."""
    assert [s.id for s in CORPUS.sheets if s.is_official] == []


GLOSSARY = (REPO / "pages/glossaire.md").read_text(encoding="utf-8")
# Acronyms of the glossary: the definition-list terms with two or more capitals.
ACRONYMS = [
    term
    for term in re.findall(r"^(\S+)\n:", GLOSSARY, flags=re.M)
    if sum(c.isupper() for c in term) >= 2 and term.upper() == term
]


def test_glossary_defines_the_acronyms_the_issue_names():
    for acronym in ("HCTS", "CNIL", "RGPD", "CAF", "CNAF", "RSA", "ANCT", "ANSA", "ANAS", "CNPA", "FALC"):
        assert acronym in ACRONYMS


@pytest.mark.parametrize("rel_path", FILES)
def test_acronyms_are_expanded_at_first_use(rel_path):
    """Plain language: the first use of an acronym is « expansion (SIGLE) »."""
    source, _ = read_source(REPO / rel_path, rel_path)
    unexpanded = []
    for acronym in ACRONYMS:
        first = re.search(rf"(?<![\w@]){re.escape(acronym)}(?![\w@])", source.body)
        if first and not source.body[: first.start()].endswith(("(", "([")):  # « (CNIL) », « ([CNIL](…)) »
            unexpanded.append(acronym)
    assert unexpanded == [], f"sigles non développés à leur première apparition : {unexpanded}"


def test_real_site_builds_strictly_without_broken_links(repo_site_build):
    """mkdocs build --strict turns any broken internal link into a failure."""
    assert (repo_site_build / "index.html").is_file()
    built = {p.relative_to(repo_site_build).parts[:2] for p in repo_site_build.rglob("index.html")}
    for sheet in CORPUS.sheets:  # a draft is left out of the production build
        assert ((sheet.type.folder, sheet.slug) in built) == sheet.is_published, sheet.src_uri
