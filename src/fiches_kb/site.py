"""What the MkDocs hooks need, as plain Python.

The hooks stay thin: hooks/load_content.py calls `load_site_content` once
per build and keeps the result on `fiches_kb.build.BUILD`. Nothing here
imports MkDocs, so a move to another generator only rewrites the hooks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .check_cache import CheckCache
from .citation import citation_json_ld, citation_meta
from .corpus import Corpus, Sheet, load_corpus
from .formatting import french_date, french_sort_key
from .problems import Problem, summary
from .schema import SCHEMA_FILE, Schema, SchemaError, Term, load_schema
from .settings import setting_on
from .typography import french_spaces

PREVIEW_ENV = "FICHES_APERCU"
SITE_URL_ENV = "SITE_URL"  # read by mkdocs.yml (`site_url: !ENV SITE_URL`)
MISSING_ADDRESS = (
    "Attention : adresse du site non définie (variable SITE_URL). Le plan du site "
    "(sitemap.xml) est vide, les liens canoniques sont absents et les versions imprimées "
    "n'indiquent pas l'adresse complète des fiches. Pour une mise en ligne, construisez avec "
    "SITE_URL=https://adresse-du-site/ (le processus de publication le fait)."
)


class ContentError(Exception):
    """The content has errors: nothing may be built. Carries every problem."""

    def __init__(self, problems: list[Problem], checked_files: int):
        self.problems = problems
        super().__init__(
            "La vérification des fiches a échoué : "
            + summary(problems, checked_files)
            + " Le site n'a pas été construit ; corrigez les erreurs ci-dessus "
            "(« fiches check » les affiche sans construire le site)."
        )


def preview_requested(environ=os.environ) -> bool:
    return setting_on(environ, PREVIEW_ENV)


@dataclass
class SiteContent:
    corpus: Corpus
    include_drafts: bool
    sheets: list[Sheet] = field(init=False)
    urls: dict[str, str] = field(default_factory=dict)  # sheet id -> site URL, filled by the build

    def __post_init__(self) -> None:
        self.sheets = self.corpus.published(include_drafts=self.include_drafts)
        self._by_uri = {sheet.src_uri: sheet for sheet in self.sheets}
        self._by_id = {sheet.id: sheet for sheet in self.sheets}
        self._backlinks: dict[str, list[Sheet]] = {}
        self._modules: dict[str, list[tuple]] = {}  # sheet id -> (module, step number) of each module that lists it
        for module in self.corpus.modules:
            for number, entry in enumerate(module.entries, start=1):
                self._modules.setdefault(entry.id, []).append((module, number))
        for sheet in self.sheets:
            for target in sheet.related_ids:
                self._backlinks.setdefault(target, []).append(sheet)

    @property
    def schema(self) -> Schema:
        return self.corpus.schema

    def sheet_for(self, src_uri: str) -> Sheet | None:
        return self._by_uri.get(src_uri)

    def by_id(self, identifier: str | None) -> Sheet | None:
        return self._by_id.get(identifier) if identifier else None

    def url(self, sheet: Sheet) -> str:
        return self.urls[sheet.id]

    def related(self, sheet: Sheet) -> list[Sheet]:
        """Sheets this one points to, leaving out those not published in this build."""
        return [self._by_id[i] for i in sheet.related_ids if i in self._by_id]

    def backlinks(self, sheet: Sheet) -> list[Sheet]:
        """Sheets that point to this one and that it does not already list."""
        return [s for s in self._backlinks.get(sheet.id, []) if s.id not in sheet.related_ids]

    def template_filters(self) -> dict:
        """The Jinja filters our templates use: `url_fiche`, `date_fr`, a sheet's citation metadata,
        and `typographie`, French spacing for front-matter text shown as a heading (after `e`:
        it keeps character references as they are)."""
        return {"url_fiche": self.url, "date_fr": french_date, "citation_meta": citation_meta, "citation_json_ld": citation_json_ld,
                "typographie": french_spaces}

    def template_values(self, sheet: Sheet) -> dict:
        """What `partials/fiche.html` shows besides the sheet itself."""
        return {
            "fiche": sheet,
            "fiches_liees": self.related(sheet),
            "fiches_qui_citent": self.backlinks(sheet),
            "fiche_remplacante": self.by_id(sheet.replaced_by),
            "parcours_de_la_fiche": self.modules_of(sheet.id),
        }

    def modules_of(self, sheet_id: str) -> list[tuple]:
        """(module, step number) of each training module that lists the sheet."""
        return self._modules.get(sheet_id, [])

    def of_type(self, type_key: str) -> list[Sheet]:
        return sort_for_listing([s for s in self.sheets if s.type.key == type_key])

    def with_term(self, vocabulary: str, term: Term) -> list[Sheet]:
        return sort_for_listing([s for s in self.sheets if term.key in s.term_keys(vocabulary)])


def sort_for_listing(sheets: list[Sheet]) -> list[Sheet]:
    """Official sheets first, archived last; French alphabetical order within each group."""

    def rank(sheet: Sheet) -> tuple:
        group = 0 if sheet.is_official else 2 if sheet.is_archived else 1
        return (group, french_sort_key(sheet.title), sheet.id)

    return sorted(sheets, key=rank)


def load_site_content(root: Path, include_drafts: bool, today: date | None = None, workers: int | None = 1) -> SiteContent:
    """Load and validate everything; raise ContentError listing all problems.
    `workers`: as for `corpus.load_corpus` (None: one process per usable CPU).

    The rules on a body's rendering are left out: the build runs them on
    MkDocs' own rendering (hooks/check_rendering.py).
    """
    try:
        schema = load_schema(root)
    except SchemaError as error:
        raise ContentError(error.problems, 1) from None
    today = today or date.today()
    cache = CheckCache.for_build(root, (root / SCHEMA_FILE).read_bytes(), today)
    corpus = load_corpus(root, schema, today=today, workers=workers, render_bodies=False, cache=cache)
    if corpus.errors:
        raise ContentError(corpus.problems, corpus.checked_files)
    return SiteContent(corpus, include_drafts)
