"""Search wiring, as built (no browser): what is marked for Pagefind, the
bundle written after the build, the header search box and the search page."""

from __future__ import annotations

import gzip
import json
import re

import pytest
import yaml

from fiches_kb.pagefind_stream import PagefindError
from fiches_kb.schema import load_schema
from fiches_kb.search import (
    FUNCTION_WORDS,
    UNUSED_BUNDLE_FILES,
    facet_table,
    mark_for_index,
    read_fragment,
    searchable_text,
    write_facet_table,
)
from helpers import EXAMPLE_SITE, FIXTURES, REPO, copy_site, page, published, referentiel, run_mkdocs, squash


def indexed_pages(site) -> set[str]:
    return {
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }


def test_only_sheets_listing_pages_and_training_modules_are_indexed(repo_site_build):
    ref = referentiel()
    sheets = {s["_url"] for s in published(REPO)}
    listings = {f"{t['dossier']}/" for t in ref["types"].values()}
    for folder, vocabulary in (("themes", "themes"), ("publics", "publics"), ("statuts", "statuts")):
        listings.add(f"{folder}/")
        listings |= {f"{folder}/{k}/" for k, v in ref[vocabulary].items() if v.get("publie", True)}
    modules = {f"parcours/{path.stem}/" for path in (REPO / "parcours").glob("*.yml")}
    assert modules
    assert indexed_pages(repo_site_build) == sheets | listings | modules
    for other in ("", "catalogue/", "recherche/", "a-relire/", "a-propos/", "contribuer/guide/"):
        assert "data-pagefind-body" not in (repo_site_build / other / "index.html").read_text(encoding="utf-8")


def test_sheet_pages_carry_filters_and_metadata(repo_site_build):
    sheet = next(s for s in published(REPO) if s["id"] == "FP-004")
    ref = referentiel()
    html = page(repo_site_build, sheet["_url"])
    body = html.find("article", data_pagefind_body="")
    assert body is not None and "md-content__inner" in body.classes
    filters = sorted(n.attrs["data-pagefind-filter"] for n in _all(body) if "data-pagefind-filter" in n.attrs)
    assert filters == sorted(
        [f"theme:{t}" for t in sheet["themes"]]
        + [f"public:{p}" for p in sheet["publics"]]
        + ["type:fiche", f"statut:{sheet['statut']}"]
    )
    meta = {n.attrs["data-pagefind-meta"].split(":", 1)[0]: n.attrs["data-pagefind-meta"].split(":", 1)[1] for n in _all(body) if "data-pagefind-meta" in n.attrs}
    # The other terms of the synonym groups the sheet uses (tests/test_search_synonyms.py).
    terms = {term for group in load_schema(REPO).synonyms for term in group}
    assert set(meta.pop("synonymes", "").split(", ")) - {""} <= terms
    assert meta == {
        "type": "Fiche pratique",
        "statut": ref["statuts"][sheet["statut"]]["libelle"],
        "statut_cle": sheet["statut"],
        "id": "FP-004",
        "resume": " ".join(sheet["resume"].split()),  # shown in results, as in the catalogue
        "essentiel": " ".join(sheet["essentiel"][0].split()),  # the first line of « L'essentiel », shown too
    }
    # The annotations are empty: they add no words to the index.
    assert all(squash(n.text()) == "" for n in _all(body) if "data-pagefind-meta" in n.attrs or "data-pagefind-filter" in n.attrs)


def _all(node):
    for child in node.children:
        if not isinstance(child, str):
            yield child
            yield from _all(child)


def test_a_theme_page_is_found_under_its_own_filter(repo_site_build):
    body = page(repo_site_build, "themes/donnees-personnelles").find("article", data_pagefind_body="")
    assert [n.attrs["data-pagefind-filter"] for n in _all(body) if "data-pagefind-filter" in n.attrs] == ["theme:donnees-personnelles"]
    meta = dict(n.attrs["data-pagefind-meta"].split(":", 1) for n in _all(body) if "data-pagefind-meta" in n.attrs)
    assert meta == {"type": "Liste de contenus", "resume": " ".join(referentiel()["themes"]["donnees-personnelles"]["description"].split())}


