"""Which sheet pages a partial rebuild (`mkdocs serve --dirty`) must redo.

MkDocs' dirty build redoes a page only when its own file changed. A sheet page
also shows other sheets: those it lists and those that list it (« À lire
aussi »), and the successor of an archived sheet; and the training modules
that list it (title, address, its step out of how many). When one of them
changes, the page must be redone although its file did not change. Generated
pages (listings, catalogue, modules, permanent addresses) are redone on every
build anyway.
"""

from __future__ import annotations

from .site import SiteContent


def pages_to_refresh(previous: SiteContent | None, current: SiteContent) -> set[str]:
    """src_uri of the current sheets whose page shows a sheet that changed since `previous`."""
    if previous is None:
        return set()
    if previous.schema != current.schema or previous.include_drafts != current.include_drafts:
        return {sheet.src_uri for sheet in current.sheets}  # labels or visibility may differ anywhere
    old = {sheet.id: sheet for sheet in previous.sheets}
    new = {sheet.id: sheet for sheet in current.sheets}
    modules_changed = {
        sheet.src_uri for sheet in current.sheets if _modules_shown(previous, sheet.id) != _modules_shown(current, sheet.id)
    }
    changed = {identifier for identifier in old.keys() | new.keys() if old.get(identifier) != new.get(identifier)}
    if not changed:
        return modules_changed
    shown_by: dict[str, set[str]] = {}  # sheet id -> ids of the sheets whose page shows it
    for sheets in (old.values(), new.values()):
        for sheet in sheets:
            for target in sheet.related_ids:
                shown_by.setdefault(target, set()).add(sheet.id)  # listed in « À lire aussi »
                shown_by.setdefault(sheet.id, set()).add(target)  # shown there as a sheet that cites it
            if sheet.replaced_by:
                shown_by.setdefault(sheet.replaced_by, set()).add(sheet.id)  # the successor of an archived sheet
    affected = set().union(*(shown_by.get(identifier, set()) for identifier in changed)) - changed
    return {new[identifier].src_uri for identifier in affected if identifier in new} | modules_changed


def _modules_shown(content: SiteContent, sheet_id: str) -> list[tuple]:
    """What a sheet's page shows of the modules that list it (partials/fiche-parcours.html)."""
    return [(module.url, module.title, step, len(module.entries)) for module, step in content.modules_of(sheet_id)]
