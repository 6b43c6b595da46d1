"""Judge each sheet by the HTML MkDocs made of it, before any page is written.

MkDocs events:
- on_config: a `RawHtmlRecorder` joins the Markdown extensions, so that the
  rules can tell the HTML a contributor wrote from what Markdown made;
- on_page_content, first of the hooks on that event (priority 100): the
  content rules (`fiches_kb.rules`: raw HTML, addresses, personal data, and
  the nh3 sanitizer as the last guarantee) run on the sheet's rendered body;
- on_env: MkDocs has rendered every page's Markdown and written nothing
  yet (hooks/staged_output.py keeps the previous site whole anyway): any
  problem stops the build, all listed with file and line.
`fiches check` runs the same rules on its own rendering (`check_body_safety`).
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from fiches_kb.build import BUILD
from fiches_kb.frontmatter import SourceFile
from fiches_kb.problems import print_github_annotations, sort_problems, summary
from fiches_kb.rules import check_rendered_body
from fiches_kb.rules.rendering import RawHtmlRecorder, RenderedBody, written_raw_html

log = logging.getLogger("mkdocs.plugins.fiches")


def on_config(config):
    BUILD.raw_html = RawHtmlRecorder()
    config.markdown_extensions.append(BUILD.raw_html)
    return config


@event_priority(100)
def on_page_content(html, page, config, files):
    recorder = BUILD.raw_html
    raw_html, tree = recorder.last_raw_html, recorder.last_tree
    recorder.forget()  # what this page's conversion left must not be read as the next page's
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if sheet is None:
        return html
    # MkDocs strips the blank lines that start a page: lines are counted in the
    # file's own body, as load_content.SheetFile read it for MkDocs.
    body = page.file.body
    source = SourceFile(sheet.path, sheet.src_uri, {}, {}, body, sheet.body_line)
    rendered = RenderedBody(html, written_raw_html(raw_html, body), tree)
    BUILD.problems += check_rendered_body(source, BUILD.content.schema, rendered)
    return html


def on_env(env, config, files):
    problems = sort_problems(BUILD.problems)
    if problems:
        for problem in problems:
            log.error(problem.format())
        print_github_annotations(problems)
        raise PluginError(
            "La vérification des fiches a échoué : " + summary(problems, len(BUILD.content.sheets)) + " Le site n'a pas "
            "été construit ; corrigez les erreurs ci-dessus (« fiches check » les affiche sans construire le site)."
        )
    return env
