"""What a first query transfers, over many queries, on built sites.

    .venv/bin/python benchmarks/first_query_weight.py --site /work/bench/a --site /work/bench/b

For each site (a folder built by `mkdocs build`, e.g. kept by
`search_weight.py --keep`) and each query of `data/first-queries.txt`, in a
fresh Chromium context: open a sheet page, then the search page with the
query (`recherche/?q=`), with `run.py`'s own code for its three queries
(`run.first_search`), and count the compressed bytes of every response the
sheet page had not already fetched (the search page, our script, Pagefind's
files). Prints, as JSON,
per site: the median, 90th percentile and largest of those totals, the
queries over the target (300 kB), and every query's bytes with the index
chunks it fetched. For information: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from run import CHROMIUM, CHROMIUM_ARGS, Recorder, first_search, static_server  # noqa: E402

QUERY_FILE = Path(__file__).resolve().parent / "data" / "first-queries.txt"
TARGET_BYTES = 300_000


def read_queries(path: Path = QUERY_FILE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def first_query(browser, url: str, sheet_path: str, query: str) -> dict:
    """Bytes of a first query made from a sheet page, in a fresh context:
    the sheet page as `run.browser_measures` opens it, then `run.first_search`."""
    context = browser.new_context()
    recorder = Recorder()
    context.on("response", recorder)
    page = context.new_page()
    page.goto(url + sheet_path, wait_until="networkidle")
    page.wait_for_timeout(300)
    entry = first_search(page, recorder, url, query)
    entry["status"] = page.locator("[data-recherche-etat]").inner_text()
    context.close()
    return entry


def measure_site(browser, url: str, sheet_path: str, queries: list[str]) -> dict:
    by_query = {query: first_query(browser, url, sheet_path, query) for query in queries}
    totals = sorted(entry["bytes"] for entry in by_query.values())
    return {
        "queries": len(totals),
        "median": statistics.median(totals),
        "p90": totals[int(len(totals) * 0.9)],
        "max": totals[-1],
        "over_target": {q: e["bytes"] for q, e in by_query.items() if e["bytes"] > TARGET_BYTES},
        "by_query": by_query,
    }


def any_sheet_page(site: Path) -> str:
    """The first sheet page of a built site, as a path below its root."""
    page = min((site / "fiches").glob("*/index.html"))
    return page.parent.relative_to(site).as_posix() + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", required=True, type=Path, help="a built site folder (repeatable)")
    parser.add_argument("--queries", type=Path, default=QUERY_FILE)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    queries = read_queries(args.queries)
    report = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for site in args.site:
                with static_server(site) as base:
                    report[str(site)] = measure_site(browser, base, any_sheet_page(site), queries)
                    summary = {k: v for k, v in report[str(site)].items() if k != "by_query"}
                    print(f"{site}: {json.dumps(summary, ensure_ascii=False)}", file=sys.stderr)
        finally:
            browser.close()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
