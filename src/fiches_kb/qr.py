"""QR codes to a sheet's permanent address, for paper: the page's print
footer and every page of its PDF. Written by segno (pure Python, no image
library) as inline SVG, so the page loads nothing more."""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape


@functools.lru_cache(maxsize=4096)
def qr_svg(address: str, label: str) -> Markup:
    """An inline SVG QR code to `address`, sized by CSS, announced as an image named `label`."""
    # A fixed mask: choosing the best one costs three times as much, and any mask reads.
    svg = segno.make(address, error="m", mask=0, boost_error=False).svg_inline(
        scale=1, omitsize=True, svgclass="qr-code", lineclass=None, title=label
    )
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
