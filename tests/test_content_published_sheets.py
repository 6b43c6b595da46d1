"""Every published sheet of the knowledge base can be acted on and checked
(issue 20): it has « L'essentiel », at least one source with its https link
and its date, and nothing unfinished (« Non précisé par les sources », « À
compléter », the model's identifier)."""

from __future__ import annotations

import re

import pytest

from helpers import REPO, published

SHEETS = published(REPO)
IDS = [f"{sheet['_type']}/{sheet['_slug']}" for sheet in SHEETS]


def text_of(sheet: dict) -> str:
    folder = "fiches" if sheet["_type"] == "fiche" else "pratiques-inspirantes"
    return (REPO / folder / f"{sheet['_slug']}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_a_published_sheet_has_l_essentiel(sheet):
    lines = sheet.get("essentiel") or []
    assert 3 <= len(lines) <= 5, f"{sheet['_url']} : « L'essentiel » manque ou n'a pas 3 à 5 lignes"


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_a_published_sheet_cites_a_linked_and_dated_source(sheet):
    linked_and_dated = [s for s in sheet["sources"] if str(s.get("lien", "")).startswith("https://") and s.get("date")]
    assert linked_and_dated, f"{sheet['_url']} : aucune source avec « lien » (https) et « date »"


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_a_published_sheet_contains_no_placeholder(sheet):
    text = text_of(sheet)
    assert not re.search(r"non\s+pr[ée]cis[ée]e?s?\s+par\s+les\s+sources", text, re.IGNORECASE)
    assert not re.search(r"^[\s>*+\-\d.)]*[«\"']?\s*[ÀA]\s+compl[ée]ter\b", text, re.MULTILINE)
    assert not re.match(r"^[A-Z]+-0+$", sheet["id"])
