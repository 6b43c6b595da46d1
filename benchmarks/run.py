"""Benchmark the site build against plain Material for MkDocs on synthetic corpora.

    .venv/bin/python benchmarks/run.py --sizes 100,1000,5000

For each corpus size N (see benchmarks/generate_corpus.py), it measures:
- `mkdocs build --strict` of our site (the repository's mkdocs.yml, hooks,
  overrides, referentiel.yml and pages/): wall time, sheets per second, peak
  RSS of the build process (os.wait4), number of HTML pages. The build is
  timed --repeat times (default 3), alternating with plain Material's, each
  time into a new folder (old builds are deleted after the timing); the
  median is reported, with every sample. Ours is timed cold (an empty
  cache folder, FICHES_CACHE, as on a fresh clone) and again as a rebuild
  with nothing changed and the cache kept (the build keeps per-file
  results there, as a writer's machine does between builds);
- `fiches check` on the same content (median of 3 runs, wall time of the
  whole command, Python start-up included);
- the HTML size of one sheet page (FP-0001, the same text at every N) and the
  median over sheet pages, raw and gzip-compressed;
- what a first visit of that sheet page transfers: the page and the CSS, JS
  and icons it references, gzip-compressed, computed from the built files; and,
  when Chromium is available (/usr/bin/chromium, Playwright's Python package),
  as fetched by the browser (bodies gzip-compressed here, since the test server
  does not compress);
- what a first search transfers, when the build has a search engine: with
  Pagefind (`site/pagefind/`), the requests of the search page for a query
  that were not already made by the sheet page, in Chromium; else
  "n/a (search not wired yet)";
- `mkdocs serve` (and `mkdocs serve --dirty`): time from saving an edit to one
  sheet to the served page showing the edit.

The same measures are taken on plain Material for MkDocs building the same
Markdown files (a docs/ folder with pages/, fiches/ and
pratiques-inspirantes/, every page in the nav, `plugins: [search]`, no hooks),
for N up to --baseline-max (default 1000: plain Material needs about 13 minutes
for 5,000 pages on a 2-core machine); above it, the figure measured earlier
and quoted in /work/shared/PRODUCT.md is printed instead.

Every wait is bounded. Results are printed as they come, then as a summary
against the targets, and written to <work>/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import html.parser
import http.server
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import REPO, SITE_MACHINERY, copy_content, copy_machinery, generate_corpus  # noqa: E402

CONTENT_FOLDERS = ("fiches", "pratiques-inspirantes")
CHROMIUM = os.environ.get("FICHES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
SEARCH_QUERIES = ["données personnelles", "secret professionnel", "aidants"]
# mkdocs serve variants measured on our site (VAR=value items go to the environment).
# FICHES_SANS_RECHERCHE=1 skips the Pagefind index (hooks/search_index.py).
SERVE_VARIANTS = [[], ["--dirty"], ["FICHES_SANS_RECHERCHE=1", "--dirty"]]
GZIP_LEVEL = 6  # what nginx and most CDNs use for gzip
# Plain Material for MkDocs, every page in the nav, measured earlier on this machine
# (/work/shared/PRODUCT.md, "Facts measured so far"); quoted when the baseline is skipped.
PREVIOUS_BASELINE = {
    100: {"build_s": 1.1, "first_load_kb": 195},
    1000: {"build_s": 35, "first_load_kb": 1180, "serve_s": 37, "page_kb": 466},
    5000: {"build_s": 763, "first_load_kb": 5500, "page_kb": 2200},
}
TARGETS = """\
- build sheets/s at 5,000 within 20 % of sheets/s at 100;
- 1,000 sheets built in <= 1/5 of plain Material's time, 5,000 in <= 1/20;
- sheet page HTML size independent of N (+-10 %) and small;
- `fiches check` on 5,000 sheets < 2 s;
- edited sheet rebuilt in <= 3 s at 1,000 sheets (mkdocs serve or the documented preview command);
- first sheet-page load <= 100 kB compressed, with no search index."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Processes ------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the process and the children it waited for
    max_rss_mb: float
    returncode: int
    output: str
    load: float  # 1-minute load average at the end: above the CPU count, wall times are inflated


# Seconds to wait after flushing the disk before each timed command
# (--settle), so that no command pays for writing back what the one before
# it left in memory. It does not cure what BENCHMARKS.md describes under
# « The disk of this machine »: on its ext4 disk, creating files where
# thousands were just deleted costs more after every cycle, whatever the wait.
SETTLE_S = 10.0


def settle_disk() -> None:
    """Flush pending writes and wait a little before a timed command."""
    os.sync()
    time.sleep(SETTLE_S)


