"""Renamed sheets keep their old addresses (anciennes-adresses.yml).

A sheet's page address comes from its file name: renaming or moving
`fiches/ecran-dans-entretien.md` would make `/fiches/ecran-dans-entretien/`
a dead link. Every old file name of a published sheet is recorded in
`anciennes-adresses.yml` (old path: id), and the build makes each one a
redirect page to the sheet (hooks/permanent_urls.py).

Contributors cannot forget a line: `unrecorded_renames` reads, in git, every
sheet file that was deleted (committed, staged, or only in the working
tree) and whose identifier now belongs to a sheet at another path, and
reports the missing line on that sheet, with the exact line to add. Why git
history rather than the published catalogue: decision record
docs-dev/decisions/0005-old-addresses-from-git-history.md. Without git or
without history (a downloaded archive), the check is skipped; a shallow
clone is checked as far as its history goes, with a notice.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import SourceFile, decode_text, parse_text, read_data_file
from .problems import Problem, Severity
from .schema import Schema
from .text import closest, quote
from .validate import ID_PATTERN

OLD_ADDRESSES_FILE = "anciennes-adresses.yml"
OLD_ADDRESSES_HELP = "pages/contribuer/guide.md#renommer"
NOT_SHEETS = ("index.md", "README.md", "MODELE.md")  # their address is a listing page, or they are no sheet
GIT_TIMEOUT = 60  # seconds; a local git answers in milliseconds


@dataclass(frozen=True)
class OldAddress:
    path: str  # the sheet's former file, e.g. "fiches/ecran-dans-entretien.md"
    id: str
    line: int  # in anciennes-adresses.yml

    @property
    def url(self) -> str:
        """The page address that file had, « fiches/ecran-dans-entretien/ »."""
        return page_url(self.path)


def page_url(path: str) -> str:
    """The directory URL MkDocs gives a Markdown file (use_directory_urls)."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def load_old_addresses(root: Path, schema: Schema, current: dict[str, SourceFile]) -> tuple[list[OldAddress], list[Problem]]:
    """The old addresses of anciennes-adresses.yml, checked against the
    current sheets (`current`: the parsed sheets by identifier)."""
    path = root / OLD_ADDRESSES_FILE
    if not path.exists() and not path.is_symlink():
        return [], []
    source, problems = read_data_file(path, OLD_ADDRESSES_FILE)
    if source is None:
        return [], problems
    folders = tuple(f"{t.folder}/" for t in schema.types.values())
    current_paths = {s.rel_path for s in current.values()}
    addresses = []
    for old_path, identifier in source.data.items():
        line = source.line_of((old_path,))
        where = f"ancienne adresse {quote(old_path)}"
        if not isinstance(old_path, str) or not old_path.startswith(folders) or not old_path.endswith(".md") or "/../" in old_path \
                or posixpath.basename(old_path) in NOT_SHEETS:
            problems.append(_problem(line, f"{where} : ce n'est pas le chemin d'une fiche.",
                                     expected="le chemin de l'ancien fichier, par exemple « fiches/ecran-dans-entretien.md »"))
            continue
        if not isinstance(identifier, str) or not ID_PATTERN.match(identifier):
            problems.append(_problem(line, f"{where} : l'identifiant de la fiche est attendu après « : ».",
                                     expected="par exemple « fiches/ecran-dans-entretien.md: FP-008 »", found=quote(identifier)))
            continue
        if identifier not in current:
            guess = closest(identifier, list(current))
            problems.append(_problem(line, f"{where} : aucune fiche ne porte l'identifiant {quote(identifier)}.",
                                     suggestion=f"vouliez-vous dire « {guess} » ?" if guess else "vérifiez l'identifiant dans l'en-tête de la fiche"))
            continue
        if old_path in current_paths:
            problems.append(_problem(line, f"{where} : ce fichier est de nouveau une fiche, son adresse mène à cette fiche.",
                                     suggestion="retirez cette ligne"))
            continue
        addresses.append(OldAddress(old_path, identifier, line))
    return addresses, problems


def _problem(line: int | None, message: str, **details) -> Problem:
    return Problem(OLD_ADDRESSES_FILE, line, message, help=OLD_ADDRESSES_HELP, **details)


@dataclass(frozen=True)
class RenameCheck:
    problems: list[Problem]
    notice: str | None = None  # said once, not an error (a shallow clone)


SHALLOW_NOTICE = (
    "Historique git incomplet (clone superficiel) : les renommages de fiches plus anciens que "
    "cet historique ne sont pas vérifiés. Pour tout vérifier : git fetch --unshallow "
    "(avec actions/checkout : fetch-depth: 0)."
)


