"""The last guarantee: nh3 (the Ammonia sanitizer, a browser-grade HTML
parser) with the allowlist of referentiel.yml.

`sanitizer_change` reads a page's HTML twice with nh3: once allowing
everything it holds, once with the allowlist. Both are parsed and written
out by the same parser, so they differ only where the allowlist would
remove something. Nothing is ever dropped silently: a difference is a
problem, in `fiches check` and in the build.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import nh3

from ..problems import Problem
from ..schema import SafetyRules
from .addresses import RESOURCE_ATTRIBUTES, url_scheme
from .base import HELP, Context, rule

ALLOWED_SCHEMES = {"https", "mailto", "tel"}
_TAG_NAMES = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>]*)")
_LETTERS = set(string.ascii_lowercase)
# Kept by the first reading, so that the allowlist's reading tells them apart:
# what a link may use, and what it must never use. nh3 reads an address as a
# browser does (« jav&#x09;ascript: » is javascript:), which finding schemes
# in the text with a pattern would not.
_SCHEMES_TO_SEE = ALLOWED_SCHEMES | {
    "javascript", "vbscript", "data", "http", "ftp", "file", "blob", "filesystem", "ws", "wss", "about", "view-source",
}


def _keep_everything(html: str) -> str:
    """The HTML as nh3 reads and writes it, with nothing removed. Every
    attribute whose name starts with a letter is kept: those are the ones
    that can run a script, load or link anything."""
    return nh3.clean(
        html,
        tags={tag.lower() for tag in _TAG_NAMES.findall(html)},
        clean_content_tags=set(),
        attributes={},
        generic_attribute_prefixes=_LETTERS,
        url_schemes=_SCHEMES_TO_SEE,
        link_rel=None,
        strip_comments=False,
    )


def _only_allowed(allowed: dict[str, set[str]]):
    """An nh3 attribute filter: only the listed attributes (nh3 would keep « lang »
    and « title » everywhere), no resource from another host, no protocol-relative address."""
    common = allowed.get("*", set())

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute not in common and attribute not in allowed.get(element, ()):
            return None
        scheme = url_scheme(value) if attribute in RESOURCE_ATTRIBUTES or attribute == "href" else None
        if scheme == "//" or (attribute in RESOURCE_ATTRIBUTES and scheme is not None):
            return None
        return value

    return keep


def sanitize(html: str, rules: SafetyRules) -> str:
    """The HTML with only what referentiel.yml allows (raw HTML and what Markdown makes)."""
    return nh3.clean(html, **_allowlist_arguments(rules))


_PREPARED: dict[int, tuple[SafetyRules, dict]] = {}  # id(rules) -> (rules, nh3's arguments): built once per schema


def _allowlist_arguments(rules: SafetyRules) -> dict:
    prepared = _PREPARED.get(id(rules))
    if prepared is None or prepared[0] is not rules:
        allowed = rules.sanitizer_allowlist()
        common = allowed.get("*", set())
        arguments = dict(
            tags={tag for tag in allowed if tag != "*"},
            clean_content_tags=set(),
            attributes={tag: set(attributes) | common for tag, attributes in allowed.items() if tag != "*"},
            attribute_filter=_only_allowed(allowed),
            url_schemes=ALLOWED_SCHEMES,
            link_rel=None,
            strip_comments=False,
        )
        prepared = _PREPARED[id(rules)] = (rules, arguments)
    return prepared[1]


def sanitizer_change(html: str, rules: SafetyRules) -> str | None:
    """None when the allowlist keeps html whole; else the start of what it would change."""
    if not html:
        return None
    kept, cleaned = _keep_everything(html), sanitize(html, rules)
    if kept == cleaned:
        return None
    index = next((i for i, (a, b) in enumerate(zip(kept, cleaned)) if a != b), min(len(kept), len(cleaned)))
    start = kept.rfind("<", 0, index + 1)
    start = index if start == -1 or index - start > 80 else start
    return " ".join(kept[start : start + 80].split())


def sanitizer_problem(rel_path: str, line: int | None, change: str) -> Problem:
    return Problem(
        rel_path,
        line,
        "le filtre de sécurité du site retirerait une partie de ce passage : il n'est pas publié tel quel.",
        expected="du Markdown, et seulement le HTML autorisé par la rubrique « securite » de referentiel.yml",
        found=f"« {change} »",
        suggestion="écrivez ce passage en Markdown, sans HTML ; si une balise vous semble nécessaire, "
        "demandez son ajout à un développeur",
        help=HELP,
    )


@rule("filtre-html", "Le filtre de sécurité (nh3) ne retire rien de la page : ce qui est écrit est ce qui est publié.")
def sanitizer_keeps_everything(context: Context) -> Iterator[Problem]:
    change = sanitizer_change(context.rendered.html, context.rules)
    if change is not None:
        tag = _TAG_NAMES.search(change)
        line = context.source_map.line_of_tag(tag[1]) if tag else context.source_map.line_of(change[:12])
        yield sanitizer_problem(context.source.rel_path, line, change)
