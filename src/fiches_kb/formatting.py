"""Small French formatting helpers shared by templates and generated files."""

from __future__ import annotations

from datetime import date

from .text import fold

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def french_date(value: date) -> str:
    """« 14 juin 2019 », and « 1er » for the first day, as French typography wants."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_partial_date(year: int, month: int | None = None, day: int | None = None) -> str:
    """« 2024 », « mars 2024 » or « 12 mars 2024 »: a source dated as precisely as it was."""
    if month and day:
        return french_date(date(year, month, day))
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def french_sort_key(text: str) -> str:
    """French alphabetical order: accents and case ignored, leading quotes and
    punctuation skipped (« Évaluer » files under E, « « Le dossier » » under L)."""
    return fold(text).lstrip(" \u00a0\u202f«»\"'“”‘’([.-–—").replace("œ", "oe").replace("æ", "ae")
