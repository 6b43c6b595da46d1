"""Time `fiches check`'s per-file work on adversarial bodies of 1 MB.

Prints, for each pattern, the seconds to check one body made of it
(alone, and cut into paragraphs), and what the check said. The figures
go to BENCHMARKS.md; tests/test_content_rules_hostile.py asserts only the
results (refused, or checked), never a time.

    .venv/bin/python benchmarks/hostile_input.py [--size 1000000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fiches_kb.frontmatter import SourceFile
from fiches_kb.rules import check_body_safety, renderer_for
from fiches_kb.schema import load_schema

REPO = Path(__file__).resolve().parent.parent
PATTERNS = ["](", "<", "{:", "[", "![", "[a](", "<a ", "`", "*a", "&#", "<!--", "06 12 ", "x@y.fr ", "FR76 ", "# a\n", "- a\n"]
# The costliest bodies the guard lets through (fiches_kb.rules.render_cost).
LARGEST_ACCEPTED = {
    "2,000 « [ » in one block": "[" * 2_000,
    "1,999 headings": "# a\n" * 1_999,
    "1,999 paragraphs with a link": "[a](b)\n\n" * 1_999,
    "1 MB of plain text": ("Du texte ordinaire, une phrase comme une autre.\n" * 20_000)[:1_000_000],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per body")
    args = parser.parse_args()
    schema, renderer = load_schema(REPO), renderer_for(REPO)
    print(f"{'pattern':12} {'layout':12} {'seconds':>8}  result")
    for pattern in PATTERNS:
        for layout, piece in (("one block", pattern), ("paragraphs", pattern + "\n\n")):
            body = piece * (args.size // len(piece))
            source = SourceFile(REPO / "fiches" / "x.md", "fiches/x.md", {}, {}, body, 4)
            start = time.perf_counter()
            problems = check_body_safety(source, schema, renderer)
            seconds = time.perf_counter() - start
            said = problems[0].message[:60] if problems else "no problem"
            print(f"{pattern!r:12} {layout:12} {seconds:8.2f}  {len(problems)} problem(s): {said}")
    for name, body in LARGEST_ACCEPTED.items():
        source = SourceFile(REPO / "fiches" / "x.md", "fiches/x.md", {}, {}, body, 4)
        start = time.perf_counter()
        problems = check_body_safety(source, schema, renderer)
        seconds = time.perf_counter() - start
        print(f"{name:25} {seconds:8.2f}  {len(problems)} problem(s)")


if __name__ == "__main__":
    main()
