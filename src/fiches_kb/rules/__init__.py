"""Content rules: raw HTML, addresses, personal data, and nothing unfinished published.

Sheets are public pages written by non-developers. Each rule judges what
readers get, the body rendered with the site's own Markdown settings, and
has an id and a French description; `BODY_RULES` is the one list of them,
in the order their problems are most useful. The allowlists come from the
« securite » section of referentiel.yml. Nothing here raises on content:
problems are returned instead.

The sanitizer rule comes last and runs only when no other rule found
anything: it is the guarantee that whatever the other rules missed is
caught, with a less precise message.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..frontmatter import SourceFile
from ..problems import Problem
from ..schema import Schema
from . import addresses, personal_data, raw_html, sanitizer, unfinished
from .base import HELP, Context, Rule
from .front_matter import check_front_matter_safety
from .render_cost import render_cost_problems
from .rendering import BodyRenderer, RenderedBody, load_markdown_settings

# Rules on markup and addresses: when one of them finds something, the
# sanitizer's less precise message would only repeat it.
MARKUP_RULES: list[Rule] = [
    raw_html.forbidden_tags,
    raw_html.raw_html_allowlist,
    raw_html.event_handlers,
    raw_html.style_attributes,
    raw_html.unreadable_markup,
    addresses.address_schemes,
    addresses.external_resources,
]
BODY_RULES: list[Rule] = [*MARKUP_RULES, personal_data.personal_data_in_body]
GUARANTEE = sanitizer.sanitizer_keeps_everything
# Rules on the file as written, front matter and body (they need the status):
# run by every check of a file, before any rendering.
SOURCE_RULES: list[Rule] = [unfinished.nothing_unfinished]

__all__ = [
    "BODY_RULES",
    "GUARANTEE",
    "HELP",
    "MARKUP_RULES",
    "SOURCE_RULES",
    "check_body_safety",
    "check_front_matter_safety",
    "check_rendered_body",
    "check_source_rules",
    "renderer_for",
]


@lru_cache(maxsize=8)
def renderer_for(root: Path) -> BodyRenderer:
    """One renderer per site root and process, with the settings of root/mkdocs.yml."""
    return BodyRenderer(load_markdown_settings(root))


def check_rendered_body(source: SourceFile, schema: Schema, rendered: RenderedBody) -> list[Problem]:
    """Every rule on a body already rendered (by MkDocs in the build, by check_body_safety otherwise)."""
    context = Context(source, schema, rendered)
    problems: list[Problem] = []
    markup_found = False
    for body_rule in BODY_RULES:
        found = [replace(problem, rule=body_rule.id) for problem in body_rule(context)]
        problems += found
        markup_found = markup_found or (bool(found) and body_rule in MARKUP_RULES)
    if not markup_found:
        problems += [replace(problem, rule=GUARANTEE.id) for problem in GUARANTEE(context)]
    return list(dict.fromkeys(problems))


def check_source_rules(source: SourceFile, schema: Schema) -> list[Problem]:
    """The rules on the file as written (SOURCE_RULES): they read its front matter and its body."""
    context = Context(source, schema, None)
    return [replace(problem, rule=source_rule.id) for source_rule in SOURCE_RULES for problem in source_rule(context)]


def check_body_safety(source: SourceFile, schema: Schema, renderer: BodyRenderer) -> list[Problem]:
    """Renders the body as the site does, then checks it; a body too costly to render is refused unrendered."""
    return render_cost_problems(source) or check_rendered_body(source, schema, renderer.render(source.body))