def unrecorded_renames(
    root: Path, schema: Schema, current: dict[str, SourceFile], recorded: list[OldAddress]
) -> RenameCheck:
    """Every former file of a published sheet, found in git, that has no line in anciennes-adresses.yml.

    A former file is a sheet file deleted in a commit, or deleted (renamed,
    moved) in the working tree or the index, whose identifier belongs today
    to a sheet at another path. Its content is read from git as it was just
    before the deletion; a draft (never published) needs no line.
    """
    folders = [t.folder for t in schema.types.values()]
    git = _Git(root)
    available, shallow = git.state()
    if not available:
        return RenameCheck([])
    deleted: dict[str, str] = {}  # path -> object name of its last content ("<rev>:./<path>")
    for path in git.lines("diff", "--no-renames", "--diff-filter=D", "--name-only", "--relative", "HEAD", "--", *folders):
        deleted.setdefault(path, f"HEAD:./{path}")
    revision = None
    for line in git.lines("log", "--no-renames", "--diff-filter=D", "--name-only", "--relative", "--format=%x00%H", "--", *folders):
        if line.startswith("\0"):
            revision = line[1:]
        elif line and revision:
            deleted.setdefault(line, f"{revision}^:./{line}")  # newest deletion first
    known_paths = {s.rel_path for s in current.values()} | {a.path for a in recorded}
    candidates = {
        p: name for p, name in deleted.items()
        if p.endswith(".md") and posixpath.basename(p) not in NOT_SHEETS and p not in known_paths
    }
    published = {key for key, term in schema.statuses.items() if term.published}
    problems = []
    for old_path, raw in git.contents(candidates).items():
        text, _ = decode_text(raw, old_path)
        old, _ = parse_text(text, root / old_path, old_path) if text is not None else (None, [])
        if old is None:
            continue
        identifier, status = old.data.get("id"), old.data.get("statut")
        sheet = current.get(identifier) if isinstance(identifier, str) else None
        if sheet is None or status not in published:
            continue  # deleted for good, or never published
        problems.append(
            Problem(
                sheet.rel_path,
                sheet.line_of(("id",)),
                f"cette fiche s'appelait « {old_path} » : son ancienne adresse « /{page_url(old_path)} » "
                f"ne mènerait plus nulle part (des formations et des documents y renvoient peut-être).",
                field="id",
                expected=f"chaque ancien nom d'une fiche publiée inscrit dans {OLD_ADDRESSES_FILE}, "
                "qui en fait une redirection vers la fiche",
                suggestion=f"ajoutez à {OLD_ADDRESSES_FILE} (à la racine du dépôt) la ligne : {old_path}: {identifier}",
                help=OLD_ADDRESSES_HELP,
            )
        )
    return RenameCheck(problems, SHALLOW_NOTICE if shallow else None)


def check_old_addresses(root: Path, schema: Schema, seen_ids: dict[str, list[SourceFile]]) -> tuple[list[OldAddress], list[Problem]]:
    """The recorded old addresses, and every problem: a wrong line, a rename
    without its line, and (a warning) a history too short to tell."""
    current = {identifier: sources[0] for identifier, sources in seen_ids.items()}
    addresses, problems = load_old_addresses(root, schema, current)
    check = unrecorded_renames(root, schema, current, addresses)
    problems += check.problems
    if check.notice:
        problems.append(Problem(OLD_ADDRESSES_FILE, None, check.notice, severity=Severity.WARNING, help=OLD_ADDRESSES_HELP))
    return addresses, problems


class _Git:
    """git in root, quiet: any failure reads as « nothing found »."""

    def __init__(self, root: Path):
        self.root = root

    def _run(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        try:
            result = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args],
                cwd=self.root, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout if result.returncode == 0 else None

    def state(self) -> tuple[bool, bool]:
        """(a repository with a commit, a shallow clone), in one git command."""
        output = self._run("rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD")
        return output is not None, bool(output) and output.split()[0] == b"true"

    def lines(self, *args: str) -> list[str]:
        output = self._run(*args)
        return output.decode("utf-8", "replace").splitlines() if output else []

    def contents(self, names: dict[str, str]) -> dict[str, bytes]:
        """The content of each object (path -> "<rev>:./<path>"), in one `git cat-file --batch`."""
        if not names:
            return {}
        paths = list(names)
        output = self._run("cat-file", "--batch", stdin="".join(f"{names[p]}\n" for p in paths).encode())
        found: dict[str, bytes] = {}
        position = 0
        for path in paths:
            if output is None:
                break
            end = output.index(b"\n", position)
            header = output[position:end].split()
            position = end + 1
            if len(header) != 3 or header[1] != b"blob":
                continue  # "<name> missing": beyond a shallow clone's history
            size = int(header[2])
            found[path] = output[position : position + size]
            position += size + 1
        return found
