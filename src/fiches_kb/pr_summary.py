"""The summary of a pull request's sheets, for the job summary of the check.

`changed_sheets` asks git which content files (sheets and training modules)
changed since the branch left its base; `summary_markdown` writes, in French
Markdown, one row per sheet (its file, id and title, status, and what the
check found), then one per training module (its file, title and what the
check found). The workflow
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
    """Content files (sheets, training modules) changed between the merge base of `base` and HEAD."""
    folders = [content_type.folder for content_type in schema.types.values()]
    modules = schema.modules.folder if schema.modules is not None else None
    try:
        result = subprocess.run(
            ["git", "diff", "--name-status", "--find-renames", f"{base}...HEAD", "--", *folders, *([modules] if modules else [])],
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
        is_sheet = path.endswith(".md") and Path(path).name not in ("MODELE.md", "README.md") and not _is_module(path, modules)
        if is_sheet or (_is_module(path, modules) and path.endswith(".yml")):
            sheets.append(ChangedSheet(path, _CHANGES.get(status[:1], "modifiée")))
    return sheets


def _is_module(path: str, folder: str | None) -> bool:
    return folder is not None and path.startswith(f"{folder}/")


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


def _check_cell(problems: list[Problem]) -> str:
    if not problems:
        return "✅ aucune erreur"
    shown = " ; ".join(_cell(f"ligne {p.line} : {p.headline().split(' : erreur : ', 1)[-1]}" if p.line else p.headline()) for p in problems[:MAX_MESSAGES])
    more = f" ; et {len(problems) - MAX_MESSAGES} autre(s)" if len(problems) > MAX_MESSAGES else ""
    return f"❌ {len(problems)} erreur{'s' if len(problems) > 1 else ''} : {shown}{more}"


def summary_markdown(changed: list[ChangedSheet], corpus: Corpus, base: str, conflicts: list[Problem] = ()) -> str:
    lines = ["## Fiches de cette demande de modification", ""]
    for problem in conflicts:
        lines += [f"❌ {_cell(problem.headline())} {_cell(problem.suggestion or '')}", ""]
    modules = [item for item in changed if item.rel_path.endswith(".yml")]
    changed = [item for item in changed if not item.rel_path.endswith(".yml")]

    def errors(rel_path: str) -> list[Problem]:
        return [p for p in [*corpus.problems, *conflicts] if p.path == rel_path and p.is_error]

    if not changed:
        lines += [f"Aucune fiche ajoutée ni modifiée par rapport à « {base} ».", ""]
    else:
        by_path = {sheet.src_uri: sheet for sheet in corpus.sheets}
        lines += ["| Fichier | Fiche | Statut | Vérification |", "| --- | --- | --- | --- |"]
        for item in changed:
            if item.change == "supprimée":
                lines.append(f"| `{_cell(item.rel_path)}` (supprimée) | | | |")
                continue
            sheet = by_path.get(item.rel_path)
            name = f"{sheet.id} — {_cell(sheet.title)}" if sheet else "—"
            status = sheet.status.label if sheet else "—"
            lines.append(f"| `{_cell(item.rel_path)}` ({item.change}) | {name} | {status} | {_check_cell(errors(item.rel_path))} |")
        lines.append("")
    if modules:
        by_file = {module.rel_path: module for module in corpus.modules}
        lines += ["## Parcours de formation de cette demande", "", "| Fichier | Parcours | Vérification |", "| --- | --- | --- |"]
        for item in modules:
            if item.change == "supprimée":
                lines.append(f"| `{_cell(item.rel_path)}` (supprimé) | | |")
                continue
            module = by_file.get(item.rel_path)
            name = _cell(module.title) if module else "—"
            change = item.change.removesuffix("e")  # « un parcours modifié »: _CHANGES' words, in the masculine
            lines.append(f"| `{_cell(item.rel_path)}` ({change}) | {name} | {_check_cell(errors(item.rel_path))} |")
        lines.append("")
    return "\n".join(lines)
