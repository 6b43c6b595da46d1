"""The README gives exactly two commands (build, test), CI runs the very
same test command, and the README names every build setting."""

from __future__ import annotations

import re

from helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci/run").read_text(encoding="utf-8")


def readme_commands():
    section = README.split("## Les deux commandes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_commands_build_then_test():
    build, test = readme_commands()
    assert "\n" not in build and "\n" not in test
    assert build.endswith("mkdocs build --strict")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = readme_commands()
    assert test in CI.splitlines()


def test_ci_installs_chromium_and_pango_before_testing():
    install = CI.index("apt-get install")
    assert "chromium" in CI[install:].split("\n")[0]
    assert "libpango" in CI[install:].split("\n")[0]
    assert CI.index("export CI=true") < CI.index(readme_commands()[1])


def test_every_build_setting_is_documented_in_the_readme():
    settings = set()
    for path in [*(REPO / "src").rglob("*.py"), *(REPO / "hooks").glob("*.py")]:
        settings |= set(re.findall(r'"(FICHES_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    assert {"FICHES_SANS_RECHERCHE", "FICHES_PAGEFIND_DELAI"} <= settings  # the search finds them
    section = README.split("## Prévisualiser et vérifier", 1)[1].split("\n## ", 1)[0]
    assert not {s for s in settings if f"`{s}=" not in section}
