"""Helpers shared by the validator tests: a throwaway repository with a small
valid corpus (the example site's sheets) and one file under test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
TODAY = date(2026, 11, 23)


def make_repo(tmp_path: Path) -> Path:
    shutil.copy2(REPO / "referentiel.yml", tmp_path / "referentiel.yml")
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")  # the site's Markdown settings
    for folder in ("fiches", "pratiques-inspirantes"):
        shutil.copytree(REPO / "tests" / "site" / folder, tmp_path / folder)
    return tmp_path


def add_fixture(repo: Path, fixture: str, folder: str = "fiches", name: str | None = None) -> Path:
    source = FIXTURES / fixture
    target = repo / folder / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target


def problems_for(repo: Path, path: Path) -> list[str]:
    corpus = load_corpus(repo, load_schema(repo), today=TODAY, only={path})
    return [problem.format() for problem in corpus.problems]
