"""Generate the listing pages (per content type, theme, audience, status).

MkDocs events:
- on_files: add one generated Markdown page per listing (title and intro),
  ahead of every other page (see the comment there);
- on_page_context: `liste` (the listing) for
  `partials/liste.html`, which renders the sheets.
Reads: titre, resume, statut, themes, publics of every published sheet.
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files, InclusionLevel

from fiches_kb.listings import build_listings
from fiches_kb.site import SITE_KEY

LISTINGS_KEY = "fiches_listings"


def on_files(files, config):
    listings = {listing.src_uri: listing for listing in build_listings(config[SITE_KEY])}
    generated = [
        File.generated(config, listing.src_uri, content=listing.markdown(), inclusion=InclusionLevel.NOT_IN_NAV)
        for listing in listings.values()
    ]
    config[LISTINGS_KEY] = listings
    # First in the files, so MkDocs renders them before the sheets: the search
    # index has the sheets early (hooks/search_index.py) and can be written
    # once the listing pages are done, while the sheets render.
    return Files([*generated, *files])


def on_page_context(context, page, config, nav):
    listing = config[LISTINGS_KEY].get(page.file.src_uri)
    if listing is not None:
        context["liste"] = listing
    return context
