"""Problems found in content, and how they are shown to contributors.

Every check in the project returns `Problem` objects instead of raising, so a
run can collect all of them and fail once. The text is French because the
people who read it write the sheets.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None
    help: str | None = None
    severity: Severity = dataclasses.field(default=Severity.ERROR, compare=False)
    rule: str | None = dataclasses.field(default=None, compare=False)  # id of the content rule, if any

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def headline(self) -> str:
        """One line: where, which field, what is wrong."""
        subject = f"champ « {self.field} » : " if self.field else ""
        return f"{self.location()} : {self.severity.value} : {subject}{self.message}"

    def details(self) -> list[tuple[str, str]]:
        rows = [
            ("attendu", self.expected),
            ("trouvé", self.found),
            ("suggestion", self.suggestion),
            ("aide", self.help),
        ]
        return [(label, text) for label, text in rows if text]

    def format(self) -> str:
        lines = [self.headline()]
        lines += [f"    {label} : {text}" for label, text in self.details()]
        return "\n".join(lines)

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the PR diff."""
        level = "error" if self.is_error else "warning"
        props = f"file={_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line}"
        title = f"Champ « {self.field} »" if self.field else f"Règle « {self.rule} »" if self.rule else "Contenu"
        props += f",title={_escape_property(title)}"
        body = self.message
        for label, text in self.details():
            body += f"\n{label} : {text}"
        return f"::{level} {props}::{_escape_data(body)}"


def print_github_annotations(problems: list[Problem], environ=None) -> None:
    """Under GitHub Actions, print the problems as workflow commands too, so
    they show on the lines of the pull request."""
    if (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation())


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


def summary(problems: list[Problem], checked_files: int) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    files_with_errors = len({p.path for p in errors})
    if not errors:
        text = f"{checked_files} fichier{'s' if checked_files > 1 else ''} vérifié{'s' if checked_files > 1 else ''}, aucune erreur"
    else:
        text = (
            f"{len(errors)} erreur{'s' if len(errors) > 1 else ''} dans "
            f"{files_with_errors} fichier{'s' if files_with_errors > 1 else ''} "
            f"(sur {checked_files} vérifié{'s' if checked_files > 1 else ''})"
        )
    if warnings:
        text += f", {len(warnings)} avertissement{'s' if len(warnings) > 1 else ''}"
    return text + "."
