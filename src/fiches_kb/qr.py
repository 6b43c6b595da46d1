"""QR codes to a sheet's permanent address, for paper: the page's print
footer and every page of its PDF. Written by segno (pure Python, no image
library) as inline SVG, so the page loads nothing more."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import segno
from markupsafe import Markup, escape

from .check_cache import load_pickle, save_pickle

# Entries kept beyond those a build used, so that a build of part of the site
# (mkdocs serve --dirty) does not forget the rest; past it, only the used ones.
KEPT_UNUSED_MAX = 20_000


@functools.lru_cache(maxsize=4096)
def qr_svg(address: str, label: str) -> Markup:
    """An inline SVG QR code to `address`, sized by CSS, announced as an image named `label`."""
    # A fixed mask: choosing the best one costs three times as much, and any mask reads.
    svg = segno.make(address, error="m", mask=0, boost_error=False).svg_inline(
        scale=1, omitsize=True, svgclass="qr-code", lineclass=None, title=label
    )
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


class QrCodes:
    """`qr_svg`, with the codes kept between builds in a file of the user's
    cache folder: making one costs about a millisecond, a build of 1,000
    sheets a second. Keyed by segno's version and this module's code, so a
    change to either makes them anew. A cache that cannot be read or
    written is ignored."""

    def __init__(self, folder: Path) -> None:
        version = hashlib.sha256(segno.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
        self.path = folder / f"qr-{version}.pickle"
        known = load_pickle(self.path, {})
        self._known: dict[tuple[str, str], str] = known if isinstance(known, dict) else {}
        self._used: dict[tuple[str, str], str] = {}

    def __call__(self, address: str, label: str) -> Markup:
        key = (address, label)
        svg = self._used.get(key) or self._known.get(key)
        if svg is None:
            svg = str(qr_svg(address, label))
        self._used[key] = svg
        return Markup(svg)

    def save(self) -> None:
        if all(key in self._known for key in self._used):
            return
        kept = {**self._known, **self._used} if len(self._known) + len(self._used) <= KEPT_UNUSED_MAX else self._used
        save_pickle(self.path, kept)
