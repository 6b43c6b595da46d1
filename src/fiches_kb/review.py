"""Sheets due for review: the « À relire » page and the build's warning.

A sheet is due when its `prochaine_relecture` date is past (overdue) or
within the next 60 days (`corpus.REVIEW_SOON`). Archived sheets are left
out: they have been replaced and nobody reviews them any more.

The build reports overdue sheets as INFO lines starting with
« Relecture en retard : » (a WARNING would fail `mkdocs build --strict`).
With FICHES_RELECTURE_STRICTE=1 they become errors and the build fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .corpus import Sheet
from .formatting import french_date
from .formatting import french_sort_key
from .settings import setting_on
from .site import SiteContent

REVIEW_PAGE = "a-relire/index.md"
REVIEW_TITLE = "À relire"
REVIEW_INTRO = (
    "Les fiches dont la date de relecture est dépassée ou tombe dans les 60 prochains jours, "
    "les plus en retard d'abord. Les fiches archivées n'y figurent pas."
)
STRICT_ENV = "FICHES_RELECTURE_STRICTE"
LOG_PREFIX = "Relecture en retard : "


def strict_requested(environ=os.environ) -> bool:
    return setting_on(environ, STRICT_ENV)


def _by_date(sheets: list[Sheet]) -> list[Sheet]:
    return sorted(sheets, key=lambda s: (s.next_review, french_sort_key(s.title), s.id))


@dataclass(frozen=True)
class ReviewList:
    title: str
    intro: str
    overdue: tuple[Sheet, ...]
    due_soon: tuple[Sheet, ...]

    def markdown(self) -> str:
        return f"# {self.title}\n\n{self.intro}\n"


def build_review_list(content: SiteContent) -> ReviewList:
    candidates = [s for s in content.sheets if not s.is_archived]
    return ReviewList(
        REVIEW_TITLE,
        REVIEW_INTRO,
        tuple(_by_date([s for s in candidates if s.review_is_overdue])),
        tuple(_by_date([s for s in candidates if s.review_is_due_soon])),
    )


def overdue_message(sheet: Sheet) -> str:
    """One log line per overdue sheet, in French, naming the file."""
    return (
        f"{LOG_PREFIX}{sheet.src_uri} ({sheet.id}, « {sheet.title} ») devait être relue "
        f"le {french_date(sheet.next_review)}. Relisez-la, puis mettez à jour « prochaine_relecture »."
    )


def more_overdue_message(count: int) -> str:
    return f"{LOG_PREFIX}et {count} autres fiches : voir la page « À relire » du site."


def strict_failure_message(count: int) -> str:
    what = "1 fiche a dépassé sa" if count < 2 else f"{count} fiches ont dépassé leur"
    return (
        f"Relecture en retard : {what} date de relecture et {STRICT_ENV}=1 est demandé : "
        "le site n'a pas été construit. Relisez ces fiches ou reportez leur « prochaine_relecture »."
    )
