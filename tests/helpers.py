"""Helpers shared by the validator tests: a throwaway repository with a small
valid corpus (the example site's sheets) and one file under test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
TODAY = date(2026, 11, 23)


def make_repo(tmp_path: Path) -> Path:
    shutil.copy2(REPO / "referentiel.yml", tmp_path / "referentiel.yml")
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")  # the site's Markdown settings
    for folder in ("fiches", "pratiques-inspirantes"):
        shutil.copytree(REPO / "tests" / "site" / folder, tmp_path / folder)
    return tmp_path


def add_fixture(repo: Path, fixture: str, folder: str = "fiches", name: str | None = None) -> Path:
    source = FIXTURES / fixture
    target = repo / folder / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target


def problems_for(repo: Path, path: Path) -> list[str]:
    corpus = load_corpus(repo, load_schema(repo), today=TODAY, only={path})
    return [problem.format() for problem in corpus.problems]


# Pieces of Markdown and HTML that, put together at random, make bodies
# that try every known way past a content check (property tests).
ATTACK_PIECES = st.sampled_from(
    [
        "<script>x</script>", "<script>", "<details>", "</details>", "<summary>", "<abbr title='t'>", "</abbr>",
        '<abbr title="`">', "<!-- c -->", "<!--", "-->", "--!>", "<!-->", "<hr>", "<br>", "<div>", "</div>", "<p>",
        "</p>", "<dt>", "<x>", "`", "``", "```", "~~~", "```html\n", "\n```\n", "\n", "\n\n", "  ", "    ", "\t",
        "<a href='javascript:x'>", "<a href=javascript:x>", '<a href="jav&#x09;ascript:x">', "<b onclick=x>",
        "<i style='x'>", "<img src=x onerror=y>", "<svg onload=x>", "<details open onToggle=x>", "<abbr\ntitle=x\nonclick=y>",
        "[l](javascript:x)", "[l](", "](", "(", ")", "[", "]", "'", '"', "=", "{: onclick=x }", "{: style=x }", "{:", "}",
        "![i](data:x)", "<", ">", "x", "- ", "> ", ": ", "# ", "*", "_", "\\", "|", "<?p ?>", "<!x>", "[r]: javascript:x",
        "[r]", "<javascript:x>", "<javascript://%0Ax>", "&#106;", "avascript:x", "<sub>", "|a|b|\n|-|-|\n", "<http://a>",
        "<a@b.fr>", "*[HTML]: x", "!!! note\n", "Term\n: def", "<style>", "</style>", "<textarea>", "<![CDATA[", "]]>",
        "<iframe>", "<math>", "<noscript>",
    ]
)
