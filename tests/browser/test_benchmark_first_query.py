"""benchmarks/first_query_weight.py keeps working as the site changes: run on
the built real site with two queries, it counts what each first query
fetches after a sheet page, Pagefind's files and index chunks among them."""

from __future__ import annotations

import pytest

from helpers import load_benchmark_module

pytestmark = pytest.mark.benchmark

first_query_weight = load_benchmark_module("first_query_weight")


def test_the_query_list_is_read_without_comments_or_blank_lines():
    queries = first_query_weight.read_queries()
    assert len(queries) == len(set(queries)) >= 40
    assert not [q for q in queries if q.startswith("#") or not q.strip()]
    assert {"données personnelles", "secret professionnel", "aidants"} <= set(queries)  # run.py's three


def test_first_query_bytes_are_counted_after_a_sheet_page(browser, site_url, repo_site_build):
    sheet = first_query_weight.any_sheet_page(repo_site_build)
    report = first_query_weight.measure_site(browser, site_url + "/", sheet, ["secret professionnel", "mineurs"])
    assert report["queries"] == 2
    for query, entry in report["by_query"].items():
        assert entry["bytes"] > entry["pagefind_bytes"] > sum(entry["index_chunks"].values()) > 0, entry
        assert f"pour «\u00a0{query}\u00a0»" in entry["status"]
    assert report["max"] == max(e["bytes"] for e in report["by_query"].values())
    assert report["over_target"] == {}  # the real base is far below 300 kB
