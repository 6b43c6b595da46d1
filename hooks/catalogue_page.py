"""Generate the catalogue page (`catalogue/`): every published sheet with
facets theme × audience × type × status and their counts.

MkDocs events:
- on_files: build the catalogue once (`fiches_kb.catalogue`) and add its
  generated Markdown page (title and intro), in the nav;
- on_page_context: `catalogue` for `partials/catalogue.html`.
Reads: titre, resume, statut, themes, publics of every published sheet.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from fiches_kb.catalogue import CATALOGUE_PAGE, build_catalogue
from fiches_kb.site import SITE_KEY

CATALOGUE_KEY = "fiches_catalogue"


def on_files(files, config):
    catalogue = build_catalogue(config[SITE_KEY])
    config[CATALOGUE_KEY] = catalogue
    files.append(File.generated(config, CATALOGUE_PAGE, content=catalogue.markdown()))
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == CATALOGUE_PAGE:
        context["catalogue"] = config[CATALOGUE_KEY]
    return context