def test_a_training_module_is_found_by_its_title_and_shown_as_such(repo_site_build):
    """A training school searching a module's words finds its page, after the
    sheets (the facet table counts it with the listing pages)."""
    module = yaml.safe_load((REPO / "parcours" / "secret-et-donnees-personnelles.yml").read_text(encoding="utf-8"))
    url = "/parcours/secret-et-donnees-personnelles/"
    bundle = repo_site_build / "pagefind"
    record = next(read_fragment(f) for f in (bundle / "fragment").glob("*.pf_fragment") if read_fragment(f)["url"] == url)
    assert record["meta"]["title"] == module["titre"]
    assert record["meta"]["type"] == "Parcours de formation"
    assert record["meta"]["resume"] == " ".join(module["description"].split())
    assert "professionnel" in record["content"] and "numérique" in record["content"]
    table = json.loads((bundle / "facettes.json").read_text(encoding="utf-8"))
    fragment_id = next(f.name.split(".")[0] for f in (bundle / "fragment").glob("*.pf_fragment") if read_fragment(f)["url"] == url)
    assert fragment_id in table["listings"]


def test_the_pagefind_bundle_is_written_and_trimmed(repo_site_build):
    bundle = repo_site_build / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("pagefind.fr_*.pf_meta")), "a French index"
    # The search page filters with our facet table, never with Pagefind's filter chunks.
    assert (bundle / "facettes.json").is_file()
    assert not (bundle / "filter").exists()
    for name in UNUSED_BUNDLE_FILES:
        assert not (bundle / name).exists(), name


def test_the_facet_table_gives_every_indexed_page_the_filters_of_its_front_matter(repo_site_build):
    """pagefind/facettes.json, read by the search page: for each page Pagefind
    returns (by its id, the name of its fragment), the keys of its theme,
    audience, type and status; compared here with the raw front matter."""
    bundle = repo_site_build / "pagefind"
    table = json.loads((bundle / "facettes.json").read_text(encoding="utf-8"))
    names = [facet["name"] for facet in table["facets"]]
    assert sorted(names) == ["public", "statut", "theme", "type"]

    def decoded(row):
        return {name: sorted(table["facets"][i]["values"][v] for v in row[i]) for i, name in enumerate(names)}

    urls = {path.name.split(".")[0]: read_fragment(path)["url"] for path in (bundle / "fragment").glob("*.pf_fragment")}
    assert sorted(table["pages"]) == sorted(urls), "one row per indexed page, by Pagefind's page id"
    sheets = {"/" + s["_url"]: s for s in published(REPO)}
    for page_id, url in urls.items():
        facets = decoded(table["pages"][page_id])
        if url in sheets:
            sheet = sheets[url]
            assert facets == {
                "theme": sorted(sheet["themes"]),
                "public": sorted(sheet["publics"]),
                "type": [sheet["_type"]],
                "statut": [sheet["statut"]],
            }, url
            assert page_id not in table["listings"], url
        else:
            # A listing page: the filter of its own term, if any (a theme page
            # is found under its theme), as marked in its HTML.
            assert page_id in table["listings"], url
            body = page(repo_site_build, url.strip("/")).find("article", data_pagefind_body="")
            marked = [n.attrs["data-pagefind-filter"].split(":") for n in _all(body) if "data-pagefind-filter" in n.attrs]
            assert facets == {name: sorted(v for n, v in marked if n == name) for name in names}, url
    assert set(sheets) <= set(urls.values())
    assert "/themes/donnees-personnelles/" in [urls[i] for i in table["listings"]]
    assert decoded(table["pages"][next(i for i, u in urls.items() if u == "/themes/donnees-personnelles/")])["theme"] == [
        "donnees-personnelles"
    ]


def test_a_plain_query_needs_only_the_listing_pages_ids(repo_site_build):
    """pagefind/rubriques.json: the listings of the facet table alone, what the
    search page fetches for a query without filters (the table is for filters)."""
    bundle = repo_site_build / "pagefind"
    table = json.loads((bundle / "facettes.json").read_text(encoding="utf-8"))
    listings = json.loads((bundle / "rubriques.json").read_text(encoding="utf-8"))
    assert listings == {"listings": table["listings"]} and listings["listings"]
    assert (bundle / "rubriques.json").stat().st_size < (bundle / "facettes.json").stat().st_size / 4


