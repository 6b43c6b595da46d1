"""The home page's data: entry points by situation (referentiel.yml ›
situations), the latest updated sheets and the themes with their counts.

Templates only show it (overrides/accueil.html, through hooks/home_page.py).
Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Sheet
from .listings import page_url, term_page
from .schema import Term
from .site import SiteContent

HOME_PAGE = "index.md"
LATEST_COUNT = 5


@dataclass(frozen=True)
class SituationEntry:
    """A situation as the home page shows it: only sheets published in
    this build, and its theme's page with how many sheets it has."""

    phrase: str
    text: str
    sheets: tuple[Sheet, ...]
    theme: Term | None
    theme_url: str | None
    theme_count: int


@dataclass(frozen=True)
class Home:
    situations: tuple[SituationEntry, ...]
    latest: tuple[Sheet, ...]
    themes: tuple[tuple[Term, str, int], ...]  # (theme, URL of its page, number of sheets)


def build_home(content: SiteContent) -> Home:
    schema = content.schema
    themes = tuple(
        (term, page_url(term_page("themes", term, content)), len(content.with_term("themes", term)))
        for term in schema.themes.values()
    )
    counts = {term.key: count for term, _, count in themes}
    situations = []
    for situation in schema.situations:
        sheets = tuple(sheet for sheet in map(content.by_id, situation.sheet_ids) if sheet is not None)
        theme = schema.themes.get(situation.theme) if situation.theme else None
        if not sheets and theme is None:
            continue  # its sheets are not published in this build
        situations.append(
            SituationEntry(
                situation.phrase,
                situation.text,
                sheets,
                theme,
                page_url(term_page("themes", theme, content)) if theme else None,
                counts.get(theme.key, 0) if theme else 0,
            )
        )
    current = [sheet for sheet in content.sheets if not sheet.is_archived]
    latest = sorted(current, key=lambda sheet: (-sheet.updated.toordinal(), sheet.title))[:LATEST_COUNT]
    return Home(tuple(situations), tuple(latest), themes)
