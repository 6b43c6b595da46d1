"""Checks on the Markdown body of a sheet (below the front matter).

The structure of each content type (its section titles) comes from the
schema; the title comes from the front matter, so the body has no H1.
"""

from __future__ import annotations

import re

from .frontmatter import SourceFile
from .problems import Problem
from .schema import ContentType, Schema
from .text import fold

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def body_lines(source: SourceFile) -> list[tuple[int, str]]:
    """(line number in the file, text) for every body line outside code blocks."""
    result = []
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            result.append((source.body_line + offset, line))
    return result


def heading_lines(source: SourceFile) -> list[tuple[int, str]]:
    """The lines of body_lines that start with « # », the only ones HEADING can match."""
    if "```" in source.body or "~~~" in source.body:
        return [(number, line) for number, line in body_lines(source) if line[:1] == "#"]
    # Without a fence there is no code block: no need to follow them line by line.
    return [(source.body_line + offset, line) for offset, line in enumerate(source.body.split("\n")) if line[:1] == "#"]


def check_body(source: SourceFile, schema: Schema, content_type: ContentType) -> list[Problem]:
    problems: list[Problem] = []
    guide = f"pages/{schema.guide}#structure-{content_type.key}"
    sections_found: list[str] = []
    for number, line in heading_lines(source):
        heading = HEADING.match(line)
        if not heading:
            continue
        level, text = len(heading[1]), heading[2]
        if level == 1:
            problems.append(
                Problem(
                    source.rel_path,
                    number,
                    "titre de niveau 1 (« # ») dans le texte.",
                    expected="aucun titre « # » : le titre vient du champ « titre » de l'en-tête",
                    found=f"« {line.strip()} »",
                    suggestion="supprimez cette ligne, ou transformez-la en section « ## »",
                    help=guide,
                )
            )
        elif level == 2:
            sections_found.append(fold(text))
    missing = [s for s in content_type.sections if fold(s) not in sections_found]
    if missing:
        problems.append(
            Problem(
                source.rel_path,
                source.body_line,
                f"section{'s' if len(missing) > 1 else ''} manquante{'s' if len(missing) > 1 else ''} : "
                + ", ".join(f"« ## {s} »" for s in missing)
                + ".",
                expected=f"les sections d'une {content_type.label.lower()} : "
                + ", ".join(f"« {s} »" for s in content_type.sections),
                suggestion="ajoutez ces titres « ## » (le texte peut dire « Sans objet. » quand une section ne s'applique pas)",
                help=guide,
            )
        )
    return problems
