"""Render the reference sections of the contributor guide from the schema.

MkDocs event: on_page_markdown, for `contribuer/guide.md` only: the markers
of `fiches_kb.guide` become the documentation of every field, vocabulary and
section structure, read from referentiel.yml (documented once, there).
"""

from __future__ import annotations

from fiches_kb.build import BUILD
from fiches_kb.guide import GUIDE_PAGE, render_guide


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != GUIDE_PAGE:
        return markdown
    return render_guide(markdown, BUILD.content.schema)