def test_facet_table_lists_each_filter_s_values_once_and_each_page_by_position():
    fragments = {
        "fr_b": {"url": "/b/", "filters": {"theme": ["sante", "acces"], "type": ["fiche"]}},
        "fr_a": {"url": "/a/", "filters": {"theme": ["acces"]}},
        "fr_c": {"url": "/c/"},
    }
    assert facet_table(fragments) == {
        "facets": [{"name": "theme", "values": ["acces", "sante"]}, {"name": "type", "values": ["fiche"]}],
        "pages": {"fr_a": [[0], []], "fr_b": [[0, 1], [0]], "fr_c": [[], []]},
        "listings": ["fr_a", "fr_b", "fr_c"],
    }
    fragments["fr_b"]["meta"] = {"id": "FP-001", "title": "B"}
    assert facet_table(fragments)["listings"] == ["fr_a", "fr_c"]


@pytest.mark.parametrize(
    "content",
    [b"not gzip at all", gzip.compress(b'{"url": "/x/"}'), gzip.compress(b"pagefind_dcd{broken json")],
    ids=["not-gzip", "no-signature", "broken-json"],
)
def test_an_unreadable_fragment_stops_with_a_french_message_and_no_table(tmp_path, content):
    fragments = tmp_path / "pagefind" / "fragment"
    fragments.mkdir(parents=True)
    (fragments / "fr_bon.pf_fragment").write_bytes(gzip.compress(b'pagefind_dcd{"url": "/a/", "filters": {}}'))
    (fragments / "fr_abime.pf_fragment").write_bytes(content)
    with pytest.raises(PagefindError) as error:
        write_facet_table(tmp_path / "pagefind")
    assert str(error.value).startswith("Recherche : fragment illisible dans l'index (fr_abime.pf_fragment")
    assert not (tmp_path / "pagefind" / "facettes.json").exists()


def indexed_text(bundle, url: str) -> str:
    """The text Pagefind indexed for a page, read back from its fragment."""
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        record = read_fragment(fragment)
        if record["url"] == url:
            return record["content"]
    raise AssertionError(f"no fragment for {url}")


def as_indexed(text: str) -> str:
    """`text` as Pagefind stores it: through `searchable_text`, white space collapsed."""
    return " ".join(searchable_text(text).split())


def test_a_sheet_is_indexed_by_its_own_words_not_by_what_every_sheet_repeats(repo_site_build):
    sheet = next(s for s in published(REPO) if s["id"] == "FP-004")
    text = indexed_text(repo_site_build / "pagefind", "/" + sheet["_url"])
    assert as_indexed(sheet["titre"]) in text and as_indexed(sheet["resume"]) in text
    assert "Sources" in text, "the sources the sheet cites are its own text"
    # Status box, metadata table, "À lire aussi" (search.EXCLUDED) and the
    # print-only footer (a <footer>, which Pagefind skips by itself): the
    # same words on every sheet, or other sheets' titles.
    status = referentiel()["statuts"][sheet["statut"]]
    for repeated in ("À lire aussi", "Version en ligne", "Numérique et travail social", status["description"][:40], "Thème"):
        assert repeated not in text, repeated


def test_no_page_loads_search_code_or_index_by_itself(repo_site_build):
    """A page view costs nothing for search: only the search page loads its script."""
    for path in repo_site_build.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name != "recherche":
            assert "pagefind.js" not in text and "recherche.js" not in text, path
        assert "search_index.json" not in text
    assert not (repo_site_build / "search").exists(), "Material's search index must not be built"


def test_header_search_box_is_a_named_get_form_to_the_search_page(repo_site_build):
    html = page(repo_site_build, "fiches/faire-avec-les-personnes")
    form = html.find("form", cls="fiches-recherche-entete")
    assert form.attrs["role"] == "search"
    assert form.attrs["aria-label"] == "Rechercher dans les fiches"
    assert form.attrs["method"] == "get" and form.attrs["action"] == "../../recherche/"
    field = form.find("input")
    assert field.attrs["type"] == "search" and field.attrs["name"] == "q"
    label = form.find("label", **{"for": field.attrs["id"]})
    assert squash(label.text()) == "Rechercher dans les fiches"
    assert squash(form.find("button").text()) == "Rechercher"
    assert html.find(cls="md-search") is None, "Material's search dialog is gone"


