"""Write `mkdocs build` into a staging folder; publish it only when the build succeeded.

MkDocs events:
- on_config: the site folder becomes the staging folder
  (`fiches_kb.staging`), for `mkdocs build` without `--dirty` only (`serve`
  builds into its own temporary folder; a dirty build updates the site in
  place);
- on_post_build, last of all hooks (priority -100, after the search index is
  written into it): publish, unless `--strict` is about to abort the build
  for the warnings counted so far; the real site folder is put back on the
  config, for `mkdocs gh-deploy`;
- on_build_error: remove the staging folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

from fiches_kb.build import BUILD
from fiches_kb.staging import StagedOutput


def on_config(config):
    if BUILD.command == "build" and not BUILD.dirty:
        BUILD.output = StagedOutput(Path(config.site_dir))
        config["site_dir"] = str(BUILD.output.begin())
    return config


@event_priority(-100)
def on_post_build(config):
    staged, BUILD.output = BUILD.output, None
    if staged is None:
        return
    config["site_dir"] = str(staged.site_dir)
    if config.strict and _strict_warnings():
        staged.discard()  # MkDocs aborts right after this event
    else:
        staged.publish()


def on_build_error(error):
    staged, BUILD.output = BUILD.output, None
    if staged is not None:
        staged.discard()


def _strict_warnings() -> bool:
    """Whether MkDocs counted warnings, which make `--strict` abort after on_post_build."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)
