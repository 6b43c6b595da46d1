"""Training modules (« parcours »): an ordered list of published sheets, for an audience.

One YAML file per module in the folder that referentiel.yml › parcours names
(`parcours/`), with the fields it defines (title, description, audience,
sheets each with an optional note). `load_modules` reads and checks them
like sheets: the same YAML reader with the line of every key, the same
field checks (`validate.FrontMatterValidator`, driven by the module fields
of referentiel.yml), the same safety rules on text; then, across files, an
unknown or unpublished sheet, a sheet listed twice, a title another module
has. The module pages' data is here too; the pages and booklets are made by
hooks/parcours_pages.py. Nothing here imports MkDocs.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .formatting import french_sort_key
from .frontmatter import SourceFile, read_data_file
from .problems import Problem, Severity
from .rules import check_front_matter_safety
from .schema import MODULE_KEY, ContentType, Schema, Term
from .text import closest, fold, quote, slugify
from .validate import FrontMatterValidator

MODULES_HELP = "pages/contribuer/guide.md#parcours"
MODULE_FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.yml$")
IGNORED_FILES = {"README.md"}
MODULES_FOLDER = "parcours"  # on the site: parcours/ and parcours/<slug>/
MODULES_PAGE = f"{MODULES_FOLDER}/index.md"
MODULES_TITLE = "Parcours de formation"


@dataclass(frozen=True)
class ModuleEntry:
    id: str
    note: str | None


@dataclass(frozen=True)
class Module:
    slug: str  # the file name without « .yml »: its page is parcours/<slug>/
    title: str
    description: str
    audience: Term
    entries: tuple[ModuleEntry, ...]
    rel_path: str

    @property
    def src_uri(self) -> str:
        return f"{MODULES_FOLDER}/{self.slug}.md"

    @property
    def url(self) -> str:
        return f"{MODULES_FOLDER}/{self.slug}/"


class ModuleValidator(FrontMatterValidator):
    """A module's fields, checked as a sheet's header is, against referentiel.yml › parcours › champs."""

    def __init__(self, source: SourceFile, schema: Schema, today: date):
        module_type = ContentType(MODULE_KEY, "Parcours", "Parcours", "", schema.modules.folder, "", ())
        super().__init__(source, dataclasses.replace(schema, fields=schema.modules.fields), module_type, today)

    def report(self, key_path, message, **details) -> None:
        details["help"] = MODULES_HELP
        super().report(key_path, message, **details)

    def check(self) -> list[Problem]:
        data = self.source.data
        fields = self.schema.fields
        self.check_keys(data, fields, ())
        for name, spec in fields.items():
            if name in data:
                self.check_value(data[name], spec, (name,))
        return self.problems


def module_files(root: Path, schema: Schema) -> list[Path]:
    if schema.modules is None:
        return []
    folder = root / schema.modules.folder
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.iterdir() if p.name not in IGNORED_FILES and not p.name.startswith("."))


def load_modules(
    root: Path, schema: Schema, sheets: dict[str, list[SourceFile]], today: date
) -> tuple[list[Module], list[Problem]]:
    """Every module of the folder, checked; `sheets`: the parsed sheets by identifier."""
    modules, problems = [], []
    published = {key for key, term in schema.statuses.items() if term.published}
    for path in module_files(root, schema):
        rel_path = path.relative_to(root).as_posix()
        if not MODULE_FILE_NAME.match(path.name):
            proposal = (slugify(path.name.rsplit(".", 1)[0]) or "mon-parcours") + ".yml"
            problems.append(Problem(
                rel_path, None, "nom de fichier de parcours non conforme.",
                expected="des minuscules sans accents, des chiffres et des tirets, terminé par « .yml »",
                found=quote(path.name), suggestion=f"renommez le fichier en « {proposal} »", help=MODULES_HELP,
            ))
            continue
        source, file_problems = read_data_file(path, rel_path)
        if source is None:
            problems += file_problems
            continue
        file_problems = ModuleValidator(source, schema, today).check() + check_front_matter_safety(source, schema)
        file_problems += _sheet_problems(source, sheets, published, schema)
        title = source.data.get("titre")
        same = next((m for m in modules if isinstance(title, str) and fold(" ".join(title.split())) == fold(m.title)), None)
        if same is not None:
            file_problems.append(Problem(
                rel_path, source.line_of(("titre",)), f"un autre parcours porte déjà ce titre ({same.rel_path}).",
                field="titre", suggestion="donnez à chaque parcours un titre qui le distingue", help=MODULES_HELP,
            ))
        problems += file_problems
        if not any(p.is_error for p in file_problems):
            modules.append(_module(source, schema, path.name.removesuffix(".yml")))
    return modules, problems


def _sheet_problems(source: SourceFile, sheets: dict[str, list[SourceFile]], published: set[str], schema: Schema) -> list[Problem]:
    """Each sheet of the module exists, is published, and is listed once."""
    entries = source.data.get("fiches")
    if not isinstance(entries, list):
        return []
    problems, seen = [], {}
    for index, entry in enumerate(entries):
        identifier = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(identifier, str) or schema.type_for_id(identifier) is None:
            continue  # the field checks say what is wrong
        line = source.line_of(("fiches", index, "id"))
        where = f"fiches[{index + 1}].id"

        def problem(message: str, severity: Severity = Severity.ERROR, **details) -> None:
            problems.append(Problem(source.rel_path, line, message, field=where, help=MODULES_HELP, severity=severity, **details))

        if identifier in seen:
            problem(f"la fiche {quote(identifier)} figure déjà dans le parcours (fiche n° {seen[identifier]}).",
                    suggestion="gardez-la une seule fois, à l'étape où elle sert le plus")
            continue
        seen[identifier] = index + 1
        found = sheets.get(identifier)
        if not found:
            guess = closest(identifier, list(sheets))
            problem(f"aucune fiche ne porte l'identifiant {quote(identifier)}.",
                    expected="l'identifiant d'une fiche ou d'une pratique publiée",
                    suggestion=f"vouliez-vous dire « {guess} » ?" if guess else "vérifiez l'identifiant dans l'en-tête de la fiche visée")
            continue
        sheet = found[0]
        status = sheet.data.get("statut")
        if status in schema.statuses and status not in published:
            problem(f"la fiche {quote(identifier)} ({sheet.rel_path}) n'est pas publiée (statut {quote(status)}).",
                    expected="une fiche publiée : seules les fiches publiées ont une page sur le site",
                    suggestion="retirez-la du parcours, ou attendez qu'elle soit publiée")
        elif status == "archivee":
            successor = sheet.data.get("remplacee_par")
            problem(f"la fiche {quote(identifier)} est archivée" + (f", remplacée par {quote(successor)}." if successor else "."),
                    Severity.WARNING, suggestion=f"mettez « {successor} » à sa place" if successor else None)
    return problems


def _module(source: SourceFile, schema: Schema, slug: str) -> Module:
    data = source.data
    return Module(
        slug=slug,
        title=" ".join(data["titre"].split()),
        description=" ".join(data["description"].split()),
        audience=schema.audiences[data["public"]],
        entries=tuple(
            ModuleEntry(entry["id"], " ".join(entry["note"].split()) if entry.get("note") else None)
            for entry in data["fiches"]
        ),
        rel_path=source.rel_path,
    )


def module_scaffold(schema: Schema, title: str) -> str:
    """A new module's file: the title given, the other fields from referentiel.yml's examples."""
    import yaml

    values = {"titre": title, "description": "À compléter : " + schema.modules.fields["description"].description}
    data = {name: values.get(name, spec.example) for name, spec in schema.modules.fields.items()}
    header = "# Un parcours de formation : voir « Proposer un parcours de formation » dans le guide du contributeur.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


# --- The pages of the site ---------------------------------------------------------


@dataclass(frozen=True)
class ModuleStep:
    sheet: object  # corpus.Sheet
    note: str | None


def module_pages(modules: list[Module]) -> dict[str, Module]:
    """Each module by the src_uri of its page."""
    return {module.src_uri: module for module in modules}


def sorted_modules(modules: list[Module]) -> list[Module]:
    return sorted(modules, key=lambda module: (french_sort_key(module.title), module.slug))


def module_steps(module: Module, by_id) -> list[ModuleStep]:
    """The module's sheets in order, with their notes (`by_id`: the sheets of this build by identifier)."""
    steps = [ModuleStep(by_id(entry.id), entry.note) for entry in module.entries]
    return [step for step in steps if step.sheet is not None]


MODULES_INTRO = (
    "Des fiches à lire dans l'ordre, rassemblées par des écoles et des formateurs pour un cours, "
    "une formation ou une journée d'équipe. Chaque parcours dit à qui il s'adresse et pourquoi lire "
    "chaque fiche à chaque étape. Pour proposer le vôtre, voyez le "
    "[guide du contributeur](../contribuer/guide.md#parcours)."
)


def modules_markdown() -> str:
    return f"# {MODULES_TITLE}\n\n{MODULES_INTRO}\n"
