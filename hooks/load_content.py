"""Load and validate every sheet, then add the sheets to the build.

MkDocs events:
- on_startup: the command and `--dirty`, kept on `BUILD` for the whole
  process; in `mkdocs serve`, files are parsed again only when they change;
- on_config: a new build (`BUILD.begin`), then `referentiel.yml` and every
  sheet of `fiches/` and `pratiques-inspirantes/` (drafts too in `serve` or
  with FICHES_APERCU=1); any error stops the build, with every problem
  listed (file, line, field, expected, suggestion); a notice (INFO, so
  `--strict` passes) for each published sheet whose newest source is old;
- on_files: add each published sheet as a generated file backed by the real
  file (no copy), out of the nav so the nav stays small;
- on_post_build, once the search index is complete (priority -50): `BUILD.finished`, so that the next `mkdocs serve --dirty`
  rebuild also redoes the pages that show a sheet that changed
  (`fiches_kb.incremental`); MkDocs alone redoes only the edited file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD
from fiches_kb.frontmatter import keep_parsed_files
from fiches_kb.incremental import pages_to_refresh
from fiches_kb.problems import print_github_annotations
from fiches_kb.site import ContentError, load_site_content, preview_requested
from fiches_kb.source_age import old_sources_notices

log = logging.getLogger("mkdocs.plugins.fiches")


class SheetFile(File):
    """A sheet's page. In a dirty build, also redone when `refresh` is set."""

    refresh = False
    body_line = 1  # first line of the body, after the front matter
    body = ""  # the body as last read, for hooks/check_rendering.py (MkDocs strips its leading blank lines)

    def is_modified(self) -> bool:
        return self.refresh or super().is_modified()

    @property
    def content_string(self) -> str:
        # The front matter was read and checked in on_config, and
        # sheet_pages.py sets the page's title and description: MkDocs gets
        # the body only, rather than parsing the YAML again for keys it has
        # no use for. The leading blank line keeps MkDocs from reading a
        # first "Mot : …" line as MultiMarkdown metadata.
        self.body = super().content_string.split("\n", self.body_line - 1)[-1]
        return "\n" + self.body


def on_startup(command, dirty):
    BUILD.start(command, dirty)
    if command == "serve":
        keep_parsed_files()  # a rebuild parses again only the files that changed


def on_config(config):
    BUILD.begin()
    root = Path(config.config_file_path).parent
    try:
        # The other core is idle until Pagefind starts (on_files): files the
        # cache does not know are checked on every core (`mkdocs serve` keeps
        # parsed files and checks in this process).
        content = load_site_content(root, include_drafts=preview_requested() or BUILD.command == "serve", workers=None)
    except ContentError as error:
        for problem in error.problems:
            log.error(problem.format())
        print_github_annotations(error.problems)
        raise PluginError(str(error)) from None
    if content.include_drafts:
        log.info("Aperçu : les brouillons sont inclus et signalés comme tels.")
    for notice in old_sources_notices(content.sheets):  # INFO: a notice, not a failure under --strict
        log.info(notice)
    BUILD.content = content
    return config


def on_files(files, config):
    content = BUILD.content
    refresh = pages_to_refresh(BUILD.previous, content) if BUILD.dirty else set()
    for sheet in content.sheets:
        file = SheetFile.generated(config, sheet.src_uri, abs_src_path=str(sheet.path), inclusion=InclusionLevel.NOT_IN_NAV)
        file.refresh = sheet.src_uri in refresh
        file.body_line = sheet.body_line
        files.append(file)
        content.urls[sheet.id] = file.url
    return files


@event_priority(-50)
def on_post_build(config):
    BUILD.finished()
