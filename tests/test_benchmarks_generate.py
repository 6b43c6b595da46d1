"""The synthetic corpus of benchmarks/generate_corpus.py: deterministic, valid, realistic mix
and realistic word statistics (frequencies of the real sheets, vocabulary growing with size)."""

from __future__ import annotations

import dataclasses

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from fiches_kb.corpus import load_corpus
from fiches_kb.frontmatter import read_source
from fiches_kb.rules.personal_data import find_personal_data
from fiches_kb.schema import load_schema
from helpers import REPO, build_site, copy_site, load_benchmark_module


pytestmark = pytest.mark.benchmark

generate = load_benchmark_module("generate_corpus")
# The home page's situations name sheets of the real base, not of a generated corpus.
SCHEMA = dataclasses.replace(load_schema(REPO), situations=())
build = load_benchmark_module("build_text_model")


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
    for folder in ("fiches/", "pratiques-inspirantes/"):
        first = next(name for name in small if name.startswith(folder) and name.endswith("-0001.md"))
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


def mean_words(root: Path, folder: str) -> float:
    published = generate.published_statuses(SCHEMA) if root == REPO else None  # the real drafts are not models
    lengths = [len(generate.words(body)) for _, body in generate.sheet_bodies(root, folder, published)]
    return sum(lengths) / len(lengths)


@pytest.fixture(scope="module")
def corpus_200(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus-200")
    generate.generate_corpus(out, 200, seed=1, schema=SCHEMA, pages=None)
    return out


def test_sheets_are_as_long_as_the_real_ones_of_their_type(corpus_200):
    """About 630 words for a fiche pratique and 310 for a pratique inspirante, as in the real
    sheets: word counts, index size and search work depend on it."""
    for content_type in SCHEMA.types.values():
        real = mean_words(REPO, content_type.folder)
        synthetic = mean_words(corpus_200, content_type.folder)
        assert 0.85 * real <= synthetic <= 1.25 * real, (content_type.folder, real, synthetic)
    assert mean_words(corpus_200, "fiches") > 1.5 * mean_words(corpus_200, "pratiques-inspirantes")
    for folder in generate.CONTENT_FOLDERS:
        for _, body in generate.sheet_bodies(corpus_200, folder):
            assert len(generate.words(body)) >= 100
            assert "é" in body


def test_a_fixed_length_can_be_asked_for(tmp_path):
    """--words-per-sheet 1000: the corpus of the benchmark runs before 2026-11-23, unchanged."""
    generate.generate_corpus(tmp_path / "fixed", 30, seed=2, schema=SCHEMA, pages=None, words_per_sheet=1000)
    for folder in generate.CONTENT_FOLDERS:
        assert 850 <= mean_words(tmp_path / "fixed", folder) <= 1200
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--sheets", "30", "--seed", "2",
         "--out", str(tmp_path / "cli"), "--words-per-sheet", "1000"],
        check=True,
        capture_output=True,
    )
    assert content_bytes(tmp_path / "fixed") == content_bytes(tmp_path / "cli")


def test_every_sheet_can_be_given_a_table(tmp_path):
    """--words-per-sheet 1000 --table-in-every-sheet: the long-sheet shape of the build-time target."""
    out = tmp_path / "tables"
    generate.generate_corpus(out, 30, seed=2, schema=SCHEMA, pages=None, words_per_sheet=1000, table_in_every_sheet=True)
    plain = tmp_path / "plain"
    generate.generate_corpus(plain, 30, seed=2, schema=SCHEMA, pages=None, words_per_sheet=1000)
    with_tables, without = content_bytes(out), content_bytes(plain)
    assert all(b"\n| --- | --- | --- |\n" in text for text in with_tables.values())
    assert sum(b"\n| --- |" not in text for text in without.values()) > 10  # most sheets had none
    assert [name for name in with_tables if with_tables[name] != without[name]] == [
        name for name in without if b"\n| --- |" not in without[name]
    ]
    assert not load_corpus(out, SCHEMA).errors


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


def test_the_copied_machinery_sets_no_printed_length_limit(tmp_path):
    """Generated sheets are random lengths: a PDF benchmark must not stop on one
    that prints on a page more than the real sheets may."""
    assert "pages_a4_max:" in (REPO / "referentiel.yml").read_text(encoding="utf-8")
    generate.copy_machinery(tmp_path)
    copied = load_schema(tmp_path)
    assert copied.types and all(t.max_printed_pages is None for t in copied.types.values())
    assert not copied.situations


# --- Word statistics ------------------------------------------------------


@pytest.fixture(scope="module")
def figures_100_and_1000(tmp_path_factory) -> tuple[dict, dict]:
    out = tmp_path_factory.mktemp("corpus-sizes")
    generate.generate_corpus(out / "100", 100, seed=1, schema=SCHEMA, pages=None)
    generate.generate_corpus(out / "1000", 1000, seed=1, schema=SCHEMA, pages=None)
    return generate.corpus_figures(out / "100"), generate.corpus_figures(out / "1000")


