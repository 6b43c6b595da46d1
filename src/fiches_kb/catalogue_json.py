"""catalogue.json: every published sheet, machine-readable, for the schools
and sites that link to them, with its versioned JSON Schema beside it
(`data/catalogue-1.schema.json`, published as `catalogue-1.schema.json`).

Keys are French, as in the sheets' front matter. Addresses are absolute
when the site's address is set (SITE_URL), relative to the site's root
otherwise. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
from importlib.resources import files

from .pdf import pdf_path
from .site import SiteContent

CATALOGUE_FILE = "catalogue.json"
SCHEMA_FILE = "catalogue-1.schema.json"
VERSION = 1


def _term(term) -> dict:  # a vocabulary Term or a ContentType: both have a key and a label
    return {"cle": term.key, "libelle": term.label}


def catalogue_document(content: SiteContent, site_url: str | None, pdfs: bool = False) -> dict:
    """`pdfs`: the build makes the sheets' PDFs (fiches_kb.pdf), so each published sheet's is listed."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    licence = content.schema.licence
    old_urls: dict[str, list[str]] = {}
    for address in content.corpus.old_addresses:
        old_urls.setdefault(address.id, []).append(base + address.url)
    sheets = []
    for sheet in sorted(content.sheets, key=lambda s: s.id):
        entry = {
            "id": sheet.id,
            "type": _term(sheet.type),
            "titre": sheet.title,
            "resume": sheet.summary,
            "statut": _term(sheet.status),
            "themes": [_term(t) for t in sheet.themes],
            "publics": [_term(t) for t in sheet.audiences],
            "date_creation": sheet.created.isoformat(),
            "date_mise_a_jour": sheet.updated.isoformat(),
            "prochaine_relecture": sheet.next_review.isoformat(),
        }
        if sheet.validation is not None:
            entry["validation"] = {"instance": sheet.validation.body, "seance": sheet.validation.session.isoformat()}
        if sheet.replaced_by:
            entry["remplacee_par"] = sheet.replaced_by
        entry["url"] = base + content.url(sheet)
        entry["adresse_permanente"] = f"{base}id/{sheet.id}/"
        if pdfs and sheet.is_published:
            entry["pdf"] = base + pdf_path(sheet.id)
        if sheet.id in old_urls:
            entry["anciennes_url"] = sorted(old_urls[sheet.id])
        entry["licence"] = licence.url
        sheets.append(entry)
    return {
        "$schema": SCHEMA_FILE,
        "version": VERSION,
        "site": base or None,
        "licence": {"nom": licence.name, "adresse": licence.url},
        "fiches": sheets,
        "parcours": [_module(module, base) for module in sorted(content.corpus.modules, key=lambda m: m.slug)],
    }


def _module(module, base: str) -> dict:
    return {
        "fichier": module.rel_path,
        "titre": module.title,
        "description": module.description,
        "public": _term(module.audience),
        "url": base + module.url,
        "fiches": [{"id": e.id, **({"note": e.note} if e.note else {})} for e in module.entries],
    }


def schema_text() -> str:
    return (files("fiches_kb") / "data" / SCHEMA_FILE).read_text(encoding="utf-8")


def catalogue_text(content: SiteContent, site_url: str | None, pdfs: bool = False) -> str:
    return json.dumps(catalogue_document(content, site_url, pdfs), ensure_ascii=False, indent=1) + "\n"
