"""Make the PDF of every published sheet and the booklet of every theme.

MkDocs events:
- on_config: whether this build makes PDFs (`fiches_kb.pdf.pdf_wanted`:
  `mkdocs build` unless FICHES_PDF=non, `mkdocs serve` only with
  FICHES_PDF=oui); if so, `BUILD.pdf`, the renderer (cache, worker processes);
- on_page_content, after hooks/sheet_pages.py rendered the sheet's article:
  the sheet's PDF (`pdf/<ID>.pdf`) is sent to be made, from that article;
- on_env, once every sheet's article exists: one booklet per theme
  (`pdf/themes/<key>.pdf`);
- on_page_context: a sheet page gets `fiche_pdf` (its address and size, so
  « Télécharger la fiche (PDF, N ko) »), a theme page `livret_pdf`;
- on_post_build (priority -90: after the search index, before
  hooks/staged_output.py publishes the staging folder): every PDF is
  written into the site folder; a PDF that could not be made fails the
  build with a French message naming the sheet, and so does a sheet whose
  PDF has more A4 pages than its type allows (referentiel.yml ›
  types › <type> › pages_a4_max), each with its file;
- on_build_error: the workers are stopped.
Returns early for every page that is not a published sheet or a theme page,
and for every event when the build makes no PDF.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from fiches_kb.build import BUILD
from fiches_kb.problems import print_github_annotations, sort_problems
from fiches_kb.pdf import (
    PageLimit,
    PdfError,
    PdfRenderer,
    booklet_cover,
    booklet_document,
    booklet_path,
    full_address,
    pdf_path,
    pdf_wanted,
    printed_sheet,
    sheet_document,
    size_label,
)

log = logging.getLogger("mkdocs.plugins.fiches")


def on_config(config):
    BUILD.pdf = PdfRenderer(Path(config.site_dir)) if pdf_wanted(BUILD.command) else None
    return config


def on_page_content(html, page, config, files):
    renderer = BUILD.pdf
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if renderer is None or sheet is None or not sheet.is_published:
        return html
    printed = printed_sheet(sheet, BUILD.articles[page.file.src_uri], page.file.url, config.site_url)
    BUILD.printed[sheet.id] = printed
    pages = sheet.type.max_printed_pages
    guide = f"pages/{BUILD.content.schema.guide}#structure-{sheet.type.key}"
    limit = PageLimit(pages, sheet.src_uri, sheet.body_line, guide) if pages is not None else None
    renderer.submit(pdf_path(sheet.id), sheet_document(printed, config.site_name, sheet.src_uri, limit))
    return html


def on_env(env, config, files):
    renderer = BUILD.pdf
    if renderer is None or BUILD.dirty:  # a dirty build has not rendered every sheet: no booklet
        return env
    themes = BUILD.content.schema.vocabulary("themes")
    licence = BUILD.content.schema.licence
    for listing in BUILD.listings.values():
        printed = [BUILD.printed[s.id] for s in listing.sheets if s.id in BUILD.printed]
        if listing.vocabulary != "themes" or not printed:
            continue
        address = full_address(config.site_url, listing.url)
        cover = booklet_cover("Thème", themes[listing.term_key].label, listing.intro, printed, licence, config.site_name, address)
        renderer.submit(booklet_path("themes", listing.term_key), booklet_document(f"Livret du thème « {cover.title} »", cover, printed))
    return env


def on_page_context(context, page, config, nav):
    renderer = BUILD.pdf
    if renderer is None:
        return context
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    listing = BUILD.listings.get(page.file.src_uri)
    try:
        if sheet is not None and pdf_path(sheet.id) in renderer:
            context["fiche_pdf"] = {"url": pdf_path(sheet.id), "taille": size_label(renderer.size(pdf_path(sheet.id)))}
        elif listing is not None and listing.vocabulary == "themes" and booklet_path("themes", listing.term_key) in renderer:
            printed = [s for s in listing.sheets if s.id in BUILD.printed]
            context["livret_pdf"] = {"url": booklet_path("themes", listing.term_key), "nombre": len(printed)}
    except PdfError as error:
        raise PluginError(str(error)) from None
    return context


@event_priority(-90)
def on_post_build(config):
    renderer, BUILD.pdf = BUILD.pdf, None
    if renderer is None:
        return
    try:
        renderer.write_all(Path(config.site_dir))
        too_long = sort_problems(renderer.over_limit())
    except PdfError as error:
        renderer.close()
        raise PluginError(str(error)) from None
    log.info(f"PDF : {renderer.made} fichier(s), dont {renderer.rendered} produit(s) par WeasyPrint, les autres repris du cache.")
    if too_long:
        for problem in too_long:
            log.error(problem.format())
        print_github_annotations(too_long)
        which = "une fiche s'imprime" if len(too_long) == 1 else f"{len(too_long)} fiches s'impriment"
        raise PluginError(
            f"La vérification des PDF a échoué : {which} sur plus de pages A4 que son type ne le permet. "
            "Le site n'a pas été construit ; raccourcissez le texte (messages ci-dessus)."
        )


def on_build_error(error):
    renderer, BUILD.pdf = BUILD.pdf, None
    if renderer is not None:
        renderer.close()
