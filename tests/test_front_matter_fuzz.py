"""Property-based tests: random and mutated input never crashes the reader or
the validator; every outcome is either a valid sheet or French problems."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiches_kb.corpus import build_sheet
from fiches_kb.frontmatter import SourceFile, decode_text, parse_text
from fiches_kb.schema import load_schema
from fiches_kb.validate import validate_front_matter
from helpers import FIXTURES, REPO, TODAY

SCHEMA = load_schema(REPO)
FICHE = SCHEMA.types["fiche"]
VALID = (FIXTURES / "valid/fiche-complete.md").read_text(encoding="utf-8")
PATH = Path("/depot/fiches/fiche-test.md")

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["validee", "FP-001", "2019-06-14", "2019-02-30", "http://x", "https://x.fr", "PI-1"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(list(SCHEMA.fields) + ["inconnu", "titre ", "Statut"])


def check(text: str) -> None:
    source, problems = parse_text(text, PATH, "fiches/fiche-test.md")
    if source is None:
        assert problems and all(p.message for p in problems)
        return
    problems = validate_front_matter(source, SCHEMA, FICHE, TODAY)
    for problem in problems:
        assert problem.format().startswith("fiches/fiche-test.md")
    if not problems:
        build_sheet(source, SCHEMA, FICHE, TODAY, Path("/depot"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_is_handled(text):
    check(text)


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_any_bytes_are_handled(raw):
    text, problems = decode_text(raw, "fiches/fiche-test.md")
    assert (text is None) == bool(problems)
    if text is not None:
        check(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(field_names, yaml_values, max_size=8))
def test_random_front_matter_mappings_are_handled(data):
    header = yaml.safe_dump(data, allow_unicode=True)
    check(f"---\n{header}---\n\n## Ce qui est en jeu\n")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(field_names, yaml_values)
def test_one_field_of_a_valid_sheet_replaced_by_anything(name, value):
    source, problems = parse_text(VALID, PATH, "fiches/fiche-test.md")
    assert not problems
    data = dict(source.data)
    data[name] = value
    check("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + source.body)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.text(max_size=5))
def test_valid_sheet_with_a_random_edit_is_handled(position, insert):
    check(VALID[:position] + insert + VALID[position + 1 :])


def test_deeply_nested_yaml_is_refused_not_crashed():
    check("---\ntitre: " + "[" * 5000 + "\n---\n")


def test_source_file_line_lookup_falls_back_to_parent():
    source = SourceFile(PATH, "x.md", {}, {("sources",): 12})
    assert source.line_of(("sources", 2, "titre")) == 12
    assert source.line_of(("inconnu",)) == 1