def timed_run(command: list[str], cwd: Path, env: dict, timeout: float, log_file: Path) -> Run:
    """Run a command; wall time and the peak RSS of its process tree's largest process (wait4)."""
    settle_disk()
    with open(log_file, "wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                seconds = time.monotonic() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                seconds = time.monotonic() - start
                process.returncode = -9
                break
            time.sleep(0.02)
    output = log_file.read_text(encoding="utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, process.returncode, output, os.getloadavg()[0])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


# --- Sites ----------------------------------------------------------------


@dataclass
class Machinery:
    """Where the site's configuration and code come from: the working tree, or a commit."""

    root: Path
    env: dict[str, str]
    description: str


def machinery(ref: str | None, work: Path) -> Machinery:
    # No PDFs unless asked (FICHES_PDF=oui in the environment): plain Material makes none, and
    # their cost is measured on its own by benchmarks/pdf_cost.py.
    env = {"FICHES_PDF": "non", **os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FICHES_APERCU", None)
    head = git("rev-parse", "--short", "HEAD")
    if not ref:
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", *SITE_MACHINERY, "src", "pages")
        return Machinery(REPO, env, f"working tree at {head}" + (" (with uncommitted changes)" if dirty else ""))
    commit = git("rev-parse", "--short", ref)
    root = work / f"ref-{commit}"
    if not root.exists():
        root.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit, *SITE_MACHINERY, "src", "pages"], cwd=REPO, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root / "src"), env.get("PYTHONPATH")]))
    return Machinery(root, env, f"commit {commit}")


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return result.stdout.strip()


def assemble_ours(content: Path, site: Path, source: Machinery) -> Path:
    """Like tests/conftest.py:copy_site: our machinery plus the generated content."""
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    copy_machinery(site, source.root)
    copy_content(content, site)
    return site


def assemble_baseline(content: Path, site: Path, source: Machinery) -> Path:
    """Plain Material: same Markdown in one docs/ folder, every page in the nav, search plugin, no hooks."""
    if site.exists():
        shutil.rmtree(site)
    (site / "docs").mkdir(parents=True)
    for name in CONTENT_FOLDERS:
        shutil.copytree(content / name, site / "docs" / name)
    shutil.copytree(content / "pages", site / "docs", dirs_exist_ok=True)
    for page in (site / "docs").glob("**/*.md"):
        without_our_template(page)
    extensions = markdown_extensions(source.root / "mkdocs.yml")
    config = {
        "site_name": "Référence : Material for MkDocs sans extension",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": ["search"],
        "markdown_extensions": extensions,
    }
    (site / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    return site


def without_our_template(page: Path) -> None:
    """A page whose front matter names one of our templates (« template: accueil.html »)
    gets Material's own: plain Material has no such template."""
    text = page.read_text(encoding="utf-8")
    if text.startswith("---\n") and "\ntemplate:" in text.split("\n---", 1)[0]:
        head, rest = text.split("\n---", 1)
        head = "\n".join(line for line in head.split("\n") if not line.startswith("template:"))
        page.write_text(head + "\n---" + rest, encoding="utf-8")


def markdown_extensions(config_file: Path) -> list:
    """Our Markdown extensions, so both builds render the same Markdown the same way."""
    import yaml

    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Lenient)
        extensions = data.get("markdown_extensions") or []
        json.dumps(extensions)
        return extensions
    except Exception:  # any surprise in mkdocs.yml: fall back to the usual set
        return ["toc", "admonition", "attr_list", "def_list", "tables", "abbr"]


# --- Built pages ----------------------------------------------------------


def gz(data: bytes) -> int:
    """Bytes a server with gzip sends: the smaller of raw and compressed (Pagefind's chunks are gzip already)."""
    return min(len(data), len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)))


def sheet_pages(html_dir: Path) -> list[Path]:
    return sorted(p for folder in CONTENT_FOLDERS for p in (html_dir / folder).glob("*/index.html"))


def first_sheet_slug(content: Path) -> str:
    return next(p.stem for p in sorted((content / "fiches").glob("*-0001.md")))


