"""Hostile bodies are judged quickly: what would take Python-Markdown too
long to render is refused before rendering, in `fiches check` and in the
build. Times are measured by benchmarks/hostile_input.py, not here."""

from __future__ import annotations

import re


import pytest

from fiches_kb.frontmatter import SourceFile
from fiches_kb.rules import check_body_safety, renderer_for
from fiches_kb.rules.render_cost import MAX_BLOCKS, MAX_LINES, RENDER_COST_BUDGET, render_cost_problems
from fiches_kb.schema import load_schema
from helpers import REPO

SCHEMA = load_schema(REPO)
ONE_MEGABYTE = 1_000_000
TOO_MANY_BRACKETS = "texte trop chargé en crochets « [ », chevrons « < » ou signes « * », « _ », « & »"
TOO_LONG = "texte beaucoup trop long pour une fiche"


def body(text: str, body_line: int = 8) -> SourceFile:
    return SourceFile(REPO / "fiches" / "x.md", "fiches/x.md", {}, {}, text, body_line)


def messages(text: str) -> list[str]:
    return [problem.message for problem in check_body_safety(body(text), SCHEMA, renderer_for(REPO))]


@pytest.mark.parametrize("piece", ["[", "<", "![", "[a](", "<a ", "*a", "&#", "_a"])
def test_a_megabyte_of_brackets_is_refused_unrendered(piece, monkeypatch):
    monkeypatch.setattr("fiches_kb.rules.rendering.BodyRenderer.render", lambda *a: pytest.fail("rendered"))
    found = messages(piece * (ONE_MEGABYTE // len(piece)))
    assert len(found) == 1 and found[0].startswith(TOO_MANY_BRACKETS)


@pytest.mark.parametrize("piece", ["](\n\n", "[\n\n", "# a\n", "- a\n", "x\n\n"])
def test_a_megabyte_of_tiny_blocks_is_refused_unrendered(piece, monkeypatch):
    monkeypatch.setattr("fiches_kb.rules.rendering.BodyRenderer.render", lambda *a: pytest.fail("rendered"))
    found = messages(piece * (ONE_MEGABYTE // len(piece)))
    assert len(found) == 1 and found[0].startswith(TOO_LONG)


@pytest.mark.parametrize("piece", ["](", "{:", "`"])
def test_a_megabyte_that_renders_in_step_with_its_size_is_checked(piece):
    assert messages(piece * (ONE_MEGABYTE // len(piece))) == []


def test_the_refusal_names_the_costliest_paragraph_and_what_to_do():
    text = "Un paragraphe ordinaire.\n\n" + "[" * 3000 + "\n"
    [problem] = render_cost_problems(body(text))
    assert problem.format() == (
        "fiches/x.md:10 : erreur : texte trop chargé en crochets « [ », chevrons « < » ou signes « * », « _ », "
        "« & » : il ne peut pas être mis en page ni vérifié dans un temps raisonnable.\n"
        "    attendu : des paragraphes séparés par des lignes vides, avec quelques liens chacun\n"
        "    trouvé : 3000 « [ » dans le texte\n"
        "    suggestion : coupez les longs paragraphes par des lignes vides ; pour afficher un de ces signes "
        "isolé, précédez-le d'une barre oblique inverse (« \\[ », « \\* ») ou écrivez « &lt; » pour « < »\n"
        "    aide : pages/contribuer/guide.md#securite"
    )


def test_the_limits_sit_far_above_a_real_sheet():
    for path in [*REPO.glob("fiches/*.md"), *REPO.glob("pratiques-inspirantes/*.md")]:
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        assert render_cost_problems(body(text)) == [], path
        # the rule's own measure: each paragraph's costly characters times its length
        cost = sum(sum(map(block.count, "[<*_&")) * len(block) for block in re.split(r"\n[ \t]*\n", text))
        assert cost * 10 < RENDER_COST_BUDGET, path
        assert text.count("\n") * 10 < MAX_LINES and text.count("\n\n") * 10 < MAX_BLOCKS, path


def test_the_largest_accepted_bodies_are_checked():
    assert messages("[" * 1999) == []
    assert messages("# a\n" * (MAX_BLOCKS - 2)) == []


def test_the_build_refuses_a_hostile_sheet_before_mkdocs_renders_it(tmp_path):
    from fiches_kb.corpus import load_corpus

    repo = tmp_path
    from helpers import make_repo

    make_repo(repo)
    sheet = next((repo / "fiches").glob("*.md"))
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n" + "[" * 50_000 + "\n", encoding="utf-8")
    corpus = load_corpus(repo, load_schema(repo), render_bodies=False)
    assert any(problem.message.startswith(TOO_MANY_BRACKETS) for problem in corpus.errors)
