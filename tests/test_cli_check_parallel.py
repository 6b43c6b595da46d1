"""`fiches check` in several processes gives exactly what it gives in one:
the same messages in the same order, the same GitHub annotations, the same
exit code, the same sheets; and a worker that dies or fails ends the check
with a French message, never a traceback.

The parallel path is forced with a low file threshold and a fixed number of
workers (parameters, not timing), so it runs even on a one-CPU machine.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil

import pytest

from fiches_kb import corpus as corpus_module
from fiches_kb import frontmatter
from fiches_kb.cli import main
from fiches_kb.corpus import CheckInterrupted, content_files, load_corpus
from fiches_kb.schema import load_schema
from helpers import FIXTURES, TODAY, make_repo

VALID = (FIXTURES / "valid" / "fiche-complete.md").read_text(encoding="utf-8")


def many_files_repo(root):
    """The example site, every fixture (valid, invalid, unsafe), and sixty
    variants of a valid sheet, with errors spread over the whole file list:
    duplicate identifiers and references that cross from one chunk to another."""
    repo = make_repo(root)
    for number, fixture in enumerate(sorted(FIXTURES.rglob("*.md"))):
        folder = "pratiques-inspirantes" if number % 4 == 0 else "fiches"
        shutil.copy2(fixture, repo / folder / fixture.name)
    (repo / "fiches" / "sous-dossier").mkdir()
    shutil.copy2(FIXTURES / "valid" / "fiche-complete.md", repo / "fiches" / "sous-dossier" / "rangee-trop-loin.md")
    for number in range(60):
        text = VALID.replace("id: FP-100", f"id: FP-{200 + number}")
        if number % 7 == 0:
            text = text.replace("liees: [FP-001]", f"liees: [FP-{259 - number}, FP-999]")  # one exists, one not
        if number % 11 == 0:
            text = text.replace("statut: en-relecture", "statut: validé")
        if number % 13 == 0:
            text += "\nJoindre Jean au 06 12 34 56 78 ou jean.dupont@gmail.com.\n<script>alert(1)</script>\n"
        if number % 17 == 0:
            text = text.replace("\n---\n", "\nchamp_inconnu: oui\n---\n", 1)
        if number in (3, 57):
            text = text.replace(f"id: FP-{200 + number}", "id: FP-777")  # shared by two far-apart files
        (repo / "fiches" / f"variante-{number:02d}.md").write_text(text, encoding="utf-8")
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return many_files_repo(tmp_path_factory.mktemp("parallel"))


@pytest.fixture
def in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # annotations must match too
    return repo


@pytest.fixture
def started(worker_pools_started):
    """Counts the pools started, to know which path a run took."""
    return worker_pools_started


def run_check(monkeypatch, capsys, args=(), workers=1, threshold=None):
    with monkeypatch.context() as patch:
        patch.setattr(corpus_module, "usable_cpus", lambda: workers)
        if threshold is not None:
            patch.setattr(corpus_module, "PARALLEL_MIN_FILES", threshold)
        code = main(["check", "--sans-cache", *args])  # every run really checks
    out, err = capsys.readouterr()
    return code, out, err


def test_the_corpus_spreads_errors_over_many_files(repo):
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    assert corpus.checked_files > 100
    assert len({problem.path for problem in corpus.errors}) > 50
    assert any("FP-777" in problem.message for problem in corpus.errors)
    assert any("FP-999" in problem.message for problem in corpus.errors)


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_parallel_check_prints_exactly_what_the_sequential_one_prints(in_repo, monkeypatch, capsys, started, workers):
    sequential = run_check(monkeypatch, capsys, workers=1, threshold=2)
    assert started == []
    parallel = run_check(monkeypatch, capsys, workers=workers, threshold=2)
    assert started == [workers - 1]  # this process checks one chunk, the workers the others
    assert parallel == sequential
    code, out, err = sequential
    assert code == 1 and "::error file=" in out and err.endswith("vérifiés).\n")


def test_parallel_check_of_some_files_prints_what_the_sequential_one_prints(in_repo, monkeypatch, capsys, started):
    args = ("fiches/variante-03.md", "fiches/variante-57.md", "pratiques-inspirantes")
    sequential = run_check(monkeypatch, capsys, args, workers=1, threshold=2)
    parallel = run_check(monkeypatch, capsys, args, workers=2, threshold=2)
    assert started == [1]
    assert parallel == sequential
    assert "FP-777" in sequential[2]


def test_parallel_load_gives_the_same_corpus(repo, started):
    schema = load_schema(repo)
    sequential = load_corpus(repo, schema, today=TODAY)
    parallel = load_corpus(repo, schema, today=TODAY, workers=3, parallel_min_files=2)
    assert started == [2]
    assert parallel.problems == sequential.problems
    assert parallel.sheets == sequential.sheets
    assert parallel.checked_files == sequential.checked_files
    problems_only = load_corpus(repo, schema, today=TODAY, workers=3, parallel_min_files=2, build_sheets=False)
    assert problems_only.problems == sequential.problems and problems_only.sheets == []


def test_a_valid_corpus_in_parallel(tmp_path, monkeypatch, capsys, started):
    repo = make_repo(tmp_path)
    for number in range(30):
        (repo / "fiches" / f"valide-{number:02d}.md").write_text(VALID.replace("FP-100", f"FP-{300 + number}"), encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert run_check(monkeypatch, capsys, workers=2, threshold=2) == (0, "34 fichiers vérifiés, aucune erreur.\n", "")
    assert started == [1]


def test_few_files_are_checked_in_this_process(in_repo, monkeypatch, capsys, started):
    files = len(content_files(in_repo, load_schema(in_repo)))
    run_check(monkeypatch, capsys, workers=2, threshold=files + 1)
    assert started == []
    run_check(monkeypatch, capsys, workers=2, threshold=files)
    assert started == [1]


def test_kept_parse_results_keep_the_check_in_this_process(repo, monkeypatch, started):
    """mkdocs serve keeps parsed files between rebuilds: worker processes would not share them."""
    monkeypatch.setattr(frontmatter, "_parsed", None)
    frontmatter.keep_parsed_files()
    try:
        load_corpus(repo, load_schema(repo), today=TODAY, workers=2, parallel_min_files=2)
    finally:
        frontmatter.keep_parsed_files(False)
    assert started == []


def test_without_worker_processes_the_check_runs_here(in_repo, monkeypatch, capsys):
    """Some systems cannot start processes (no semaphores, no fork): same output, no error."""
    import concurrent.futures

    sequential = run_check(monkeypatch, capsys, workers=1, threshold=2)

    def unavailable(*args, **kwargs):
        raise NotImplementedError("sem_open")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", unavailable)
    assert run_check(monkeypatch, capsys, workers=2, threshold=2) == sequential


FORKED = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the simulated crash needs workers forked from this process"
)


def crash_in_workers(monkeypatch, how):
    """check_file fails in worker processes only (they are forked from this one)."""
    parent = os.getpid()
    real = corpus_module.check_file

    def check_file(*args):
        if os.getpid() != parent:
            if how == "dies":
                os._exit(9)
            raise ValueError("panne simulée")
        return real(*args)

    monkeypatch.setattr(corpus_module, "check_file", check_file)


@FORKED
@pytest.mark.parametrize("how", ["dies", "raises"])
def test_a_worker_that_dies_or_fails_ends_the_check_in_french(in_repo, monkeypatch, capsys, how):
    crash_in_workers(monkeypatch, how)
    code, out, err = run_check(monkeypatch, capsys, workers=2, threshold=2)
    assert code == 1
    assert err.startswith("fiches : la vérification s'est interrompue : le processus qui vérifiait ")
    assert "Les fiches n'ont pas toutes été vérifiées ; relancez la vérification" in err
    assert ("ValueError: panne simulée" in err) == (how == "raises")
    assert "Traceback" not in err + out
    assert "vérifiés" not in err  # no summary of a check that did not finish


@FORKED
def test_load_corpus_raises_check_interrupted(repo, monkeypatch):
    crash_in_workers(monkeypatch, "dies")
    with pytest.raises(CheckInterrupted, match="s'est arrêté anormalement"):
        load_corpus(repo, load_schema(repo), today=TODAY, workers=2, parallel_min_files=2)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(repo, enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        load_corpus(repo, load_schema(repo), today=TODAY)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
