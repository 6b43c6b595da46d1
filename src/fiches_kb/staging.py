"""A build written beside the site folder, put in its place only once it succeeded.

MkDocs empties the site folder before it renders any page, so a build that
fails while rendering (a sheet refused by the rendered-HTML rules, Pagefind
failing) would leave readers a half-written or empty site. The build writes
into a sibling folder instead; `publish` swaps it in with two renames,
`discard` removes it. Either way the previous site stays whole until the
new one is complete.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAGING_SUFFIX = ".construction"
PREVIOUS_SUFFIX = ".precedent"


class StagedOutput:
    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.staging_dir = self.site_dir.with_name(self.site_dir.name + STAGING_SUFFIX)
        self._previous = self.site_dir.with_name(self.site_dir.name + PREVIOUS_SUFFIX)

    def begin(self) -> Path:
        """An empty staging folder (what an interrupted build left there is removed)."""
        for leftover in (self.staging_dir, self._previous):
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def publish(self) -> None:
        """The staged build becomes the site folder; the previous one is removed."""
        if self.site_dir.exists():
            os.replace(self.site_dir, self._previous)
        os.replace(self.staging_dir, self.site_dir)
        shutil.rmtree(self._previous, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)
