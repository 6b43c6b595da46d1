"""The summary of a pull request's sheets, for the job summary of the check.

`changed_sheets` asks git which content files changed since the branch left
its base; `summary_markdown` writes, in French Markdown, one row per sheet:
its file, id and title, status, and what the check found. The workflow
appends it to $GITHUB_STEP_SUMMARY (`fiches bilan`). Nothing here imports
MkDocs.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .problems import Problem
from .schema import Schema

MAX_MESSAGES = 3  # problems quoted per sheet; the annotations on the lines show them all


class GitError(Exception):
    """git could not say what changed; the message is French."""


@dataclass(frozen=True)
class ChangedSheet:
    rel_path: str
    change: str  # "ajoutée", "modifiée", "renommée", "supprimée"


_CHANGES = {"A": "ajoutée", "M": "modifiée", "R": "renommée", "C": "copiée", "D": "supprimée", "T": "modifiée"}


def changed_sheets(root: Path, base: str, schema: Schema) -> list[ChangedSheet]:
    """Content files changed between the merge base of `base` and HEAD."""
    folders = [content_type.folder for content_type in schema.types.values()]
    try:
        result = subprocess.run(
            ["git", "diff", "--name-status", "--find-renames", f"{base}...HEAD", "--", *folders],
            cwd=root, capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git n'a pas pu comparer avec « {base} » ({error}).") from None
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or ["sans message"])[-1]
        raise GitError(f"git n'a pas pu comparer avec « {base} » : {said}")
    sheets = []
    for line in result.stdout.splitlines():
        status, *paths = line.split("\t")
        path = paths[-1]
        if path.endswith(".md") and Path(path).name not in ("MODELE.md", "README.md"):
            sheets.append(ChangedSheet(path, _CHANGES.get(status[:1], "modifiée")))
    return sheets


def base_ids(root: Path, base: str, schema: Schema) -> dict[str, str]:
    """id -> file of every sheet of the base branch (git grep: no checkout needed)."""
    folders = [content_type.folder for content_type in schema.types.values()]
    try:
        result = subprocess.run(
            ["git", "grep", "-I", "-E", "^id: *[A-Z]+-[0-9]+ *$", base, "--", *folders],
            cwd=root, capture_output=True, text=True, timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git n'a pas pu lire les identifiants de « {base} » ({error}).") from None
    if result.returncode not in (0, 1):  # 1: no match
        said = (result.stderr.strip().splitlines() or ["sans message"])[-1]
        raise GitError(f"git n'a pas pu lire les identifiants de « {base} » : {said}")
    ids: dict[str, str] = {}
    for line in result.stdout.splitlines():
        # "<base>:<path>:id: FP-012"
        location, _, value = line.rpartition(":id:")
        path = location[len(base) + 1 :] if location.startswith(f"{base}:") else location
        ids.setdefault(value.strip(), path)
    return ids


def id_conflicts(changed: list[ChangedSheet], corpus: Corpus, taken: dict[str, str]) -> list[Problem]:
    """A sheet this request adds or changes whose id another file of the base branch already has:
    two requests opened at the same time can take the same next free id."""
    by_path = {sheet.src_uri: sheet for sheet in corpus.sheets}
    problems = []
    for item in changed:
        sheet = by_path.get(item.rel_path)
        if sheet is None or item.change == "supprimée":
            continue
        other = taken.get(sheet.id)
        if other is not None and other != item.rel_path:
            problems.append(
                Problem(
                    item.rel_path,
                    _id_line(sheet.path),
                    f"l'identifiant {sheet.id} est déjà pris sur la branche de destination, par {other}.",
                    field="id",
                    expected="un identifiant libre sur la branche de destination",
                    suggestion="mettez votre branche à jour, puis prenez l'identifiant libre suivant (« fiches nouvelle » le trouve)",
                )
            )
    return problems


def _id_line(path: Path) -> int | None:
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    return next((number for number, line in enumerate(lines, 1) if line.startswith("id:")), None)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def summary_markdown(changed: list[ChangedSheet], corpus: Corpus, base: str, conflicts: list[Problem] = ()) -> str:
    lines = ["## Fiches de cette demande de modification", ""]
    for problem in conflicts:
        lines += [f"❌ {_cell(problem.headline())} {_cell(problem.suggestion or '')}", ""]
    if not changed:
        return "\n".join([*lines, f"Aucune fiche ajoutée ni modifiée par rapport à « {base} ».", ""])
    by_path = {sheet.src_uri: sheet for sheet in corpus.sheets}
    lines += ["| Fichier | Fiche | Statut | Vérification |", "| --- | --- | --- | --- |"]
    for item in changed:
        if item.change == "supprimée":
            lines.append(f"| `{_cell(item.rel_path)}` (supprimée) | | | |")
            continue
        problems = [p for p in [*corpus.problems, *conflicts] if p.path == item.rel_path and p.is_error]
        sheet = by_path.get(item.rel_path)
        name = f"{sheet.id} — {_cell(sheet.title)}" if sheet else "—"
        status = sheet.status.label if sheet else "—"
        if problems:
            shown = " ; ".join(_cell(f"ligne {p.line} : {p.headline().split(' : erreur : ', 1)[-1]}" if p.line else p.headline()) for p in problems[:MAX_MESSAGES])
            more = f" ; et {len(problems) - MAX_MESSAGES} autre(s)" if len(problems) > MAX_MESSAGES else ""
            check = f"❌ {len(problems)} erreur{'s' if len(problems) > 1 else ''} : {shown}{more}"
        else:
            check = "✅ aucune erreur"
        lines.append(f"| `{_cell(item.rel_path)}` ({item.change}) | {name} | {status} | {check} |")
    return "\n".join([*lines, ""])
