"""What the content rules add to a build, per sheet, on a generated corpus.

The build runs the rules on MkDocs' own rendering (hooks/check_rendering.py):
this times, for every sheet of a corpus, the rendering once (what MkDocs
pays anyway), then the rules on it, and nh3 alone (rules/sanitizer.py).
Prints totals and milliseconds per sheet; the figures go to BENCHMARKS.md.

    .venv/bin/python benchmarks/generate_corpus.py --sheets 1000 --seed 1 --out /tmp/c1000
    .venv/bin/python benchmarks/rules_cost.py --content /tmp/c1000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fiches_kb.frontmatter import read_source
from fiches_kb.rules import check_rendered_body, renderer_for
from fiches_kb.rules.sanitizer import sanitizer_change
from fiches_kb.schema import load_schema

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True, help="folder with fiches/ and pratiques-inspirantes/")
    args = parser.parse_args()
    schema, renderer = load_schema(REPO), renderer_for(REPO)
    sources = []
    for path in sorted([*args.content.glob("fiches/*.md"), *args.content.glob("pratiques-inspirantes/*.md")]):
        source, _ = read_source(path, path.relative_to(args.content).as_posix())
        if source is not None:
            sources.append(source)
    timings = {"rendering (MkDocs pays it anyway)": 0.0, "rules, nh3 included": 0.0, "nh3 alone": 0.0}
    problems = 0
    for source in sources:
        start = time.perf_counter()
        rendered = renderer.render(source.body)
        middle = time.perf_counter()
        problems += len(check_rendered_body(source, schema, rendered))
        end = time.perf_counter()
        sanitizer_change(rendered.html, schema.safety)
        timings["rendering (MkDocs pays it anyway)"] += middle - start
        timings["rules, nh3 included"] += end - middle
        timings["nh3 alone"] += time.perf_counter() - end
    print(f"{len(sources)} sheets, {problems} problems")
    for name, seconds in timings.items():
        print(f"  {name:36} {seconds:6.2f} s  {seconds / len(sources) * 1000:6.2f} ms per sheet")


if __name__ == "__main__":
    main()
