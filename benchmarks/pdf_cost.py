"""What the PDFs cost a build: seconds per sheet, cold and warm, next to the
same build without PDFs (issue 22).

    .venv/bin/python benchmarks/pdf_cost.py --sizes 100,1000 --work /tmp/pdf-cost

For each size, a corpus (generate_corpus.py, seed 1) with this repository's
machinery, built with `mkdocs build --strict` in a subprocess, timed:
1. cold: FICHES_PDF=oui and an empty cache folder (every sheet's PDF and
   every theme's booklet rendered by WeasyPrint);
2. without PDFs (FICHES_PDF=non);
3. warm: the same build with PDFs again, nothing changed (every PDF from
   the cache).
Builds without PDFs and warm builds alternate, `--repeat` times each
(median kept); the cold one runs once, first. All without the search index
(FICHES_SANS_RECHERCHE=1), so that Pagefind's own time does not blur the
difference, and with SITE_URL set (QR codes and absolute addresses, as
published). « PDF s » is a build's time minus the build without PDFs.
Prints one JSON line per build, then a Markdown table.
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

from generate_corpus import REPO, copy_machinery, generate_corpus

ADDRESS = "https://exemple.gouv.fr/fiches/"
MADE = re.compile(r"PDF : (\d+) fichier\(s\), dont (\d+) produit\(s\)")


def build(site: Path, cache: Path, pdfs: bool) -> dict:
    """One timed build of `site`: seconds, and PDFs made and rendered."""
    env = {
        **os.environ, "NO_MKDOCS_2_WARNING": "1", "FICHES_SANS_RECHERCHE": "1", "SITE_URL": ADDRESS,
        "FICHES_PDF": "oui" if pdfs else "non", "FICHES_CACHE": str(cache),
    }
    output = site / "site"
    shutil.rmtree(output, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(output)],
        cwd=site, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed ({site}):\n{result.stderr[-3000:]}")
    made = MADE.search(result.stderr)
    return {"seconds": round(seconds, 3), "made": int(made[1]) if made else 0, "rendered": int(made[2]) if made else 0}


def measure(size: int, work: Path, repeat: int) -> list[dict]:
    site = work / f"corpus-{size}"
    if not (site / "mkdocs.yml").is_file():
        generate_corpus(site, size, seed=1)
    copy_machinery(site, REPO)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
    cold = build(site, cache, pdfs=True)
    # Then builds without PDFs and warm ones alternate, so that a slow spell of
    # the machine weighs on both; all share the cache folder, so both find the
    # build's other per-file results there (only the PDFs differ).
    plain, warm = [], []
    for _ in range(repeat):
        plain.append(build(site, cache, pdfs=False))
        warm.append(build(site, cache, pdfs=True))
    rows = [
        {"sheets": size, "build": "sans PDF", **plain[-1], "seconds": statistics.median(r["seconds"] for r in plain)},
        {"sheets": size, "build": "PDF à froid", **cold},
        {"sheets": size, "build": "PDF à chaud", **warm[-1], "seconds": statistics.median(r["seconds"] for r in warm)},
    ]
    base = rows[0]["seconds"]
    for row in rows:
        row["pdf_seconds"] = round(row["seconds"] - base, 3)
        row["pdf_seconds_per_sheet"] = round(row["pdf_seconds"] / size, 4)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| sheets | build | seconds | PDF s | PDF s / sheet | PDFs made | rendered by WeasyPrint |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['sheets']} | {r['build']} | {r['seconds']:.2f} | {r['pdf_seconds']:.2f} | "
            f"{r['pdf_seconds_per_sheet']:.3f} | {r['made']} | {r['rendered']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the PDFs of a build: cold, warm, and without PDFs.")
    parser.add_argument("--sizes", default="100", help="comma-separated numbers of sheets (default 100)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the corpora (kept between runs)")
    parser.add_argument("--repeat", type=int, default=3, help="builds without PDFs and warm builds per size (median)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += measure(size, args.work, args.repeat)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
