"""Generate the page that lists the register of validation sessions.

MkDocs events:
- on_files: the generated page `validations/` (in the nav, template
  `validations.html`), from the register read with the content
  (`fiches_kb.validations`, validations.yml);
- on_page_context: `seances` (each session with the sheets it validated);
- on_serve: `mkdocs serve` rebuilds when validations.yml changes.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

from fiches_kb.build import BUILD, page_source
from fiches_kb.validations import REGISTER_FILE, VALIDATIONS_PAGE, session_entries, validations_markdown


def on_files(files, config):
    files.append(File.generated(config, VALIDATIONS_PAGE, content=page_source(validations_markdown(), "validations.html")))
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == VALIDATIONS_PAGE:
        content = BUILD.content
        context["seances"] = session_entries(content.corpus.register, content.sheets)
    return context


def on_serve(server, config, builder):
    # Not in mkdocs.yml's `watch:`, which refuses a path that does not exist.
    register = Path(config.config_file_path).parent / REGISTER_FILE
    if register.is_file():
        server.watch(str(register))
    return server
