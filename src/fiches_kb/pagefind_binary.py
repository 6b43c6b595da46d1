"""Which Pagefind program writes the search index, and how long it may take
to answer.

The program is the one the `pagefind[bin]` wheel installs (a dependency in
pyproject.toml), or the one `PAGEFIND_BINARY_PATH` names, for anyone who
wants another build of Pagefind. Nothing is downloaded while the site
builds: the same checkout and the same installed packages give the same
index, whatever the network does.

Every wait on the program has one time limit, `answer_delay()`:
`DEFAULT_DELAY` seconds, or `FICHES_PAGEFIND_DELAI` (tests, slow machines).

Nothing here imports MkDocs.
"""

from __future__ import annotations

import importlib
import os
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Mapping

BINARY_ENV = "PAGEFIND_BINARY_PATH"
DELAY_ENV = "FICHES_PAGEFIND_DELAI"
# Seconds Pagefind may stay silent while the build waits for it. Writing the
# bundle of 5,000 sheets takes under 10 s on a 2-core machine: the limit only
# catches a program that hangs.
DEFAULT_DELAY = 120.0
# The PyPI wheels of `pagefind[bin]` and `pagefind[extended]`.
PYPI_BINARY_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")


class PagefindError(Exception):
    """Pagefind refused a request, stopped, hung, or cannot be found; the message says why, in French."""


@dataclass(frozen=True)
class PagefindProgram:
    path: Path
    version: str  # as the program gives it, e.g. "1.5.2"; "" when unknown
    origin: str = ""  # in French, for the build log: where the program comes from, when not the project's own
    note: str | None = None  # in French, for the build log; None when there is nothing to say

    @property
    def label(self) -> str:
        """« Pagefind 1.5.2 », or « Pagefind 1.6.0 (variable PAGEFIND_BINARY_PATH) », for the build log."""
        name = f"Pagefind {self.version}" if self.version else "Pagefind"
        return f"{name} ({self.origin})" if self.origin else name


def answer_delay(environ: Mapping[str, str] | None = None) -> float:
    """Seconds to wait for Pagefind before giving up: FICHES_PAGEFIND_DELAI
    when it is a positive number, else DEFAULT_DELAY."""
    environ = os.environ if environ is None else environ
    value = environ.get(DELAY_ENV, "").strip().replace(",", ".")
    if not value:
        return DEFAULT_DELAY
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise PagefindError(
            f"Recherche : la variable {DELAY_ENV} vaut « {environ[DELAY_ENV]} ». "
            f"Donnez un nombre de secondes (par exemple {DELAY_ENV}=300), ou retirez la variable."
        )
    return seconds


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


def program_version(path: Path, delay: float | None = None) -> str:
    """The version a Pagefind program gives (`pagefind --version` prints
    « pagefind 1.5.2 »). Raises OSError or subprocess errors if it does not
    run; subprocess.TimeoutExpired (the program killed) if it does not
    answer within `delay` seconds (default: `answer_delay()`)."""
    done = subprocess.run(
        [str(path), "--version"],
        capture_output=True,
        text=True,
        timeout=answer_delay() if delay is None else delay,
        check=True,
    )
    return done.stdout.strip().rpartition(" ")[2]


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
    """The Pagefind program for this build: PAGEFIND_BINARY_PATH when set,
    else the one `pagefind[bin]` installs. Raises PagefindError, in French,
    when there is none, or when the one named does not answer in time."""
    environ = os.environ if environ is None else environ
    chosen = explicit_binary(environ)
    if chosen is not None:
        delay = answer_delay(environ)
        try:
            found = program_version(chosen, delay)
        except subprocess.TimeoutExpired:
            raise PagefindError(
                f"Recherche : Pagefind ({chosen}, variable {BINARY_ENV}) n'a pas donné sa version "
                f"en {delay:g} s (`--version`) ; il a été arrêté."
            ) from None
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
    return PagefindProgram(path, installed_version)
