"""The `fiches` command: check content and scaffold new sheets, without MkDocs.

It calls exactly the functions the MkDocs hooks call.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from .corpus import CheckInterrupted, content_files, load_corpus, next_free_id
from .frontmatter import read_source
from .parcours import module_files, module_scaffold
from .schema import MODULE_KEY
from .problems import Problem, print_github_annotations, summary
from .check_cache import CheckCache
from .rules.rendering import load_markdown_settings
from .schema import SCHEMA_FILE, SchemaError, load_schema
from .text import slugify


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # prefix "" (a sub-command's prog, built from its parent's usage) stays empty.
        return super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)


# argparse's error messages (Python 3.11 to 3.13), in French. Unknown ones
# (a later Python) are shown as argparse wrote them.
_ARGPARSE_ERRORS = [
    (re.compile(r"the following arguments are required: (.*)"), r"arguments obligatoires manquants : \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"arguments inconnus : \1"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"« \1 » : \2 n'existe pas (possibles : \3)"),
    (re.compile(r"argument (\S+): expected one argument"), r"« \1 » : une valeur est attendue"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"« \1 » : valeur inattendue \2"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"option ambiguë : \1 peut désigner \2"),
]


def french_argparse_error(message: str) -> str:
    for pattern, french in _ARGPARSE_ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(french, message)
    return message


class FrenchArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"fiches : commande mal formée ({french_argparse_error(message)}). Voir « fiches --help ».\n")


def find_root(start: Path) -> Path | None:
    """Like git: the nearest folder, upwards, that holds mkdocs.yml."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return None


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print_github_annotations(problems)


def open_repository() -> tuple[Path | None, object, int]:
    """The repository around the current folder and its schema, or the exit code
    after a French message (2: not in a repository, 1: broken referentiel.yml)."""
    root = find_root(Path.cwd())
    if root is None:
        print("fiches : aucun fichier mkdocs.yml ici ni dans les dossiers parents ; placez-vous dans le dépôt.", file=sys.stderr)
        return None, None, 2
    try:
        return root, load_schema(root), 0
    except SchemaError as error:
        print_problems(error.problems)
        return root, None, 1


def command_check(args: argparse.Namespace) -> int:
    root, schema, exit_code = open_repository()
    if schema is None:
        return exit_code
    only = None
    if args.paths:
        only = set()
        # absolute(), not resolve(): a symbolic link is named as itself, never by its target.
        known = {Path(os.path.normpath(path.absolute())) for path, _ in content_files(root, schema)}
        known |= {Path(os.path.normpath(path.absolute())) for path in module_files(root, schema)}
        for name in args.paths:
            path = Path(os.path.normpath(Path(name).absolute()))
            if path.is_dir():
                only |= {p for p in known if p.is_relative_to(path)}
            elif path in known:
                only.add(path)
            else:
                folders = ", ".join(f"{t.folder}/" for t in schema.types.values())
                print(f"fiches : « {name} » n'est pas une fiche du dépôt (les fiches sont dans {folders}).", file=sys.stderr)
                return 2
    try:
        today = date.today()
        cache = None
        if not args.sans_cache:
            settings = load_markdown_settings(root)
            cache = CheckCache.for_check(root, (root / SCHEMA_FILE).read_bytes(), settings.fingerprint, today, True)
        corpus = load_corpus(root, schema, today=today, only=only, workers=None, build_sheets=False, cache=cache)
    except CheckInterrupted as error:
        print(f"fiches : {error}", file=sys.stderr)
        return 1
    print_problems(corpus.problems)
    stream = sys.stderr if corpus.errors else sys.stdout
    print(summary(corpus.problems, corpus.checked_files), file=stream)
    return 1 if corpus.errors else 0


def command_summary(args: argparse.Namespace) -> int:
    from .pr_summary import GitError, base_ids, changed_sheets, id_conflicts, summary_markdown

    root, schema, exit_code = open_repository()
    if schema is None:
        return exit_code
    try:
        changed = changed_sheets(root, args.depuis, schema)
        taken = base_ids(root, args.depuis, schema)
    except GitError as error:
        print(f"fiches : {error}", file=sys.stderr)
        return 2
    corpus = load_corpus(root, schema, today=date.today(), workers=None)
    conflicts = id_conflicts(changed, corpus, taken)
    print(summary_markdown(changed, corpus, args.depuis, conflicts))
    if conflicts:
        print_problems(conflicts)  # on stderr, and as annotations under GitHub Actions
        return 1
    return 0


