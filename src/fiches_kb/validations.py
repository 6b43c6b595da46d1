"""The register of the HCTS's validation sessions (validations.yml).

A sheet may say « validee » only for a session recorded in this register,
kept by the HCTS secretariat alone (CODEOWNERS): a contributor cannot
declare a validation by writing it in a sheet. `load_register` reads the
register (every problem in French, with its line); `unregistered_validation`
is the rule every sheet's « validation » field passes. Nothing here imports
MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .frontmatter import StrictLoader, decode_text
from .problems import Problem
from .text import fold, quote
from .validate import parse_date

REGISTER_FILE = "validations.yml"
REGISTER_HELP = "pages/contribuer/guide.md#champ-validation"
_KEYS = ("date", "instance", "reference")


@dataclass(frozen=True)
class Session:
    """A validation session: its date, the body that sat, the reference of its decision or minutes."""

    day: date
    instance: str
    reference: str
    line: int  # in validations.yml


@dataclass(frozen=True)
class Register:
    sessions: tuple[Session, ...] = ()

    def on(self, day: date) -> list[Session]:
        return [session for session in self.sessions if session.day == day]


def load_register(root: Path, today: date) -> tuple[Register, list[Problem]]:
    """The register of root/validations.yml; none recorded when the file is absent."""
    path = root / REGISTER_FILE
    if not path.is_file():
        return Register(), []
    text, problems = decode_text(path.read_bytes(), REGISTER_FILE)
    if text is None:
        return Register(), problems
    try:
        node = yaml.compose(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return Register(), [_problem(mark.line + 1 if mark else None, "registre illisible (erreur de syntaxe YAML).", found=f"message technique YAML : {error.problem or ''}")]
    seances = _mapping_value(node, "seances")
    if node is None or seances is None:
        return Register(), [_problem(1, "le registre doit contenir la liste « seances: ».")]
    if not isinstance(seances, yaml.SequenceNode):
        return Register(), [_problem(seances.start_mark.line + 1, "« seances » doit être une liste de séances (« - date: … »).")]
    sessions: list[Session] = []
    for item in seances.value:
        line = item.start_mark.line + 1
        session, item_problems = _session(item, line, today)
        problems += item_problems
        if session is None:
            continue
        if any(s.day == session.day and fold(s.instance) == fold(session.instance) for s in sessions):
            problems.append(_problem(line, f"séance du {session.day.isoformat()} inscrite deux fois.", suggestion="gardez une seule entrée"))
            continue
        sessions.append(session)
    return Register(tuple(sessions)), problems


def _mapping_value(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key), None)


def _session(node, line: int, today: date) -> tuple[Session | None, list[Problem]]:
    if not isinstance(node, yaml.MappingNode):
        return None, [_problem(line, "chaque séance est une liste « date », « instance », « reference ».")]
    values = {}
    for name, value in node.value:
        key = name.value if isinstance(name, yaml.ScalarNode) else None
        if key not in _KEYS:
            return None, [_problem(name.start_mark.line + 1, f"clé inconnue {quote(key)} dans une séance.", expected="date, instance, reference")]
        values[key] = value.value.strip() if isinstance(value, yaml.ScalarNode) and isinstance(value.value, str) else ""
    missing = [key for key in _KEYS if not values.get(key)]
    if missing:
        return None, [_problem(line, f"séance incomplète : {', '.join(f'« {key} »' for key in missing)} manquant.",
                               expected="la date (AAAA-MM-JJ), l'instance et la référence de la décision ou du compte rendu")]
    day = parse_date(values["date"])
    if day is None:
        return None, [_problem(line, "date de séance invalide.", expected="AAAA-MM-JJ", found=quote(values["date"]))]
    if day > today:
        return None, [_problem(line, "une séance à venir ne peut pas être inscrite.", found=day.isoformat(),
                               suggestion="inscrivez la séance une fois tenue, avec la référence de son compte rendu")]
    return Session(day, values["instance"], values["reference"], line), []


def _problem(line: int | None, message: str, **details) -> Problem:
    return Problem(REGISTER_FILE, line, f"registre des validations : {message}", help=REGISTER_HELP, **details)


def unregistered_validation(source, register: Register, today: date) -> list[Problem]:
    """A sheet's « validation » names a session of the register, with the same instance."""
    validation = source.data.get("validation")
    if not isinstance(validation, dict) or source.data.get("statut") not in ("validee", "archivee"):
        return []  # on another status, the validator asks to remove the field
    day = parse_date(validation.get("seance"))
    if day is None or day > today:
        return []  # the field's own checks say what is wrong
    line = source.line_of(("validation", "seance"))
    sessions = register.on(day)
    if not sessions:
        return [
            Problem(
                source.rel_path,
                line,
                field="validation.seance",
                message=f"la séance du {day.isoformat()} n'est pas inscrite au registre des validations ({REGISTER_FILE}).",
                expected="une séance que le secrétariat du HCTS a inscrite au registre",
                suggestion="seul le secrétariat du HCTS inscrit une séance au registre, avec la référence de sa décision ; "
                "d'ici là, gardez le statut « soumise » et retirez le champ « validation »",
                help=REGISTER_HELP,
            )
        ]
    instance = validation.get("instance")
    if isinstance(instance, str) and all(fold(" ".join(instance.split())) != fold(s.instance) for s in sessions):
        return [
            Problem(
                source.rel_path,
                source.line_of(("validation", "instance")),
                field="validation.instance",
                message=f"l'instance ne correspond pas à celle de la séance du {day.isoformat()} au registre.",
                expected=" ou ".join(quote(s.instance) for s in sessions),
                found=quote(instance),
                suggestion="recopiez l'instance telle qu'elle est inscrite au registre",
                help=REGISTER_HELP,
            )
        ]
    return []


# --- The page of the site that lists the register -----------------------------------

VALIDATIONS_PAGE = "validations/index.md"
VALIDATIONS_TITLE = "Séances de validation du HCTS"
VALIDATIONS_INTRO = (
    "Une fiche porte le statut « Validée par le HCTS » seulement pour une séance inscrite "
    "dans le registre des validations, tenu par le secrétariat du Haut Conseil du travail social. "
    "Voici ces séances, de la plus récente à la plus ancienne, avec les fiches qu'elles ont validées."
)


@dataclass(frozen=True)
class SessionEntry:
    session: Session
    sheets: tuple  # the published sheets validated at this session (corpus.Sheet)


def session_entries(register: Register, sheets) -> list[SessionEntry]:
    """Each session, newest first, with the sheets whose validation names it."""
    entries = []
    for session in sorted(register.sessions, key=lambda s: (s.day, s.instance), reverse=True):
        validated = tuple(
            sheet for sheet in sheets
            if sheet.validation is not None and sheet.validation.session == session.day
            and fold(" ".join(sheet.validation.body.split())) == fold(session.instance)
        )
        entries.append(SessionEntry(session, validated))
    return entries


def validations_markdown() -> str:
    return f"# {VALIDATIONS_TITLE}\n\n{VALIDATIONS_INTRO}\n"
