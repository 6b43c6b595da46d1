"""Load and validate every sheet, then add the sheets to the build.

MkDocs events:
- on_startup: remember whether this is `mkdocs serve` (drafts are shown there,
  and files are parsed again only when they change);
- on_config: load `referentiel.yml` and every sheet of `fiches/` and
  `pratiques-inspirantes/` (checked by worker processes in `mkdocs build`,
  as in `fiches check`); any error stops the build, with every problem
  listed (file, line, field, expected, suggestion);
- on_files: add each published sheet as a generated file backed by the real
  file (no copy), out of the nav so the nav stays small;
- on_post_build: remember the content, so that the next `mkdocs serve
  --dirty` rebuild also redoes the pages that show a sheet that changed
  (`fiches_kb.incremental`); MkDocs alone redoes only the edited file.
Reads: every front-matter field, through `fiches_kb`.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.corpus import CheckInterrupted
from fiches_kb.frontmatter import keep_parsed_files
from fiches_kb.incremental import pages_to_refresh
from fiches_kb.problems import print_github_annotations
from fiches_kb.site import SITE_KEY, ContentError, load_site_content, preview_requested

log = logging.getLogger("mkdocs.plugins.fiches")
_command = "build"
_dirty = False
_previous = None  # content of the last successful build in this process (mkdocs serve)


class SheetFile(File):
    """A sheet's page. In a dirty build, also redone when `refresh` is set."""

    refresh = False
    body_line = 1  # first line of the body, after the front matter
    body = ""  # the body as last read, for hooks/check_rendering.py (MkDocs strips its leading blank lines)

    def is_modified(self) -> bool:
        return self.refresh or super().is_modified()

    @property
    def content_string(self) -> str:
        # MkDocs would parse the front matter again, with pure-Python YAML
        # (0.7 s per 1,000 sheets), for keys it has no use for: the sheet
        # was read and checked in on_config, and sheet_pages.py sets the
        # page's title and description. It gets the body only; the leading
        # blank line keeps MkDocs from reading a first "Mot : …" line as
        # MultiMarkdown metadata.
        self.body = super().content_string.split("\n", self.body_line - 1)[-1]
        return "\n" + self.body


def on_startup(command, dirty):
    global _command, _dirty
    _command, _dirty = command, dirty
    if command == "serve":
        keep_parsed_files()  # a rebuild parses again only the files that changed


def on_config(config):
    root = Path(config.config_file_path).parent
    preview = preview_requested()
    # Workers are forked from this process: only safe while it runs one thread
    # (not in `serve`, whose rebuilds also reuse parsed files workers can't keep).
    workers = None if _command == "build" and threading.active_count() == 1 else 1
    try:
        content = load_site_content(root, include_drafts=preview or _command == "serve", workers=workers)
    except ContentError as error:
        for problem in error.problems:
            log.error(problem.format())
        print_github_annotations(error.problems)
        raise PluginError(str(error)) from None
    except CheckInterrupted as error:
        message = str(error)
        raise PluginError(f"{message[:1].upper()}{message[1:]} Le site n'a pas été construit.") from None
    if content.include_drafts:
        log.info("Aperçu : les brouillons sont inclus et signalés comme tels.")
    config[SITE_KEY] = content
    return config


def on_files(files, config):
    content = config[SITE_KEY]
    refresh = pages_to_refresh(_previous, content) if _dirty else set()
    for sheet in content.sheets:
        file = SheetFile.generated(config, sheet.src_uri, abs_src_path=str(sheet.path), inclusion=InclusionLevel.NOT_IN_NAV)
        file.refresh = sheet.src_uri in refresh
        file.body_line = sheet.body_line
        files.append(file)
        content.urls[sheet.id] = file.url
    return files


def on_post_build(config):
    global _previous
    _previous = config[SITE_KEY]