def command_forms(args: argparse.Namespace) -> int:
    from .issue_forms import FORMS_DIR, write_forms

    root, schema, exit_code = open_repository()
    if schema is None:
        return exit_code
    written = write_forms(root, schema)
    for path in written:
        print(f"Écrit : {path.relative_to(root)}")
    if not written:
        print(f"Formulaires déjà à jour ({FORMS_DIR.as_posix()}/).")
    return 0


def command_links(args: argparse.Namespace) -> int:
    from .external_links import check_links, external_links, markdown_report, text_report

    root, schema, exit_code = open_repository()
    if schema is None:
        return exit_code
    only = {Path(os.path.normpath(Path(name).absolute())) for name in args.paths} if args.paths else None
    links = external_links(root, schema, only)
    print(f"Vérification de {len(links)} lien{'s' if len(links) > 1 else ''} externe{'s' if len(links) > 1 else ''}…", file=sys.stderr)
    report = check_links(links, timeout=args.delai, workers=args.simultanes)
    print(text_report(report), file=sys.stderr if report.no_network else sys.stdout)
    if args.rapport:
        Path(args.rapport).write_text(markdown_report(report), encoding="utf-8")
    return report.exit_code


def command_new(args: argparse.Namespace) -> int:
    root, schema, exit_code = open_repository()
    if schema is None:
        return exit_code
    if args.type == MODULE_KEY and schema.modules is not None:
        return new_module(root, schema, args.titre)
    content_type = schema.types.get(args.type)
    if content_type is None:
        kinds = [*schema.types, *([MODULE_KEY] if schema.modules is not None else [])]
        print(f"fiches : type « {args.type} » inconnu (types possibles : {', '.join(kinds)}).", file=sys.stderr)
        return 2
    title = " ".join(args.titre.split())
    slug = slugify(title)
    if not slug:
        print("fiches : le titre doit contenir des lettres.", file=sys.stderr)
        return 2
    path = root / content_type.folder / f"{slug}.md"
    if path.exists():
        print(f"fiches : {path.relative_to(root)} existe déjà ; choisissez un autre titre.", file=sys.stderr)
        return 1
    used = set()
    for existing, _ in content_files(root, schema):
        source, _ = read_source(existing, existing.name)
        if source is not None and isinstance(source.data.get("id"), str):
            used.add(source.data["id"])
    identifier = next_free_id(used, content_type.id_prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(schema, content_type.key, identifier, title, date.today()), encoding="utf-8")
    print(f"Créé : {path.relative_to(root)} (identifiant {identifier}, statut « brouillon »).")
    print("Complétez l'en-tête et les sections, puis lancez « fiches check ».")
    return 0


