"""The search page measure of benchmarks/search_weight.py keeps working as
the page changes: run on the built real site, with two queries, it times
each state of the page (each query's time the median of its runs) and
reports what filters without a query fetch."""

from __future__ import annotations

import re

import pytest

# load_benchmark_module puts benchmarks/ on sys.path, where search_weight finds run.py.
from helpers import load_benchmark_module

pytestmark = pytest.mark.benchmark

search_weight = load_benchmark_module("search_weight")


def test_search_page_times_cover_every_state_of_the_page(browser, site_url):
    queries = ["secret professionnel", "mineurs"]
    report = search_weight.search_page_times(browser, site_url, queries, repeat=3)
    for state in search_weight.SEARCH_PAGE_STATES:
        times = report[state]
        assert set(times["by_query"]) == set(queries), state
        assert all(isinstance(ms, int) and 0 <= ms < 30_000 for ms in times["by_query"].values()), times
        assert times["max_ms"] == max(times["by_query"].values())
        assert times["median_ms"] in times["by_query"].values()
        # Each query's time is the median of its three runs: never above the slowest run.
        assert times["max_sample_ms"] >= times["max_ms"]
    without_query = report["filters_without_query"]
    assert re.fullmatch(
        r"(1\u00a0contenu correspond|\d+\u00a0contenus correspondent) aux filtres\. "
        r"Saisissez des mots pour chercher dans leur texte\.",
        without_query["status"],
    ), without_query
    # Only the facet table: no Pagefind file before a query.
    assert without_query["search_files"]["requests"] == 1
    assert list(without_query["search_files"]["compressed_by_kind"]) == ["json"]

