"""Performance fixes must not change results: each fast path gives exactly
what the slow path it replaces gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiches_kb import frontmatter
from fiches_kb.frontmatter import parse_text
from fiches_kb.schema import load_schema
from helpers import FIXTURES, REPO, load_benchmark_module

pytestmark = pytest.mark.benchmark

generate = load_benchmark_module("generate_corpus")
SCHEMA = load_schema(REPO)
PATH = Path("/depot/fiches/fiche-test.md")


def parse_both(text: str, monkeypatch) -> tuple:
    fast = parse_text(text, PATH, "fiches/fiche-test.md")
    with monkeypatch.context() as patch:
        patch.setattr(frontmatter, "_FastLoader", None)
        strict = parse_text(text, PATH, "fiches/fiche-test.md")
    return fast, strict


def assert_same_or_libyaml_leniency(fast, strict, header: str) -> None:
    """Same result, except where libyaml (MkDocs' own parser for page metadata)
    reads a header that the pure-Python parser refuses as a YAML syntax error."""
    if fast == strict:
        return
    import yaml

    assert strict[0] is None, "both parsers read the header but disagree on its content"
    assert any("syntaxe" in p.message or "illisible" in p.message for p in strict[1]), strict[1]
    yaml.load(header, Loader=yaml.CSafeLoader)  # MkDocs reads it without error


def sample_files(tmp_path_factory) -> list[Path]:
    corpus = tmp_path_factory.mktemp("fast-path-corpus")
    generate.generate_corpus(corpus, 30, seed=11, schema=SCHEMA, pages=None)
    folders = [FIXTURES, REPO / "tests" / "site", REPO / "fiches", REPO / "pratiques-inspirantes", corpus]
    return sorted(p for folder in folders for p in folder.rglob("*.md"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return sample_files(tmp_path_factory)


def test_libyaml_is_used_here():
    assert frontmatter._FastLoader is not None, "PyYAML without libyaml: the fast path is not tested"


def test_fast_header_reading_matches_the_strict_reader_on_every_known_file(files, monkeypatch):
    assert len(files) > 60
    for path in files:
        text, problems = frontmatter.decode_text(path.read_bytes(), path.name)
        if text is None:
            continue
        fast, strict = parse_both(text, monkeypatch)
        assert fast == strict, path


yaml_like = st.lists(
    st.sampled_from(
        list("ab é:-[]{},#&*!|>'\"?%@`\t\n\\0123456789.")
        + ["\n  ", "\n- ", ": ", "---", "...", "titre", "2019-02-30", "&a ", "*a", "!!str ", "<<: ", "~", "null", "yes"]
        + ["%YAML 1.1\n", "\x85", "\u2028", "\ufeff", "\x00", "\u00a0", "0x1F", "1e3", ".inf", "|-\n  a", ">+\n  b", " #c"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(yaml_like)
def test_fast_header_reading_matches_the_strict_reader_on_random_headers(monkeypatch, header):
    fast, strict = parse_both(f"---\n{header}\n---\n\n## Texte\n", monkeypatch)
    assert_same_or_libyaml_leniency(fast, strict, header + "\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2000), st.text(alphabet=st.sampled_from(list(":-[]{}'\" \n\t#&*é")), max_size=4))
def test_fast_header_reading_matches_on_edited_valid_sheets(monkeypatch, position, insert):
    valid = (FIXTURES / "valid" / "fiche-complete.md").read_text(encoding="utf-8")
    position = min(position, len(valid))
    text = valid[:position] + insert + valid[position:]
    fast, strict = parse_both(text, monkeypatch)
    assert_same_or_libyaml_leniency(fast, strict, text.split("\n---", 1)[0].removeprefix("---\n"))


@pytest.mark.parametrize("header", ["[" * 200_000, "[" * 50_000 + "]" * 50_000, "- " * 100_000 + "a", "{a: " * 60_000])
def test_very_deep_nesting_never_crashes_the_process(header, tmp_path):
    """libyaml recurses in C: without the guard, such a header kills Python (SIGSEGV)."""
    script = tmp_path / "deep.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\nfrom fiches_kb.frontmatter import parse_text\n"
        "text = Path(sys.argv[1]).read_text()\n"
        "source, problems = parse_text(text, Path('x.md'), 'x.md')\n"
        "assert source is None and problems\n",
        encoding="utf-8",
    )
    header_file = tmp_path / "header.md"
    header_file.write_text(f"---\ntitre: {header}\n---\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(header_file)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_kept_parse_results_are_reused_only_for_the_same_bytes(tmp_path, monkeypatch):
    from fiches_kb.corpus import load_corpus
    from fiches_kb.frontmatter import read_source

    monkeypatch.setattr(frontmatter, "_parsed", None)
    generate.generate_corpus(tmp_path, 10, seed=2, schema=SCHEMA, pages=None)
    (tmp_path / "fiches" / "invalide.md").write_bytes((FIXTURES / "invalid" / "champ-inconnu.md").read_bytes())
    without = load_corpus(tmp_path, SCHEMA)
    frontmatter.keep_parsed_files()
    first, second = load_corpus(tmp_path, SCHEMA), load_corpus(tmp_path, SCHEMA)
    assert first.problems == second.problems == without.problems  # problems never pile up
    assert first.sheets == second.sheets == without.sheets

    path = next((tmp_path / "fiches").glob("*-0001.md"))
    source, _ = read_source(path, "fiches/x.md")
    assert read_source(path, "fiches/x.md")[0] is source
    path.write_bytes(path.read_bytes().replace(b"## Ce qui est en jeu", b"## Ce qui est en jeu\n\nAjout.", 1))
    edited, _ = read_source(path, "fiches/x.md")
    assert edited is not source and "Ajout." in edited.body
    frontmatter.keep_parsed_files(False)
