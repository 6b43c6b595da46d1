"""Which Pagefind program writes the index (fiches_kb.pagefind_binary): the
one `pagefind[bin]` installs from PyPI, or the one PAGEFIND_BINARY_PATH
names; nothing is downloaded while the site builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fiches_kb import pagefind_binary
from fiches_kb.pagefind_binary import DEFAULT_DELAY, PagefindError, PagefindProgram, answer_delay, choose_pagefind
from helpers import EXAMPLE_SITE, copy_site, run_mkdocs


def test_the_project_s_program_is_the_one_pagefind_bin_installs():
    path, version = pagefind_binary.pypi_binary()
    program = choose_pagefind({})
    assert (program.path, program.version, program.note) == (path, version, None)
    assert program.label == f"Pagefind {version}"
    assert version.startswith("1.")


def test_choosing_the_program_loads_no_network_library():
    """The build's index must not depend on whether a registry answered."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, fiches_kb.pagefind_binary as b; b.choose_pagefind({}); print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert not {"pooch", "requests", "urllib.request", "http.client"} & set(loaded)


def test_pagefind_binary_path_comes_first():
    program = choose_pagefind({"PAGEFIND_BINARY_PATH": sys.executable})
    assert program.path == Path(sys.executable)
    assert program.version == sys.version.split()[0]  # « Python 3.11.7 »: the last word, as « pagefind 1.5.2 »
    assert program.label == f"Pagefind {program.version} (variable PAGEFIND_BINARY_PATH)"
    assert program.note is None


def test_a_label_without_a_version_still_names_pagefind():
    assert PagefindProgram(Path("/x"), "").label == "Pagefind"
    assert PagefindProgram(Path("/x"), "", "variable PAGEFIND_BINARY_PATH").label == "Pagefind (variable PAGEFIND_BINARY_PATH)"


def test_without_pagefind_bin_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pagefind_binary, "pypi_binary", lambda: None)
    with pytest.raises(PagefindError, match=r"programme Pagefind introuvable\. Installez les dépendances du projet"):
        choose_pagefind({})


def test_pypis_program_is_asked_of_its_wheel_not_of_the_environment(monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/ailleurs/pagefind")
    path, version = pagefind_binary.pypi_binary()
    assert path.is_file() and path != Path("/ailleurs/pagefind")
    assert version.count(".") >= 1


@pytest.mark.parametrize(("value", "seconds"), [(None, DEFAULT_DELAY), ("", DEFAULT_DELAY), ("5", 5.0), (" 2,5 ", 2.5), ("0.2", 0.2)])
def test_the_time_limit_is_read_from_one_setting(value, seconds):
    environ = {} if value is None else {"FICHES_PAGEFIND_DELAI": value}
    assert answer_delay(environ) == seconds


@pytest.mark.parametrize("value", ["abc", "0", "-3", "inf", "nan"])
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused_in_french(value):
    with pytest.raises(PagefindError) as error:
        answer_delay({"FICHES_PAGEFIND_DELAI": value})
    assert str(error.value) == (
        f"Recherche : la variable FICHES_PAGEFIND_DELAI vaut « {value} ». "
        "Donnez un nombre de secondes (par exemple FICHES_PAGEFIND_DELAI=300), ou retirez la variable."
    )


def test_the_build_log_names_the_program(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"))
    assert result.returncode == 0, result.stderr
    version = pagefind_binary.pypi_binary()[1]
    assert f"pages indexées par Pagefind {version} pendant le rendu" in result.stderr
    assert (tmp_path / "html" / "pagefind" / "pagefind.js").is_file()
    assert "Traceback" not in result.stderr
