"""Generate the page that lists every consultation of the people concerned.

MkDocs events:
- on_files: the generated page `consultations/` (in the nav, template
  `consultations.html`), from the sheets' « consultations »
  (`fiches_kb.consultations`);
- on_page_context: `consultations` (each consultation with its sheet, newest
  first) and `fiches_non_testees` (the sheets not tested yet).
"""

from __future__ import annotations

from mkdocs.structure.files import File

from fiches_kb.build import BUILD, page_source
from fiches_kb.consultations import CONSULTATIONS_PAGE, consultation_entries, consultations_markdown, untested_sheets


def on_files(files, config):
    files.append(File.generated(config, CONSULTATIONS_PAGE, content=page_source(consultations_markdown(), "consultations.html")))
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == CONSULTATIONS_PAGE:
        sheets = BUILD.content.sheets
        context["consultations"] = consultation_entries(sheets)
        context["fiches_non_testees"] = untested_sheets(sheets)
    return context
