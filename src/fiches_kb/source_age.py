"""Sheets whose newest source is old: the build says so (the sheet itself tells its readers).

The threshold is referentiel.yml › sources_anciennes_apres_ans; a sheet's
`sources_are_old` compares it with the build's date.
"""

from __future__ import annotations

from collections.abc import Iterable

from .corpus import Sheet


def old_sources_notices(sheets: Iterable[Sheet]) -> list[str]:
    """One French line per published sheet whose newest dated source is older than the threshold."""
    notices = []
    for sheet in sheets:
        if sheet.is_published and not sheet.is_archived and sheet.sources_are_old:
            newest = sheet.source_years[1]
            notices.append(
                f"{sheet.src_uri} : les sources les plus récentes de cette fiche datent de {newest} "
                f"(plus de {sheet.old_sources_years} ans) ; la fiche le signale à ses lecteurs. "
                "Relisez-la avec des sources à jour (champ « sources », avec « lien » et « date »)."
            )
    return notices
