"""`mkdocs serve --dirty` (the fast preview) rebuilds only the pages whose file
changed. Our pages also show other sheets (« À lire aussi », the successor of
an archived sheet): when a sheet changes, the pages that show it must be
rebuilt too, or the preview shows stale titles and links."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from helpers import REPO, copy_referentiel, copy_site, load_benchmark_module

pytestmark = pytest.mark.benchmark

generate = load_benchmark_module("generate_corpus")
run = load_benchmark_module("run")
SCHEMA = dataclasses.replace(load_schema(REPO), situations=())  # they name sheets of the real base

NEW_TITLE = "Titre changé pendant un aperçu du site"  # no apostrophe: pages escape it


@pytest.fixture()
def preview(tmp_path):
    """A generated site served by `mkdocs serve --dirty`; yields (site, base URL, corpus)."""
    content = tmp_path / "content"
    generate.generate_corpus(content, 16, seed=5, schema=SCHEMA)
    site = copy_site(tmp_path / "site", content)
    port = run.free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FICHES_SANS_RECHERCHE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while run.fetch(base, timeout=5) is None:
            assert server.poll() is None, "mkdocs serve --dirty s'est arrêté"
            assert time.monotonic() < deadline, "mkdocs serve --dirty ne répond pas"
            time.sleep(0.3)
        time.sleep(1.5)  # the file watcher's first snapshot
        yield site, base, load_corpus(site, SCHEMA)
    finally:
        server.terminate()
        server.wait(timeout=30)


def page(base: str, sheet) -> str:
    """The page's HTML with character references read and French spacing as plain spaces,
    so that a title is found as its front matter writes it (« 30 % », « d'orienter »)."""
    body = run.fetch(f"{base}{sheet.type.folder}/{sheet.slug}/", timeout=30)
    assert body is not None
    return html.unescape(body.decode("utf-8")).replace("\u00a0", " ").replace("\u202f", " ")


def wait_for(base: str, sheet, text: str) -> str:
    deadline = time.monotonic() + 120
    while True:
        shown = page(base, sheet)
        if text in shown:
            return shown
        assert time.monotonic() < deadline, f"« {text} » n'apparaît pas sur {sheet.id}"
        time.sleep(0.2)


def retitle(sheet, title: str) -> None:
    text = sheet.path.read_text(encoding="utf-8")
    sheet.path.write_text(re.sub(r"(?m)^titre: .*$", f'titre: "{title}"', text, count=1), encoding="utf-8")


def test_pages_that_show_an_edited_sheet_are_rebuilt(preview):
    site, base, corpus = preview
    published = {s.id: s for s in corpus.sheets if s.is_published}
    # A sheet that another published sheet lists in `liees`, the other one not listed back.
    target, citing = next(
        (published[ref], sheet)
        for sheet in published.values()
        for ref in sheet.related_ids
        if ref in published and sheet.id not in published[ref].related_ids
    )
    listed_by_target = [published[i] for i in target.related_ids if i in published]
    assert target.title in page(base, citing)
    retitle(target, NEW_TITLE)
    wait_for(base, target, NEW_TITLE)
    assert NEW_TITLE in page(base, citing), "« À lire aussi » of the citing sheet still shows the old title"
    for other in listed_by_target:  # they show the target as a sheet that cites them
        assert NEW_TITLE in page(base, other), f"{other.id} still shows the old title of {target.id}"
    listing = run.fetch(f"{base}{target.type.folder}/", timeout=30).decode("utf-8")
    assert NEW_TITLE in listing


def test_a_new_link_shows_on_the_page_it_points_to(preview):
    site, base, corpus = preview
    published = [s for s in corpus.sheets if s.is_published]
    source = published[0]
    target = next(s for s in published[1:] if s.id not in source.related_ids and source.id not in s.related_ids)
    assert source.title not in page(base, target)
    text = source.path.read_text(encoding="utf-8")
    if re.search(r"(?m)^liees: \[", text):
        text = re.sub(r"(?m)^liees: \[", f"liees: [{target.id}, ", text, count=1)
    else:
        text = text.replace("\nsources:", f"\nliees: [{target.id}]\nsources:", 1)
    source.path.write_text(text, encoding="utf-8")
    wait_for(base, source, target.title)
    assert source.title in page(base, target), "the backlink is missing on the page the new link points to"


def test_pages_to_refresh_follows_the_links_of_changed_sheets(tmp_path):
    from fiches_kb.incremental import pages_to_refresh
    from fiches_kb.site import load_site_content

    generate.generate_corpus(tmp_path, 30, seed=9, schema=SCHEMA, pages=None)
    copy_referentiel(tmp_path)  # without the home page's situations
    before = load_site_content(tmp_path, include_drafts=True)
    assert pages_to_refresh(None, before) == set()
    assert pages_to_refresh(before, load_site_content(tmp_path, include_drafts=True)) == set()
    assert pages_to_refresh(before, load_site_content(tmp_path, include_drafts=False)) >= {
        s.src_uri for s in before.sheets if s.is_published
    }

    archived = next(s for s in before.sheets if s.replaced_by)
    successor = before.by_id(archived.replaced_by)
    text = successor.path.read_text(encoding="utf-8")
    successor.path.write_text(text + "\nUne phrase de plus dans le texte.\n", encoding="utf-8")
    assert pages_to_refresh(before, load_site_content(tmp_path, include_drafts=True)) == set(), "body edits touch no other page"

    retitle(successor, NEW_TITLE)
    refresh = pages_to_refresh(before, load_site_content(tmp_path, include_drafts=True))
    assert archived.src_uri in refresh  # shows its successor's title
    citing = {s.src_uri for s in before.sheets if successor.id in s.related_ids}
    listed = {before.by_id(i).src_uri for i in successor.related_ids if before.by_id(i)}
    assert citing | listed <= refresh
    assert successor.src_uri not in refresh  # MkDocs redoes the edited file itself