def test_vocabulary_grows_with_the_corpus_like_real_text(figures_100_and_1000):
    """Heaps' law: distinct words ≈ K·sqrt(words), K close to the real sheets' one."""
    small, large = figures_100_and_1000
    real = generate.corpus_figures(REPO, generate.published_statuses(SCHEMA))
    # Heaps' K of the generated text within 30 % of the real sheets' (18.9 for the 29 published
    # sheets of 2026-12-06; 14.0 generated at 100 sheets).
    real_k = real["distinct_words"] / real["words"] ** 0.5
    assert 0.7 * real_k <= small["distinct_words"] / small["words"] ** 0.5 <= 1.3 * real_k
    assert large["distinct_words"] > 2.5 * small["distinct_words"]
    for figures in (small, large):
        assert 10 <= figures["distinct_words"] / figures["words"] ** 0.5 <= 25


def test_domain_words_are_as_frequent_as_in_the_real_sheets(figures_100_and_1000):
    _, large = figures_100_and_1000
    real = generate.corpus_figures(REPO, generate.published_statuses(SCHEMA))["per_1000_words"]
    for word in generate.TRACKED_WORDS:
        assert real[word] > 0, word
        assert 0.5 <= large["per_1000_words"][word] / real[word] <= 2, (word, real[word], large["per_1000_words"][word])


def test_domain_words_gather_in_some_sheets(corpus_50):
    """Each sheet follows the chain of one real sheet (its topic): « aidants » is not everywhere."""
    bodies = [body for folder in generate.CONTENT_FOLDERS for _, body in generate.sheet_bodies(corpus_50, folder)]
    with_aidants = sum("aidants" in generate.words(body) for body in bodies)
    assert 0 < with_aidants < 0.8 * len(bodies)


def test_pseudo_words_are_distinct_and_look_french():
    for name in (False, True):
        made_up = [generate.pseudo_word(index, name) for index in range(50_000)]
        assert len(set(made_up)) == len(made_up)
        assert all(generate.words(word) and not any(c.isdigit() for c in word) for word in made_up)
    assert generate.pseudo_word(10**9, False).isalpha()


# --- The frozen text model ------------------------------------------------


def test_committed_text_model_is_small_plain_and_loads():
    data = json.loads(generate.MODEL_PATH.read_text(encoding="utf-8"))
    assert generate.MODEL_PATH.stat().st_size < 400_000
    text = "\n".join(sentence for document in data["documents"] for _, _, sentence in document["sentences"])
    text += "\n" + " ".join(data["rare_words"] + data["rare_names"])
    assert find_personal_data(text, SCHEMA.safety) == []
    for forbidden in ("http", "www.", "@", "](", "**", "<", ">"):
        assert forbidden not in text.replace(generate.RARE, "").replace(generate.NAME, ""), forbidden
    model = generate.TextModel.load()
    assert set(model.topics) == set(SCHEMA.types)


def test_text_model_keeps_plain_body_text_only(tmp_path):
    """Front matter, link addresses, URLs, e-mails and phone numbers never reach the model."""
    shutil.copy2(REPO / "referentiel.yml", tmp_path / "referentiel.yml")
    (tmp_path / "fiches").mkdir()
    (tmp_path / "pratiques-inspirantes").mkdir()
    body = (
        "## Ce qui est en jeu\n\n"
        "Le **secret professionnel** protège la personne. Voir [la fiche sur les courriels](autre.md) et "
        "<https://exemple.fr/page>, https://www.cnil.fr/fr/guide ou www.service-public.fr. "
        "Écrivez à accueil@exemple.org ou appelez le 01 23 45 67 89.\n\n"
        "- Vérifiez l'« aller vers » avec la personne ;\n"
        "- Notez le numéro 12345678.\n"
    )
    (tmp_path / "fiches" / "essai.md").write_text(f"---\nid: FP-001\ntitre: Titre introuvable\nstatut: en-relecture\n---\n\n{body}", encoding="utf-8")
    model = build.build_model(tmp_path)
    sentences = [s for d in model["documents"] for s in d["sentences"]]
    # In a one-sheet text every word is rare: look at the sentences and the rare-word lists together.
    tokens = {t.lower() for s in sentences for t in s[2].split()} | {w.lower() for w in model["rare_words"] + model["rare_names"]}
    for absent in ("titre", "introuvable", "exemple", "cnil", "service-public", "accueil", "01", "23", "89", "12345678", "autre.md", "**"):
        assert not any(absent in token for token in tokens), absent
    assert {"fiche", "courriels", "secret", "professionnel"} <= tokens
    assert [s[1] for s in sentences].count("i") == 2
    assert {s[0] for s in sentences} == {0}
    assert build.tokenize("Vérifiez l' aller vers avec elle, le 25 mai 2018") == [
        "Vérifiez", "l'", "aller", "vers", "avec", "elle", ",", "le", "25", "mai", "2018", ".",
    ]


def test_text_model_rebuilds_the_same_file():
    """The committed file is what the builder writes (same model, same layout), for the sheets it was built from."""
    data = json.loads(generate.MODEL_PATH.read_text(encoding="utf-8"))
    assert build.dump(data) == generate.MODEL_PATH.read_text(encoding="utf-8")
