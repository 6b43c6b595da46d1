"""Measure the two candidate search engines on a corpus: Material's lunr
search (`plugins: [search: {lang: fr}]`) and Pagefind as wired here.

    .venv/bin/python benchmarks/search_weight.py --content . --engine pagefind
    .venv/bin/python benchmarks/generate_corpus.py --sheets 1000 --out /tmp/c1000
    .venv/bin/python benchmarks/search_weight.py --content /tmp/c1000 --engine lunr

For each engine it builds the site (the repository's machinery, with the
content of --content), then prints, as JSON:
- build time, size of the search index on disk (raw and gzip);
- bytes fetched by a first page load (a sheet page), and how many of them
  are search index, in Chromium;
- bytes fetched by a first query (Pagefind: opening the search page with
  ?q=; lunr: typing in Material's search box after the page has loaded);
- the results of French queries with and without accents, singular and
  plural, and the time of a query once the engine is loaded: the first
  time (Pagefind fetches the index chunks of the query's words and the
  first ten results) and repeated (everything already fetched);
- Pagefind: the time of the same queries on the search page itself, until
  their results are on screen, with the filters closed, open, and with a
  theme chosen (`search_page`), and what choosing a filter without a
  query fetches. This is the figure the target « results in < 100 ms once
  loaded » is judged on.

"Compressed" sizes are what a server with gzip would send: for each
response, the smaller of its raw size and its gzip size (Pagefind's chunks
are already compressed; JSON, JS, CSS and HTML compress well). Results
and times are for information: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

# The benchmark's own server, gzip measure and Chromium settings.
from generate_corpus import copy_content, copy_machinery  # noqa: E402
from run import CHROMIUM, CHROMIUM_ARGS, gz, pagefind_binary_version, static_server  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    "donnees personnelles",
    "données personnelles",
    "numerique",
    "numériques",
    "mediation",
    "médiations",
    "reseaux sociaux",
    "réseau social",
    "secret professionnel",
    "mineurs",
]


def make_site(content: Path, engine: str, destination: Path, pipeline: bool = False) -> Path:
    destination.mkdir(parents=True)
    copy_machinery(destination)
    copy_content(content, destination)
    # The site's scripts and styles are machinery too: a corpus may carry an old copy.
    shutil.rmtree(destination / "pages" / "assets", ignore_errors=True)
    shutil.copytree(REPO / "pages" / "assets", destination / "pages" / "assets")
    if engine == "lunr":
        config = destination / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        search = "plugins:\n  - search:\n      lang: fr"
        if pipeline:  # stemming and stop words, as Material documents for non-English languages
            search += "\n      pipeline: [stemmer, stopWordFilter, trimmer]"
        text = re.sub(r"^plugins: \[\]$", search, text, flags=re.M)
        text = text.replace("  - hooks/search_index.py\n", "")
        text = re.sub(r"^  - Rechercher: recherche/index.md\n", "", text, flags=re.M)
        config.write_text(text, encoding="utf-8")
        # Material's own header, with its search box.
        (destination / "overrides/partials/header.html").unlink()
    return destination


def build(site: Path, output: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(output)],
        cwd=site,
        # No PDFs unless asked (FICHES_PDF=oui): they have nothing to do with search,
        # and a cold build of 5,000 sheets' PDFs takes most of an hour.
        env={"FICHES_PDF": "non", **os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return time.perf_counter() - started


def folder_size(path: Path) -> tuple[int, int]:
    raw = packed = 0
    for file in path.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            raw += len(data)
            packed += gz(data)
    return raw, packed


class Recorder:
    """Sizes of every response seen by a page, raw and as gzip would send them."""

    def __init__(self, page):
        self.responses: list[tuple[str, int, int]] = []
        page.on("response", self._on_response)

    def _on_response(self, response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        self.responses.append((urlparse(response.url).path, len(body), gz(body)))

    def mark(self) -> int:
        return len(self.responses)

    def total(self, since: int = 0, only=lambda path: True) -> dict:
        chosen = [r for r in self.responses[since:] if only(r[0])]
        kinds: dict[str, int] = {}
        for path, _, packed in chosen:
            kind = path.rsplit("/", 1)[-1].split("_")[0].split(".")[-1] if "/pagefind/" in path else path
            kind = {"fr": path.rsplit(".", 1)[-1]}.get(kind, kind)
            kinds[kind] = kinds.get(kind, 0) + packed
        return {
            "requests": len(chosen),
            "raw": sum(r[1] for r in chosen),
            "compressed": sum(r[2] for r in chosen),
            "compressed_by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:8]),
        }


def is_index(path: str) -> bool:
    return path.startswith("/pagefind/") or path.endswith("search_index.json")


def _evaluate_with_retry(page, url: str, script: str, query: str) -> dict:
    """Pagefind's worker sometimes fails to load its metadata on this loaded
    machine ("Failed to load Pagefind metadata"): reload once and retry."""
    try:
        return page.evaluate(script, query)
    except Exception:
        page.goto(url + "/", wait_until="networkidle")
        return page.evaluate(script, query)


def measure_pagefind(browser, url: str, sheet_url: str) -> dict:
    page = browser.new_page()
    recorder = Recorder(page)
    page.goto(url + sheet_url, wait_until="networkidle")
    first_page = recorder.total()
    first_page["index"] = recorder.total(only=is_index)["compressed"]
    mark = recorder.mark()
    page.goto(url + "/recherche/?q=" + quote(QUERIES[0]), wait_until="networkidle")
    page.wait_for_selector("[data-recherche-etat]:not(:empty)")
    first_query = recorder.total(mark, only=is_index)
    # The other queries from a fresh page that imports Pagefind itself.
    page.goto(url + "/", wait_until="networkidle")
    mark = recorder.mark()
    results, times = {}, []
    for query in QUERIES:
        found = _evaluate_with_retry(
            page,
            url,
            """async (q) => {
                const pf = await import('/pagefind/pagefind.js');
                const t = performance.now();
                const s = await pf.search(q);
                const top = await Promise.all(s.results.slice(0, 10).map(r => r.data()));
                return {count: s.results.length, ms: performance.now() - t,
                        top: top.slice(0, 3).map(d => d.meta.id || d.meta.title)};
            }""",
            query,
        )
        times.append(found.pop("ms"))
        results[query] = found
    later_queries = recorder.total(mark, only=is_index)
    # The same queries again: their index chunks and fragments are loaded,
    # so this is the time of the search itself and of reading the results.
    warm = []
    for query in QUERIES:
        warm.append(
            page.evaluate(
                """async (q) => {
                    const pf = await import('/pagefind/pagefind.js');
                    const t = performance.now();
                    const s = await pf.search(q);
                    await Promise.all(s.results.slice(0, 10).map(r => r.data()));
                    return performance.now() - t;
                }""",
                query,
            )
        )
    page.close()
    return {
        "search_page": search_page_times(browser, url),
        "first_page": first_page,
        "first_query_index": first_query,
        "nine_more_queries_index": later_queries,
        "results": results,
        "query_ms_median": statistics.median_high(times),
        "query_ms_max": max(times),
        "repeated_query_ms_median": statistics.median_high(warm),
        "repeated_query_ms_max": max(warm),
    }


SEARCH_PAGE_STATES = ("filters_closed", "filters_open", "one_theme_chosen")
SEARCH_PAGE_REPEAT = 5


def search_page_times(browser, url: str, queries=QUERIES, repeat: int = SEARCH_PAGE_REPEAT) -> dict:
    """Time of a query on the search page itself, as a reader gets it:
    from the query's submission to its first results on screen (the page
    writes it in `data-duree-ms`: Pagefind's search in its worker, our
    filtering and counts, the data of the first ten results, the DOM).
    Three states, each in a fresh page: filters closed; filters open (the
    facet table loaded, every count updated on each query); one theme
    chosen. Each query is run once untimed (it fetches what it needs), then
    `repeat` times; its time is the median of those runs, because on this
    2-core machine one run of the same query varies by tens of
    milliseconds (Chromium's page, Pagefind's worker and the server share
    the cores). `max_sample_ms` is the slowest single run. Then the filters
    without a query: the bytes of the search files fetched, and the time."""

    def submit(page, query: str) -> int:
        page.eval_on_selector("[data-recherche-resultats]", "list => list.removeAttribute('data-duree-ms')")
        page.fill("#recherche-q", query)
        page.press("#recherche-q", "Enter")
        # The page sets the attribute when the results are shown (and removes
        # it when a query starts); the list may be empty, hence "attached".
        page.wait_for_selector("[data-recherche-resultats][data-duree-ms]", state="attached", timeout=60_000)
        # Then the status line is completed (the words that match nothing,
        # one Pagefind search per word): the next query must not wait behind
        # those searches, as a reader's next query, seconds later, does not.
        page.wait_for_selector("[data-recherche-resultats][data-recherche-fin]", state="attached", timeout=60_000)
        return int(page.get_attribute("[data-recherche-resultats]", "data-duree-ms"))

    def open_filters(page):
        page.click("[data-recherche-filtres] > summary")
        page.wait_for_selector("[data-compte]:not(:empty)", state="attached", timeout=60_000)

    def choose_first_theme(page):
        page.locator("[data-facette=theme] input").first.check()
        page.wait_for_selector("[data-recherche-resultats][data-duree-ms]", state="attached", timeout=60_000)

    report = {}
    for state in SEARCH_PAGE_STATES:
        page = browser.new_page()
        page.goto(url + "/recherche/", wait_until="networkidle")
        if state != "filters_closed":
            open_filters(page)
        if state == "one_theme_chosen":
            choose_first_theme(page)
        for query in queries:
            submit(page, query)
        samples = {query: [] for query in queries}
        for _ in range(repeat):
            for query in queries:
                samples[query].append(submit(page, query))
        page.close()
        by_query = {query: statistics.median_high(runs) for query, runs in samples.items()}
        times = sorted(by_query.values())
        report[state] = {
            "median_ms": statistics.median_high(times),
            "max_ms": times[-1],
            "max_sample_ms": max(max(runs) for runs in samples.values()),
            "by_query": by_query,
        }
    page = browser.new_page()
    recorder = Recorder(page)
    page.goto(url + "/recherche/", wait_until="networkidle")
    mark = recorder.mark()
    open_filters(page)
    choose_first_theme(page)
    report["filters_without_query"] = {
        "ms": int(page.get_attribute("[data-recherche-resultats]", "data-duree-ms")),
        "search_files": recorder.total(mark, only=is_index),
        "status": page.locator("[data-recherche-etat]").inner_text(),
    }
    page.close()
    return report


def measure_lunr(browser, url: str, sheet_url: str) -> dict:
    page = browser.new_page()
    recorder = Recorder(page)
    started = time.perf_counter()
    page.goto(url + sheet_url, wait_until="networkidle")
    first_page = recorder.total()
    first_page["index"] = recorder.total(only=is_index)["compressed"]
    mark = recorder.mark()
    results, times = {}, []
    for query in QUERIES:
        field = page.locator("input[data-md-component=search-query]")
        field.click()
        field.fill("")
        t = time.perf_counter()
        field.type(query)
        # Material writes the count in .md-search-result__meta once the worker answers.
        page.wait_for_function(
            "q => document.querySelector('.md-search-result__meta') && "
            "document.querySelector('input[data-md-component=search-query]').value === q && "
            "!/Initialisation|Saisissez|Type to/.test(document.querySelector('.md-search-result__meta').textContent)",
            arg=query,
            timeout=120_000,
        )
        page.wait_for_timeout(300)
        times.append((time.perf_counter() - t) * 1000)
        meta = page.locator(".md-search-result__meta").inner_text()
        titles = page.locator(".md-search-result__item > .md-search-result__link h1").all_inner_texts()[:3]
        results[query] = {"count_text": meta, "top": titles}
        page.keyboard.press("Escape")
    query_bytes = recorder.total(mark, only=is_index)
    page.close()
    return {
        "first_page": first_page,
        "first_query_index": query_bytes,
        "results": results,
        "query_ms_median_incl_typing": statistics.median_high(times),
        "seconds_until_ready": round(time.perf_counter() - started, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True, help="folder with fiches/, pratiques-inspirantes/, pages/")
    parser.add_argument("--engine", choices=["pagefind", "lunr"], required=True)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--pipeline", action="store_true", help="lunr: set Material's search pipeline (stemmer, stop words)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix=f"search-{args.engine}-"))
    try:
        site = make_site(args.content.resolve(), args.engine, work / "src", args.pipeline)
        output = args.keep or work / "html"
        seconds = build(site, output)
        index_dir = output / ("pagefind" if args.engine == "pagefind" else "search")
        raw, packed = folder_size(index_dir)
        sheet = next(p for p in sorted((output / "fiches").glob("*/index.html")))
        sheet_url = "/" + sheet.parent.relative_to(output).as_posix() + "/"
        with static_server(output) as base, sync_playwright() as playwright:
            url = base.rstrip("/")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            measured = (measure_pagefind if args.engine == "pagefind" else measure_lunr)(browser, url, sheet_url)
            browser.close()
        report = {
            "engine": args.engine + (" + pipeline" if args.pipeline and args.engine == "lunr" else ""),
            "pagefind_binary": pagefind_binary_version() if args.engine == "pagefind" else None,
            "content": str(args.content),
            "sheets": sum(1 for _ in (output / "fiches").glob("*/index.html"))
            + sum(1 for _ in (output / "pratiques-inspirantes").glob("*/index.html")),
            "build_seconds": round(seconds, 1),
            "index_on_disk": {"raw": raw, "compressed": packed},
            **measured,
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
