"""Front-matter values: plain text, with no markup and no personal data."""

from __future__ import annotations

import html
import re

from ..frontmatter import SourceFile
from ..problems import Problem
from ..schema import Schema
from ..text import field_name, front_matter_strings, quote
from .base import HELP
from .personal_data import find_in_prose, personal_data_problem

# Anything a browser could read as a tag or a comment.
FRONT_MATTER_TAG = re.compile(r"<(?:[/?]?[A-Za-z]|!)[^<>\n]{0,40}>?")


def check_front_matter_safety(source: SourceFile, schema: Schema) -> list[Problem]:
    """No HTML and no personal data in any front-matter value."""
    rules = schema.safety
    problems: list[Problem] = []
    for key_path, text in front_matter_strings(source.data, numbers=True):
        tag = FRONT_MATTER_TAG.search(text) if "<" in text else None
        findings = [finding for finding, _ in find_in_prose(text, rules)]
        if "&" in text:  # an entity may hide a character
            findings += [finding for finding, _ in find_in_prose(html.unescape(text), rules)]
        if not (tag or findings):
            continue  # most values
        line = source.line_of(key_path)
        name = field_name(key_path) or None
        if tag:
            problems.append(
                Problem(
                    source.rel_path,
                    line,
                    "balise HTML interdite dans l'en-tête : les champs contiennent du texte simple.",
                    field=name,
                    expected="du texte sans balise",
                    found=quote(tag[0]),
                    suggestion="retirez la balise ; pour écrire le signe « < » seul, mettez une espace après (« a < b »)",
                    help=HELP,
                )
            )
        seen: set[tuple[str, str]] = set()
        for finding in findings:
            if (finding.kind, finding.value) not in seen:
                seen.add((finding.kind, finding.value))
                problems.append(personal_data_problem(source.rel_path, line, finding, rules, field=name))
    return problems