def test_header_is_materials_own_with_the_search_box_last_in_its_bar(repo_site_build):
    """main.html adds the box to Material's rendered header instead of
    keeping a copy of Material's header template."""
    html = page(repo_site_build, "fiches/faire-avec-les-personnes")
    headers = html.find_all("header", cls="md-header")
    assert len(headers) == 1
    bar = headers[0].find("nav", cls="md-header__inner")
    items = [child for child in bar.children if not isinstance(child, str)]
    assert items[-1].tag == "form" and "fiches-recherche-entete" in items[-1].classes
    assert len(html.find_all("form", cls="fiches-recherche-entete")) == 1
    # Material's own parts of the bar are all there, before the box.
    assert bar.find("a", cls="md-logo") is not None
    assert bar.find("label", cls="md-header__button", **{"for": "__drawer"}) is not None
    assert squash(bar.find(cls="md-header__topic").text()) == squash(html.find("title").text()).split(" - ")[-1]


def test_search_page_offers_filters_by_theme_and_audience_and_explains_without_javascript(repo_site_build):
    html = page(repo_site_build, "recherche")
    assert squash(html.find("h1").text()).rstrip("¶") == "Rechercher"
    form = html.find("form", data_recherche="")
    assert form.attrs["method"] == "get"
    # A second search landmark on the page: its own name (axe-core: landmark-unique).
    assert form.attrs["role"] == "search" and form.attrs["aria-label"] == "Recherche détaillée"
    assert squash(form.find("label", **{"for": "recherche-q"}).text()) == "Mots recherchés"
    legends = [squash(l.text()) for l in form.find_all("legend")]
    assert legends == ["Thème", "Public", "Type de contenu", "Statut de validation"]
    ref = referentiel()
    theme_boxes = [b.attrs["value"] for b in form.find("fieldset", data_facette="theme").find_all("input")]
    assert theme_boxes == list(ref["themes"])
    status = html.find("p", data_recherche_etat="")
    assert status.attrs["role"] == "status" and status.attrs["aria-live"] == "polite"
    noscript = squash(html.find("noscript").text())
    assert noscript.startswith("La recherche dans le texte a besoin de JavaScript. Sans JavaScript, le catalogue des fiches")


def test_mark_for_index_marks_the_content_article_only():
    html = '<main><article class="md-content__inner md-typeset">\n<h1>T</h1></article></main>'
    assert mark_for_index(html, "<span x></span>") == (
        '<main><article data-pagefind-body class="md-content__inner md-typeset"><span x></span>\n<h1>T</h1></article></main>'
    )
    assert mark_for_index("<main>rien</main>", "") is None


def test_the_index_is_built_by_default_and_can_be_skipped(tmp_path, example_site_build):
    assert (example_site_build / "pagefind" / "pagefind.js").is_file()
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env={"FICHES_SANS_RECHERCHE": "1"})
    assert result.returncode == 0, result.stderr
    assert "INFO    -  Recherche : index non construit (FICHES_SANS_RECHERCHE=1), la recherche ne trouvera rien." in result.stderr
    assert not (tmp_path / "html" / "pagefind").exists()
    # With the index, sheet articles are rendered early and fed to Pagefind
    # (hooks/search_index.py): the pages must be the same, byte for byte.
    pages = sorted(p.relative_to(example_site_build) for p in example_site_build.rglob("*.html") if "pagefind" not in p.parts)
    assert pages == sorted(p.relative_to(tmp_path / "html") for p in (tmp_path / "html").rglob("*.html"))
    assert [str(p) for p in pages if (example_site_build / p).read_bytes() != (tmp_path / "html" / p).read_bytes()] == []


def _bundle_pages(bundle) -> list[str]:
    """One fragment per indexed page, named by a hash of its URL, text, filters and metadata."""
    return sorted(p.name for p in (bundle / "fragment").glob("*.pf_fragment"))


