"""The synthetic corpus of benchmarks/generate_corpus.py: deterministic, valid, realistic mix."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, build_site, copy_site
from fiches_kb.corpus import load_corpus
from fiches_kb.frontmatter import read_source
from fiches_kb.schema import load_schema


def load_benchmark_module(name: str):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = load_benchmark_module("generate_corpus")
SCHEMA = load_schema(REPO)


def content_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in ("fiches", "pratiques-inspirantes")
        for path in sorted((root / folder).glob("*.md"))
    }


@pytest.fixture(scope="module")
def corpus_50(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus-50")
    generate.generate_corpus(out, 50, seed=3, schema=SCHEMA)
    return out


def test_same_seed_same_bytes(tmp_path):
    generate.generate_corpus(tmp_path / "a", 30, seed=7, schema=SCHEMA)
    generate.generate_corpus(tmp_path / "b", 30, seed=7, schema=SCHEMA)
    generate.generate_corpus(tmp_path / "c", 30, seed=8, schema=SCHEMA)
    first = content_bytes(tmp_path / "a")
    assert len(first) == 30
    assert first == content_bytes(tmp_path / "b")
    assert first != content_bytes(tmp_path / "c")


def test_cli_writes_the_same_bytes_as_the_function(tmp_path):
    generate.generate_corpus(tmp_path / "function", 12, seed=5, schema=SCHEMA)
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--sheets", "12", "--seed", "5", "--out", str(tmp_path / "cli")],
        check=True,
        capture_output=True,
    )
    assert content_bytes(tmp_path / "function") == content_bytes(tmp_path / "cli")
    assert (tmp_path / "cli" / "pages" / "index.md").is_file()


def test_a_sheet_does_not_depend_on_the_corpus_size(tmp_path):
    """FP-0001 is the same page in a small and a larger corpus, so page sizes compare across N."""
    generate.generate_corpus(tmp_path / "small", 40, seed=1, schema=SCHEMA)
    generate.generate_corpus(tmp_path / "large", 120, seed=1, schema=SCHEMA)
    small, large = content_bytes(tmp_path / "small"), content_bytes(tmp_path / "large")
    first = next(name for name in small if name.startswith("fiches/") and name.endswith("-0001.md"))
    assert small[first] == large[first]


def test_corpus_is_valid(corpus_50):
    corpus = load_corpus(corpus_50, SCHEMA)
    assert corpus.checked_files == 50
    assert [p.format() for p in corpus.errors] == []
    assert len(corpus.sheets) == 50


def test_type_mix_and_identifiers(corpus_50):
    corpus = load_corpus(corpus_50, SCHEMA)
    by_type = Counter(sheet.type.key for sheet in corpus.sheets)
    assert by_type == {"fiche": 40, "pratique": 10}
    fiche_ids = sorted(s.id for s in corpus.sheets if s.type.key == "fiche")
    assert fiche_ids == [f"FP-{n:04d}" for n in range(1, 41)]
    assert sorted(s.id for s in corpus.sheets if s.type.key == "pratique")[0] == "PI-0001"


def test_front_matter_uses_the_real_vocabularies(corpus_50):
    corpus = load_corpus(corpus_50, SCHEMA)
    statuses = Counter(sheet.status.key for sheet in corpus.sheets)
    assert set(statuses) <= set(SCHEMA.statuses)
    assert len(statuses) >= 3
    assert {t.key for s in corpus.sheets for t in s.themes} <= set(SCHEMA.themes)
    assert {a.key for s in corpus.sheets for a in s.audiences} <= set(SCHEMA.audiences)
    assert sum(1 for s in corpus.sheets if s.related_ids) >= 25
    for sheet in corpus.sheets:
        assert sheet.created <= sheet.updated < sheet.next_review
        assert (sheet.validation is not None) == (sheet.status.key in ("validee", "archivee"))
        assert (sheet.replaced_by is not None) == (sheet.status.key == "archivee")


def test_sheets_hold_about_a_thousand_words_with_accents(corpus_50):
    words = []
    for path in sorted((corpus_50 / "fiches").glob("*.md")) + sorted((corpus_50 / "pratiques-inspirantes").glob("*.md")):
        source, problems = read_source(path, path.name)
        assert not problems
        words.append(len(source.body.split()))
        assert "é" in source.body
    assert 850 <= sum(words) / len(words) <= 1200
    assert min(words) >= 600


def test_corpus_builds_with_the_real_configuration(tmp_path):
    content = tmp_path / "content"
    generate.generate_corpus(content, 20, seed=2, schema=SCHEMA)
    site = copy_site(tmp_path / "site", content)
    html = build_site(site, tmp_path / "html")
    corpus = load_corpus(content, SCHEMA)
    published = [s for s in corpus.sheets if s.is_published]
    for sheet in published:
        assert (html / sheet.type.folder / sheet.slug / "index.html").is_file()
        assert (html / "id" / sheet.id / "index.html").is_file()
