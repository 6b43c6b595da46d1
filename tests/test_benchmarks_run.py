"""benchmarks/run.py measures what it says it measures. No timing is asserted:
only that each measure is taken, on the right files, and reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fiches_kb.schema import load_schema
from helpers import REPO, build_site, copy_site, load_benchmark_module

pytestmark = pytest.mark.benchmark

generate = load_benchmark_module("generate_corpus")
SCHEMA = load_schema(REPO)
run = load_benchmark_module("run")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("bench-content")
    generate.generate_corpus(content, 12, seed=4, schema=SCHEMA)
    return content


@pytest.fixture(scope="module")
def small_build(small_corpus, tmp_path_factory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("bench-site"), small_corpus)
    return build_site(site, tmp_path_factory.mktemp("bench-html"))


def test_first_load_counts_the_page_and_what_it_references(small_corpus, small_build):
    slug = run.first_sheet_slug(small_corpus)
    page = small_build / "fiches" / slug / "index.html"
    load = run.static_first_load(small_build, page)
    assert load["missing"] == []
    assert load["search_index"] == 0
    assert load["requests"] >= 3  # the page, at least one stylesheet and one script
    assert load["bytes"] > run.gz(page.read_bytes())


def test_compressed_size_never_exceeds_the_raw_size():
    assert run.gz(b"a" * 1000) < 1000
    already_compressed = __import__("gzip").compress(bytes(range(256)) * 4)
    assert run.gz(already_compressed) == len(already_compressed)


def test_baseline_is_plain_material_with_every_page_and_the_search_plugin(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "SETTLE_S", 0)  # no pause for the disk before the timed build
    source = run.machinery(None, tmp_path)
    site = run.assemble_baseline(small_corpus, tmp_path / "baseline", source)
    config = json.loads((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]
    assert "hooks" not in config and "nav" not in config
    assert config["theme"]["name"] == "material"
    built = run.timed_run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "html")], site, source.env, 300, tmp_path / "build.log"
    )
    assert built.returncode == 0, built.output
    slug = run.first_sheet_slug(small_corpus)
    page = tmp_path / "html" / "fiches" / slug / "index.html"
    assert page.is_file()
    load = run.static_first_load(tmp_path / "html", page)
    assert load["search_index"] > 0, "Material fetches its whole index with the first page"
    assert built.max_rss_mb > 0 and built.cpu_seconds > 0


def test_serve_rebuild_sees_the_edit_and_restores_the_sheet(small_corpus, tmp_path):
    source = run.machinery(None, tmp_path)
    site = run.assemble_ours(small_corpus, tmp_path / "site", source)
    slug = run.first_sheet_slug(small_corpus)
    sheet = site / "fiches" / f"{slug}.md"
    before = sheet.read_bytes()
    result = run.serve_rebuild(
        site, sheet, f"fiches/{slug}/", source.env, [], tmp_path / "serve.log", start_timeout=300, rebuild_timeout=120, edits=1
    )
    assert result.get("error") is None, (tmp_path / "serve.log").read_text()
    assert result["startup_s"] is not None and len(result["rebuild_s"]) == 1
    assert sheet.read_bytes() == before


def test_report_states_targets_and_skipped_baseline():
    empty = run.asdict(run.SiteResult())
    ours = {**empty, "build_s": 10.0, "build_cpu_s": 9.0, "sheets_per_s": 500.0, "check_s": 6.5, "check_cpu_s": 11.0, "check_warm_s": 1.5, "check_warm_cpu_s": 1.4,
            "page_bytes": 25_000, "first_load_static": {"bytes": 70_000, "search_index": 0, "requests": 7, "missing": []}}
    results = [
        {"sheets": 100, "counts": {"fiches": 80}, "sheet_path": "fiches/x", "ours": {**ours, "build_s": 0.2, "sheets_per_s": 500.0},
         "baseline": {**empty, "build_s": 1.0, "build_cpu_s": 1.0}},
        {"sheets": 5000, "counts": {"fiches": 4000}, "sheet_path": "fiches/x", "ours": {**ours, "sheets_per_s": 500.0},
         "baseline": {**empty, "skipped": "skipped (N > --baseline-max 1000)"}},
    ]
    text = run.report(results, {"date": "today", "machine": "test", "code": "here", "seed": 1})
    assert "skipped (N > --baseline-max 1000); earlier measure: 763 s (PRODUCT.md)" in text
    assert "[MET ] sheets/s at 5,000 within 20 % of 100" in text
    assert "[MET ] 5,000 sheets in <= 1/20 of plain Material: 10.0 s vs 763 s (earlier measure in PRODUCT.md)" in text
    assert "[MET ] fiches check on 5,000 sheets < 2 s when nothing changed: 1.50 s (CPU 1.40 s); every file checked again: 6.50 s" in text
    assert "[MET ] first sheet-page load <= 100 kB gz, no search index" in text


def test_command_line_runs_end_to_end(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "8", "--no-serve", "--no-browser", "--repeat", "2",
         "--settle", "0", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "N = 8 sheets" in result.stdout and "Targets:" in result.stdout
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    entry = saved["results"][0]
    assert entry["ours"]["build_ok"] and entry["baseline"]["build_ok"]
    assert entry["ours"]["check_s"] is not None and entry["ours"]["check_warm_s"] is not None
    # Two timed builds of each site, alternating; the median is the lower of two.
    for site in ("ours", "baseline"):
        assert len(entry[site]["build_samples_s"]) == 2
        assert entry[site]["build_s"] == min(entry[site]["build_samples_s"])
    assert "every timed build" in result.stdout
    assert result.stderr.index("ours: build 1/2") < result.stderr.index("baseline: build 1") < result.stderr.index("ours: build 2/2")
    # Only the assembled sites are left: every build folder is deleted after the timing.
    assert not list((tmp_path / "8").glob("*-html*"))


def test_plain_material_is_built_once_above_the_repeat_limit(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "8", "--no-serve", "--no-browser", "--repeat", "3",
         "--baseline-repeat-max", "4", "--settle", "0", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    entry = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["results"][0]
    assert len(entry["ours"]["build_samples_s"]) == 3 and len(entry["baseline"]["build_samples_s"]) == 1
    assert entry["ours"]["build_s"] == sorted(entry["ours"]["build_samples_s"])[1]


def test_the_median_build_is_the_middle_one():
    def build(seconds):
        return run.Run(seconds, seconds, 10.0, 0, "", 0.0)

    assert run.median_run([build(5.0), build(1.0), build(3.0)]).seconds == 3.0
    assert run.median_run([build(4.0), build(2.0)]).seconds == 2.0


def test_repeat_must_be_at_least_one(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        run.main(["--sizes", "8", "--repeat", "0", "--work", str(tmp_path)])
    assert stopped.value.code == 2
