"""Which Pagefind program writes the index (fiches_kb.pagefind_binary):
Pagefind 1.6 from the npm registry, checked against its pinned integrity and
kept in a cache, while PyPI stops at 1.5.2; PyPI's program, with a French
note, whenever that fails. The registry here is a local stand-in serving a
package built by the test (a shell script in place of Pagefind)."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import io
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from packaging.version import Version

from fiches_kb import pagefind_binary
from fiches_kb.pagefind_binary import (
    NPM_INTEGRITY,
    PINNED_VERSION,
    PagefindError,
    choose_pagefind,
    npm_platform,
    pooch_hash,
)
from helpers import EXAMPLE_SITE, copy_site, in_ci, run_mkdocs

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="le programme de remplacement est un script shell")


def npm_package(script: str) -> bytes:
    """An npm platform package of Pagefind, as the registry serves it, whose
    program is `script`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data, mode in (
            ("package/package.json", b'{"name": "@pagefind/linux-x64", "version": "1.6.0"}', 0o644),
            ("package/bin/pagefind_extended", script.encode(), 0o755),
        ):
            member = tarfile.TarInfo(name)
            member.size, member.mode = len(data), mode
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry:
    """A local npm registry serving one package; it counts the downloads."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        registry = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                registry.requests.append(self.path)
                super().do_GET()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def publish(self, data: bytes) -> None:
        path = self.root / "@pagefind" / "linux-x64" / "-" / f"linux-x64-{PINNED_VERSION}.tgz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


GOOD_PROGRAM = f"#!/bin/sh\necho 'pagefind {PINNED_VERSION}'\n"


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A registry publishing a good package, pinned as linux-x64's (whatever this machine is)."""
    served = Registry(tmp_path / "registre")
    package = npm_package(GOOD_PROGRAM)
    served.publish(package)
    monkeypatch.setitem(NPM_INTEGRITY, "linux-x64", integrity_of(package))
    monkeypatch.setattr(pagefind_binary, "npm_platform", lambda: "linux-x64")
    yield served
    served.server.shutdown()


@pytest.fixture
def old_pypi(monkeypatch):
    """PyPI's program is 1.5.2, older than the pinned release (whatever is installed)."""
    monkeypatch.setattr(pagefind_binary, "pypi_binary", lambda: (Path("/pypi/pagefind"), "1.5.2"))


def environ(registry: Registry, tmp_path: Path, **more: str) -> dict[str, str]:
    return {"npm_config_registry": registry.url, "FICHES_CACHE": str(tmp_path / "cache"), **more}


def test_the_pins_cover_every_platform_package_pagefind_publishes_on_npm():
    # `npm view pagefind@1.6.0 optionalDependencies`, 2026-12-04
    assert set(NPM_INTEGRITY) == {
        "darwin-arm64", "darwin-x64", "freebsd-x64", "linux-arm64", "linux-x64", "windows-arm64", "windows-x64",
    }
    for integrity in NPM_INTEGRITY.values():
        algorithm, _, digest = integrity.partition("-")
        assert algorithm == "sha512" and len(base64.b64decode(digest, validate=True)) == 64


@pytest.mark.parametrize(
    ("system", "machine", "expected"),
    [
        ("linux", "x86_64", "linux-x64"),
        ("linux", "aarch64", "linux-arm64"),
        ("darwin", "arm64", "darwin-arm64"),
        ("darwin", "x86_64", "darwin-x64"),
        ("win32", "AMD64", "windows-x64"),
        ("win32", "ARM64", "windows-arm64"),
        ("freebsd14", "amd64", "freebsd-x64"),
        ("freebsd14", "arm64", None),  # npm has no freebsd-arm64
        ("linux", "riscv64", None),
        ("sunos5", "x86_64", None),
    ],
)
def test_the_platform_package_is_named_as_pagefinds_npm_wrapper_names_it(system, machine, expected):
    assert npm_platform(system, machine) == expected


def test_npm_integrity_becomes_poochs_hash():
    data = b"contenu"
    assert pooch_hash(integrity_of(data)) == "sha512:" + hashlib.sha512(data).hexdigest()


