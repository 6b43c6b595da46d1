"""`mkdocs build` checks the sheets in worker processes, as `fiches check`
does, and builds exactly what it builds in one process: the same HTML files,
byte for byte, or the same error messages and exit code; a worker that dies
or fails stops the build with a French message, never a traceback; and
`mkdocs serve`, or a process that already runs threads, checks in one process.

The parallel path is forced with a low file threshold and a fixed number of
workers (set before MkDocs starts, in the `mkdocs` process itself), so it
runs even on a one-CPU machine.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading

import pytest

from fiches_kb import corpus as corpus_module
from fiches_kb.site import SITE_KEY
from helpers import EXAMPLE_SITE, FIXTURES, REPO, copy_site, make_repo

VALID = (FIXTURES / "valid" / "fiche-complete.md").read_text(encoding="utf-8")
PRACTICE = (EXAMPLE_SITE / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8")

# Run as `python -c PRELUDE build ...`: sets the parallel threshold and the
# number of CPUs, writes to a file the number of workers of each pool started,
# and can make check_file fail in worker processes; then runs MkDocs.
PRELUDE = """
import os, sys
from fiches_kb import corpus

corpus.PARALLEL_MIN_FILES = int(os.environ["TEST_PARALLEL_MIN_FILES"])
corpus.usable_cpus = lambda: int(os.environ["TEST_WORKERS"])
start_workers, check_file, parent = corpus._start_workers, corpus.check_file, os.getpid()

def spy(chunks, *args):
    with open(os.environ["TEST_POOLS"], "a", encoding="utf-8") as log:
        log.write(f"{len(chunks)}\\n")
    return start_workers(chunks, *args)

def failing_check_file(*args):
    if os.getpid() != parent:
        if os.environ["TEST_CRASH"] == "dies":
            os._exit(9)
        raise ValueError("panne simulée")
    return check_file(*args)

corpus._start_workers = spy
if os.environ.get("TEST_CRASH"):
    corpus.check_file = failing_check_file

