"""Publish catalogue.json and its JSON Schema at the site's root.

MkDocs event: on_files, once hooks/load_content.py has given every sheet its
address: the two files join the site as generated files
(`fiches_kb.catalogue_json`: every published sheet with its addresses,
absolute when SITE_URL is set, its PDF when the build makes them
(hooks/pdf_files.py sets BUILD.pdf in on_config), and the licence; the
versioned schema beside it), so that pages may link to them.
"""

from __future__ import annotations

from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD
from fiches_kb.catalogue_json import CATALOGUE_FILE, SCHEMA_FILE, catalogue_text, schema_text


def on_files(files, config):
    catalogue = catalogue_text(BUILD.content, config.site_url, pdfs=BUILD.pdf is not None)
    for name, text in ((CATALOGUE_FILE, catalogue), (SCHEMA_FILE, schema_text())):
        files.append(File.generated(config, name, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
    return files
