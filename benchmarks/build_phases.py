"""Where a build's time goes: each hook on each event, Markdown, page templates.

Builds a site in this process (as `mkdocs build` does) and times, on the
main thread: every hook function MkDocs calls, Python-Markdown's conversions
and every template rendered from Python (a page template such as
`fiche.html`, or a partial our hooks render themselves). Pagefind's own work
runs in another process and shows only as waits (`search_index.py` events).
Prints the median of `--repeat` builds, in seconds, largest first.

    .venv/bin/python benchmarks/generate_corpus.py --sheets 1000 --seed 1 --out /tmp/c1000 --buildable
    FICHES_SANS_RECHERCHE=1 .venv/bin/python benchmarks/build_phases.py --site /tmp/c1000 --repeat 3

Compare two machineries on the same corpus by copying it twice (the
`--buildable` files are the machinery), changing one copy, and running this
on both.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import time
from collections import Counter
from pathlib import Path

import jinja2
import markdown
from mkdocs import plugins
from mkdocs.commands import build
from mkdocs.config import load_config


@contextlib.contextmanager
def timed(totals: Counter):
    """Time hook calls, Markdown conversions and template renders into `totals`."""
    run_event, convert, render = plugins.PluginCollection.run_event, markdown.Markdown.convert, jinja2.Template.render

    def timed_run_event(self, name, item=None, **kwargs):
        # MkDocs' own loop (mkdocs/plugins.py), with a clock around each call.
        for method in self.events[name]:
            self._current_plugin = origin = self._event_origins.get(method, "<unknown>")
            start = time.perf_counter()
            result = method(item, **kwargs) if item is not None else method(**kwargs)
            totals[f"{name:13} {origin}"] += time.perf_counter() - start
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    def timed_convert(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return convert(self, *args, **kwargs)
        finally:
            totals["markdown      conversion"] += time.perf_counter() - start

    def timed_render(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            totals[f"template      {self.name}"] += time.perf_counter() - start

    plugins.PluginCollection.run_event = timed_run_event
    markdown.Markdown.convert = timed_convert
    jinja2.Template.render = timed_render
    try:
        yield totals
    finally:
        plugins.PluginCollection.run_event, markdown.Markdown.convert, jinja2.Template.render = run_event, convert, render


def measure(site: Path) -> Counter:
    totals: Counter = Counter()
    previous = Path.cwd()
    os.chdir(site)
    try:
        with timed(totals):
            start = time.perf_counter()
            build.build(load_config(str(site / "mkdocs.yml")))
            totals["whole build"] = time.perf_counter() - start
    finally:
        os.chdir(previous)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a buildable site folder (mkdocs.yml, content, machinery)")
    parser.add_argument("--repeat", type=int, default=3, help="builds to run; the median of each line is printed (default 3)")
    parser.add_argument("--top", type=int, default=20, help="lines to print (default 20)")
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.environ.setdefault("FICHES_PDF", "non")  # PDFs are measured by pdf_cost.py; FICHES_PDF=oui to include them
    runs = [measure(args.site.resolve()) for _ in range(max(1, args.repeat))]
    names = set().union(*runs)
    medians = {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}
    print(f"{len(runs)} build(s) of {args.site}; median seconds, main thread")
    for name, seconds in sorted(medians.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {seconds:7.3f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