from mkdocs.__main__ import cli
cli(prog_name="mkdocs")
"""

FORKED = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the simulated crash needs workers forked from the build"
)


def build(site, output, workers, tmp_path, crash=None, env=None):
    """mkdocs build of site into output; the result and the pools started (workers each)."""
    pools = tmp_path / f"pools-{output.name}.txt"
    pools.write_text("", encoding="utf-8")
    environment = {
        "TEST_PARALLEL_MIN_FILES": "2",
        "TEST_WORKERS": str(workers),
        "TEST_POOLS": str(pools),
        "TEST_CRASH": crash or "",
        "FICHES_SANS_RECHERCHE": "1",
        "SOURCE_DATE_EPOCH": "1800000000",
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE, "build", "--strict", "--site-dir", str(output)],
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result, [int(line) for line in pools.read_text(encoding="utf-8").split()]


def add_valid_sheets(site, count=30):
    """Valid sheets (`count` of them, some validated, pointing at each other)
    and five inspiring practices."""
    for number in range(count):
        text = VALID.replace("id: FP-100", f"id: FP-{300 + number}")
        text = text.replace("liees: [FP-001]", f"liees: [FP-{300 + (number + 7) % count}]")
        if number % 3 == 0:
            text = text.replace("statut: en-relecture", "statut: validee\nvalidation:\n  instance: Bureau\n  seance: 2020-03-01")
        (site / "fiches" / f"valide-{number:02d}.md").write_text(text, encoding="utf-8")
    for number in range(5):
        text = PRACTICE.replace("id: PI-001", f"id: PI-{100 + number}").replace("titre: Aidants", f"titre: {number} Aidants")
        (site / "pratiques-inspirantes" / f"valide-{number:02d}.md").write_text(text, encoding="utf-8")
    return site


def add_errors(site):
    """Errors spread over the file list: bad values, unknown fields, unsafe
    content, a duplicate identifier and references that cross chunks."""
    for number, fixture in enumerate(sorted((FIXTURES / "invalid").glob("*.md"))[:20]):
        shutil.copy2(fixture, site / ("pratiques-inspirantes" if number % 4 == 0 else "fiches") / fixture.name)
    for number in range(30):
        text = VALID.replace("id: FP-100", f"id: FP-{400 + number}")
        if number % 7 == 0:
            text = text.replace("liees: [FP-001]", f"liees: [FP-{429 - number}, FP-999]")
        if number % 11 == 0:
            text = text.replace("statut: en-relecture", "statut: validé")
        if number % 13 == 0:
            text += "\nJoindre Jean au 06 12 34 56 78 ou jean.dupont@gmail.com.\n<script>alert(1)</script>\n"
        if number in (3, 27):
            text = text.replace(f"id: FP-{400 + number}", "id: FP-777")
        (site / "fiches" / f"variante-{number:02d}.md").write_text(text, encoding="utf-8")
    return site


def files_of(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_parallel_build_writes_the_same_site_byte_for_byte(tmp_path):
    site = add_valid_sheets(copy_site(tmp_path / "src", EXAMPLE_SITE))
    sequential, sequential_pools = build(site, tmp_path / "one", 1, tmp_path)
    assert sequential.returncode == 0, sequential.stderr
    parallel, parallel_pools = build(site, tmp_path / "three", 3, tmp_path)
    assert parallel.returncode == 0, parallel.stderr
    assert sequential_pools == [] and parallel_pools == [2]  # the build checks one chunk, two workers the others
    one, three = files_of(tmp_path / "one"), files_of(tmp_path / "three")
    assert "fiches/valide-01/index.html" in one and "pratiques-inspirantes/valide-00/index.html" in one
    assert one.keys() == three.keys()
    assert [name for name in one if one[name] != three[name]] == []


def test_the_parallel_build_stops_with_the_same_messages(tmp_path):
    site = add_errors(add_valid_sheets(copy_site(tmp_path / "src", EXAMPLE_SITE)))
    env = {"GITHUB_ACTIONS": "true"}
    sequential, sequential_pools = build(site, tmp_path / "one", 1, tmp_path, env=env)
    parallel, parallel_pools = build(site, tmp_path / "two", 2, tmp_path, env=env)
    assert sequential_pools == [] and parallel_pools == [1]
    assert sequential.returncode == parallel.returncode == 1
    assert parallel.stdout == sequential.stdout and parallel.stderr == sequential.stderr
    log = sequential.stdout + sequential.stderr
    assert "::error file=fiches/variante-03.md" in log and "FP-777" in log and "FP-999" in log
    assert "La vérification des fiches a échoué : " in log and "Traceback" not in log


@FORKED
@pytest.mark.parametrize("how", ["dies", "raises"])
def test_a_worker_that_dies_or_fails_stops_the_build_in_french(tmp_path, how):
    site = add_valid_sheets(copy_site(tmp_path / "src", EXAMPLE_SITE))
    output = tmp_path / "out"
    output.mkdir()
    (output / "ancien.html").write_text("ancienne version", encoding="utf-8")
    result, pools = build(site, output, 2, tmp_path, crash=how)
    assert pools == [1]
    assert result.returncode == 1
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    assert "ERROR   -  La vérification s'est interrompue : le processus qui vérifiait " in log
    assert "relancez la vérification, et si l'erreur revient, signalez-la à l'équipe technique avec ce message. " in log
    assert "Le site n'a pas été construit." in log
    assert ("ValueError: panne simulée" in log) == (how == "raises")
    assert [path.name for path in output.iterdir()] == ["ancien.html"]  # the previous site is left as it was


# In this process: the hook's on_config, with MkDocs' command and the threads
# that may be running when it is called.


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("load_content_under_test", REPO / "hooks" / "load_content.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return add_valid_sheets(make_repo(tmp_path_factory.mktemp("hook")))


@pytest.fixture
def started(worker_pools_started, monkeypatch):
    """Pools started by on_config, with the parallel path forced."""
    monkeypatch.setattr(corpus_module, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(corpus_module, "usable_cpus", lambda: 2)
    return worker_pools_started


class Config(dict):
    def __init__(self, repo):
        super().__init__()
        self.config_file_path = str(repo / "mkdocs.yml")


def on_config(hook, repo, monkeypatch, command):
    monkeypatch.setattr(hook, "_command", command)
    content = hook.on_config(Config(repo))[SITE_KEY]
    assert len(content.corpus.sheets) > 30
    return content


def test_build_in_a_single_threaded_process_uses_workers(hook, repo, monkeypatch, started):
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # the pytest process may run other threads
    on_config(hook, repo, monkeypatch, "build")
    assert started == [1]


def test_a_process_that_runs_threads_checks_in_one_process(hook, repo, monkeypatch, started):
    """Forking a process that runs threads is unsafe: e.g. the rebuilds of
    `mkdocs serve --clean`, whose command is `build`, while the server runs."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        content = on_config(hook, repo, monkeypatch, "build")
    finally:
        stop.set()
        thread.join()
    assert started == []
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert on_config(hook, repo, monkeypatch, "build").corpus.sheets == content.corpus.sheets
    assert started == [1]


def test_serve_checks_in_one_process(hook, repo, monkeypatch, started):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    on_config(hook, repo, monkeypatch, "serve")
    assert started == []
