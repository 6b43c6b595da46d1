"""Give each sheet page its title and the values its template shows.

MkDocs events:
- on_page_markdown: the page title and description come from the front matter
  (`titre`, `resume`), not from a heading, as escaped text;
- on_page_content: the title becomes the top entry of the table of contents
  (sections nested under it), so Material's skip link, which targets the
  first entry, lands on the title rather than past the status and metadata;
- on_env: the `url_fiche` and `date_fr` filters used by the templates;
- on_page_context: `fiche` (the checked sheet), `fiches_liees`,
  `fiches_qui_citent` and `fiche_remplacante` for `partials/fiche.html`.
Returns early for any page that is not a sheet.
"""

from __future__ import annotations

from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, TableOfContents

from fiches_kb.site import SITE_KEY


def on_page_markdown(markdown, page, config, files):
    sheet = config[SITE_KEY].sheet_for(page.file.src_uri)
    if sheet is None:
        return markdown
    # Escaped here (Markup, so `e` does not escape it twice): Material prints
    # both raw, in <title>, <meta name="description" content="…"> and the
    # header, and MkDocs' Jinja does not autoescape.
    page.meta["title"] = escape(sheet.title)
    page.meta["description"] = escape(sheet.summary)
    return markdown


TITLE_ANCHOR = "fiche-titre"


def on_page_content(html, page, config, files):
    sheet = config[SITE_KEY].sheet_for(page.file.src_uri)
    if sheet is None:
        return html
    # Table of contents titles are HTML (as the toc extension gives them).
    title = AnchorLink(str(escape(sheet.title)), TITLE_ANCHOR, 1)
    title.children = list(page.toc)
    page.toc = TableOfContents([title])
    return html


def on_page_context(context, page, config, nav):
    content = config[SITE_KEY]
    sheet = content.sheet_for(page.file.src_uri)
    if sheet is None:
        return context
    context.update(content.template_values(sheet))
    return context


def on_env(env, config, files):
    env.filters.update(config[SITE_KEY].template_filters())
    return env

