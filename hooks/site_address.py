"""Say when a build has no public address.

MkDocs event: on_config: `mkdocs build` without `site_url` (the SITE_URL
setting, mkdocs.yml) gets a French notice (INFO, so that `--strict` still
passes on a laptop): without it the sitemap is empty and printed sheets
cannot show their full permanent address. `mkdocs serve` needs none.
"""

from __future__ import annotations

import logging

from fiches_kb.build import BUILD
from fiches_kb.site import MISSING_ADDRESS

log = logging.getLogger("mkdocs.plugins.fiches")


def on_config(config):
    if BUILD.command == "build" and not config.site_url:
        log.info(MISSING_ADDRESS)
    return config
