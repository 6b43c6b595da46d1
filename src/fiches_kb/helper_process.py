"""Per-sheet work a build hands to a helper process, on the other core.

MkDocs converts and renders every page on one thread. Two things the build
then does with each sheet are not needed by MkDocs at once: the content
rules on the sheet's rendering (`rules.check_rendered_body`) and the
document Pagefind gets (`search.sheet_document`). `HelperProcess` runs them
in one helper process while MkDocs goes on with the next pages; Pagefind
has the rest of that core. The gain, measured: BENCHMARKS.md, « The helper
process ».

Results come back in the order the work was given, so the build's output
does not depend on which process did the work. The helper is used only for
a full build (not `mkdocs serve`) of at least `HELPER_MIN_SHEETS` sheets on
a machine with two usable cores; otherwise, or when it cannot start or
dies, the same functions run in this process and give the same results.
The helper is a new interpreter ("spawn"), not a fork: the build already
runs Pagefind with pipes a forked child would keep open.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .schema import Schema

log = logging.getLogger("mkdocs.plugins.fiches")

# From this many sheets on the helper saves time: at 300 sheets 0.2-0.3 s of
# a 3.7 s build, at 100 sheets nothing measurable (BENCHMARKS.md, « The
# helper process »). FICHES_PROCESSUS_AUXILIAIRE sets another threshold (0: never).
HELPER_MIN_SHEETS = 300
THRESHOLD_ENV = "FICHES_PROCESSUS_AUXILIAIRE"
# The helper yields its core to MkDocs' thread when both want it.
HELPER_NICENESS = 5
# Jobs sent together: one message to the helper per batch, not per job.
BATCH_SIZE = 20


class SettingError(ValueError):
    """FICHES_PROCESSUS_AUXILIAIRE is not a number of sheets: the message is French."""


@dataclass(frozen=True)
class Judgement:
    """The content rules on a sheet's rendering (as hooks/check_rendering.py gives it)."""

    src_uri: str
    fingerprint: str  # of the body and its rendering (CheckCache.rendering_fingerprint)
    path: Path
    body: str
    body_line: int
    html: str
    raw_html: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    anchors: frozenset[str]


@dataclass(frozen=True)
class Document:
    """The document Pagefind gets for a sheet (`search.sheet_document`)."""

    src_uri: str
    dest_uri: str
    article: str
    annotations: str
    language: str
    title: str


def run_job(job: Judgement | Document, schema: Schema, tree: Any = None) -> Any:
    """The work itself, in the helper or here: a list of problems, or a
    document. Here, the rules may read Python-Markdown's `tree` of the body
    (`RenderedBody.tree`), quicker than parsing its HTML; no tree crosses
    processes, and the rules find the same either way
    (tests/test_content_rules_tree_reading.py)."""
    if isinstance(job, Document):
        from .search import sheet_document

        return sheet_document(job.article, job.annotations, job.language, job.title)
    from .frontmatter import SourceFile
    from .rules import check_rendered_body
    from .rules.rendering import RenderedBody

    source = SourceFile(job.path, job.src_uri, {}, {}, job.body, job.body_line)
    rendered = RenderedBody(job.html, list(job.raw_html), tree, job.links, job.anchors)
    return check_rendered_body(source, schema, rendered)


def _run_batch(jobs: list[Judgement | Document], schema: Schema) -> list[Any]:
    """In the helper. The schema comes with each batch (15 kB, 0.3 ms to copy):
    simpler than keeping it in the helper between batches."""
    from .corpus import collector_paused

    with collector_paused():
        return [run_job(job, schema) for job in jobs]