@posix_only
def test_the_pinned_release_is_downloaded_once_checked_and_kept(old_pypi, registry, tmp_path):
    program = choose_pagefind(environ(registry, tmp_path))
    assert program.version == PINNED_VERSION
    assert program.origin == f"registre npm, téléchargé dans {tmp_path / 'cache'}, empreinte vérifiée"
    assert program.note is None
    assert program.path == tmp_path / "cache" / f"pagefind-linux-x64-{PINNED_VERSION}" / "pagefind_extended"
    assert registry.requests == [f"/@pagefind/linux-x64/-/linux-x64-{PINNED_VERSION}.tgz"]
    again = choose_pagefind(environ(registry, tmp_path))
    assert (again.path, again.version, again.note) == (program.path, program.version, None)
    assert again.label == f"Pagefind {PINNED_VERSION} (registre npm, empreinte vérifiée)"
    assert len(registry.requests) == 1  # kept: not downloaded again
    assert not list((tmp_path / "cache").glob(".unpacking-*"))


@posix_only
def test_a_package_that_does_not_match_its_pinned_integrity_is_refused(old_pypi, registry, tmp_path):
    registry.publish(npm_package("#!/bin/sh\necho 'pagefind 1.6.0'\necho altéré\n"))
    program = choose_pagefind(environ(registry, tmp_path))
    assert program.path == Path("/pypi/pagefind") and program.version == "1.5.2" and program.origin == "PyPI"
    assert program.note == (
        f"Recherche : Pagefind {PINNED_VERSION} non utilisé : le fichier reçu de "
        f"{registry.url}/@pagefind/linux-x64/-/linux-x64-{PINNED_VERSION}.tgz n'a pas l'empreinte publiée "
        "par le registre npm (fichier altéré ou registre miroir infidèle) ; il a été supprimé. "
        "L'index est écrit par Pagefind 1.5.2 (PyPI) : même site, recherches plus lentes sur les très gros sites."
    )
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []  # nothing kept, nothing unpacked


@posix_only
@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("#!/bin/sh\nexit 3\n", "le programme reçu ne fonctionne pas sur cette machine (CalledProcessError)"),
        ("#!/bin/sh\necho 'pagefind 1.5.0'\n", "le programme reçu se dit en version « 1.5.0 »"),
    ],
)
def test_a_received_program_that_does_not_run_as_expected_is_not_used(old_pypi, registry, tmp_path, monkeypatch, script, reason):
    package = npm_package(script)
    registry.publish(package)
    monkeypatch.setitem(NPM_INTEGRITY, "linux-x64", integrity_of(package))
    program = choose_pagefind(environ(registry, tmp_path))
    assert program.path == Path("/pypi/pagefind")
    assert f"non utilisé : {reason}. L'index est écrit par Pagefind 1.5.2 (PyPI)" in program.note


def test_an_unreachable_registry_leaves_pypis_program_with_a_french_note(old_pypi, tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_binary, "npm_platform", lambda: "linux-x64")
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    program = choose_pagefind({"npm_config_registry": closed, "FICHES_CACHE": str(tmp_path / "cache")})
    assert program.path == Path("/pypi/pagefind")
    assert program.note.startswith(
        f"Recherche : Pagefind {PINNED_VERSION} non utilisé : téléchargement impossible depuis "
        f"{closed}/@pagefind/linux-x64/-/linux-x64-{PINNED_VERSION}.tgz (ConnectionError)."
    )


def test_a_machine_npm_has_no_package_for_leaves_pypis_program(old_pypi, tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_binary, "npm_platform", lambda: None)
    program = choose_pagefind({"FICHES_CACHE": str(tmp_path / "cache")})
    assert program.path == Path("/pypi/pagefind")
    assert "non utilisé : le registre npm n'en a pas pour cette machine (" in program.note


@pytest.mark.parametrize("pypi_version", [PINNED_VERSION, "1.6.1", "2.0.0"])
def test_nothing_is_downloaded_once_pypi_has_the_release(registry, tmp_path, monkeypatch, pypi_version):
    monkeypatch.setattr(pagefind_binary, "pypi_binary", lambda: (Path("/pypi/pagefind"), pypi_version))
    program = choose_pagefind(environ(registry, tmp_path))
    assert (program.path, program.version, program.origin, program.note) == (Path("/pypi/pagefind"), pypi_version, "PyPI", None)
    assert registry.requests == []


def test_a_pre_release_on_pypi_is_older_than_the_pinned_release(registry, tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_binary, "pypi_binary", lambda: (Path("/pypi/pagefind"), f"{PINNED_VERSION}rc3"))
    choose_pagefind(environ(registry, tmp_path))
    assert len(registry.requests) == 1


