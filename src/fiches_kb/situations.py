"""Entry points by situation on the home page: the « situations » section of
referentiel.yml.

Each situation is a phrase a reader recognises (« Une personne n'arrive pas
à faire une démarche en ligne »), a short text, and where it leads: sheets
(`fiches`, their ids) and/or a theme (`theme`, its key). `parse_situations`
reads the section from YAML nodes so that every problem carries its line;
unknown themes are found there, unknown ids once every sheet is read
(`unknown_sheet_problems`, called by `corpus`).

Nothing here imports MkDocs or the rest of fiches_kb but `problems` and `text`.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .problems import Problem
from .text import closest, quote

SECTION = "situations"
HELP = "pages/contribuer/guide.md#situations"
_KEYS = ("situation", "texte", "fiches", "theme")
EXAMPLE = "- situation: Une personne n'arrive pas à faire une démarche en ligne\n  texte: …\n  fiches: [FP-001, FP-002]"


@dataclass(frozen=True)
class Situation:
    phrase: str
    text: str
    sheet_ids: tuple[str, ...]
    theme: str | None
    line: int | None
    sheet_lines: tuple[int | None, ...] = ()  # the line of each id


def parse_situations(node, path: str, themes) -> tuple[tuple[Situation, ...], list[Problem]]:
    """The situations of the section's YAML node (None: no section), and the
    problems, each with its line. `themes`: the theme keys, to check `theme`."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return (), []
    if not isinstance(node, yaml.SequenceNode):
        return (), [_problem(path, node, SECTION, "la rubrique doit être une liste de situations (« - situation: … »).", expected=EXAMPLE)]
    situations: list[Situation] = []
    problems: list[Problem] = []
    for index, item in enumerate(node.value, start=1):
        where = f"{SECTION}[{index}]"
        if not isinstance(item, yaml.MappingNode):
            problems.append(_problem(path, item, where, "chaque situation a une phrase, un texte, et des fiches ou un thème.", expected=EXAMPLE))
            continue
        values = {}
        for name, value in item.value:
            key = name.value if isinstance(name, yaml.ScalarNode) else None
            if key not in _KEYS:
                problems.append(_problem(path, name, where, f"clé inconnue {quote(key)}.", expected=", ".join(_KEYS),
                                         suggestion=_suggest(key, _KEYS)))
                continue
            values[key] = value
        before = len(problems)
        phrase = _text(path, values, "situation", item, where, problems)
        text = _text(path, values, "texte", item, where, problems)
        ids, id_lines = _ids(path, values.get("fiches"), f"{where}.fiches", problems)
        theme = None
        theme_node = values.get("theme")
        if theme_node is not None:
            theme = theme_node.value.strip() if isinstance(theme_node, yaml.ScalarNode) and isinstance(theme_node.value, str) else ""
            if theme not in themes:
                problems.append(_problem(
                    path, theme_node, f"{where}.theme", f"thème {quote(theme)} inconnu.",
                    expected=f"la clé d'un thème de « themes » ({', '.join(themes)})",
                    suggestion=_suggest(theme, list(themes)) or "copiez la clé du thème depuis la rubrique « themes »",
                ))
        if not ids and theme_node is None:
            problems.append(_problem(path, item, where, "la situation ne mène nulle part.",
                                     expected="« fiches: [FP-001, …] » ou « theme: clé-du-thème », ou les deux"))
        if len(problems) == before:
            situations.append(Situation(phrase, text, ids, theme, _line(item), id_lines))
    return tuple(situations), problems


def unknown_sheet_problems(situations, known_ids, path: str) -> list[Problem]:
    """A situation leading to an id no sheet has (drafts count: the
    preview shows them)."""
    problems = []
    for index, situation in enumerate(situations, start=1):
        for identifier, line in zip(situation.sheet_ids, situation.sheet_lines):
            if identifier in known_ids:
                continue
            guess = closest(identifier, list(known_ids))
            problems.append(Problem(
                path, line, f"situations de l'accueil : aucune fiche ne porte l'identifiant {quote(identifier)}.",
                field=f"{SECTION}[{index}].fiches", expected="l'identifiant d'une fiche ou d'une pratique existante",
                suggestion=f"vouliez-vous dire « {guess} » ?" if guess else "vérifiez l'identifiant dans l'en-tête de la fiche visée",
                help=HELP,
            ))
    return problems


def without_situations(referentiel_text: str) -> str:
    """referentiel.yml's text without its « situations » section: for a
    copy of the machinery that builds other content (the example site of
    the tests, a benchmark corpus), whose sheets are not the ones the real
    situations name."""
    lines = referentiel_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{SECTION}:")), None)
    if start is None:
        return referentiel_text
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\t", "\n", "\r", "#", "")), len(lines))
    return "".join(lines[:start] + lines[end:])


def _text(path, values, key, item, where, problems) -> str:
    node = values.get(key)
    value = node.value.strip() if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else ""
    if not value:
        problems.append(_problem(path, node or item, f"{where}.{key}", f"le texte « {key} » manque ou est vide.",
                                 expected="une phrase" if key == "situation" else "une ou deux phrases courtes"))
    return value


def _ids(path, node, where, problems) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    if node is None:
        return (), ()
    items = node.value if isinstance(node, yaml.SequenceNode) else None
    if not items or not all(isinstance(i, yaml.ScalarNode) and isinstance(i.value, str) and i.value.strip() for i in items):
        problems.append(_problem(path, node, where, "« fiches » doit être une liste d'identifiants.", expected="[FP-001, PI-002]"))
        return (), ()
    return tuple(i.value.strip() for i in items), tuple(_line(i) for i in items)


def _suggest(value, choices) -> str | None:
    guess = closest(str(value or ""), list(choices))
    return f"vouliez-vous dire « {guess} » ?" if guess else None


def _line(node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _problem(path: str, node, field: str, message: str, **details) -> Problem:
    return Problem(path, _line(node), f"situations de l'accueil : {message}", field=field, help=HELP, **details)
