"""The home page's entry points: situations, latest sheets, themes.

MkDocs event:
- on_page_context, on the home page only (`pages/index.md`, which names
  its template `accueil.html` in its front matter): `accueil`, the data of
  `fiches_kb.home.build_home` (situations of referentiel.yml with their
  published sheets, the latest updated sheets, the themes with their counts).
"""

from __future__ import annotations

from fiches_kb.build import BUILD
from fiches_kb.home import HOME_PAGE, build_home


def on_page_context(context, page, config, nav):
    if page.file.src_uri == HOME_PAGE:
        context["accueil"] = build_home(BUILD.content)
    return context
