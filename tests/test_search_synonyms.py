"""Synonyms in the index: each sheet carries, as Pagefind metadata
`synonymes`, the other terms of the groups of referentiel.yml › synonymes it
uses a term of, so that a query for one term finds the sheets that use
another (the search page also expands queries: tests/browser/test_finding.py)."""

from __future__ import annotations

import pytest

from fiches_kb.schema import load_schema
from fiches_kb.search import FUNCTION_WORDS
from fiches_kb.synonyms import other_terms
from helpers import REPO, page

GROUPS = (("courriel", "e-mail", "mail", "messagerie"), ("CAF", "caisse d'allocations familiales"), ("visioconférence", "visio"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Écrire un courriel à la personne.", ("e-mail", "mail", "messagerie")),
        ("Les COURRIELS du service", ("e-mail", "mail", "messagerie")),  # case and plural
        ("la Caisse d’allocations familiales du Gard", ("CAF",)),  # function words, typographic apostrophe
        ("un rendez-vous en visioconference", ("visio",)),  # without its accent
        ("un courriel et un e-mail", ("mail", "messagerie")),
        ("mailto:x et les cafés", ()),  # part of a word: not the term
        ("", ()),
    ],
    ids=["one term", "case and plural", "words between", "accent", "two terms", "inside words", "empty"],
)
def test_other_terms_of_the_groups_a_text_uses(text, expected):
    assert other_terms(text, GROUPS, FUNCTION_WORDS) == expected


def test_the_sheet_about_e_mail_carries_the_other_terms_of_its_group(repo_site_build):
    html = page(repo_site_build, "fiches/courriel-professionnel-secret")
    body = html.find("article", data_pagefind_body="")
    (meta,) = [n.attrs["data-pagefind-meta"] for n in _all(body) if n.attrs.get("data-pagefind-meta", "").startswith("synonymes:")]
    terms = meta.split(":", 1)[1].split(", ")
    group = next(g for g in load_schema(REPO).synonyms if "courriel" in g)
    assert "e-mail" in terms and "courriel" not in terms
    assert set(terms) >= set(group) - {"courriel", "mail", "messagerie"}


def _all(node):
    for child in node.children:
        if not isinstance(child, str):
            yield child
            yield from _all(child)