class AssetParser(html.parser.HTMLParser):
    """Stylesheets, scripts and icons a page makes the browser fetch, and Material's __config."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.config_text = ""
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
                self.urls.append(attrs["href"])
        elif tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            self._in_config = attrs.get("id") == "__config"
        elif tag == "img" and attrs.get("src") and attrs.get("loading") != "lazy":
            self.urls.append(attrs["src"])

    def handle_data(self, data):
        if self._in_config:
            self.config_text += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_config = False


def static_first_load(html_dir: Path, page: Path) -> dict[str, Any]:
    """Compressed bytes of a page and what it references, from the built files."""
    parser = AssetParser()
    text = page.read_text(encoding="utf-8")
    parser.feed(text)
    page_url = "http://site/" + page.parent.relative_to(html_dir).as_posix() + "/"
    urls = list(dict.fromkeys(urljoin(page_url, u) for u in parser.urls))
    search_index = 0
    with contextlib.suppress(ValueError):
        material = json.loads(parser.config_text) if parser.config_text.strip() else {}
        # Material's search worker, when the page has Material's search box, loads the whole index with the page.
        if material.get("search") and 'data-md-component="search"' in text:
            urls.append(urljoin(page_url, material["search"]))
            index = html_dir / "search" / "search_index.json"
            if index.is_file():
                urls.append("http://site/search/search_index.json")
                search_index = gz(index.read_bytes())
    total, missing, parts = gz(text.encode("utf-8")), [], {}
    for url in urls:
        split = urlsplit(url)
        if split.netloc != "site":
            missing.append(url)  # third-party: counted as missing, never fetched here
            continue
        file = html_dir / split.path.lstrip("/")
        if file.is_file():
            size = gz(file.read_bytes())
            total += size
            parts[split.path] = size
        else:
            missing.append(url)
    return {"bytes": total, "requests": 1 + len(parts), "search_index": search_index, "missing": missing}


# --- Browser --------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def browser_available() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed"
    return None


class Recorder:
    """Responses seen by a browser context, with their gzip-compressed body size."""

    def __init__(self):
        self.responses: list[tuple[str, int]] = []

    def __call__(self, response):
        try:
            body = response.body()
        except Exception:  # redirects, aborted requests: no body
            return
        self.responses.append((response.url, gz(body)))


def first_search(page, recorder: Recorder, base: str, query: str, timeout_s: float = 60) -> dict[str, Any]:
    """A first query, made from the page open in `page`: what it fetched
    that the page had not (the search page, its script, Pagefind's files;
    compressed bytes), the index chunks among them, and the results shown.
    Also used by first_query_weight.py, over many queries."""
    seen = {url for url, _ in recorder.responses}
    before = len(recorder.responses)
    page.goto(f"{base}recherche/?q={quote(query)}", wait_until="networkidle", timeout=timeout_s * 1000)
    with contextlib.suppress(Exception):
        page.wait_for_selector("[data-recherche-resultats] li", timeout=10_000)
    page.wait_for_timeout(500)
    new = [(u, s) for u, s in recorder.responses[before:] if u not in seen]
    return {
        "query": query,
        "bytes": sum(s for _, s in new),
        "pagefind_bytes": sum(s for u, s in new if "/pagefind/" in u),
        "index_chunks": {u.rsplit("/", 1)[1]: s for u, s in new if u.endswith(".pf_index")},
        "requests": len(new),
        "results": page.locator("[data-recherche-resultats] li").count(),
    }


def browser_measures(html_dir: Path, sheet_path: str, queries: list[str], timeout_s: float = 60) -> dict[str, Any]:
    """First load of the sheet page, then a first search per query, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {"load": None, "searches": []}
    has_search_page = (html_dir / "recherche" / "index.html").is_file()
    has_pagefind = (html_dir / "pagefind").is_dir()
    with static_server(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for index, query in enumerate(queries if has_pagefind and has_search_page else queries[:1]):
                context = browser.new_context()
                recorder = Recorder()
                context.on("response", recorder)
                page = context.new_page()
                page.goto(base + sheet_path, wait_until="networkidle", timeout=timeout_s * 1000)
                page.wait_for_timeout(300)
                loaded = list(recorder.responses)
                if index == 0:
                    result["load"] = {
                        "bytes": sum(size for _, size in loaded),
                        "requests": len(loaded),
                        "search_index": sum(size for url, size in loaded if "search_index" in url or "/pagefind/" in url),
                        "third_party": [url for url, _ in loaded if not url.startswith(base)],
                    }
                if has_pagefind and has_search_page:
                    result["searches"].append(first_search(page, recorder, base, query, timeout_s))
                context.close()
        finally:
            browser.close()
    return result


# --- mkdocs serve ---------------------------------------------------------


def serve_rebuild(
    site: Path, sheet_file: Path, sheet_path: str, env: dict, extra: list[str], log_file: Path,
    start_timeout: float, rebuild_timeout: float, edits: int = 2,
) -> dict[str, Any]:
    """Start `mkdocs serve`, wait for the sheet page, edit the sheet, time until the page shows it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{sheet_path}"
    original = sheet_file.read_bytes()
    settings = [e for e in extra if "=" in e and not e.startswith("-")]  # VAR=value: environment
    options = [e for e in extra if e not in settings]
    env = {**env, **dict(e.split("=", 1) for e in settings)}
    result: dict[str, Any] = {"command": " ".join([*settings, "mkdocs", "serve", *options]), "startup_s": None, "rebuild_s": []}
    with open(log_file, "wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *options],
            cwd=site, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            while time.monotonic() - start < start_timeout:
                if process.poll() is not None:
                    result["error"] = f"mkdocs serve exited with {process.returncode}"
                    return result
                if fetch(url, timeout=5):
                    result["startup_s"] = round(time.monotonic() - start, 2)
                    break
                time.sleep(0.2)
            else:
                result["error"] = f"no page after {start_timeout:.0f} s"
                return result
            time.sleep(1.5)  # let the file watcher take its first snapshot
            for edit in range(edits):
                token = f"Marqueur de mesure {edit}-{time.time_ns()}"
                sheet_file.write_bytes(original + f"\n{token}.\n".encode("utf-8"))
                edited = time.monotonic()
                while time.monotonic() - edited < rebuild_timeout:
                    body = fetch(url, timeout=rebuild_timeout)
                    if body and token.encode("utf-8") in body:
                        result["rebuild_s"].append(round(time.monotonic() - edited, 2))
                        break
                    time.sleep(0.05)
                else:
                    result["error"] = f"edit not visible after {rebuild_timeout:.0f} s"
                    break
                time.sleep(1.0)
        finally:
            sheet_file.write_bytes(original)
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return result


# --- One corpus size ------------------------------------------------------


@dataclass
class SiteResult:
    build_s: float | None = None
    build_cpu_s: float | None = None
    build_load: float | None = None
    build_ok: bool = False
    build_samples_s: list = field(default_factory=list)  # every timed build; build_s is their median
    build_warm_s: float | None = None  # ours: a rebuild, nothing changed, the user's cache kept (median)
    build_warm_cpu_s: float | None = None
    build_warm_samples_s: list = field(default_factory=list)
    build_no_index_s: float | None = None  # FICHES_SANS_RECHERCHE=1: the same build without Pagefind
    build_no_index_cpu_s: float | None = None
    build_no_index_rss_mb: float | None = None
    sheets_per_s: float | None = None
    max_rss_mb: float | None = None
    html_pages: int | None = None
    site_mb: float | None = None
    check_s: float | None = None
    check_warm_s: float | None = None
    check_warm_cpu_s: float | None = None
    check_cpu_s: float | None = None
    page_bytes: int | None = None
    page_gz: int | None = None
    page_median_bytes: int | None = None
    first_load_static: dict | None = None
    first_load_browser: dict | None = None
    searches: list = field(default_factory=list)
    search_note: str | None = None
    serve: list = field(default_factory=list)
    skipped: str | None = None


def timed_build(name: str, site: Path, html_dir: Path, env: dict, args: argparse.Namespace, strict: bool, logs: Path) -> Run:
    """One timed `mkdocs build` into html_dir, a folder that does not exist
    yet: deleting a previous build there first would make this one pay for
    the deletion (« The disk of this machine » in BENCHMARKS.md)."""
    return timed_run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "--site-dir", str(html_dir)],
        site, env, args.build_timeout, logs / f"{name}-build.log",
    )


def build_folders(folder: Path) -> list[Path]:
    """The sites built for one size: ours-html-1…, baseline-html-1…, ours-html-no-index."""
    return sorted(folder.glob("*-html*"))


def median_run(builds: list[Run]) -> Run:
    """The build of median wall time (the lower middle one for an even count)."""
    ordered = sorted(builds, key=lambda b: b.seconds)
    return ordered[(len(ordered) - 1) // 2]


def measure_site(
    name: str, site: Path, builds: list[tuple[Run, Path]], sheets: int, sheet_path: str, sheet_src: Path, env: dict,
    args: argparse.Namespace, with_check: bool, logs: Path, serve_variants: list[list[str]],
    warm_builds: list[Run] | None = None,
) -> SiteResult:
    """Figures of one site from its timed builds (each with the folder it
    built), its warm rebuilds if any, and the measures taken on the last build's output."""
    result = SiteResult()
    if warm_builds and all(b.returncode == 0 for b in warm_builds):
        warm = median_run(warm_builds)
        result.build_warm_s, result.build_warm_cpu_s = round(warm.seconds, 2), round(warm.cpu_seconds, 2)
        result.build_warm_samples_s = [round(b.seconds, 2) for b in warm_builds]
        log(f"  {name}: rebuild with the cache kept {warm.seconds:.2f} s, median of "
            f"[{', '.join(f'{b.seconds:.2f}' for b in warm_builds)}] (CPU {warm.cpu_seconds:.2f} s)")
    failed = next((build for build, _ in builds if build.returncode != 0), None)
    if failed:
        log(f"  {name}: build failed ({failed.returncode}), see {logs}/{name}-*-build.log")
        log("\n".join(failed.output.splitlines()[-15:]))
        return result
    runs = [build for build, _ in builds]
    html_dir = builds[-1][1]
    build = median_run(runs)
    result.build_ok = True
    result.build_samples_s = [round(b.seconds, 2) for b in runs]
    result.build_s, result.max_rss_mb = round(build.seconds, 2), round(max(b.max_rss_mb for b in runs), 1)
    result.build_cpu_s, result.build_load = round(build.cpu_seconds, 2), round(build.load, 1)
    result.sheets_per_s = round(sheets / build.seconds, 1)
    html_files = list(html_dir.rglob("*.html"))
    result.html_pages = len(html_files)
    result.site_mb = round(sum(f.stat().st_size for f in html_dir.rglob("*") if f.is_file()) / 1e6, 1)
    samples = ", ".join(f"{b.seconds:.2f}" for b in runs)
    log(f"  {name}: build {build.seconds:.2f} s, median of [{samples}] (CPU {build.cpu_seconds:.2f} s, "
        f"load {build.load:.1f}), {result.sheets_per_s} sheets/s, peak RSS {result.max_rss_mb:.0f} MB")

    if with_check and (site / "hooks" / "search_index.py").is_file():
        bare = timed_run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(html_dir.with_name(f"{name}-html-no-index"))],
            site, {**env, "FICHES_SANS_RECHERCHE": "1", "FICHES_CACHE": str(logs / f"{name}-no-index-cache-{time.time_ns()}")},
            args.build_timeout, logs / f"{name}-build-no-index.log",
        )
        if bare.returncode == 0:
            result.build_no_index_s, result.build_no_index_cpu_s = round(bare.seconds, 2), round(bare.cpu_seconds, 2)
            result.build_no_index_rss_mb = round(bare.max_rss_mb, 1)
            log(f"  {name}: build without the search index {bare.seconds:.2f} s (CPU {bare.cpu_seconds:.2f} s), "
                f"peak RSS {bare.max_rss_mb:.0f} MB")

    if with_check:
        # Cold: every file checked (--sans-cache); warm: nothing changed since
        # the previous run, results come from the cache (its own folder here).
        check_env = {**env, "FICHES_CACHE": str(logs / f"{name}-check-cache")}
        for label, extra in (("cold", ["--sans-cache"]), ("warm", [])):
            times, cpu_times = [], []
            for attempt in range(4 if label == "warm" else 3):
                check = timed_run(
                    [sys.executable, "-m", "fiches_kb.cli", "check", *extra], site, check_env, 600, logs / f"{name}-check-{label}.log"
                )
                if check.returncode != 0:
                    log(f"  {name}: fiches check failed: {check.output[-500:]}")
                    break
                if label == "warm" and attempt == 0:
                    continue  # fills the cache
                times.append(check.seconds)
                cpu_times.append(check.cpu_seconds)
            median = round(statistics.median(times), 2) if times else None
            cpu = round(statistics.median(cpu_times), 2) if cpu_times else None
            if label == "cold":
                result.check_s, result.check_cpu_s = median, cpu
            else:
                result.check_warm_s, result.check_warm_cpu_s = median, cpu
            log(f"  {name}: fiches check, {label} {median} s (CPU {cpu} s)")

    page = html_dir / sheet_path / "index.html"
    data = page.read_bytes()
    result.page_bytes, result.page_gz = len(data), gz(data)
    pages = sheet_pages(html_dir)
    sample = pages[:: max(1, len(pages) // 200)]
    result.page_median_bytes = int(statistics.median(p.stat().st_size for p in sample))
    result.first_load_static = static_first_load(html_dir, page)
    log(f"  {name}: sheet page {len(data) / 1000:.1f} kB ({result.page_gz / 1000:.1f} kB gz), "
        f"first load {result.first_load_static['bytes'] / 1000:.1f} kB gz (static)")

    reason = None if args.browser else "--no-browser"
    reason = reason or browser_available()
    if reason is None:
        try:
            measures = browser_measures(html_dir, sheet_path + "/", SEARCH_QUERIES)
            result.first_load_browser = measures["load"]
            result.searches = measures["searches"]
            log(f"  {name}: first load in Chromium {measures['load']['bytes'] / 1000:.1f} kB gz, "
                f"{measures['load']['requests']} requests")
        except Exception as error:  # a browser problem must not lose the other figures
            reason = f"browser measure failed: {error}"
    if (html_dir / "pagefind").is_dir():
        if not result.searches:
            result.search_note = f"pagefind present, not measured ({reason})"
    elif (html_dir / "search" / "search_index.json").is_file():
        index = gz((html_dir / "search" / "search_index.json").read_bytes())
        result.search_note = f"whole index {index / 1000:.0f} kB, with 1st page"
    else:
        result.search_note = "n/a (search not wired yet)"

    for extra in serve_variants:
        variant = serve_rebuild(
            site, sheet_src, sheet_path + "/", env, extra,
            logs / f"{name}-serve{'-'.join([''] + [re.sub('[^a-z0-9]+', '', e.lower()) for e in extra])}.log",
            start_timeout=args.build_timeout, rebuild_timeout=args.rebuild_timeout,
        )
        result.serve.append(variant)
        log(f"  {name}: {variant['command']}: start {variant['startup_s']} s, edit -> page {variant['rebuild_s']} s"
            + (f" ({variant['error']})" if variant.get("error") else ""))
    return result


def measure_size(sheets: int, args: argparse.Namespace, source: Machinery) -> dict[str, Any]:
    folder = args.work / str(sheets)
    folder.mkdir(parents=True, exist_ok=True)
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    content = folder / "content"
    from fiches_kb.schema import load_schema

    counts = generate_corpus(
        content, sheets, seed=args.seed, schema=load_schema(source.root), pages=source.root / "pages",
        words_per_sheet=args.words_per_sheet, table_in_every_sheet=args.table_in_every_sheet,
    )
    slug = first_sheet_slug(content)
    sheet_path = f"fiches/{slug}"
    log(f"== {sheets} sheets ({counts}) ==")

    ours_site = assemble_ours(content, folder / "ours", source)
    base_site = assemble_baseline(content, folder / "baseline", source) if sheets <= args.baseline_max else None
    for stale in build_folders(folder):
        shutil.rmtree(stale)  # from an earlier run: deleted before any timing
    # Our build and plain Material's alternate, so that a slow spell of the
    # machine weighs on both; each figure is the median of --repeat builds.
    # Plain Material is built once above --baseline-repeat-max (13 minutes a
    # build at 5,000 sheets).
    # Ours twice a round: cold, with an empty cache folder (FICHES_CACHE), as
    # on a fresh clone; warm, with the cache an untimed build filled, as when
    # a writer builds again (the build keeps per-file results there).
    ours_builds: list[tuple[Run, Path]] = []
    warm_builds: list[Run] = []
    base_builds: list[tuple[Run, Path]] = []
    warm_env = {**source.env, "FICHES_CACHE": str(folder / "cache-warm")}
    shutil.rmtree(folder / "cache-warm", ignore_errors=True)
    timed_build("ours-fill", ours_site, folder / "ours-html-fill", warm_env, args, True, logs)
    for round_number in range(1, args.repeat + 1):
        html_dir = folder / f"ours-html-{round_number}"
        cold_env = {**source.env, "FICHES_CACHE": str(folder / f"cache-cold-{round_number}")}
        shutil.rmtree(folder / f"cache-cold-{round_number}", ignore_errors=True)
        ours_builds.append((timed_build(f"ours-{round_number}", ours_site, html_dir, cold_env, args, True, logs), html_dir))
        log(f"  ours: build {round_number}/{args.repeat}: {ours_builds[-1][0].seconds:.2f} s")
        warm_builds.append(timed_build(f"ours-warm-{round_number}", ours_site, folder / f"ours-html-warm-{round_number}", warm_env, args, True, logs))
        log(f"  ours: rebuild {round_number}/{args.repeat}, cache kept: {warm_builds[-1].seconds:.2f} s")
        if base_site and (round_number == 1 or sheets <= args.baseline_repeat_max):
            html_dir = folder / f"baseline-html-{round_number}"
            base_builds.append((timed_build(f"baseline-{round_number}", base_site, html_dir, source.env, args, False, logs), html_dir))
            log(f"  baseline: build {round_number}: {base_builds[-1][0].seconds:.2f} s")
        if any(build.returncode != 0 for build, _ in ours_builds + base_builds):
            break
    serve_ours = [] if not args.serve or sheets > args.serve_max else SERVE_VARIANTS
    ours = measure_site(
        "ours", ours_site, ours_builds, sheets, sheet_path, ours_site / "fiches" / f"{slug}.md", source.env,
        args, True, logs, serve_ours, warm_builds,
    )
    if base_site:
        serve_base = [[]] if args.serve and sheets <= min(args.serve_max, args.baseline_serve_max) else []
        baseline = measure_site(
            "baseline", base_site, base_builds, sheets, sheet_path,
            base_site / "docs" / "fiches" / f"{slug}.md", source.env, args, False, logs, serve_base,
        )
    else:
        baseline = SiteResult(skipped=f"skipped (N > --baseline-max {args.baseline_max})")
        log(f"  baseline: {baseline.skipped}")
    kept = {builds[-1][1] for builds in (ours_builds, base_builds) if builds and args.keep_html}
    for html_dir in build_folders(folder):
        if html_dir not in kept:
            shutil.rmtree(html_dir, ignore_errors=True)
    return {"sheets": sheets, "counts": counts, "sheet_path": sheet_path, "ours": asdict(ours), "baseline": asdict(baseline)}


# --- Report ---------------------------------------------------------------


def kb(value: int | float | None) -> str:
    return "—" if value is None else f"{value / 1000:,.1f} kB"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} s"


def ratio(ours: float | None, base: float | None, previous: float | None = None) -> str:
    if ours and base:
        return f"1/{base / ours:.1f}" if base >= ours else f"{ours / base:.1f}×"
    if ours and previous:
        return f"1/{previous / ours:.1f} (vs earlier measure)"
    return "—"


def samples(site: dict) -> str:
    return ", ".join(f"{value:.2f}" for value in site.get("build_samples_s") or []) or "—"


def serve_cell(site: dict, command: str) -> float | None:
    """Slowest of the measured edits for that command."""
    for variant in site["serve"]:
        if variant["command"] == command and variant["rebuild_s"]:
            return max(variant["rebuild_s"])
    return None


def search_cell(site: dict) -> str:
    if site["searches"]:
        sizes = [s["bytes"] for s in site["searches"]]
        return f"{min(sizes) / 1000:.0f}–{max(sizes) / 1000:.0f} kB ({len(sizes)} queries)"
    return site["search_note"] or "—"


def report(results: list[dict], header: dict) -> str:
    lines = [
        f"Benchmark of {header['date']} on {header['machine']}",
        f"Code: {header['code']}; corpus seed {header['seed']}, {header.get('lengths', 'sheets as long as the real ones')}; "
        f"gzip level {GZIP_LEVEL}",
        "",
    ]
    for entry in results:
        n, ours, base = entry["sheets"], entry["ours"], entry["baseline"]
        previous = PREVIOUS_BASELINE.get(n, {})
        lines.append(f"N = {n:,} sheets ({', '.join(f'{k}/: {v}' for k, v in entry['counts'].items())}); "
                     f"sheet page measured: {entry['sheet_path']}/")
        if base.get("skipped"):
            known = f"; earlier measure: {previous['build_s']} s (PRODUCT.md)" if previous.get("build_s") else ""
            lines.append(f"  plain Material baseline {base['skipped']}{known}")
        rows = [
            ("mkdocs build (median)", secs(ours["build_s"]), secs(base["build_s"]), ratio(ours["build_s"], base["build_s"], previous.get("build_s"))),
            ("  every timed build", samples(ours), samples(base), ""),
            ("rebuild, cache kept (median)", secs(ours.get("build_warm_s")), "—", ratio(ours.get("build_warm_s"), base["build_s"])),
            ("  every timed rebuild", ", ".join(f"{v:.2f}" for v in ours.get("build_warm_samples_s") or []) or "—", "", ""),
            ("  CPU time of the rebuild", secs(ours.get("build_warm_cpu_s")), "—", ""),
            ("  CPU time of the build", secs(ours["build_cpu_s"]), secs(base["build_cpu_s"]), ratio(ours["build_cpu_s"], base["build_cpu_s"])),
            ("  load average after it", f"{ours['build_load'] or '—'}", f"{base['build_load'] or '—'}", ""),
            ("  without search index", f"{secs(ours.get('build_no_index_s'))} (RSS {ours.get('build_no_index_rss_mb') or '—'} MB)", "—",
             ratio(ours.get("build_no_index_s"), base["build_s"], previous.get("build_s"))),
            ("sheets per second", f"{ours['sheets_per_s'] or '—'}", f"{base['sheets_per_s'] or '—'}", ""),
            ("peak RSS of the build", f"{ours['max_rss_mb'] or '—'} MB", f"{base['max_rss_mb'] or '—'} MB", ""),
            ("HTML pages / site size", f"{ours['html_pages'] or '—'} / {ours['site_mb'] or '—'} MB",
             f"{base['html_pages'] or '—'} / {base['site_mb'] or '—'} MB", ""),
            ("fiches check, cold (CPU)", f"{secs(ours['check_s'])} ({secs(ours['check_cpu_s'])})", "—", ""),
            ("fiches check, nothing changed (CPU)", f"{secs(ours.get('check_warm_s'))} ({secs(ours.get('check_warm_cpu_s'))})", "—", ""),
            ("sheet page HTML (raw)", kb(ours["page_bytes"]), kb(base["page_bytes"]), ratio(ours["page_bytes"], base["page_bytes"])),
            ("sheet page HTML (gzip)", kb(ours["page_gz"]), kb(base["page_gz"]), ratio(ours["page_gz"], base["page_gz"])),
            ("median sheet page (raw)", kb(ours["page_median_bytes"]), kb(base["page_median_bytes"]), ""),
        ]
        static_o, static_b = ours["first_load_static"] or {}, base["first_load_static"] or {}
        rows.append(("first load, from files (gz)", kb(static_o.get("bytes")), kb(static_b.get("bytes")),
                     ratio(static_o.get("bytes"), static_b.get("bytes"), previous.get("first_load_kb", 0) * 1000 or None)))
        load_o, load_b = ours["first_load_browser"] or {}, base["first_load_browser"] or {}
        rows.append(("first load, Chromium (gz)",
                     f"{kb(load_o.get('bytes'))}, {load_o.get('requests', '—')} req.",
                     f"{kb(load_b.get('bytes'))}, {load_b.get('requests', '—')} req." if load_b else "—",
                     ratio(load_o.get("bytes"), load_b.get("bytes"))))
        rows.append(("first search (gz)", search_cell(ours), search_cell(base) if not base.get("skipped") else "—", ""))
        serve_o, serve_b = serve_cell(ours, "mkdocs serve"), serve_cell(base, "mkdocs serve")
        rows.append(("serve: edit -> page shown", secs(serve_o), secs(serve_b),
                     ratio(serve_o, serve_b, previous.get("serve_s"))))
        for variant in ours["serve"][1:]:
            label = variant["command"].replace("FICHES_SANS_RECHERCHE=1", "no index,").replace("mkdocs serve ", "serve ")
            rows.append((f"{label}: edit -> page", secs(serve_cell(ours, variant["command"])), "—", ""))
        width = max(len(r[0]) for r in rows)
        lines.append(f"  {'':{width}}  {'ours':>26}  {'plain Material':>26}  ratio")
        lines += [f"  {a:{width}}  {b:>26}  {c:>26}  {d}" for a, b, c, d in rows]
        for site_name, site in (("ours", ours), ("baseline", base)):
            for variant in site["serve"]:
                if variant.get("error"):
                    lines.append(f"  {site_name} {variant['command']}: {variant['error']}")
            missing = (site["first_load_static"] or {}).get("missing")
            if missing:
                lines.append(f"  {site_name}: referenced but not in the build: {', '.join(missing)}")
        lines.append("")
    lines += ["Targets:", *targets(results)]
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    by_n = {entry["sheets"]: entry for entry in results}
    out = []

    def verdict(ok: bool | None) -> str:
        return "n/a " if ok is None else ("MET " if ok else "MISSED")

    low, high = by_n.get(100), by_n.get(5000)
    if low and high and low["ours"]["sheets_per_s"] and high["ours"]["sheets_per_s"]:
        a, b = low["ours"]["sheets_per_s"], high["ours"]["sheets_per_s"]
        out.append(f"  [{verdict(b >= 0.8 * a)}] sheets/s at 5,000 within 20 % of 100: {b} vs {a} ({(b / a - 1) * 100:+.0f} %)")
    else:
        out.append("  [n/a ] sheets/s at 5,000 vs 100: needs both sizes")
    for n, share in ((1000, 5), (5000, 20)):
        entry = by_n.get(n)
        if not entry or not entry["ours"]["build_s"]:
            out.append(f"  [n/a ] {n:,} sheets in <= 1/{share} of plain Material: not run")
            continue
        base = entry["baseline"]["build_s"]
        source = "this run"
        if not base and PREVIOUS_BASELINE.get(n, {}).get("build_s"):
            base, source = PREVIOUS_BASELINE[n]["build_s"], "earlier measure in PRODUCT.md"
        ours = entry["ours"]["build_s"]
        cpu_o, cpu_b = entry["ours"]["build_cpu_s"], entry["baseline"]["build_cpu_s"]
        cpu = f"; CPU time 1/{cpu_b / cpu_o:.1f}" if cpu_o and cpu_b else ""
        bare = entry["ours"].get("build_no_index_s")
        cpu += f"; without the search index {bare:.1f} s, 1/{base / bare:.1f}" if bare and base else ""
        out.append(f"  [{verdict(ours * share <= base if base else None)}] {n:,} sheets in <= 1/{share} of plain Material: "
                   + (f"{ours:.1f} s vs {base} s ({source}), 1/{base / ours:.1f}{cpu}" if base else "no baseline"))
    sizes = [(n, e["ours"]["page_bytes"]) for n, e in sorted(by_n.items()) if e["ours"]["page_bytes"]]
    if len(sizes) > 1:
        smallest, largest = min(s for _, s in sizes), max(s for _, s in sizes)
        out.append(f"  [{verdict(largest <= smallest * 1.1)}] sheet page HTML independent of N (±10 %): "
                   + ", ".join(f"{n:,}: {s / 1000:.1f} kB" for n, s in sizes))
    entry = by_n.get(5000)
    check = entry["ours"].get("check_warm_s") if entry else None
    check_cpu = entry["ours"].get("check_warm_cpu_s") if entry else None
    cold = entry["ours"]["check_s"] if entry else None
    out.append(
        f"  [{verdict(check < 2 if check else None)}] fiches check on 5,000 sheets < 2 s when nothing changed: "
        f"{secs(check)} (CPU {secs(check_cpu)}); every file checked again: {secs(cold)}"
    )
    entry = by_n.get(1000)
    if entry and entry["ours"]["serve"]:
        figures = [(v["command"], serve_cell(entry["ours"], v["command"])) for v in entry["ours"]["serve"]]
        best = min(filter(None, (f for _, f in figures)), default=None)
        out.append(f"  [{verdict(best <= 3 if best else None)}] edited sheet shown in <= 3 s at 1,000: "
                   + ", ".join(f"{command} {secs(figure)}" for command, figure in figures))
    loads = []
    for n, e in sorted(by_n.items()):
        load = (e["ours"]["first_load_browser"] or e["ours"]["first_load_static"] or {})
        if load.get("bytes") is not None:
            loads.append((n, load["bytes"], load.get("search_index", 0)))
    if loads:
        ok = all(b <= 100_000 and not index for _, b, index in loads)
        out.append(f"  [{verdict(ok)}] first sheet-page load <= 100 kB gz, no search index: "
                   + ", ".join(f"{n:,}: {b / 1000:.1f} kB (index {i / 1000:.0f} kB)" for n, b, i in loads))
    return out


def pagefind_binary_version() -> str:
    """The indexer that builds actually run (`fiches_kb.pagefind_binary`:
    PAGEFIND_BINARY_PATH, or the one `pagefind[bin]` installs)."""
    try:
        from fiches_kb.pagefind_binary import choose_pagefind

        program = choose_pagefind()
        return program.label + (f" [{program.note}]" if program.note else "")
    except Exception as error:  # the header must not stop the run
        return f"unknown ({type(error).__name__})"


def machine_header(source: Machinery, seed: int, words_per_sheet: int | None = None, tables: bool = False) -> dict:
    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError, version as v

        try:
            return v(package)
        except PackageNotFoundError:
            return "absent"

    memory = ""
    with contextlib.suppress(OSError):
        kb_total = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kb_total / 1024 / 1024:.1f} GiB RAM"
    packages = ", ".join(f"{p} {version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml", "pagefind"))
    packages += f" (binary: {pagefind_binary_version()})"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}){memory}, {platform.platform()}, "
        f"Python {platform.python_version()}; {packages}",
        "code": source.description,
        "seed": seed,
        "lengths": (f"{words_per_sheet} words per sheet" if words_per_sheet else "sheets as long as the real ones")
        + (", a table in every sheet" if tables else ""),
    }


