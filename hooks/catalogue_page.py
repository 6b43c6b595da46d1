"""Generate the catalogue page (`catalogue/`): every published sheet with
facets theme × audience × type × status and their counts.

MkDocs events:
- on_files: build the catalogue once (`fiches_kb.catalogue`, kept on
  `BUILD` for the search page's facets too) and add its generated page, in
  the nav, with its template (`catalogue.html`);
- on_page_context: `catalogue` for the template.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from fiches_kb.build import BUILD, page_source
from fiches_kb.catalogue import CATALOGUE_PAGE, build_catalogue


def on_files(files, config):
    BUILD.catalogue = build_catalogue(BUILD.content)
    files.append(File.generated(config, CATALOGUE_PAGE, content=page_source(BUILD.catalogue.markdown(), "catalogue.html")))
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == CATALOGUE_PAGE:
        context["catalogue"] = BUILD.catalogue
    return context