def new_module(root: Path, schema, title: str) -> int:
    """`fiches nouvelle parcours "Titre"`: parcours/<titre>.yml, every field filled from referentiel.yml's examples."""
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        print("fiches : le titre doit contenir des lettres.", file=sys.stderr)
        return 2
    path = root / schema.modules.folder / f"{slug}.yml"
    if path.exists():
        print(f"fiches : {path.relative_to(root)} existe déjà ; choisissez un autre titre.", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(module_scaffold(schema, title), encoding="utf-8")
    print(f"Créé : {path.relative_to(root)}.")
    print("Complétez la description, le public et la liste des fiches, puis lancez « fiches check ».")
    return 0


def scaffold(schema, type_key: str, identifier: str, title: str, today: date) -> str:
    """A new sheet with every field of the type, filled from the schema's examples."""
    import yaml

    content_type = schema.types[type_key]
    values = {
        "id": identifier,
        "titre": title,
        "resume": "À compléter : une ou deux phrases qui disent à qui la fiche sert et ce qu'elle apporte.",
        "essentiel": [
            "À compléter : la première chose à faire, en une ligne.",
            "À compléter : la deuxième chose à faire.",
            "À compléter : la troisième chose à faire.",
        ],
        "auteurs": ["À compléter : la structure ou le groupe de travail qui rédige la fiche"],
        "sources": [
            {
                "titre": "À compléter : éditeur, titre du document que vous avez lu",
                "lien": "https://www.example.gouv.fr/document",
                "date": today.year,
            }
        ],
        "statut": "brouillon",
        "date_creation": today.isoformat(),
        "date_mise_a_jour": today.isoformat(),
        "prochaine_relecture": (today + timedelta(days=182)).isoformat(),
    }
    skipped = {"validation", "remplacee_par", "liees", "consultations"}  # never a consultation that did not happen
    header = {}
    for name, spec in schema.fields_for(type_key).items():
        if name in skipped:
            continue
        header[name] = values.get(name, spec.example)
    text = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    # Dates are strings for the validator; written unquoted they read as people expect.
    text = re.sub(r"'(\d{4}-\d{2}-\d{2})'", r"\1", text)
    sections = "\n".join(f"## {section}\n\nÀ compléter.\n" for section in content_type.sections)
    return f"---\n{text}---\n\n{sections}"


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="fiches",
        description="Outils de la base de connaissances : vérifier les fiches et leurs liens, en créer de nouvelles.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    commands.required = True
    check = commands.add_parser(
        "check",
        help="vérifier les fiches (toutes, ou seulement celles indiquées)",
        description="Vérifie l'en-tête et le texte des fiches sans construire le site. "
        "Les résultats des fichiers inchangés sont gardés d'une fois sur l'autre "
        "(dans le cache de l'utilisateur, ou le dossier FICHES_CACHE). "
        "Code de sortie 0 si tout est valide, 1 s'il y a au moins une erreur.",
    )
    check.add_argument("paths", nargs="*", metavar="CHEMIN", help="fichier ou dossier à vérifier (par défaut : tout le dépôt)")
    check.add_argument(
        "--sans-cache",
        action="store_true",
        help="tout vérifier à nouveau, sans reprendre les résultats gardés des fichiers inchangés",
    )
    check.set_defaults(run=command_check)
    report = commands.add_parser(
        "bilan",
        help="résumer les fiches ajoutées ou modifiées depuis une branche (pour une demande de modification)",
        description="Écrit en Markdown, pour le résumé d'une vérification (GITHUB_STEP_SUMMARY), la liste des fiches "
        "ajoutées, modifiées ou supprimées depuis la branche indiquée, avec leur statut et les erreurs trouvées, "
        "puis celle des parcours de formation ajoutés ou modifiés. "
        "Code de sortie 1 si une de ces fiches prend un identifiant déjà pris sur cette branche.",
    )
    report.add_argument("--depuis", required=True, metavar="BRANCHE", help="la branche de départ, par exemple origin/main")
    report.set_defaults(run=command_summary)
    issue_forms = commands.add_parser(
        "formulaires",
        help="écrire les formulaires de tickets GitHub à partir de referentiel.yml",
        description="Écrit les formulaires de .github/ISSUE_TEMPLATE/ (proposer une fiche, une pratique, signaler "
        "une erreur), dont les listes de thèmes et de publics viennent de referentiel.yml. À relancer après "
        "chaque modification de ces listes.",
    )
    issue_forms.set_defaults(run=command_forms)
    links = commands.add_parser(
        "liens",
        help="vérifier que les liens externes des fiches publiées répondent encore (demande le réseau)",
        description="Demande chaque adresse https des fiches publiées (champs « lien » et « site », liens du texte) "
        "et signale les liens morts avec la fiche, la ligne et l'adresse, et les adresses redirigées "
        "définitivement. Code de sortie 0 si tous les liens répondent, 1 s'il y a au moins un lien mort, "
        "3 sans réseau (aucune adresse n'a pu être jointe : rien n'a été vérifié).",
    )
    links.add_argument("paths", nargs="*", metavar="FICHIER", help="fiche à vérifier (par défaut : toutes les fiches publiées)")
    links.add_argument("--delai", type=float, default=15.0, metavar="SECONDES", help="temps d'attente maximal par adresse (par défaut : 15)")
    links.add_argument("--simultanes", type=int, default=8, metavar="N", help="nombre d'adresses demandées en même temps (par défaut : 8)")
    links.add_argument("--rapport", metavar="FICHIER", help="écrire aussi le résultat en Markdown dans ce fichier (pour un ticket ou un résumé)")
    links.set_defaults(run=command_links)
    new = commands.add_parser(
        "nouvelle",
        help="créer une fiche à partir du modèle",
        description="Crée le fichier d'une nouvelle fiche, au statut « brouillon », avec un identifiant libre.",
    )
    new.add_argument("type", help="type de contenu, tel que défini dans referentiel.yml (fiche ou pratique), ou parcours")
    new.add_argument("titre", help="titre de la fiche, entre guillemets")
    new.set_defaults(run=command_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