def main(argv: list[str] | None = None) -> int:
    global SETTLE_S
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-max", type=int, default=1000, help="build plain Material only up to this size (default 1000)")
    parser.add_argument("--baseline-serve-max", type=int, default=1000, help="mkdocs serve on plain Material only up to this size")
    parser.add_argument("--serve-max", type=int, default=5000, help="measure mkdocs serve only up to this size")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the mkdocs serve measures")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip the Chromium measures")
    parser.add_argument("--ref", help="build with the machinery and fiches_kb of this commit (default: the working tree)")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out", help="working folder (default benchmarks/out)")
    parser.add_argument("--build-timeout", type=float, default=1800, help="seconds before a build is abandoned")
    parser.add_argument("--rebuild-timeout", type=float, default=300, help="seconds to wait for an edit to show in mkdocs serve")
    parser.add_argument("--keep-html", action="store_true", help="keep the last build of each site (they are large)")
    parser.add_argument("--repeat", type=int, default=3, help="timed builds of each site per size, alternating; the median is reported (default 3)")
    parser.add_argument(
        "--baseline-repeat-max", type=int, default=1000,
        help="above this size, plain Material is built once (default 1000)",
    )
    parser.add_argument(
        "--settle", type=float, default=SETTLE_S,
        help=f"seconds to let the disk settle (after a sync) before each timed command (default {SETTLE_S:g})",
    )
    parser.add_argument(
        "--words-per-sheet", type=int, metavar="N",
        help="corpus with N words in every sheet (default: each sheet as long as the real sheet it imitates; "
        "1000 gives the corpus of the runs before 2026-11-23)",
    )
    parser.add_argument(
        "--table-in-every-sheet", action="store_true",
        help="corpus where every sheet has a table (with --words-per-sheet 1000: the long-sheet shape of the build target)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    SETTLE_S = args.settle
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    source = machinery(args.ref, args.work)
    if args.ref and os.environ.get("FICHES_BENCH_CODE") != str(source.root):
        # Re-run under the commit's fiches_kb, so the corpus generator and the builds agree.
        env = {**source.env, "FICHES_BENCH_CODE": str(source.root)}
        os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *(argv if argv is not None else sys.argv[1:])], env)
    header = machine_header(source, args.seed, args.words_per_sheet, args.table_in_every_sheet)
    log(f"{header['date']} — {header['machine']}\ncode: {header['code']}")
    results = []
    for n in sizes:
        results.append(measure_size(n, args, source))
        (args.work / "results.json").write_text(json.dumps({"header": header, "results": results}, indent=2, ensure_ascii=False))
    print(report(results, header), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
