"""The page that lists every consultation of the people concerned, across sheets.

The HCTS's mandate asks the working group to test its productions with the
people concerned; each sheet records its consultations (front matter
« consultations », checked like every field), and this page gathers them,
newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .corpus import Consultation, Sheet

CONSULTATIONS_PAGE = "consultations/index.md"
CONSULTATIONS_TITLE = "Fiches testées avec les personnes concernées"
CONSULTATIONS_INTRO = (
    "Le mandat du Haut Conseil du travail social demande que les fiches soient testées avec les "
    "personnes concernées. Chaque consultation est notée dans la fiche : sa date, le groupe consulté, "
    "décrit en termes généraux et sans aucun nom, et ce que la fiche a changé ensuite. "
    "Voici toutes les consultations, de la plus récente à la plus ancienne "
    "([la démarche](../a-propos.md#testees-avec-les-personnes-concernees))."
)


@dataclass(frozen=True)
class ConsultationEntry:
    sheet: Sheet
    consultation: Consultation


def consultation_entries(sheets: Iterable[Sheet]) -> list[ConsultationEntry]:
    """Every consultation of the sheets, newest first (then by sheet id)."""
    entries = [ConsultationEntry(sheet, consultation) for sheet in sheets for consultation in sheet.consultations]
    entries.sort(key=lambda entry: entry.sheet.id)
    entries.sort(key=lambda entry: entry.consultation.day, reverse=True)
    return entries


def untested_sheets(sheets: Iterable[Sheet]) -> list[Sheet]:
    return [sheet for sheet in sheets if not sheet.consultations]


def consultations_markdown() -> str:
    return f"# {CONSULTATIONS_TITLE}\n\n{CONSULTATIONS_INTRO}\n"
