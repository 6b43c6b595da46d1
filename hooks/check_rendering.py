"""Judge each sheet by the HTML MkDocs made of it, before any page is written.

MkDocs events:
- on_config: a `RawHtmlRecorder` joins the Markdown extensions, so that the
  rules can tell the HTML a contributor wrote from what Markdown made, and
  read the links as written; MkDocs' own warnings about missing link
  targets are held back (`HeldLinkWarnings`): the French message of
  `fiches_kb.links` replaces them; the helper process (`BUILD.helper`,
  `fiches_kb.helper_process`) is made ready for the rules and the search
  documents;
- on_page_content, first of the hooks on that event (priority 100): the
  content rules (`fiches_kb.rules`: raw HTML, addresses, personal data, and
  the nh3 sanitizer as the last guarantee) are given the sheet's rendered
  body, unless the same body rendered the same way was judged by an earlier
  build with the same referentiel.yml and code (`BUILD.verdicts`, in the
  user's cache); the links and anchors of each sheet and page of docs_dir
  are kept (`BUILD.page_links`);
- on_env: MkDocs has rendered every page's Markdown and written nothing
  yet (hooks/staged_output.py keeps the previous site whole anyway): the
  rules' verdicts are collected from the helper, the links are resolved
  against MkDocs' files and pages (`fiches_kb.links`), and any problem
  stops the build, all listed with file and line. A held MkDocs warning
  that no French message covers is logged again, so `--strict` still fails
  on it;
- on_build_error: the helper is stopped.
`fiches check` runs the same rules on its own rendering (`check_body_safety`)
and the same link check (`fiches_kb.links.link_problems`).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from fiches_kb.build import BUILD
from fiches_kb.check_cache import CheckCache
from fiches_kb.corpus import usable_cpus
from fiches_kb.frontmatter import SourceFile
from fiches_kb.helper_process import HelperProcess, Judgement, SettingError
from fiches_kb.links import BuildTargets, link_problems, sheet_links
from fiches_kb.problems import print_github_annotations, sort_problems, summary
from fiches_kb.text import quote
from fiches_kb.rules.rendering import RawHtmlRecorder, RenderedBody, written_raw_html
from fiches_kb.schema import SCHEMA_FILE

log = logging.getLogger("mkdocs.plugins.fiches")
# Where MkDocs warns, while rendering a page, that a link's target is missing.
MKDOCS_PAGES_LOGGER = "mkdocs.structure.pages"
MKDOCS_MISSING_TARGET = re.compile(
    r"Doc file '(?P<file>.+?)' contains (?:a link|an unrecognized relative link) '(?P<address>.*?)', "
    r"(?:but the target .*is not found among documentation files\.|it was left as is\.)",
    re.DOTALL,
)


class HeldLinkWarnings(logging.Filter):
    """Holds back MkDocs' English warnings about missing link targets (on
    BUILD.link_warnings): on_env reports them in French, or logs again
    those no French message covers."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or BUILD.content is None:
            return True
        match = MKDOCS_MISSING_TARGET.match(record.getMessage())
        if match is None:
            return True
        BUILD.link_warnings.append((match["file"], match["address"], record.getMessage()))
        return False


def on_config(config):
    BUILD.raw_html = RawHtmlRecorder()
    config.markdown_extensions.append(BUILD.raw_html)
    pages_log = logging.getLogger(MKDOCS_PAGES_LOGGER)
    for held in [f for f in pages_log.filters if type(f).__name__ == HeldLinkWarnings.__name__]:
        pages_log.removeFilter(held)  # the previous build's, in `mkdocs serve`
    pages_log.addFilter(HeldLinkWarnings())
    root = Path(config.config_file_path).parent
    BUILD.verdicts = CheckCache.for_rendering(root, (root / SCHEMA_FILE).read_bytes())
    content = BUILD.content
    try:
        BUILD.helper = HelperProcess.for_build(content.schema, len(content.sheets), BUILD.command == "serve", os.environ, usable_cpus())
    except SettingError as error:
        raise PluginError(str(error)) from None
    return config


@event_priority(100)
def on_page_content(html, page, config, files):
    recorder = BUILD.raw_html
    raw_html, tree = recorder.last_raw_html, recorder.last_tree
    links, anchors = recorder.last_links, recorder.last_anchors
    recorder.forget()  # what this page's conversion left must not be read as the next page's
    sheet = BUILD.content.sheet_for(page.file.src_uri)
    if sheet is None:
        _keep_page_links(page, config, links, anchors)
        return html
    # MkDocs strips the blank lines that start a page: lines are counted in the
    # file's own body, as load_content.SheetFile read it for MkDocs.
    body = page.file.body
    source = SourceFile(sheet.path, sheet.src_uri, {}, {}, body, sheet.body_line)
    links, anchors = tuple(links), frozenset(anchors)
    rendered = RenderedBody(html, written_raw_html(raw_html, body), tree, links, anchors)
    fingerprint = CheckCache.rendering_fingerprint(body, html)
    problems = BUILD.verdicts.get(sheet.src_uri, fingerprint)
    if problems is None:  # judged beside MkDocs; on_env collects the verdict
        BUILD.helper.judge(
            Judgement(sheet.src_uri, fingerprint, sheet.path, body, sheet.body_line, html, tuple(rendered.raw_html), links, anchors),
            tree,
        )
    else:
        BUILD.problems += problems
    BUILD.page_links[sheet.src_uri] = (sheet.src_uri, sheet_links(source, sheet.src_uri, rendered))
    return html


def _keep_page_links(page, config, links, anchors) -> None:
    """A page of docs_dir: its links, with their lines in its file (as `fiches check` counts them)."""
    path = page.file.abs_src_path
    if path is None or not Path(path).is_relative_to(config.docs_dir):
        return  # generated: its links are made by code
    root = Path(config.config_file_path).parent
    rel_path = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else page.file.src_uri
    source = SourceFile(Path(path), rel_path, {}, {}, page.file.content_string, 1)
    rendered = RenderedBody("", [], None, tuple(links), frozenset(anchors))
    BUILD.page_links[page.file.src_uri] = (rel_path, sheet_links(source, page.file.src_uri, rendered))


def on_env(env, config, files):
    if BUILD.helper is not None:  # None when on_config did not run (a test calling on_env alone)
        BUILD.helper.finish()
        if BUILD.helper.done_in_helper:
            done = BUILD.helper.done_in_helper
            log.info(f"Processus auxiliaire : {done} vérifications et documents de recherche faits sur un autre cœur.")
        for src_uri, (fingerprint, problems) in BUILD.helper.verdicts.items():
            BUILD.problems += problems
            BUILD.verdicts.put(src_uri, fingerprint, problems)
        BUILD.verdicts.save()
    targets = BuildTargets(files, Path(config.config_file_path).parent, BUILD.content.schema)
    reported = {(problem.path, problem.found) for problem in BUILD.problems}  # a sheet's path is its src_uri
    for src_uri, (rel_path, links) in BUILD.page_links.items():
        found = link_problems(rel_path, src_uri, links, targets)
        BUILD.problems += found
        reported |= {(src_uri, problem.found) for problem in found}
    for src_uri, address, message in BUILD.link_warnings:
        if (src_uri, quote(address, 120)) not in reported:
            log.warning(f"Lien refusé par MkDocs, non reconnu par la vérification des fiches : {message}")
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


def on_build_error(error):
    if BUILD.helper is not None:
        BUILD.helper.close()