class HelperProcess:
    """The rules' verdicts and Pagefind's documents of one build, worked out
    here or in a helper process; read back in the order they were asked."""

    def __init__(self, schema: Schema, use_helper: bool) -> None:
        self.schema = schema
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[Judgement | Document] = []  # not sent yet
        self._sent: deque[tuple[list[Judgement | Document], Future]] = deque()
        self.verdicts: dict[str, tuple[str, list[Problem]]] = {}  # src_uri -> (fingerprint, problems), in the order judged
        self._documents: deque[tuple[Document, str]] = deque()  # (job, document), ready, in the order asked
        self.done_in_helper = 0  # jobs whose result came from the helper
        if use_helper:
            self._pool = _new_pool()

    @classmethod
    def for_build(cls, schema: Schema, sheets: int, serving: bool, environ, cpus: int) -> HelperProcess:
        """In this process for `mkdocs serve`, a small site, or a one-core
        machine; FICHES_PROCESSUS_AUXILIAIRE, when set, gives the threshold
        whatever the number of cores (0: never)."""
        setting = environ.get(THRESHOLD_ENV, "").strip()
        if not setting:
            use = sheets >= HELPER_MIN_SHEETS and cpus > 1
        elif setting.isdigit():
            use = int(setting) > 0 and sheets >= int(setting)
        else:
            raise SettingError(
                f"La variable {THRESHOLD_ENV} vaut « {environ[THRESHOLD_ENV]} ». Donnez un nombre de fiches "
                f"(par exemple {THRESHOLD_ENV}=300, ou 0 pour ne jamais l'utiliser), ou retirez la variable."
            )
        return cls(schema, use and not serving)

    @property
    def in_helper(self) -> bool:
        return self._pool is not None

    def judge(self, job: Judgement, tree: Any = None) -> None:
        """Run the rules on a rendering; `tree`: Python-Markdown's, read when judged here."""
        self._add(job, tree)

    def document(self, job: Document) -> None:
        self._add(job)

    def ready_documents(self) -> list[tuple[Document, str]]:
        """Documents finished so far, in the order asked, each given once."""
        self._collect(wait=False)
        return self._take_documents()

    def finish(self) -> None:
        """Wait for all the work, then stop the helper: `verdicts` is
        complete, `ready_documents` gives every document not yet given."""
        self._flush()
        self._collect(wait=True)
        self.close()

    def close(self) -> None:
        """Stop the helper (a failed build, or the end of the work)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _add(self, job: Judgement | Document, tree: Any = None) -> None:
        if self._pool is None:
            self._collect(wait=True)  # what the helper had, if it died: results stay in order
            self._store(job, run_job(job, self.schema, tree))
            return
        self._pending.append(job)
        if len(self._pending) >= BATCH_SIZE:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        jobs, self._pending = self._pending, []
        if self._pool is not None:
            try:
                self._sent.append((jobs, self._pool.submit(_run_batch, jobs, self.schema)))
                return
            except RuntimeError:  # the pool broke (BrokenProcessPool is one) or was shut down
                self._lost_helper()
        self._collect(wait=True)
        for job in jobs:
            self._store(job, run_job(job, self.schema))

    def _collect(self, wait: bool) -> None:
        while self._sent and (wait or self._sent[0][1].done()):
            jobs, future = self._sent.popleft()
            try:
                results = future.result()
            except (CancelledError, RuntimeError, OSError, EOFError):  # the helper died: the same work, here
                self._lost_helper()
                results = [run_job(job, self.schema) for job in jobs]
            else:
                self.done_in_helper += len(jobs)
            for job, result in zip(jobs, results):
                self._store(job, result)

    def _store(self, job: Judgement | Document, result: Any) -> None:
        if isinstance(job, Document):
            self._documents.append((job, result))
        else:
            self.verdicts[job.src_uri] = (job.fingerprint, result)

    def _take_documents(self) -> list[tuple[Document, str]]:
        documents = list(self._documents)
        self._documents.clear()
        return documents

    def _lost_helper(self) -> None:
        if self._pool is not None:
            log.info("Processus auxiliaire arrêté : la suite du travail se fait dans le processus principal.")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _lower_priority() -> None:
    """In the helper: MkDocs' thread, which everything waits for, comes first."""
    try:
        os.nice(HELPER_NICENESS)
    except (AttributeError, OSError):  # no os.nice on Windows; a refused change is harmless
        pass


def _new_pool() -> ProcessPoolExecutor | None:
    import multiprocessing

    try:
        return ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
        )
    except (ImportError, NotImplementedError, OSError, RuntimeError):  # no semaphores, no processes allowed
        return None
