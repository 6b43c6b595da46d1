"""Generate the listing pages (per content type, theme, audience, status).

MkDocs events:
- on_files: one generated page per listing (`fiches_kb.listings`), out of
  the nav, with its template (`liste.html`);
- on_page_context: `liste` (the listing) for the template.
"""

from __future__ import annotations

from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD, page_source
from fiches_kb.listings import build_listings


def on_files(files, config):
    BUILD.listings = {listing.src_uri: listing for listing in build_listings(BUILD.content)}
    for listing in BUILD.listings.values():
        page = page_source(listing.markdown(), "liste.html")
        files.append(File.generated(config, listing.src_uri, content=page, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_page_context(context, page, config, nav):
    listing = BUILD.listings.get(page.file.src_uri)
    if listing is not None:
        context["liste"] = listing
    return context
