"""Load and validate every sheet, then add the sheets to the build.

MkDocs events:
- on_startup: remember whether this is `mkdocs serve` (drafts are shown there);
- on_config: load `referentiel.yml` and every sheet of `fiches/` and
  `pratiques-inspirantes/`; any error stops the build, with every problem
  listed (file, line, field, expected, suggestion);
- on_files: add each published sheet as a generated file backed by the real
  file (no copy), out of the nav so the nav stays small.
Reads: every front-matter field, through `fiches_kb`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.site import SITE_KEY, ContentError, load_site_content, preview_requested

log = logging.getLogger("mkdocs.plugins.fiches")
_command = "build"


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    root = Path(config.config_file_path).parent
    preview = preview_requested()
    try:
        content = load_site_content(root, include_drafts=preview or _command == "serve")
    except ContentError as error:
        for problem in error.problems:
            log.error(problem.format())
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for problem in error.problems:
                print(problem.github_annotation())
        raise PluginError(str(error)) from None
    if content.include_drafts:
        log.info("Aperçu : les brouillons sont inclus et signalés comme tels.")
    config[SITE_KEY] = content
    return config


def on_files(files, config):
    content = config[SITE_KEY]
    for sheet in content.sheets:
        file = File.generated(config, sheet.src_uri, abs_src_path=str(sheet.path), inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        content.urls[sheet.id] = file.url
    return files
