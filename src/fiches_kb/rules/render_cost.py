"""Bodies that would take Python-Markdown too long to render are refused first.

Python-Markdown's inline patterns for links, inline HTML and emphasis scan
ahead from every « [ », « < », « * », « _ » or « & » of a block: a block
packed with them costs time in the square of its length. So, before any
rendering (in `fiches check` and in the build), the count of those
characters times the length of their block must stay under a budget no real
sheet comes near: the worst block that passes renders in well under a second
(BENCHMARKS.md, « Content rules on hostile input » and « Figures behind
choices in the code »).
"""

from __future__ import annotations

import re

from ..frontmatter import SourceFile
from ..problems import Problem
from .base import HELP

# « [ » and « < » count × length of their block, per file. A real sheet's
# busiest paragraph (2,000 characters, 20 links) makes 40,000.
RENDER_COST_BUDGET = 4_000_000
# Python-Markdown also slows down more than in step with the number of
# blocks (paragraphs, headings, list items) and lines. A sheet is one or two
# printed pages: a few dozen blocks, a few hundred lines.
MAX_BLOCKS = 2_000
MAX_LINES = 20_000
_BLOCK_START = re.compile(r"^[ ]{0,3}(?:#|[-*+][ \t]|\d+[.)][ \t]|>|:[ \t])", re.MULTILINE)
# What Python-Markdown's inline patterns scan ahead from: links, inline
# HTML, emphasis, entities.
COSTLY_CHARACTERS = "[<*_&"
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def render_cost_problems(source: SourceFile) -> list[Problem]:
    """A problem for the costliest block when the body is over budget, else none."""
    body = source.body
    lines = body.count("\n") + 1
    blocks = len(_BLANK_LINES.findall(body)) + 1 + len(_BLOCK_START.findall(body))
    if lines > MAX_LINES or blocks > MAX_BLOCKS:
        return [
            Problem(
                source.rel_path,
                source.body_line,
                "texte beaucoup trop long pour une fiche : il ne peut pas être mis en page ni vérifié "
                "dans un temps raisonnable.",
                expected=f"au plus {MAX_LINES:,} lignes et {MAX_BLOCKS:,} paragraphes".replace(",", "\u202f"),
                found=f"{lines:,} lignes, {blocks:,} paragraphes".replace(",", "\u202f"),
                suggestion="une fiche tient sur une ou deux pages : répartissez ce contenu en plusieurs fiches",
                help=HELP,
            )
        ]
    if not any(char in body for char in COSTLY_CHARACTERS):
        return []
    total, worst, worst_start, position = 0, 0, 0, 0
    for separator in [*_BLANK_LINES.finditer(body), None]:
        end = separator.start() if separator else len(body)
        block = body[position:end]
        cost = sum(map(block.count, COSTLY_CHARACTERS)) * len(block)
        total += cost
        if cost > worst:
            worst, worst_start = cost, position
        position = separator.end() if separator else len(body)
    if total <= RENDER_COST_BUDGET:
        return []
    line = source.body_line + body.count("\n", 0, worst_start)
    return [
        Problem(
            source.rel_path,
            line,
            "texte trop chargé en crochets « [ », chevrons « < » ou signes « * », « _ », « & » : il ne peut pas "
            "être mis en page ni vérifié dans un temps raisonnable.",
            expected="des paragraphes séparés par des lignes vides, avec quelques liens chacun",
            found=", ".join(f"{body.count(char)} « {char} »" for char in COSTLY_CHARACTERS if char in body) + " dans le texte",
            suggestion="coupez les longs paragraphes par des lignes vides ; pour afficher un de ces signes "
            "isolé, précédez-le d'une barre oblique inverse (« \\[ », « \\* ») ou écrivez « &lt; » pour « < »",
            help=HELP,
        )
    ]
