"""Generate the « À relire » page and report overdue reviews.

MkDocs events:
- on_files: list the sheets due for review (`fiches_kb.review`), add the
  generated page `a-relire/` (in the nav, template `a-relire.html`), and log
  one INFO line per overdue sheet, starting with « Relecture en retard : ».
  With FICHES_RELECTURE_STRICTE=1 these lines are errors and the build stops;
- on_page_context: `a_relire` for the template.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from fiches_kb.build import BUILD, page_source
from fiches_kb.review import (
    REVIEW_PAGE,
    build_review_list,
    more_overdue_message,
    overdue_message,
    strict_failure_message,
    strict_requested,
)

MAX_LINES = 50  # one line per overdue sheet, then a summary: a big backlog must not drown the log
log = logging.getLogger("mkdocs.plugins.fiches")


def on_files(files, config):
    review = BUILD.review = build_review_list(BUILD.content)
    files.append(File.generated(config, REVIEW_PAGE, content=page_source(review.markdown(), "a-relire.html")))
    strict = strict_requested()
    report = log.error if strict else log.info
    for sheet in review.overdue[:MAX_LINES]:
        report(overdue_message(sheet))
    if len(review.overdue) > MAX_LINES:
        report(more_overdue_message(len(review.overdue) - MAX_LINES))
    if strict and review.overdue:
        raise PluginError(strict_failure_message(len(review.overdue)))
    return files


def on_page_context(context, page, config, nav):
    if page.file.src_uri == REVIEW_PAGE:
        context["a_relire"] = BUILD.review
    return context
