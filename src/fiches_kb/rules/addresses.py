"""Link and resource addresses: allowed schemes, and nothing loaded from another site.

Read from every address attribute of the rendered body, whatever wrote it
(a Markdown link or image, a reference definition, raw HTML, an attribute
list), with no length limit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..problems import Problem
from ..schema import FORBIDDEN_TAGS
from ..text import quote
from .base import HELP, Context, rule

# Attributes whose value is an address the browser may follow or load.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite",
        "data", "codebase", "srcset", "lowsrc", "dynsrc", "ping", "manifest", "longdesc",
        "usemap", "profile", "icon", "archive", "classid",
    }
)
# Of those, the ones the browser loads by itself, without a click.
RESOURCE_ATTRIBUTES = URL_ATTRIBUTES - {"href", "cite", "action", "formaction", "xlink:href", "longdesc", "usemap", "ping"}
DANGEROUS_SCHEMES = {
    "javascript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
    "vbscript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
    "data": "elle peut cacher un programme ou un document entier dans le lien",
}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Browsers drop tabs and newlines anywhere in an address and spaces or control
# characters around it; dropping every invisible character is stricter.
URL_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")


def normalise_url(raw: str) -> str:
    """The address as a browser reads it: entities decoded, invisible characters gone."""
    text = html.unescape(raw)
    text = MARKDOWN_ESCAPE.sub(r"\1", text)
    text = URL_INVISIBLE.sub("", text)
    return text.replace("\\", "/")


def url_scheme(raw: str) -> str | None:
    """Lower-case scheme of an address, "//" for protocol-relative, None for relative."""
    text = normalise_url(raw)
    if text.startswith("//"):
        return "//"
    match = SCHEME.match(text)
    return match[1].lower() if match else None


def url_candidates(name: str, value: str) -> list[str]:
    """The addresses in an attribute value (srcset lists several)."""
    if name == "srcset":
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


def url_problems(rel_path: str, line: int, raw: str) -> list[Problem]:
    """What is wrong with an address a reader may follow, if anything."""
    scheme = url_scheme(raw)
    if scheme is None or scheme in ALLOWED_SCHEMES:
        return []
    text = normalise_url(raw)
    if scheme in DANGEROUS_SCHEMES:
        return [
            Problem(
                rel_path,
                line,
                f"adresse « {scheme}: » interdite : {DANGEROUS_SCHEMES[scheme]}.",
                expected="une adresse en https:// ou un lien relatif vers une autre page du site",
                found=quote(raw),
                suggestion="remplacez-la par l'adresse en https de la page visée, ou retirez le lien",
                help=HELP,
            )
        ]
    if scheme == "http":
        return [
            Problem(
                rel_path,
                line,
                "lien non sécurisé (http).",
                expected="une adresse en https://",
                found=quote(raw),
                suggestion=f"écrivez « https:{text[len('http:'):]} » après avoir vérifié qu'elle fonctionne",
                help=HELP,
            )
        ]
    if scheme == "//":
        return [
            Problem(
                rel_path,
                line,
                "lien externe incomplet : l'adresse doit commencer par « https:// ».",
                expected="une adresse en https://",
                found=quote(raw),
                suggestion=f"écrivez « https:{text} »",
                help=HELP,
            )
        ]
    return [
        Problem(
            rel_path,
            line,
            f"type d'adresse « {scheme}: » non autorisé dans un lien.",
            expected="une adresse en https://, un lien relatif vers une autre page du site, "
            "ou une adresse « mailto: » ou « tel: »",
            found=quote(raw),
            suggestion="remplacez-la par l'adresse en https de la page visée",
            help=HELP,
        )
    ]


def is_external(raw: str) -> bool:
    """True for an address on another host (with a scheme, or starting with « // »)."""
    return url_scheme(raw) is not None


def _address_line(context: Context, value: str) -> int:
    return context.source_map.line_of(value, html.escape(value, quote=False), html.escape(value), value[:40])


def written_value(written: str, name: str, value: str) -> str:
    """An attribute's value as written in the start tag (entities not decoded)."""
    match = re.search(rf"""\s{re.escape(name)}\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", written, re.IGNORECASE)
    raw = match[1].strip("\"'") if match else value
    return raw if html.unescape(raw) == value else value


@rule("adresse-interdite", "Les liens et les ressources n'utilisent que https:, mailto:, tel: ou une adresse relative.")
def address_schemes(context: Context) -> Iterator[Problem]:
    for element in context.rendered.elements:
        for name, value in element.attrs:
            if name in URL_ATTRIBUTES and value:
                value = written_value(element.written, name, value)
                for candidate in url_candidates(name, value):
                    problems = url_problems(context.source.rel_path, 0, candidate)
                    if problems:
                        line = _address_line(context, candidate)
                        yield from (Problem(p.path, line, *_rest(p)) for p in problems)


@rule("ressource-externe", "Une fiche ne charge rien d'un autre site : images et autres ressources viennent du site lui-même.")
def external_resources(context: Context) -> Iterator[Problem]:
    for element in context.rendered.elements:
        if element.tag in FORBIDDEN_TAGS:
            continue  # refused whatever they load
        for name, value in element.attrs:
            if name not in RESOURCE_ATTRIBUTES or not value:
                continue
            for candidate in url_candidates(name, value):
                scheme = url_scheme(candidate)
                if scheme not in ("https", "//"):
                    continue  # other schemes are refused by address_schemes; relative ones are the site's own
                what = "image" if element.tag == "img" else f"ressource (« <{element.tag}> »)"
                yield Problem(
                    context.source.rel_path,
                    _address_line(context, candidate),
                    f"{what} chargée depuis un autre site : une fiche ne charge aucun contenu d'un autre site "
                    "(cela renseignerait ce site sur les lecteurs, et le navigateur la bloquerait).",
                    expected="une image enregistrée dans le dépôt, avec une adresse relative",
                    found=quote(candidate),
                    suggestion="enregistrez l'image dans le dépôt et indiquez son adresse relative, "
                    "ou remplacez-la par un lien : [description](https://…)",
                    help=HELP,
                )


def _rest(problem: Problem) -> tuple:
    return (problem.message, problem.field, problem.expected, problem.found, problem.suggestion, problem.help)
