"""Nothing unfinished is published.

A published sheet (a status whose « publie » is true) must not keep what the
model and `fiches nouvelle` leave to be replaced: « À compléter »,
« Non précisé par les sources » and the model's identifier (FP-000, PI-000).
Drafts may. The model's author, essential lines and source read « À
compléter : … », so they are caught as such; the examples of referentiel.yml
(shown in the contributor guide) are real values that pass when pasted.
Judged on the source as written (front matter and body), so that the
message names the line to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..problems import Problem
from ..text import field_name, front_matter_strings, quote
from .base import Context, rule

HELP = "pages/contribuer/guide.md#rien-d-inacheve"
# « Non précisé par les sources », however written (case, accents, line breaks).
NOT_IN_SOURCES = re.compile(r"non\s+pr[ée]cis[ée]e?s?\s+par\s+les\s+sources", re.IGNORECASE)
# « À compléter » as the model writes it: opening a line, a list item or a value
# (« un formulaire à compléter » in a sentence is ordinary French).
TO_COMPLETE = re.compile(r"^[\s>*+\-\d.)]*[«\"']?\s*[ÀA]\s+compl[ée]ter\b", re.MULTILINE)


def _placeholder(text: str) -> str | None:
    """The placeholder found in text, as written, or None."""
    found = NOT_IN_SOURCES.search(text) or TO_COMPLETE.search(text)
    return " ".join(found[0].split()).lstrip(">*+-.) «\"'0123456789") if found else None


def _is_published(context: Context) -> bool:
    status = context.source.data.get("statut")
    term = context.schema.statuses.get(status) if isinstance(status, str) else None
    return bool(term and term.published)


def _problem(context: Context, line: int, found: str, field: str | None, suggestion: str) -> Problem:
    status = context.source.data.get("statut")
    return Problem(
        context.source.rel_path,
        line,
        f"une fiche publiée (statut « {status} ») ne doit rien contenir d'inachevé.",
        field=field,
        expected="un texte complet, vérifié dans les sources",
        found=quote(found),
        suggestion=suggestion,
        help=HELP,
    )


@rule(
    "rien-d-inacheve",
    "une fiche publiée ne contient ni « À compléter », ni « Non précisé par les sources », ni "
    "l'identifiant du modèle : complétez-la, ou laissez-la au statut « brouillon ».",
)
def nothing_unfinished(context: Context) -> Iterator[Problem]:
    if not _is_published(context):
        return
    source, schema = context.source, context.schema
    complete = "complétez à partir d'une source que vous avez lue, retirez la ligne, ou repassez la fiche au statut « brouillon »"
    for key_path, text in front_matter_strings(source.data):
        found = _placeholder(text)
        if found:
            yield _problem(context, source.line_of(key_path), found, field_name(key_path) or None, complete)
    identifier = source.data.get("id")
    if isinstance(identifier, str) and re.fullmatch(r"[A-Z]+-0+", identifier):
        yield _problem(
            context,
            source.line_of(("id",)),
            identifier,
            "id",
            "donnez à la fiche un identifiant libre (« fiches nouvelle » en choisit un)",
        )
    offset = source.body_line
    for number, line in enumerate(source.body.split("\n")):
        found = _placeholder(line)
        if found:
            yield _problem(context, offset + number, found, None, complete)
    body = source.body
    for match in NOT_IN_SOURCES.finditer(body):  # a phrase cut by a line break
        if "\n" in match[0]:
            yield _problem(context, offset + body.count("\n", 0, match.start()), " ".join(match[0].split()), None, complete)