def test_pages_fed_during_the_build_give_the_same_pages_as_indexing_the_finished_site(tmp_path, example_site_build):
    """The build hands each sheet to Pagefind as soon as its article is
    rendered (fiches_kb.pagefind_stream, `sheet_document`); indexing the
    finished pages instead (`indexable_document`, what a dirty build does),
    through Pagefind's own Python API, gives the same pages, with the same
    addresses, text, filters and metadata."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from pagefind.index import IndexConfig, PagefindIndex

    from fiches_kb.search import EXCLUDED, indexable_document, page_url

    folders = ("fiches", "pratiques-inspirantes", "themes", "publics", "statuts", "types")
    finished = sorted(p for folder in folders for p in (example_site_build / folder).rglob("*.html"))
    # Training modules' pages, not the list of modules (parcours/index.html).
    finished += sorted(p for p in (example_site_build / "parcours").glob("*/index.html"))

    async def index_finished_pages():
        config = IndexConfig(exclude_selectors=EXCLUDED, output_path=str(tmp_path / "reference"))
        async with PagefindIndex(config=config) as index:
            for path in finished:
                url = page_url(path.relative_to(example_site_build).as_posix())
                await index.add_html_file(content=indexable_document(path.read_text(encoding="utf-8")), url=url)
        return len(finished)

    # In a thread: Playwright's tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        count = thread.submit(asyncio.run, index_finished_pages()).result()
    streamed = _bundle_pages(example_site_build / "pagefind")
    assert count == len(streamed) > 10
    assert _bundle_pages(tmp_path / "reference") == streamed


def test_streaming_index_writes_a_bundle_and_reports_a_refused_page(tmp_path):
    from fiches_kb.pagefind_stream import PagefindError, StreamingIndex

    page = '<html lang="fr"><body><main data-pagefind-body><h1>Titre</h1><p>Données personnelles</p></main></body></html>'
    index = StreamingIndex({"exclude_selectors": []})
    for number in range(30):
        index.add_page(page.replace("Titre", f"Titre {number}"), f"/p{number}/")
    assert index.write(tmp_path / "bundle") == 30
    assert len(_bundle_pages(tmp_path / "bundle")) == 30
    index.close()  # idempotent

    broken = StreamingIndex({"exclude_selectors": []})
    broken.add_page(page, "/ok/")
    broken._index_id = 999  # an index this Pagefind does not have: it answers with an error
    broken.add_page(page, "/refused/")
    with pytest.raises(PagefindError, match="Pagefind a refusé 1 page"):
        broken.write(tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_the_bundle_can_be_written_in_the_background(tmp_path):
    """start_write returns at once; no page can be added afterwards;
    finish_write gives the same bundle as write."""
    from fiches_kb.pagefind_stream import PagefindError, StreamingIndex

    page = '<html lang="fr"><body><main data-pagefind-body><h1>Titre</h1><p>Accès aux droits</p></main></body></html>'
    index = StreamingIndex({"exclude_selectors": []})
    for number in range(20):
        index.add_page(page.replace("Titre", f"Titre {number}"), f"/p{number}/")
    index.start_write(tmp_path / "bundle")
    with pytest.raises(PagefindError, match="^Recherche : page « /tard/ » reçue après le début de l'écriture de l'index.$"):
        index.add_page(page, "/tard/")
    assert index.finish_write() == 20
    assert len(_bundle_pages(tmp_path / "bundle")) == 20

    reference = StreamingIndex({"exclude_selectors": []})
    for number in range(20):
        reference.add_page(page.replace("Titre", f"Titre {number}"), f"/p{number}/")
    assert reference.write(tmp_path / "reference") == 20
    assert _bundle_pages(tmp_path / "reference") == _bundle_pages(tmp_path / "bundle")


def test_the_bundle_is_begun_after_the_last_indexable_page(tmp_path):
    """Pagefind writes the bundle while MkDocs renders the pages that are not
    indexed (the catalogue and « À relire » come last); a dirty build, which
    renders only some pages, writes it at the end."""
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    html = tmp_path / "html"
    result = run_mkdocs(site, "build", "--strict", "--verbose", "--site-dir", str(html))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    begun = [n for n, line in enumerate(lines) if "écriture de l'index commencée" in line]
    assert len(begun) == 1, result.stderr[-3000:]
    rendered_after = [line.split("Building page ")[-1] for line in lines[begun[0] :] if "Building page " in line]
    assert "catalogue/index.md" in rendered_after
    assert "a-relire/index.md" in rendered_after
    assert (html / "pagefind" / "pagefind.js").is_file()
    assert not any((html / "pagefind" / name).exists() for name in UNUSED_BUNDLE_FILES)

    result = run_mkdocs(site, "build", "--dirty", "--verbose", "--site-dir", str(html))
    assert result.returncode == 0, result.stderr
    assert "écriture de l'index commencée" not in result.stderr
    assert (html / "pagefind" / "pagefind.js").is_file()


def test_a_build_that_fails_after_the_bundle_is_begun_leaves_no_bundle(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    (site / "hooks" / "panne_catalogue.py").write_text(
        "from mkdocs.exceptions import PluginError\n\n\n"
        "def on_post_page(output, page, config):\n"
        "    if page.file.src_uri.startswith('catalogue/'):\n"
        "        raise PluginError('Panne simulée du catalogue.')\n"
        "    return output\n",
        encoding="utf-8",
    )
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - hooks/search_index.py", "  - hooks/search_index.py\n  - hooks/panne_catalogue.py"),
        encoding="utf-8",
    )
    html = tmp_path / "html"
    result = run_mkdocs(site, "build", "--verbose", "--site-dir", str(html))
    assert result.returncode == 1
    assert "Panne simulée du catalogue." in result.stderr
    assert "écriture de l'index commencée" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (html / "pagefind").exists()


def test_a_stopped_pagefind_fails_cleanly(tmp_path):
    from fiches_kb.pagefind_stream import PagefindError, StreamingIndex

    index = StreamingIndex({"exclude_selectors": []})
    index._process.kill()
    index.add_page("<html><body>x</body></html>", "/x/")
    with pytest.raises(PagefindError, match="^Recherche : Pagefind s'est arrêté avant de répondre.") as error:
        index.write(tmp_path / "never")
    assert "refusé" not in str(error.value)
    assert not (tmp_path / "never").exists()


def _within(seconds: float, action):
    """Run action in a thread; its result or exception, or a failure if it hangs."""
    import threading

    outcome = {}

    def run():
        try:
            outcome["value"] = action()
        except BaseException as error:  # reported to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return outcome


def test_requests_after_pagefind_is_gone_fail_at_once(tmp_path):
    """Once Pagefind's output has ended, nobody can answer: a request made
    after that must fail, not wait forever (the build would hang)."""
    from pathlib import Path

    from fiches_kb.pagefind_stream import PagefindError, StreamingIndex

    for _ in range(20):  # a Pagefind that stops at once, however fast the reader is
        outcome = _within(10, lambda: StreamingIndex({}, executable=Path("/bin/false")))
        assert isinstance(outcome.get("error"), PagefindError), outcome
        assert str(outcome["error"]).startswith("Recherche : Pagefind s'est arrêté avant de répondre.")

    index = StreamingIndex({"exclude_selectors": []})
    index._process.kill()
    index._process.wait(10)  # its input and output are closed
    index.add_page("<html><body>x</body></html>", "/x/")
    outcome = _within(10, lambda: index.write(tmp_path / "never"))
    assert isinstance(outcome.get("error"), PagefindError), outcome
    assert not (tmp_path / "never").exists()


def test_pages_are_sent_without_waiting_yet_a_service_that_reads_one_request_at_a_time_cannot_hang(tmp_path):
    """add_page writes into Pagefind's input and returns; answers are read
    as they come. A service that stops reading until its answers are read
    (this stand-in; Pagefind reads in a thread of its own) must not make
    the build wait forever with both pipes full."""
    import sys

    from fiches_kb.pagefind_stream import StreamingIndex

    stand_in = tmp_path / "pagefind"
    stand_in.write_text(
        f"#!{sys.executable}\n" + (FIXTURES / "pagefind" / "service_pas_a_pas.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    stand_in.chmod(0o755)
    page = "<html><body>" + "Données personnelles. " * 2000 + "</body></html>"  # 44 kB

    def feed_and_write():
        index = StreamingIndex({}, executable=stand_in)
        for number in range(300):  # 13 MB in, 800 kB of answers out
            index.add_page(page, f"/p{number}/")
        return index.write(tmp_path / "bundle")

    outcome = _within(30, feed_and_write)
    assert outcome.get("value") == 300, outcome


def test_a_dirty_build_indexes_every_page_not_only_the_rendered_ones(tmp_path):
    """`mkdocs serve --dirty` renders only what changed; the index must still
    hold every indexable page, with the edited one up to date."""
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    html = tmp_path / "html"
    assert run_mkdocs(site, "build", "--strict", "--site-dir", str(html)).returncode == 0
    before = _bundle_pages(html / "pagefind")
    sheet = site / "fiches" / "proteger-les-donnees.md"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("\n## ", "\nUne phrase ajoutée pendant l'aperçu.\n\n## ", 1), encoding="utf-8")
    result = run_mkdocs(site, "build", "--dirty", "--site-dir", str(html))
    assert result.returncode == 0, result.stderr
    after = _bundle_pages(html / "pagefind")
    assert len(after) == len(before)
    assert len(set(before) - set(after)) == 1, "only the edited sheet's fragment changed"


def test_pagefind_is_given_the_head_and_the_content_article_only():
    from fiches_kb.search import indexable_document

    page = (
        '<html lang="fr"><head><title>T</title></head><body dir="ltr"><header>menu</header>'
        '<article data-pagefind-body class="md-content__inner"><article class="fiche"><h1>T</h1></article><p>fin</p></article>'
        "<footer>pied</footer></body></html>"
    )
    assert indexable_document(page) == (
        '<html lang="fr"><head><title>T</title></head><body dir="ltr">'
        '<article data-pagefind-body class="md-content__inner"><span data-pagefind-meta="title:T"></span>'
        '<article class="fiche"><h1>T</h1></article><p>fin</p></article>'
        "</body></html>"
    )
    assert indexable_document("<html><body>pas d'article</body></html>") == "<html><body>pas d'article</body></html>"


def test_a_missing_or_failing_pagefind_stops_the_build_with_a_french_message(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    not_a_program = tmp_path / "pas-un-programme"
    not_a_program.write_text("texte\n", encoding="utf-8")
    for binary, message in (
        ("/bin/false", "ERROR   -  Recherche : Pagefind s'est arrêté avant de répondre."),
        (str(tmp_path / "absent"), f"ERROR   -  Recherche : la variable PAGEFIND_BINARY_PATH vaut « {tmp_path / 'absent'} », qui n'est pas un fichier."),
        ("", "ERROR   -  Recherche : la variable PAGEFIND_BINARY_PATH est vide. Donnez le chemin d'un programme Pagefind"),
        (str(tmp_path), f"ERROR   -  Recherche : la variable PAGEFIND_BINARY_PATH vaut « {tmp_path} », qui n'est pas un fichier."),
        (str(not_a_program), "ERROR   -  Recherche : impossible de lancer Pagefind (Permission denied : "),
    ):
        result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env={"PAGEFIND_BINARY_PATH": binary})
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("written", "indexed"),
    [
        ("La protection de l'enfance et des familles", "protection enfance familles"),
        ("L’accès aux droits, c’est qu’il faut le dire", "accès droits, est faut dire"),
        ("Ce que dit le droit à l'image : « De la prudence »", "dit droit image : « prudence »"),
        # Kept: words that change the meaning, « est », compound words, numbers.
        ("Sans le consentement, pas de partage sous aucun prétexte", "Sans consentement, pas partage sous aucun prétexte"),
        ("Grand Est, peut-être aujourd'hui, c'est-à-dire", "Grand Est, peut-être aujourd'hui, est-à-dire"),
        ("au-delà des aidants et/ou des proches", "au-delà aidants et/ou proches"),
        ("La loi de 1978 et l’article 9", "loi 1978 article 9"),
        ("L'article L. 1110-4, la vitamine D", "article L. 1110-4, vitamine D"),
        # Punctuation stuck to a function word goes with it.
        ("Les recommandations (de la CNIL), à lire", "recommandations CNIL), lire"),
        ("Texte sans mot vide", "Texte sans mot vide"),
        # An elision after opening punctuation: the punctuation stays, the elided word goes.
        ("Le journal (l'Avenir) et « l'aide »", "journal (Avenir) « aide »"),
    ],
)
def test_searchable_text_has_no_function_words_and_straight_apostrophes(written, indexed):
    assert searchable_text(written) == indexed


def test_searchable_text_keeps_words_on_either_side_of_a_tag_apart():
    assert searchable_text("  Voir la\n") == " Voir "
    assert searchable_text("journée d'étude de l'") == "journée étude "  # then « <a>Association</a> »
    assert searchable_text(" de la ") == " "
    assert searchable_text("de") == ""
    assert searchable_text("\n\t") == "\n\t"


def test_function_words_are_one_list_of_lowercase_words_kept_out_of_index_and_queries():
    assert all(word == word.lower() and word.isalpha() for word in FUNCTION_WORDS)
    assert {"sans", "pas", "sous", "est"}.isdisjoint(FUNCTION_WORDS)
    assert {"de", "la", "l", "à", "a", "qu", "et"} <= FUNCTION_WORDS


def test_searchable_document_keeps_attributes_and_markup_and_gives_the_title_as_written():
    from fiches_kb.search import sheet_document

    article = "<h1>Protéger l’enfance &amp; <em>l’image</em></h1><p>Aujourd’hui, la <a href=\"/de/la/\" title=\"de la\">page de l'usager</a> &lt;b&gt;.</p>"
    annotations = '<span data-pagefind-meta="statut:En cours d’écriture"></span>'
    document = sheet_document(article, annotations, "fr", "Protéger l’enfance")
    assert '<p>Aujourd\'hui, <a href="/de/la/" title="de la">page usager</a> &lt;b&gt;.</p>' in document
    assert "<h1>Protéger enfance &amp; <em>image</em></h1>" in document
    assert 'data-pagefind-meta="title:Protéger l’enfance &amp; l’image"' in document
    assert annotations in document


def test_pagefind_indexes_no_function_words_and_shows_titles_and_labels_as_written(tmp_path):
    """Through Pagefind itself: its stored text (the fragment) has no
    function words and straight apostrophes; the title and metadata it
    shows are as written."""
    from fiches_kb.pagefind_stream import StreamingIndex
    from fiches_kb.search import sheet_document

    article = "<h1>Protéger l’enfance &amp; <em>l’image</em></h1><p>Aujourd’hui, l’usager de la maison d’accueil.</p>"
    annotations = '<span data-pagefind-meta="statut:En cours d’écriture"></span>'
    index = StreamingIndex({"exclude_selectors": []})
    index.add_page(sheet_document(article, annotations, "fr", "Protéger l’enfance"), "/fiche/")
    assert index.write(tmp_path / "bundle") == 1
    (fragment,) = (read_fragment(p) for p in (tmp_path / "bundle" / "fragment").glob("*.pf_fragment"))
    assert fragment["meta"]["title"] == "Protéger l’enfance & l’image"
    assert fragment["meta"]["statut"] == "En cours d’écriture"
    assert fragment["content"] == "Protéger enfance & image. Aujourd'hui, usager maison accueil."


def test_no_indexed_page_of_the_site_has_function_words(repo_site_build):
    words = re.compile(r"(?<![\w'/-])[^\W\d_]+(?![\w'/-])")  # parts of « au-delà », « et/ou » stay
    # Single letters only when elided: « L@Min », « n° 3102 » stay.
    standalone = {w for w in FUNCTION_WORDS if len(w) > 1 or w in ("a", "à", "y")}
    for path in (repo_site_build / "pagefind" / "fragment").glob("*.pf_fragment"):
        content = read_fragment(path)["content"]
        assert not {w.lower() for w in words.findall(content)} & standalone, path
        assert not re.search(r"(?<![\w'-])(?:l|d|qu|n|s|c)'\w", content, re.I), path
        assert "’" not in content


def test_the_search_page_gives_its_script_the_same_function_words(repo_site_build):
    form = page(repo_site_build, "recherche").find("form", data_recherche="")
    assert set(form.attrs["data-mots-vides"].split()) == FUNCTION_WORDS


