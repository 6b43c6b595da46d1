"""Which Pagefind program writes the search index.

Pagefind 1.6 answers broad queries 2 to 3 times faster than 1.5 on a
5,000-sheet site (it groups the matching words by page before scoring them:
docs-dev/search.md, « Which Pagefind program »). PyPI's `pagefind[bin]`, our
dependency, stops at 1.5.2 (checked 2026-12-04); the npm registry has had
1.6.0 for every platform since 2026-11-01, one package per platform
(`@pagefind/linux-x64`...), the way Pagefind's own npm wrapper installs it.
Until PyPI catches up, the build takes that package from the npm registry,
checks it against the integrity npm publishes for it (pinned below), and
keeps it in the user's cache; pooch does the download, the check and the
cache (it is the well-kept library for exactly that), `unpack_program`
takes the one program out of the package.

The program, in this order:
1. `PAGEFIND_BINARY_PATH`, when set (the `pagefind` package reads it too);
2. the PyPI binary, when it is at least `PINNED_VERSION` (then nothing is
   downloaded: remove this module's npm step once the floor in
   pyproject.toml reaches it), or when `FICHES_PAGEFIND_SANS_NPM=1`;
3. Pagefind `PINNED_VERSION` from the npm registry (`npm_config_registry`
   names a mirror, as for npm itself);
4. if that fails (offline, unknown platform, wrong integrity, a program
   that does not run), the PyPI binary, with a note saying why: the site is
   the same, only searches on very large sites are slower.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import importlib
import logging
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Mapping

from packaging.version import Version

from .settings import setting_on

BINARY_ENV = "PAGEFIND_BINARY_PATH"
NO_NPM_ENV = "FICHES_PAGEFIND_SANS_NPM"
CACHE_ENV = "FICHES_CACHE"  # where the npm package is kept (default: the user's cache)
REGISTRY_ENV = "npm_config_registry"  # npm's own setting for a mirror
DEFAULT_REGISTRY = "https://registry.npmjs.org"

PINNED_VERSION = "1.6.0"
# `dist.integrity` of each platform package, as published by the npm
# registry (`npm view @pagefind/linux-x64@1.6.0 dist.integrity`, 2026-12-04).
NPM_INTEGRITY = {
    "linux-x64": "sha512-IbMSx/+Vr/Xk0TTBlLkjgK+rvnbOXGmmb2/MKxQu99AR5DsqQoV3NKEA9PQz2tAhuCZjeD5xJBp4w5N5DHIC7Q==",
    "linux-arm64": "sha512-SLB2I+XqCZma8NvIGIH8nyKblgKIxw5PmqsVtofWOKxNHhEtOEsddbqU+hsrNcT3EV0faM6UmKDHVIxcPYq29w==",
    "darwin-arm64": "sha512-611gl64aqN12UcMyKPtZ8+vRWBKlJFSh2JgO8uScxa1Eyjo1dXz9r4wZuRno0yCUE/KN0FauEoKZ3KEwUYHCCg==",
    "darwin-x64": "sha512-rd3ZbtuxyYqjASKZAPuIV7eeQQHJ7VYpoNKKG8CvglaD3g30eT5Nb7XGNLYwVReBsCccpkURwrGwWjSwr8nyQQ==",
    "windows-x64": "sha512-cUA2+yXfbymdJllyMjY5YTBwuOgh0/H53Pn5fYKjDnDjk154Ft4U5RVj3TenWySPL/jG6zJfARUWSlyUyXHlZw==",
    "windows-arm64": "sha512-wUrniW3REr7VWJHz6xE6F/p/AQgHDFpGZiY9sbWT71KfEijDE5Jnc37V8zc7cilV9h/QkwJGXoEP2+ZLwDmhtw==",
    "freebsd-x64": "sha512-d+sXqsaThszmPWGVDSRKqIz9GpZcj/bAksNZfg19asSxU0ogNPOMND4kV4giQvOjPFMsltUFf6hQJfoHQ6+hSQ==",
}
# The PyPI wheels of `pagefind[bin]` and `pagefind[extended]`.
PYPI_BINARY_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")

_ARCHITECTURES = {"x86_64": "x64", "amd64": "x64", "x64": "x64", "aarch64": "arm64", "arm64": "arm64"}


class PagefindError(Exception):
    """Pagefind refused a request, stopped, or cannot be found; the message says why, in French."""


@dataclass(frozen=True)
class PagefindProgram:
    path: Path
    version: str  # as the program gives it, e.g. "1.6.0"; "" when unknown
    origin: str  # in French, for the build log: where the program comes from
    note: str | None = None  # in French: why the preferred program was not used

    @property
    def label(self) -> str:
        """« Pagefind 1.6.0 (registre npm, empreinte vérifiée) », for the build log."""
        return f"Pagefind {self.version} ({self.origin})" if self.version else f"Pagefind ({self.origin})"


def npm_platform(system: str | None = None, machine: str | None = None) -> str | None:
    """The npm package suffix for this machine (« linux-x64 »), as Pagefind's
    npm wrapper names it (`lib/resolveBinary.js`), or None if npm has none."""
    system = sys.platform if system is None else system
    machine = platform.machine() if machine is None else machine
    name = next((n for n in ("linux", "darwin", "freebsd") if system.startswith(n)), None)
    if system in ("win32", "cygwin"):
        name = "windows"
    architecture = _ARCHITECTURES.get(machine.lower())
    suffix = f"{name}-{architecture}"
    return suffix if name and architecture and suffix in NPM_INTEGRITY else None


def pooch_hash(integrity: str) -> str:
    """npm's « sha512-<base64> » as pooch's « sha512:<hex> »."""
    algorithm, _, digest = integrity.partition("-")
    return f"{algorithm}:{base64.b64decode(digest).hex()}"


def pypi_binary() -> tuple[Path, str] | None:
    """The binary of `pagefind[bin]` (or `pagefind[extended]`) and its
    version, or None if neither wheel is installed. Asked of the wheels
    themselves: `pagefind.service.get_executable` would answer with
    PAGEFIND_BINARY_PATH or whatever `pagefind` is on the PATH."""
    for package in PYPI_BINARY_PACKAGES:
        try:
            module = importlib.import_module(package)
            return Path(module.get_executable()), version(package)
        except (ImportError, PackageNotFoundError):
            continue
    return None


def program_version(path: Path) -> str:
    """The version a Pagefind program gives (`pagefind --version` prints
    « pagefind 1.6.0 »); raises OSError or subprocess errors if it does not run."""
    done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.strip().rpartition(" ")[2]


def cache_dir(environ: Mapping[str, str]) -> Path:
    chosen = environ.get(CACHE_ENV, "").strip()
    if chosen:
        return Path(chosen)
    import pooch

    return Path(pooch.os_cache("fiches-kb"))


def fetch_npm_binary(suffix: str, registry: str, folder: Path) -> tuple[Path, bool]:
    """Pagefind `PINNED_VERSION` for the platform `suffix`, from the npm
    registry into `folder`: the package is downloaded once and checked
    against its pinned integrity on every call (pooch); its program is
    unpacked once. Returns the program and whether the package was
    downloaded by this call. Raises PagefindError, in French, if it cannot."""
    import pooch
    import requests

    tarball = f"{registry.rstrip('/')}/@pagefind/{suffix}/-/{suffix}-{PINNED_VERSION}.tgz"
    name = f"pagefind-{suffix}-{PINNED_VERSION}.tgz"
    already_there = (folder / name).is_file()
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # its English « Downloading data from... »: our log says it in French
    try:
        package = Path(
            pooch.retrieve(
                tarball,
                known_hash=pooch_hash(NPM_INTEGRITY[suffix]),
                fname=name,
                path=folder,
            )
        )
        return unpack_program(package, suffix, folder / f"pagefind-{suffix}-{PINNED_VERSION}"), not already_there
    except ValueError:  # pooch's error for a file whose hash differs
        raise PagefindError(
            f"le fichier reçu de {tarball} n'a pas l'empreinte publiée par le registre npm "
            "(fichier altéré ou registre miroir infidèle) ; il a été supprimé"
        ) from None
    except requests.RequestException as error:
        response = getattr(error, "response", None)
        why = f"réponse HTTP {response.status_code}" if response is not None else type(error).__name__
        raise PagefindError(f"téléchargement impossible depuis {tarball} ({why})") from None
    except OSError as error:
        raise PagefindError(f"impossible d'écrire dans {folder} ({error.strerror or type(error).__name__})") from None
    except (tarfile.TarError, KeyError):
        raise PagefindError(f"le paquet {tarball} ne contient pas le programme attendu") from None
    finally:
        logger.setLevel(level)


def unpack_program(package: Path, suffix: str, destination: Path) -> Path:
    """The program of an npm platform package, unpacked into `destination`
    once. Unpacked into a fresh folder renamed into place, so that builds
    started together (tests, a CI job) never run a half-written program;
    only the one member is read, so no path in the archive is followed."""
    name = "pagefind_extended.exe" if suffix.startswith("windows") else "pagefind_extended"
    program = destination / name
    if program.is_file():
        return program
    unpacking = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=destination.parent))
    try:
        with tarfile.open(package, "r:gz") as archive:
            source = archive.extractfile(f"package/bin/{name}")
            if source is None:
                raise KeyError(f"package/bin/{name}")
            (unpacking / name).write_bytes(source.read())
        (unpacking / name).chmod(0o755)
        try:
            unpacking.rename(destination)
        except OSError:
            if program.is_file():  # another build got there first
                return program
            shutil.rmtree(destination)  # a folder left by something else
            unpacking.rename(destination)
    finally:
        shutil.rmtree(unpacking, ignore_errors=True)
    return program


def explicit_binary(environ: Mapping[str, str]) -> Path | None:
    """PAGEFIND_BINARY_PATH, checked: None when unset."""
    chosen = environ.get(BINARY_ENV)
    if chosen is None:
        return None
    if not Path(chosen).is_file():
        # The `pagefind` package would take an empty value for "." and a
        # folder for a program: the error would not name the variable.
        value = f"vaut « {chosen} », qui n'est pas un fichier" if chosen.strip() else "est vide"
        raise PagefindError(
            f"Recherche : la variable {BINARY_ENV} {value}. "
            f"Donnez le chemin d'un programme Pagefind, ou retirez la variable (`unset {BINARY_ENV}`) "
            "pour utiliser celui qu'installe le projet."
        )
    return Path(chosen)


def choose_pagefind(environ: Mapping[str, str] | None = None) -> PagefindProgram:
    """The Pagefind program for this build (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    chosen = explicit_binary(environ)
    if chosen is not None:
        try:
            found = program_version(chosen)
        except (OSError, subprocess.SubprocessError):
            found = ""  # starting it will say what is wrong, in the build's own words
        return PagefindProgram(chosen, found, f"variable {BINARY_ENV}")
    installed = pypi_binary()
    if installed is None:
        raise PagefindError(
            "Recherche : programme Pagefind introuvable. Installez les dépendances du projet "
            "(`pip install -e .`, qui installe « pagefind[bin] »)."
        )
    path, installed_version = installed
    from_pypi = PagefindProgram(path, installed_version, "PyPI")
    if Version(installed_version) >= Version(PINNED_VERSION):
        return from_pypi
    if setting_on(environ, NO_NPM_ENV):
        return from_pypi
    suffix = npm_platform()
    if suffix is None:
        reason = f"le registre npm n'en a pas pour cette machine ({sys.platform}, {platform.machine()})"
    else:
        registry = environ.get(REGISTRY_ENV, "").strip() or environ.get(REGISTRY_ENV.upper(), "").strip() or DEFAULT_REGISTRY
        try:
            folder = cache_dir(environ)
            binary, downloaded = fetch_npm_binary(suffix, registry, folder)
            found = program_version(binary)
            if found != PINNED_VERSION:
                raise PagefindError(f"le programme reçu se dit en version « {found} »")
            # A first build says that it downloaded something, and where it keeps it.
            origin = f"registre npm, téléchargé dans {folder}, empreinte vérifiée" if downloaded else "registre npm, empreinte vérifiée"
            return PagefindProgram(binary, found, origin)
        except PagefindError as error:
            reason = str(error)
        except (OSError, subprocess.SubprocessError) as error:
            reason = f"le programme reçu ne fonctionne pas sur cette machine ({type(error).__name__})"
    note = (
        f"Recherche : Pagefind {PINNED_VERSION} non utilisé : {reason}. L'index est écrit par Pagefind "
        f"{installed_version} (PyPI) : même site, recherches plus lentes sur les très gros sites."
    )
    return PagefindProgram(path, installed_version, "PyPI", note)
