"""Citation metadata of a sheet, for reference managers (Zotero, Google Scholar…).

Two forms in each sheet's <head>, from the same values as the visible
« Citer cette fiche »: Highwire Press <meta name="citation_*"> tags, which
Zotero's « Embedded Metadata » translator reads, and a schema.org
`CreativeWork` in JSON-LD. The JSON is data (`type="application/ld+json"`
is never executed, so the Content-Security-Policy allows it); `<`, `>`
and `&` are written as \\u escapes so no value can close the <script>
element. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json

from markupsafe import Markup

LANGUAGE = "fr"
# Where the JSON is inside <script>: what could end the element or start a comment or character reference.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def permanent_url(sheet, site_url: str | None) -> str | None:
    """The absolute permanent address, when the site's address is known."""
    return f"{site_url.rstrip('/')}/id/{sheet.id}/" if site_url else None


def citation_meta(sheet, site_name: str, site_url: str | None) -> list[tuple[str, str]]:
    """(name, content) of the Highwire Press tags; values are text, escaped by the template."""
    tags = [("citation_title", sheet.title)]
    tags += [("citation_author", author) for author in sheet.authors]
    version = sheet.updated.strftime("%Y/%m/%d")
    tags += [
        ("citation_publication_date", version),
        ("citation_online_date", version),
        ("citation_publisher", site_name),
        ("citation_language", LANGUAGE),
    ]
    url = permanent_url(sheet, site_url)
    if url:
        tags.append(("citation_public_url", url))
    return tags


def citation_json_ld(sheet, site_name: str, site_url: str | None, licence) -> Markup:
    """The sheet as a schema.org CreativeWork, as JSON safe to write inside <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": sheet.title,
        "description": sheet.summary,
        "identifier": sheet.id,
        "genre": sheet.type.label,
        "creativeWorkStatus": sheet.status.label,
        "inLanguage": LANGUAGE,
        "dateCreated": sheet.created.isoformat(),
        "dateModified": sheet.updated.isoformat(),
        "author": [{"@type": "Organization", "name": author} for author in sheet.authors],
        "publisher": {"@type": "Organization", "name": site_name},
        "license": licence.url,
    }
    url = permanent_url(sheet, site_url)
    if url:
        data["url"] = url
    text = json.dumps(data, ensure_ascii=False)
    for character, escape in _JSON_ESCAPES.items():
        text = text.replace(character, escape)
    return Markup(text)
