"""The build keeps its state on one object, and the hooks run in the order it states.

Hooks are thin adapters: they keep nothing themselves (no `global`, no
module-level state), reach the build's state through `fiches_kb.build.BUILD`,
and where their order matters, `EVENT_ORDER` says so and MkDocs follows it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config

from fiches_kb.build import BUILD, EVENT_ORDER, Build, page_source
from helpers import REPO

HOOKS = sorted((REPO / "hooks").glob("*.py"))


@pytest.fixture(scope="module")
def events():
    """MkDocs' own list of what runs for each event, in the order it runs it."""
    config = load_config(str(REPO / "mkdocs.yml"))
    plugins = config.plugins
    return {
        event: [Path(plugins._event_origins[method]).stem for method in methods]
        for event, methods in plugins.events.items()
    }


@pytest.mark.parametrize("event", sorted(EVENT_ORDER))
def test_mkdocs_runs_the_hooks_of_an_event_in_the_stated_order(events, event):
    ran = [hook for hook in events[event] if hook in EVENT_ORDER[event]]
    assert ran == list(EVENT_ORDER[event])


def test_every_hook_of_the_site_is_listed_in_mkdocs_yml(events):
    listed = {hook for hooks in events.values() for hook in hooks}
    assert listed == {path.stem for path in HOOKS}


@pytest.mark.parametrize("path", HOOKS, ids=lambda path: path.name)
def test_a_hook_keeps_no_state_of_its_own(path):
    """No `global` statement, and at module level only constants (UPPER_CASE),
    the logger, imports, functions and classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal))]
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [target.id for target in targets if isinstance(target, ast.Name)]
            assert names and all(name.isupper() or name == "log" for name in names), ast.unparse(node)


@pytest.mark.parametrize("path", HOOKS, ids=lambda path: path.name)
def test_a_hook_reaches_the_build_s_state_through_build(path):
    source = path.read_text(encoding="utf-8")
    assert "config[" not in source.replace('config["site_dir"]', "")  # no state hidden in MkDocs' config
    if "BUILD" in source:
        assert "from fiches_kb.build import BUILD" in source


def test_each_generated_page_names_a_template_that_exists():
    templates = set()
    for path in HOOKS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".html"):
                templates.add(node.value)
    # redirection.html is a whole page of its own, rendered by hooks/permanent_urls.py.
    page_templates = {name for name in templates if "/" not in name and name not in ("index.html", "redirection.html")}
    assert {"fiche.html", "liste.html", "catalogue.html", "a-relire.html", "recherche.html"} <= page_templates
    for name in page_templates:
        assert (REPO / "overrides" / name).is_file(), name
        assert '{% extends "main.html" %}' in (REPO / "overrides" / name).read_text(encoding="utf-8")


def test_a_generated_page_names_its_template_in_its_front_matter():
    assert page_source("# Titre\n", "liste.html") == "---\ntemplate: liste.html\n---\n\n# Titre\n"


def test_a_new_build_forgets_the_last_one_and_stops_its_search_index():
    build = Build()
    stopped = []
    build.start("serve", dirty=True)
    build.content, build.listings, build.problems = "contenu", {"a.md": 1}, ["problème"]
    build.search = SimpleNamespace(stop=lambda: stopped.append(True))
    build.finished()
    build.begin()
    assert (build.content, build.listings, build.problems, build.search) == (None, {}, [], None)
    assert stopped == [True]
    assert (build.command, build.dirty, build.previous) == ("serve", True, "contenu")


def test_the_hooks_share_one_build_object():
    assert isinstance(BUILD, Build)
