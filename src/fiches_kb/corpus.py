"""Load every sheet of the repository, validate it, and tidy it for templates.

`load_corpus` is what both the `fiches` command and the MkDocs hooks call.
It never raises on bad content: problems are collected in `Corpus.problems`
and only valid files become `Sheet` objects.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import frontmatter
from .body import check_body
from .check_cache import CheckCache
from .formatting import french_partial_date
from .frontmatter import SourceFile, read_source
from .links import corpus_link_problems, render_and_check_body
from .problems import Problem, sort_problems
from .rules import check_body_safety, check_front_matter_safety, check_source_rules, renderer_for
from .rules.render_cost import render_cost_problems
from .schema import SCHEMA_FILE, ContentType, Schema, Term
from .situations import unknown_sheet_problems
from .text import closest, quote
from .validate import ID_PATTERN, PartialDate, parse_date, parse_partial_date, validate_front_matter
from .parcours import MODULES_PAGE, Module, load_modules
from .renames import OldAddress, check_old_addresses
from .validations import Register, load_register, unregistered_validation

REVIEW_SOON = timedelta(days=60)
IGNORED_FILES = {"MODELE.md", "README.md"}
# Below this many files, starting a worker process costs more than it saves.
PARALLEL_MIN_FILES = 500
MAX_WORKERS = 8


@dataclass(frozen=True)
class Source:
    title: str
    link: str | None = None
    date: PartialDate | None = None

    @property
    def date_label(self) -> str | None:
        """« 2024 », « mars 2024 » or « 12 mars 2024 »."""
        return french_partial_date(self.date.year, self.date.month, self.date.day) if self.date else None


@dataclass(frozen=True)
class Consultation:
    """A test of the sheet with the people concerned (« consultations »)."""

    day: date
    group: str
    changes: str


@dataclass(frozen=True)
class Validation:
    body: str
    session: date


@dataclass(frozen=True)
class Sheet:
    """A valid sheet, ready for templates: they only ask it simple questions."""

    id: str
    title: str
    summary: str
    type: ContentType
    status: Term
    themes: tuple[Term, ...]
    audiences: tuple[Term, ...]
    created: date
    updated: date
    next_review: date
    authors: tuple[str, ...]
    sources: tuple[Source, ...]
    related_ids: tuple[str, ...]
    validation: Validation | None
    replaced_by: str | None
    organisation: str | None
    territory: str | None
    period: str | None
    contact: dict[str, str] | None
    path: Path
    src_uri: str
    body_line: int
    today: date
    essentials: tuple[str, ...] = ()
    consultations: tuple[Consultation, ...] = ()
    old_sources_years: int = 5  # referentiel.yml › sources_anciennes_apres_ans

    @property
    def is_published(self) -> bool:
        return self.status.published

    @property
    def is_official(self) -> bool:
        return self.status.official

    @property
    def is_archived(self) -> bool:
        return self.status.key == "archivee"

    @property
    def review_is_overdue(self) -> bool:
        return self.next_review < self.today

    @property
    def review_is_due_soon(self) -> bool:
        return self.today <= self.next_review <= self.today + REVIEW_SOON

    @property
    def source_years(self) -> tuple[int, int] | None:
        """The years of the oldest and the newest dated source."""
        years = [source.date.year for source in self.sources if source.date]
        return (min(years), max(years)) if years else None

    @property
    def source_period(self) -> str | None:
        """« Sources de 2017 à 2024 », « Source de 2024 », or None without a dated source."""
        years = self.source_years
        if years is None:
            return None
        dated = sum(1 for source in self.sources if source.date)
        noun = "Sources" if dated > 1 else "Source"
        return f"{noun} de {years[0]}" if years[0] == years[1] else f"{noun} de {years[0]} à {years[1]}"

    @property
    def sources_are_old(self) -> bool:
        """The newest dated source is older than the threshold of referentiel.yml (counted from its last possible day)."""
        newest = max((source.date.last_day for source in self.sources if source.date), default=None)
        if newest is None:
            return False
        try:
            limit = newest.replace(year=newest.year + self.old_sources_years)
        except ValueError:  # 29 February
            limit = newest.replace(year=newest.year + self.old_sources_years, day=28)
        return limit < self.today

    @property
    def slug(self) -> str:
        return self.path.stem

    def term_keys(self, vocabulary: str) -> tuple[str, ...]:
        """The keys this sheet has in a vocabulary of referentiel.yml
        (several themes and audiences, one type, one status)."""
        if vocabulary == "themes":
            return tuple(t.key for t in self.themes)
        if vocabulary == "publics":
            return tuple(a.key for a in self.audiences)
        if vocabulary == "types":
            return (self.type.key,)
        if vocabulary == "statuts":
            return (self.status.key,)
        raise KeyError(vocabulary)


@dataclass
class Corpus:
    schema: Schema
    root: Path
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked_files: int = 0
    register: Register = field(default_factory=Register)  # validations.yml
    old_addresses: list[OldAddress] = field(default_factory=list)  # anciennes-adresses.yml
    modules: list[Module] = field(default_factory=list)  # parcours/*.yml, training modules

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def published(self, include_drafts: bool = False) -> list[Sheet]:
        return [s for s in self.sheets if include_drafts or s.is_published]


def content_files(root: Path, schema: Schema) -> list[tuple[Path, ContentType]]:
    """Every Markdown file of the content folders (but IGNORED_FILES), and
    every symbolic link found there, file or folder, whatever its name.

    Links are listed, never followed: reading one (read_source) refuses it
    without opening its target, so `fiches check` and the build report it.
    A content folder that is itself a link is listed the same way.
    """
    found = []
    for content_type in schema.types.values():
        folder = root / content_type.folder
        if folder.is_symlink():
            found.append((folder, content_type))
        elif folder.is_dir():
            found += [(path, content_type) for path in sorted(_content_paths(folder))]
    return found


def _content_paths(folder: Path) -> list[Path]:
    """The sheet files and symbolic links under folder, without entering a linked folder."""
    found = []
    folders = [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(Path(entry.path))
                    elif entry.name.endswith(".md") and entry.name not in IGNORED_FILES:
                        found.append(Path(entry.path))
        except OSError:  # an unreadable folder: skipped, as Path.rglob does
            continue
    return found


def load_corpus(
    root: Path,
    schema: Schema,
    today: date | None = None,
    only: set[Path] | None = None,
    workers: int | None = 1,
    parallel_min_files: int | None = None,
    build_sheets: bool = True,
    render_bodies: bool = True,
    cache: CheckCache | None = None,
) -> Corpus:
    """Read and check every sheet under root.

    With `only`, every file is still read (references need the whole
    corpus) but problems are kept only for those files.

    `workers`: how many processes check files (None: one per usable CPU).
    Files are checked in parallel only when there are at least
    `parallel_min_files` of them (None: PARALLEL_MIN_FILES) and parsed
    files are not kept between reads (`frontmatter.keep_parsed_files`, for
    `mkdocs serve`); the result is the same either way. Raises
    CheckInterrupted if a worker process dies or fails.

    Without `build_sheets`, `Corpus.sheets` stays empty: the `fiches`
    command only reports problems.

    Without `render_bodies`, the rules that judge a body's rendering are
    left to the caller: the build runs them on MkDocs' own rendering
    (hooks/check_rendering.py) instead of rendering every body twice.

    With a `cache` (`fiches check`), a file whose result is known for the
    same bytes and context is not checked again.
    """
    with collector_paused():
        return _load_corpus(
            root, schema, today or date.today(), only, workers, parallel_min_files, build_sheets, render_bodies, cache
        )


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused.

    Checking a corpus makes millions of small objects and keeps many of
    them; the collector's passes over them cost time and find next to
    nothing (the checks make few reference cycles; BENCHMARKS.md, « Figures
    behind choices in the code »).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_corpus(
    root: Path, schema: Schema, today: date, only, workers, parallel_min_files, build_sheets, render_bodies, cache
) -> Corpus:
    corpus = Corpus(schema=schema, root=root)
    files = content_files(root, schema)
    parsed: list[tuple[SourceFile, ContentType]] = []
    seen_ids: dict[str, list[SourceFile]] = {}
    unread: list[str] = []
    links_into: list[tuple[Problem, str]] = []  # a broken link, and the file it leads into
    for (path, content_type), (source, problems) in zip(
        files, _check_files_cached(files, root, schema, today, workers, parallel_min_files, render_bodies, cache)
    ):
        corpus.checked_files += 1
        if source is not None:
            identifier = source.data.get("id")
            if isinstance(identifier, str):
                seen_ids.setdefault(identifier, []).append(source)
            parsed.append((source, content_type))
        else:
            unread.append(path.relative_to(root).as_posix())
        corpus.problems += problems

    corpus.problems += duplicate_id_problems(seen_ids, schema)
    corpus.problems += unknown_sheet_problems(schema.situations, seen_ids, SCHEMA_FILE)
    corpus.register, register_problems = load_register(root, today)
    corpus.problems += register_problems
    corpus.old_addresses, address_problems = check_old_addresses(root, schema, seen_ids)
    corpus.problems += address_problems
    corpus.modules, module_problems = load_modules(root, schema, seen_ids, today)
    corpus.problems += module_problems
    for source, _ in parsed:
        corpus.problems += check_references(source, seen_ids, schema)
        corpus.problems += unregistered_validation(source, corpus.register, today)
    if render_bodies:  # the build checks links on MkDocs' own rendering (hooks/check_rendering.py)
        module_pages = [MODULES_PAGE, *(module.src_uri for module in corpus.modules)] if schema.modules is not None else []
        links_into = corpus_link_problems(root, schema, [source for source, _ in parsed], unread, module_pages, cache)
        corpus.problems += [problem for problem, _ in links_into]
    paths_with_errors = {p.path for p in corpus.problems if p.is_error}
    corpus.sheets = [
        build_sheet(source, schema, content_type, today, root)
        for source, content_type in parsed
        if build_sheets and source.rel_path not in paths_with_errors
    ]

    if only is not None:
        # A link is named as itself, never by its target.
        wanted = {os.path.normpath(path.absolute()) for path in only}
        # A link another sheet makes into a given file, which that file no longer answers
        # (a heading renamed, a sheet back to draft), is reported too.
        broken_into = {problem for problem, target in links_into if os.path.normpath((root / target).absolute()) in wanted}
        corpus.problems = [
            p for p in corpus.problems if os.path.normpath((root / p.path).absolute()) in wanted or p in broken_into
        ]
        corpus.checked_files = len(wanted | {os.path.normpath((root / p.path).absolute()) for p in broken_into})
    corpus.problems = sort_problems(corpus.problems)
    corpus.sheets.sort(key=lambda s: (s.type.key, s.id))
    return corpus


def check_file(
    path: Path, content_type: ContentType, root: Path, schema: Schema, today: date, render_bodies: bool = True
) -> tuple[SourceFile | None, list[Problem]]:
    """Every check that needs this file only (not the rest of the corpus)."""
    rel_path = path.relative_to(root).as_posix()
    source, problems = read_source(path, rel_path, schema.safety.max_file_bytes)
    if source is not None:
        if path.parent != root / content_type.folder:
            problems.append(
                Problem(
                    rel_path,
                    None,
                    f"les fiches se rangent directement dans « {content_type.folder}/ », sans sous-dossier.",
                    suggestion=f"déplacez le fichier dans « {content_type.folder}/ »",
                )
            )
        problems += validate_front_matter(source, schema, content_type, today)
        problems += check_front_matter_safety(source, schema)
        problems += check_body(source, schema, content_type)
        problems += check_source_rules(source, schema)
        if render_bodies:
            body_problems, source.links = render_and_check_body(source, schema, renderer_for(root))
            problems += body_problems
        else:  # the build renders it next: never a body that would take MkDocs too long
            problems += render_cost_problems(source)
    return source, problems


FileResult = tuple[SourceFile | None, list[Problem]]


def _check_files_cached(files, root: Path, schema: Schema, today: date, workers, parallel_min_files, render_bodies, cache):
    """check_files, but only for the files the cache has no result for."""
    if cache is None:
        return check_files(files, root, schema, today, workers, parallel_min_files, render_bodies)
    results: list[FileResult | None] = [None] * len(files)
    misses: list[tuple[int, str, str | None]] = []
    for index, (path, _) in enumerate(files):
        rel_path = path.relative_to(root).as_posix()
        fingerprint = cache.fingerprint(path, schema.safety.max_file_bytes)
        known = cache.get(rel_path, fingerprint)
        if known is None:
            misses.append((index, rel_path, fingerprint))
        else:
            parts, problems = known
            results[index] = (SourceFile(path, *parts) if parts is not None else None, problems)
    checked = check_files([files[index] for index, _, _ in misses], root, schema, today, workers, parallel_min_files, render_bodies)
    for (index, rel_path, fingerprint), (source, problems) in zip(misses, checked):
        results[index] = (source, problems)
        parts = (source.rel_path, source.data, source.key_lines, "", source.body_line, source.links) if source is not None else None
        cache.put(rel_path, fingerprint, (parts, problems))
    cache.save()
    return results


def check_files(
    files: list[tuple[Path, ContentType]],
    root: Path,
    schema: Schema,
    today: date,
    workers: int | None = 1,
    parallel_min_files: int | None = None,
    render_bodies: bool = True,
) -> list[FileResult]:
    """check_file for each file, in the order of files.

    In parallel, the files are cut into one contiguous chunk per process;
    this process checks the first chunk itself while worker processes check
    the others, and the results are put back in the order of files, so the
    result does not depend on which process finished first. The source
    files coming back from a worker have no body (load_corpus does not need
    it; not sending it back saves most of the copying).
    """
    workers = usable_cpus() if workers is None else workers
    minimum = PARALLEL_MIN_FILES if parallel_min_files is None else parallel_min_files
    if workers <= 1 or len(files) < max(minimum, 2) or frontmatter.keeps_parsed_files():
        return [check_file(path, content_type, root, schema, today, render_bodies) for path, content_type in files]
    workers = min(workers, len(files))
    size = -(-len(files) // workers)  # ceiling: every chunk but the last has `size` files
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    pool, futures = _start_workers(chunks[1:], root, schema, today, render_bodies)
    if pool is None:  # no worker could start: check everything here
        return [check_file(path, content_type, root, schema, today, render_bodies) for path, content_type in files]
    with pool:
        results = [check_file(path, content_type, root, schema, today, render_bodies) for path, content_type in chunks[0]]
        for chunk, future in zip(chunks[1:], futures):
            try:
                checked = future.result()
            except Exception as error:  # a worker died (BrokenProcessPool) or a check failed in it
                for other in futures:
                    other.cancel()
                raise CheckInterrupted(chunk[0][0].relative_to(root).as_posix(), len(chunk), error) from None
            for (path, _), (parts, problems) in zip(chunk, checked):
                results.append((SourceFile(path, *parts) if parts is not None else None, problems))
    return results


def _start_workers(chunks, root: Path, schema: Schema, today: date, render_bodies: bool = True):
    """A process pool with one chunk submitted to each worker, or (None, [])
    when this system cannot start worker processes."""
    import concurrent.futures

    for stream in (sys.stdout, sys.stderr):  # a forked worker must not print what this process has buffered
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    pool = None
    try:
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=len(chunks))
        futures = [pool.submit(_check_chunk, chunk, root, schema, today, render_bodies) for chunk in chunks]
    except (ImportError, NotImplementedError, OSError, RuntimeError):  # e.g. no semaphores, no fork allowed
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return None, []
    return pool, futures


def _check_chunk(
    files: list[tuple[Path, ContentType]], root: Path, schema: Schema, today: date, render_bodies: bool = True
) -> list:
    """In a worker process: check_file for each file. Of each source file,
    only what load_corpus needs goes back: less to copy between processes."""
    results = []
    with collector_paused():
        for path, content_type in files:
            source, problems = check_file(path, content_type, root, schema, today, render_bodies)
            parts = (source.rel_path, source.data, source.key_lines, "", source.body_line, source.links) if source is not None else None
            results.append((parts, problems))
    return results


def usable_cpus() -> int:
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_WORKERS))


class CheckInterrupted(Exception):
    """A worker process checking part of the files died or failed: the
    check is incomplete. The message is French, for the person running it."""

    def __init__(self, first_file: str, files: int, cause: BaseException):
        detail = f"{type(cause).__name__}: {cause}".strip().rstrip(":.")
        super().__init__(
            f"la vérification s'est interrompue : le processus qui vérifiait {files} fichier"
            f"{'s' if files > 1 else ''} à partir de « {first_file} » s'est arrêté anormalement "
            f"(détail technique : {detail}). Les fiches n'ont pas toutes été vérifiées ; relancez la "
            "vérification, et si l'erreur revient, signalez-la à l'équipe technique avec ce message."
        )


def duplicate_id_problems(seen_ids: dict[str, list[SourceFile]], schema: Schema) -> list[Problem]:
    """Each file that shares its identifier is told which other files have it."""
    problems = []
    for identifier, sources in seen_ids.items():
        if len(sources) < 2:
            continue
        free = next_free_id(seen_ids, identifier.split("-", 1)[0])
        for source in sources:
            others = ", ".join(
                f"{other.rel_path} (ligne {other.line_of(('id',))})" for other in sources if other is not source
            )
            problems.append(
                Problem(
                    source.rel_path,
                    source.line_of(("id",)),
                    f"identifiant {quote(identifier)} également utilisé par {others}.",
                    field="id",
                    expected="un identifiant propre à chaque fiche, qui ne change jamais",
                    suggestion=f"gardez l'identifiant de la fiche la plus ancienne ; donnez à l'autre un numéro libre, par exemple « {free} »",
                    help=schema.help_link("id"),
                )
            )
    return problems


def next_free_id(used, prefix: str) -> str:
    numbers = [int(i.split("-", 1)[1]) for i in used if i.startswith(prefix + "-") and i.split("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def check_references(source: SourceFile, known: dict[str, SourceFile], schema: Schema) -> list[Problem]:
    problems = []
    data = source.data
    targets = [(("remplacee_par",), data["remplacee_par"])] if isinstance(data.get("remplacee_par"), str) else []
    related = data.get("liees") if isinstance(data.get("liees"), list) else []
    targets += [(("liees", i), ref) for i, ref in enumerate(related) if isinstance(ref, str)]
    for key_path, target in targets:
        if target in known or target == data.get("id") or not ID_PATTERN.match(target):
            continue  # malformed ones are reported by the field check
        guess = closest(target, list(known))
        problems.append(
            Problem(
                source.rel_path,
                source.line_of(key_path),
                f"aucune fiche ne porte l'identifiant {quote(target)}.",
                field=key_path[0] if len(key_path) == 1 else f"{key_path[0]}[{key_path[1] + 1}]",
                expected="l'identifiant d'une fiche ou d'une pratique existante",
                suggestion=f"vouliez-vous dire « {guess} » ?" if guess else "vérifiez l'identifiant dans l'en-tête de la fiche visée",
                help=schema.help_link(str(key_path[0])),
            )
        )
    return problems


def build_sheet(source: SourceFile, schema: Schema, content_type: ContentType, today: date, root: Path) -> Sheet:
    data = source.data
    validation = data.get("validation")
    contact = data.get("contact")
    return Sheet(
        id=data["id"],
        title=data["titre"].strip(),
        summary=" ".join(data["resume"].split()),
        type=content_type,
        status=schema.statuses[data["statut"]],
        themes=tuple(schema.themes[t] for t in data["themes"]),
        audiences=tuple(schema.audiences[a] for a in data["publics"]),
        created=parse_date(data["date_creation"]),
        updated=parse_date(data["date_mise_a_jour"]),
        next_review=parse_date(data["prochaine_relecture"]),
        authors=tuple(a.strip() for a in data["auteurs"]),
        sources=tuple(
            Source(s["titre"].strip(), (s.get("lien") or "").strip() or None, parse_partial_date(s.get("date")))
            for s in data["sources"]
        ),
        essentials=tuple(" ".join(line.split()) for line in data.get("essentiel") or ()),
        consultations=tuple(
            Consultation(parse_date(c["date"]), " ".join(c["groupe"].split()), " ".join(c["changements"].split()))
            for c in data.get("consultations") or ()
        ),
        old_sources_years=schema.old_sources_years,
        related_ids=tuple(data.get("liees") or ()),
        validation=Validation(validation["instance"].strip(), parse_date(validation["seance"])) if validation else None,
        replaced_by=data.get("remplacee_par"),
        organisation=data.get("structure"),
        territory=data.get("territoire"),
        period=data.get("periode"),
        contact={k: str(v) for k, v in contact.items()} if isinstance(contact, dict) else None,
        path=source.path,
        src_uri=source.path.relative_to(root).as_posix(),
        body_line=source.body_line,
        today=today,
    )
