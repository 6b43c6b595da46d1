"""A Pagefind that misbehaves never hangs the build: every wait on it has a
time limit (FICHES_PAGEFIND_DELAI), output that is not its protocol is an
error, and either way it is killed and waited for, and the French message
quotes what it last said. The misbehaving programs are small Python
scripts given as PAGEFIND_BINARY_PATH or as the program of `start_index`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from fiches_kb.pagefind_binary import PagefindError, choose_pagefind, pypi_binary
from fiches_kb.search import start_index
from helpers import EXAMPLE_SITE, copy_site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pipes cannot be polled on Windows")

# Every fake writes its process id into PID_FILE (an environment variable),
# answers `--version` like Pagefind 1.5.2, then does what its `--service` part says.
PREAMBLE = """\
import base64, json, os, sys, time
with open(os.environ["PID_FILE"], "a") as f:
    f.write(f"{os.getpid()}\\n")
if sys.argv[1:] == ["--version"]:
    print("pagefind 1.5.2")
    sys.exit(0)

def answer(message_id, payload):
    data = json.dumps({"message_id": message_id, "payload": payload}).encode()
    sys.stdout.buffer.write(base64.b64encode(data) + b",")
    sys.stdout.buffer.flush()

"""
FAKES = {
    "exits_at_once": """
sys.stderr.write("pagefind: bibliothèque introuvable\\n")
sys.exit(3)
""",
    "never_answers": """
sys.stderr.write("Démarrage du service…\\n")
sys.stderr.flush()
time.sleep(3600)
""",
    "writes_garbage": """
sys.stdout.write("Bonjour, je ne suis pas Pagefind\\n")
sys.stdout.flush()
time.sleep(3600)
""",
    # Looks like the protocol (base64 letters only) but never ends a message.
    "writes_endless_letters": """
while True:
    sys.stdout.write("QUJD" * 1000)
    sys.stdout.flush()
    time.sleep(0.05)
""",
    # Answers the new index, then neither reads nor answers anything.
    "answers_once_then_hangs": """
raw = b""
while b"," not in raw:
    raw += sys.stdin.buffer.read1(4096)
message = json.loads(base64.b64decode(raw.split(b",")[0]))
answer(message["message_id"], {"type": "NewIndex", "index_id": 0})
sys.stderr.write("index créé, plus rien ensuite\\n")
sys.stderr.flush()
time.sleep(3600)
""",
    # Pagefind itself, after a pause shorter than the time limit.
    "slow_but_fine": """
time.sleep(float(os.environ["PAUSE"]))
os.execv(os.environ["REAL_PAGEFIND"], [os.environ["REAL_PAGEFIND"], *sys.argv[1:]])
""",
}
PAGE = "<html lang='fr'><body><article data-pagefind-body><h1>Titre</h1><p>" + "Données personnelles. " * 2000 + "</p></article></body></html>"


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """fake(name) -> path of that program; the processes it started are
    listed by `fake.pids()`, and any still alive is killed after the test."""
    pid_file = tmp_path / "pids.txt"
    monkeypatch.setenv("PID_FILE", str(pid_file))
    monkeypatch.setenv("REAL_PAGEFIND", str(pypi_binary()[0]))

    def make(name: str) -> Path:
        program = tmp_path / f"pagefind-{name}"
        program.write_text(f"#!{sys.executable}\n" + PREAMBLE + textwrap.dedent(FAKES[name]), encoding="utf-8")
        program.chmod(0o755)
        return program

    make.pids = lambda: [int(line) for line in pid_file.read_text().split()] if pid_file.exists() else []
    yield make
    for pid in make.pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def gone(pid: int) -> bool:
    """Whether the process has exited and been waited for (no zombie left)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def within(seconds: float, action):
    """Run action in a thread: ("value", result) or ("error", exception);
    the test fails if it is still running after `seconds`."""
    outcome = []

    def run():
        try:
            outcome.append(("value", action()))
        except BaseException as error:  # reported to the test
            outcome.append(("error", error))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"toujours en attente après {seconds} s"
    return outcome[0]


def test_a_program_that_exits_at_once_is_reported_with_what_it_said(fake, monkeypatch):
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "5")
    kind, error = within(20, lambda: start_index(fake("exits_at_once")))
    assert kind == "error" and isinstance(error, PagefindError), error
    assert str(error) == "Recherche : Pagefind s'est arrêté avant de répondre. Sa sortie : pagefind: bibliothèque introuvable"
    assert all(gone(pid) for pid in fake.pids())


def test_a_program_that_never_answers_is_killed_after_the_time_limit(fake, monkeypatch):
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "1")
    started = time.monotonic()
    kind, error = within(20, lambda: start_index(fake("never_answers")))
    assert kind == "error" and isinstance(error, PagefindError), error
    assert 1 <= time.monotonic() - started < 15
    assert str(error) == (
        "Recherche : Pagefind n'a pas répondu en 1 s ; il a été arrêté. Sa dernière sortie : « Démarrage du service… ». "
        "Sur une machine très lente, donnez-lui plus de temps (FICHES_PAGEFIND_DELAI=300 par exemple)."
    )
    pids = fake.pids()
    assert len(pids) == 1 and gone(pids[0])


