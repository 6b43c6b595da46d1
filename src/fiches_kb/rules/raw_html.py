"""HTML in the body: forbidden tags and attributes, and the allowlist of raw HTML.

Tags and attributes are read from the rendered body, so whatever produced
them (raw HTML, an attribute list « {: … } », a Markdown quirk) is judged
the same way. The allowlist of referentiel.yml (« securite.balises_html »)
applies to the HTML the contributor wrote; what Markdown itself makes is
allowed, and the sanitizer (sanitizer.py) holds the final list. No allowlist
lifts the tags of schema.FORBIDDEN_TAGS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..problems import Problem
from ..schema import FORBIDDEN_TAGS
from ..text import quote
from .base import HELP, Context, rule
from .rendering import Element


def _written(element: Element) -> str:
    return quote(element.written)


def _attribute_place(context: Context, element: Element, name: str, value: str | None) -> tuple[int, str, str]:
    """Where an attribute was written, what to show and what to do: the tag
    as written in raw HTML, or the attribute list « {: … } » that added it."""
    if context.written_line(element) is not None:
        return context.element_line(element), _written(element), "retirez cet attribut"
    found = context.source_map.find(f"{name}=", f"{name} =", value if value and len(value) > 2 else "")
    if found is None:
        return context.source_map.line_of_tag(element.tag, name), _written(element), "retirez cet attribut"
    line = context.source.body.split("\n")[found - context.source.body_line]
    brace = line.rfind("{", 0, max(line.lower().find(name), 0) + 1)
    if brace != -1:
        return found, quote(line[brace:].strip(), limit=80), "retirez cet attribut de la liste « {: … } »"
    return found, _written(element), "retirez cet attribut"


@rule("balise-interdite", "Aucune balise qui exécute un programme, change la mise en forme, intègre un autre site ou un formulaire.")
def forbidden_tags(context: Context) -> Iterator[Problem]:
    for element in context.rendered.elements:
        if element.tag in FORBIDDEN_TAGS:
            why, what_to_do = FORBIDDEN_TAGS[element.tag]
            values = [value for _, value in element.attrs if value]
            yield Problem(
                context.source.rel_path,
                context.element_line(element, *values),
                f"balise « <{element.tag}> » interdite : {why}",
                found=_written(element),
                suggestion=what_to_do,
                help=HELP,
            )


@rule("balise-non-autorisee", "Le HTML écrit dans une fiche n'utilise que les balises et attributs de referentiel.yml.")
def raw_html_allowlist(context: Context) -> Iterator[Problem]:
    allowed_tags = context.rules.html_tags
    for element in context.rendered.raw_elements:
        if element.tag in FORBIDDEN_TAGS:
            continue  # forbidden_tags says why
        values = [value for _, value in element.attrs if value]
        if element.tag not in allowed_tags:
            allowed = ", ".join(f"<{t}>" for t in allowed_tags) or "aucune"
            yield Problem(
                context.source.rel_path,
                context.element_line(element, *values),
                f"balise HTML « <{element.tag}> » non autorisée.",
                expected=f"seulement les balises autorisées par referentiel.yml : {allowed}",
                found=_written(element),
                suggestion="écrivez ce passage en Markdown, ou retirez la balise ; "
                "pour afficher le signe « < », écrivez « &lt; »",
                help=HELP,
            )
            continue
        for name, value in element.attrs:
            if name.startswith("on") or name == "style" or name in allowed_tags[element.tag]:
                continue  # handlers and styles: event_handlers and style_attributes
            attributes = allowed_tags[element.tag]
            yield Problem(
                context.source.rel_path,
                context.element_line(element, *values),
                f"attribut « {name} » non autorisé sur la balise « <{element.tag}> ».",
                expected=f"pour « <{element.tag}> » : {', '.join(attributes)}" if attributes else f"aucun attribut sur « <{element.tag}> »",
                found=_written(element),
                suggestion="retirez cet attribut",
                help=HELP,
            )


@rule("attribut-evenement", "Aucun attribut « on… » : ils lancent un programme dans le navigateur.")
def event_handlers(context: Context) -> Iterator[Problem]:
    for element in context.rendered.elements:
        for name, value in element.attrs:
            if name.startswith("on"):
                line, found, suggestion = _attribute_place(context, element, name, value)
                yield Problem(
                    context.source.rel_path,
                    line,
                    f"attribut « {name} » interdit : les attributs « on… » lancent un programme dans le navigateur.",
                    found=found,
                    suggestion=suggestion,
                    help=HELP,
                )


@rule("attribut-style", "Aucun attribut « style » : la mise en forme vient du thème du site.")
def style_attributes(context: Context) -> Iterator[Problem]:
    for element in context.rendered.elements:
        for name, value in element.attrs:
            if name == "style":
                line, found, suggestion = _attribute_place(context, element, name, value)
                yield Problem(
                    context.source.rel_path,
                    line,
                    "attribut « style » interdit : la mise en forme des fiches vient du thème du site.",
                    found=found,
                    suggestion=suggestion,
                    help=HELP,
                )


@rule("html-illisible", "Le HTML d'une fiche doit pouvoir être lu, donc vérifié.")
def unreadable_markup(context: Context) -> Iterator[Problem]:
    unreadable = context.rendered.unreadable
    if unreadable is not None:
        snippet = re.sub(r"\s+", " ", unreadable.snippet)
        yield Problem(
            context.source.rel_path,
            context.source_map.line_of(snippet[:12], snippet[:4]),
            "passage HTML illisible : il ne peut pas être vérifié.",
            suggestion="écrivez ce passage en Markdown ; pour afficher le signe « < », écrivez « &lt; »",
            help=HELP,
        )
