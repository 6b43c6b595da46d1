"""Generate the training modules' pages: « Parcours de formation » and one page per module.

MkDocs events:
- on_files: `parcours/` (in the nav, template `parcours.html`) and
  `parcours/<fichier>/` for each module of `parcours/*.yml` (out of the
  nav, template `parcours-module.html`), read and checked with the content
  (`fiches_kb.parcours`);
- on_page_markdown: a module page's title and description, as escaped text
  (Material prints them raw in <title> and <meta name="description">);
- on_env, when the build makes PDFs (hooks/pdf_files.py, listed before this
  hook, has then printed every sheet): one booklet per module
  (`pdf/parcours/<fichier>.pdf`: cover, contents with the module's note on
  each sheet, its sheets in order), made
  by `fiches_kb.pdf.booklet_document` like the themes' booklets;
- on_page_context: `parcours_liste` (every module, by title) or `parcours`,
  `etapes` (the module and its sheets, in order, each with its note) and
  `livret_pdf` (its booklet, when made).
Returns early for any other page.
- on_serve: `mkdocs serve` rebuilds when a module changes.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD, page_source
from fiches_kb.pdf import booklet_cover, booklet_document, booklet_path, full_address
from fiches_kb.parcours import MODULES_PAGE, module_pages, module_steps, modules_markdown, sorted_modules

LIST_TEMPLATE = "parcours.html"
MODULE_TEMPLATE = "parcours-module.html"
BOOKLETS = "parcours"  # pdf/parcours/<fichier>.pdf


def on_files(files, config):
    content = BUILD.content
    if content.schema.modules is None:
        return files
    files.append(File.generated(config, MODULES_PAGE, content=page_source(modules_markdown(), LIST_TEMPLATE)))
    for module in content.corpus.modules:
        files.append(File.generated(config, module.src_uri, content=page_source("", MODULE_TEMPLATE), inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_page_markdown(markdown, page, config, files):
    module = module_pages(BUILD.content.corpus.modules).get(page.file.src_uri)
    if module is None:
        return markdown
    page.meta["title"] = escape(module.title)
    page.meta["description"] = escape(module.description)
    return markdown


def on_env(env, config, files):
    renderer = BUILD.pdf
    if renderer is None or BUILD.dirty:  # a dirty build has not printed every sheet: no booklet
        return env
    licence = BUILD.content.schema.licence
    for module in BUILD.content.corpus.modules:
        printed = [BUILD.printed[entry.id] for entry in module.entries if entry.id in BUILD.printed]
        if not printed:
            continue
        address = full_address(config.site_url, module.url)
        notes = [(entry.id, entry.note) for entry in module.entries if entry.note and entry.id in BUILD.printed]
        cover = booklet_cover("Parcours de formation", module.title, module.description, printed, licence, config.site_name, address, notes)
        renderer.submit(booklet_path(BOOKLETS, module.slug), booklet_document(f"Livret du parcours « {module.title} »", cover, printed))
    return env


def on_page_context(context, page, config, nav):
    content = BUILD.content
    if page.file.src_uri == MODULES_PAGE:
        context["parcours_liste"] = sorted_modules(content.corpus.modules)
        return context
    module = module_pages(content.corpus.modules).get(page.file.src_uri)
    if module is not None:
        context["parcours"] = module
        context["etapes"] = module_steps(module, content.by_id)
        booklet = booklet_path(BOOKLETS, module.slug)
        if BUILD.pdf is not None and booklet in BUILD.pdf:
            context["livret_pdf"] = {"url": booklet, "nombre": len([e for e in module.entries if e.id in BUILD.printed])}
    return context


def on_serve(server, config, builder):
    # Not in mkdocs.yml's `watch:`, which refuses a folder that does not exist.
    modules = BUILD.content.schema.modules if BUILD.content else None
    if modules is not None and (Path(config.config_file_path).parent / modules.folder).is_dir():
        server.watch(str(Path(config.config_file_path).parent / modules.folder))
    return server