@pytest.mark.parametrize("value", ["1", "oui", "TRUE"])
def test_the_switch_keeps_pypis_program_without_a_download(old_pypi, registry, tmp_path, value):
    program = choose_pagefind(environ(registry, tmp_path, FICHES_PAGEFIND_SANS_NPM=value))
    assert (program.path, program.origin, program.note) == (Path("/pypi/pagefind"), "PyPI", None)
    assert registry.requests == []


def test_pagefind_binary_path_comes_first(registry, tmp_path):
    program = choose_pagefind(environ(registry, tmp_path, PAGEFIND_BINARY_PATH=sys.executable))
    assert program.path == Path(sys.executable)
    assert program.origin == "variable PAGEFIND_BINARY_PATH"
    assert registry.requests == []


def test_without_pagefind_bin_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pagefind_binary, "pypi_binary", lambda: None)
    with pytest.raises(PagefindError, match=r"programme Pagefind introuvable\. Installez les dépendances du projet"):
        choose_pagefind({})


def test_pypis_program_is_asked_of_its_wheel_not_of_the_environment(monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/ailleurs/pagefind")
    path, version = pagefind_binary.pypi_binary()
    assert path.is_file() and path != Path("/ailleurs/pagefind")
    assert version.count(".") >= 1


def test_the_build_log_names_the_program_and_why_the_pinned_one_was_not_used(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(
        site, "build", "--strict", "--site-dir", str(tmp_path / "html"),
        env={"npm_config_registry": "http://127.0.0.1:9", "FICHES_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr  # a note, not a warning: --strict passes offline
    pypi_version = pagefind_binary.pypi_binary()[1]
    if Version(pypi_version) >= Version(PINNED_VERSION):
        pytest.skip("PyPI a la version épinglée : rien n'est téléchargé")
    assert f"INFO    -  Recherche : Pagefind {PINNED_VERSION} non utilisé : téléchargement impossible" in result.stderr
    assert f"pages indexées par Pagefind {pypi_version} (PyPI) pendant le rendu" in result.stderr
    assert (tmp_path / "html" / "pagefind" / "pagefind.js").is_file()
    assert "Traceback" not in result.stderr


def test_builds_here_run_the_pinned_release():
    """The real choice, with the real registry and cache: under CI=true (whose
    network reaches the npm registry) the benchmarks and browser tests must
    run the release whose figures docs-dev/search.md gives."""
    program = choose_pagefind()
    if program.note and not in_ci():
        pytest.skip(program.note)
    assert program.note is None, program.note
    if program.origin.startswith("registre npm"):
        assert program.version == PINNED_VERSION


@posix_only
def test_a_cache_that_cannot_be_written_leaves_pypis_program(old_pypi, registry, tmp_path):
    (tmp_path / "fichier").write_text("pas un dossier\n", encoding="utf-8")
    program = choose_pagefind(environ(registry, tmp_path, FICHES_CACHE=str(tmp_path / "fichier" / "cache")))
    assert program.path == Path("/pypi/pagefind")
    assert f"non utilisé : impossible d'écrire dans {tmp_path / 'fichier' / 'cache'} (" in program.note


@posix_only
def test_a_package_without_the_program_leaves_pypis_program(old_pypi, registry, tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        member = tarfile.TarInfo("package/README.md")
        archive.addfile(member, io.BytesIO(b""))
    registry.publish(buffer.getvalue())
    monkeypatch.setitem(NPM_INTEGRITY, "linux-x64", integrity_of(buffer.getvalue()))
    program = choose_pagefind(environ(registry, tmp_path))
    assert f"linux-x64-{PINNED_VERSION}.tgz ne contient pas le programme attendu." in program.note


def test_a_registry_without_the_package_is_named_with_its_answer(old_pypi, registry, tmp_path):
    program = choose_pagefind(environ(registry, tmp_path, npm_config_registry=registry.url + "/miroir-vide"))
    assert f"/miroir-vide/@pagefind/linux-x64/-/linux-x64-{PINNED_VERSION}.tgz (réponse HTTP 404)." in program.note


@posix_only
@pytest.mark.parametrize("value", ["0", "non", ""])
def test_the_switch_off_still_takes_the_pinned_release(old_pypi, registry, tmp_path, value):
    program = choose_pagefind(environ(registry, tmp_path, FICHES_PAGEFIND_SANS_NPM=value))
    assert program.version == PINNED_VERSION and len(registry.requests) == 1
