"""The rules read Python-Markdown's own tree when nothing was stashed, and
find there exactly what parsing the written HTML would find: the same start
tags (attributes and written form included) and the same text, so that the
messages do not depend on which reading was used.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiches_kb.rules import renderer_for
from fiches_kb.rules.rendering import RenderedBody, _read, visible
from helpers import ATTACK_PIECES, REPO

# Markdown-only pieces: what attribute lists, entities, autolinks and extensions make.
MARKDOWN_PIECES = st.sampled_from(
    [
        "{: onClick=x }", "{: data-x }", "{: title='a&amp;b' }", "{: title=\"a<b>\" }", "{: #i .c }", "{: hidden }",
        "{: href='jav&#x09;ascript:x' }", "&ampfoo", "&", "&amp;", "&eacute;", "`<b>&</b>`", "<a@b.fr>",
        "<https://a.fr/?a=1&b=2>", '[x](https://a.fr "t&quot;")', "![a](i.png 'b')", "*[HTML]: Hyper", "HTML",
        "\\*", "\\&", "\\<", "Term\n: def", '!!! note "T"\n    x\n', "| a | b |\n|:-|-:|\n| 1 | 2 |\n", "# T {: #id .c }",
        "06 12 34 56 78", "x@y.fr", "[a@b.fr](mailto:a@b.fr)", "**06** 12", "_a_", "\n", "\n\n", " ", "x", "- ", "1. ",
        "> ", "## ", "[l](https://a.fr)", "[r]\n\n[r]: https://a.fr", "---\n", "  \n",
    ]
)


def readings(body: str):
    rendered = renderer_for(REPO).render(body)
    parsed, _ = _read(rendered.html)
    return rendered, parsed


def summary(reading) -> tuple:
    texts = [text for text in (visible("".join(parts)) for parts in reading.blocks) if text]
    return [(e.tag, e.attrs, e.written) for e in reading.elements], texts, reading.comments


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_PIECES | ATTACK_PIECES, max_size=14).map("".join))
def test_the_tree_reading_finds_what_parsing_the_html_finds(body):
    rendered, parsed = readings(body)
    if rendered.tree is None:
        return  # something was stashed: the HTML is parsed
    from_tree = rendered._reading[0]
    assert summary(from_tree) == summary(parsed)


def test_markdown_without_raw_html_is_read_from_the_tree():
    rendered, _ = readings("## Titre {: onclick=x }\n\nUn [lien](https://a.fr) et <a@b.fr>.\n")
    assert rendered.tree is not None
    reading = rendered._reading[0]
    assert not isinstance(reading, type(_read("")[0]))  # not the HTML parser
    assert ("onclick", "x") in reading.elements[0].attrs
    assert any("a@b.fr" in text for text in rendered.texts)  # the autolink's entities, decoded


def test_raw_html_or_code_blocks_make_the_rules_parse_the_html():
    for body in ("Un <b>mot</b>.\n", "```\ncode\n```\n", "Un &eacute;cart.\n"):
        rendered, _ = readings(body)
        assert rendered.tree is None


def test_a_blank_body_never_reads_the_tree_of_the_body_before():
    renderer = renderer_for(REPO)
    renderer.render("Un texte.\n")
    assert renderer.render("   \n").tree is None
    assert RenderedBody("", []).texts == []