def test_a_program_that_writes_garbage_is_stopped_at_once(fake, monkeypatch):
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "60")  # not waited for: the garbage is seen at once
    started = time.monotonic()
    kind, error = within(20, lambda: start_index(fake("writes_garbage")))
    assert kind == "error" and isinstance(error, PagefindError), error
    assert time.monotonic() - started < 15
    assert str(error) == (
        "Recherche : Pagefind a répondu hors de son protocole (« Bonjour, je ne suis pas Pagefind ») ; il a été arrêté. "
        "Si la variable PAGEFIND_BINARY_PATH est définie, vérifiez qu'elle désigne bien Pagefind."
    )
    assert all(gone(pid) for pid in fake.pids())


def test_output_that_never_ends_a_message_is_no_answer(fake, monkeypatch):
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "1")
    kind, error = within(20, lambda: start_index(fake("writes_endless_letters")))
    assert kind == "error" and isinstance(error, PagefindError), error
    message = str(error)
    assert message.startswith("Recherche : Pagefind n'a pas répondu en 1 s ; il a été arrêté. Sa dernière sortie : « QUJDQUJD")
    assert "…" in message and len(message) < 500  # quoted, shortened
    assert all(gone(pid) for pid in fake.pids())


def test_a_program_that_stops_answering_after_the_new_index_fails_when_fed_or_waited_for(fake, monkeypatch, tmp_path):
    """It reads nothing more: its input fills up while pages are sent, and
    the wait for room is bounded too."""
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "1")
    index = start_index(fake("answers_once_then_hangs"))
    pid = index._process.pid

    def feed():
        for number in range(200):  # 9 MB: far more than a pipe holds
            index.add_page(PAGE, f"/p{number}/")
        index.write(tmp_path / "pagefind")

    kind, error = within(30, feed)
    assert kind == "error" and isinstance(error, PagefindError), error
    assert str(error).startswith(
        "Recherche : Pagefind n'a pas répondu en 1 s ; il a été arrêté. Sa dernière sortie : « index créé, plus rien ensuite »."
    )
    assert gone(pid)
    assert not (tmp_path / "pagefind").exists()


def test_a_program_that_stops_answering_before_the_bundle_is_written_fails_in_time(fake, monkeypatch, tmp_path):
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "1")
    index = start_index(fake("answers_once_then_hangs"))
    index.add_page(PAGE[:500], "/p/")
    index.start_write(tmp_path / "pagefind")
    kind, error = within(20, index.finish_write)
    assert kind == "error" and isinstance(error, PagefindError), error
    assert "n'a pas répondu en 1 s" in str(error)
    assert gone(index._process.pid)


def test_a_program_that_hangs_on_its_version_is_killed_after_the_time_limit(tmp_path, fake, monkeypatch):
    program = fake("never_answers")
    program.write_text(program.read_text().replace('["--version"]', '["--jamais"]'), encoding="utf-8")
    environ = {"PAGEFIND_BINARY_PATH": str(program), "FICHES_PAGEFIND_DELAI": "1"}
    kind, error = within(20, lambda: choose_pagefind(environ))
    assert kind == "error" and isinstance(error, PagefindError), error
    assert str(error) == (
        f"Recherche : Pagefind ({program}, variable PAGEFIND_BINARY_PATH) n'a pas donné sa version en 1 s (`--version`) ; "
        "il a été arrêté."
    )
    assert all(gone(pid) for pid in fake.pids())


def test_a_slow_program_within_the_limit_writes_the_index(fake, monkeypatch, tmp_path):
    """The limit bounds each wait, not the whole indexing: a pause of the
    caller longer than the limit is no failure."""
    monkeypatch.setenv("FICHES_PAGEFIND_DELAI", "4")
    monkeypatch.setenv("PAUSE", "1.5")
    started = time.monotonic()
    index = start_index(fake("slow_but_fine"))
    assert time.monotonic() - started >= 1.5
    index.add_page(PAGE, "/fiches/x/")
    time.sleep(4.5)  # the rendering goes on; Pagefind has long answered
    assert index.write(tmp_path / "pagefind") == 1
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert gone(index._process.pid)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("never_answers", "ERROR   -  Recherche : Pagefind n'a pas répondu en 2 s ; il a été arrêté. Sa dernière sortie : « Démarrage du service… »."),
        ("writes_garbage", "ERROR   -  Recherche : Pagefind a répondu hors de son protocole (« Bonjour, je ne suis pas Pagefind ») ; il a été arrêté."),
    ],
)
def test_mkdocs_build_with_a_misbehaving_pagefind_stops_in_time_with_a_french_message(tmp_path, fake, name, said):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PAGEFIND_BINARY_PATH": str(fake(name)), "FICHES_PAGEFIND_DELAI": "2"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "html")],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # the build must end by itself; subprocess kills it otherwise and the test fails
    )
    assert result.returncode != 0
    assert said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "html" / "pagefind").exists()
    pids = fake.pids()
    assert len(pids) == 2 and all(gone(pid) for pid in pids)  # `--version`, then the service
