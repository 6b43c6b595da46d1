"""Give each sheet page its title, its template and its article.

MkDocs events:
- on_page_markdown: the page title and description come from the front
  matter (`titre`, `resume`), as escaped text, and the page is rendered by
  the `fiche.html` template;
- on_nav: the theme's Jinja environment with our filters (`url_fiche`,
  `date_fr`, `qr_svg`) and the content's `licence`, kept on `BUILD`: MkDocs gives hooks its own only once every
  page's Markdown is converted, and the article is wanted before that;
- on_page_content: the title becomes the top entry of the table of contents
  (sections nested under it), so Material's skip link, which targets the
  first entry, lands on the title rather than past the status and metadata;
  then the sheet's article (`partials/fiche.html`) is rendered, once: the
  page shows it and the search index reads it (hooks/search_index.py);
- on_env: the same filters and `licence` (every page's footer shows it)
  for MkDocs' own environment; the print footers' QR codes, made by then,
  are kept for the next build (`BUILD.qr`, in the user's cache folder);
- on_page_context: `fiche` and the sheets it links to, and `fiche_article`.
Returns early for any page that is not a sheet.
"""

from __future__ import annotations

from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, TableOfContents

from fiches_kb.build import BUILD
from fiches_kb.check_cache import cache_dir
from fiches_kb.qr import QrCodes

TEMPLATE = "fiche.html"
ARTICLE = "partials/fiche.html"
TITLE_ANCHOR = "fiche-titre"


def on_page_markdown(markdown, page, config, files):
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if sheet is None:
        return markdown
    # Escaped here (Markup, so `e` does not escape it twice): Material prints
    # both raw, in <title>, <meta name="description" content="…"> and the
    # header, and MkDocs' Jinja does not autoescape.
    page.meta["title"] = escape(sheet.title)
    page.meta["description"] = escape(sheet.summary)
    page.meta["template"] = TEMPLATE
    return markdown


def on_nav(nav, config, files):
    BUILD.qr = QrCodes(cache_dir())
    BUILD.templates = _with_our_names(config.theme.get_env())
    return nav


def on_page_content(html, page, config, files):
    content = BUILD.content
    sheet = content.sheet_for(page.file.src_uri)
    if sheet is None:
        return html
    # Table of contents titles are HTML (as the toc extension gives them).
    title = AnchorLink(str(escape(sheet.title)), TITLE_ANCHOR, 1)
    title.children = list(page.toc)
    page.toc = TableOfContents([title])
    page.content = html  # what the article shows; MkDocs sets it after this event
    values = content.template_values(sheet)
    BUILD.articles[page.file.src_uri] = BUILD.templates.get_template(ARTICLE).render(
        page=page, config=config, base_url="", **values
    )
    return html


def on_env(env, config, files):
    BUILD.qr.save()
    return _with_our_names(env)


def _with_our_names(env):
    """The filters and the global our templates use, in a Jinja environment."""
    env.filters.update(BUILD.content.template_filters())
    env.filters["qr_svg"] = BUILD.qr  # the print footer's QR code (partials/fiche-impression.html)
    env.globals["licence"] = BUILD.content.schema.licence
    return env


def on_page_context(context, page, config, nav):
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if sheet is None:
        return context
    context.update(BUILD.content.template_values(sheet))
    context["fiche_article"] = BUILD.articles.pop(page.file.src_uri)
    return context
