"""The contributor guide documents every field, vocabulary value and
structure from referentiel.yml, and every help link of a message lands on
an anchor of the guide."""

from __future__ import annotations

import re

import pytest

from fiches_kb.guide import (
    FIELDS_MARKER,
    SAFETY_MARKER,
    STRUCTURE_MARKER,
    VOCABULARIES_MARKER,
    field_anchor,
    markdown_text,
    render_guide,
)
from fiches_kb.links import HELP as LINKS_HELP
from fiches_kb.parcours import MODULES_HELP
from fiches_kb.renames import OLD_ADDRESSES_HELP
from fiches_kb.rules import HELP as SAFETY_HELP
from fiches_kb.schema import load_schema
from helpers import REPO

SCHEMA = load_schema(REPO)
GUIDE_SOURCE = (REPO / "pages/contribuer/guide.md").read_text(encoding="utf-8")
GUIDE = render_guide(GUIDE_SOURCE, SCHEMA)
ANCHORS = set(re.findall(r"\{#([a-z0-9-]+)\}", GUIDE))


def test_guide_has_the_three_generated_parts():
    for marker in (FIELDS_MARKER, VOCABULARIES_MARKER, STRUCTURE_MARKER, SAFETY_MARKER):
        assert marker in GUIDE_SOURCE
        assert marker not in GUIDE


@pytest.mark.parametrize("name", list(SCHEMA.fields))
def test_every_field_is_documented_with_description_and_example(name):
    spec = SCHEMA.fields[name]
    assert spec.description, f"referentiel.yml : le champ {name} n'a pas de description"
    assert spec.example is not None, f"referentiel.yml : le champ {name} n'a pas d'exemple"
    assert f"### `{name}` {{#{field_anchor(name)}}}" in GUIDE
    assert markdown_text(spec.description) in GUIDE  # as text: « <identifiant> » escaped


@pytest.mark.parametrize("vocabulary", ["statuts", "themes", "publics"])
def test_every_vocabulary_value_is_documented(vocabulary):
    for key, term in SCHEMA.vocabulary(vocabulary).items():
        assert f"| `{key}` | {term.label} |" in GUIDE


def test_every_section_of_every_type_is_documented():
    for content_type in SCHEMA.types.values():
        for section in content_type.sections:
            assert f"`## {section}`" in GUIDE


def test_the_printed_length_of_each_type_is_documented_from_the_referentiel():
    for content_type in SCHEMA.types.values():
        section = GUIDE.split(f"{{#structure-{content_type.key}}}")[1].split("\n### ")[0]
        assert "**Version imprimée**" in section
        if content_type.max_printed_pages is None:
            assert "pas de limite de pages" in section
        else:
            assert f"**{content_type.max_printed_pages} pages au plus**" in section
            assert "La construction du site refuse une fiche plus longue" in section


def test_help_links_of_messages_point_to_existing_anchors():
    links = {SCHEMA.help_link(name) for name in SCHEMA.fields} | {SCHEMA.help_link()}
    links |= {f"pages/{SCHEMA.guide}#nommer-le-fichier", SAFETY_HELP, OLD_ADDRESSES_HELP, MODULES_HELP, LINKS_HELP}
    links |= {f"pages/{SCHEMA.guide}#structure-{key}" for key in SCHEMA.types}
    for link in links:
        path, anchor = link.split("#")
        assert path == "pages/contribuer/guide.md"
        assert anchor in ANCHORS, f"ancre manquante dans le guide : #{anchor}"


def test_safety_allowlists_are_documented():
    for tag in SCHEMA.safety.html_tags:
        assert f"`<{tag}>`" in GUIDE
    for domain in SCHEMA.safety.email_domains:
        assert f"`{domain}`" in GUIDE
    for name in SCHEMA.safety.email_generic_names:
        assert f"`{name}@…`" in GUIDE


VALID_SHEET = (REPO / "tests" / "fixtures" / "valid" / "fiche-complete.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", GUIDE, re.S)


def test_the_guide_shows_every_example_in_block_style():
    assert len(EXAMPLES) == sum(spec.example is not None for spec in SCHEMA.fields.values())
    for example in EXAMPLES:
        assert not example.lstrip().startswith("{"), example  # « {id: FP-012} » fails once pasted


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.split(":", 1)[0])
def test_every_example_of_the_guide_pasted_into_a_sheet_is_read_as_intended(example):
    """Pasted in place of the sheet's own line(s) for that field (or added at
    the end of its header), the example is read without a syntax error, as
    the value referentiel.yml gives."""
    from fiches_kb.frontmatter import parse_text

    name = example.split(":", 1)[0]
    header, body = VALID_SHEET.split("\n---\n", 1)
    lines, kept, skipping = header.split("\n"), [], False
    for line in lines:
        if line.startswith(f"{name}:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        kept.append(line)
    text = "\n".join(kept) + "\n" + example + "---\n" + body
    source, problems = parse_text(text, REPO / "fiches" / "exemple.md", "fiches/exemple.md")
    assert problems == [] and source is not None
    assert source.data[name] == SCHEMA.fields[name].example


def test_descriptions_are_text_not_html():
    """« /id/<identifiant>/ » in a description stays visible, not read as a tag."""
    assert "/id/<identifiant>/" in (REPO / "referentiel.yml").read_text(encoding="utf-8")
    assert "/id/&lt;identifiant&gt;/" in GUIDE
