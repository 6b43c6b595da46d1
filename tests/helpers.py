"""Helpers shared by the tests (fixtures are in conftest.py): paths, a
throwaway repository for the validator, building and serving a site, reading
sources and built HTML, loading the benchmark scripts."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import strategies as st

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from fiches_kb.situations import without_situations

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
EXAMPLE_SITE = TESTS / "site"
FIXTURES = TESTS / "fixtures"
TODAY = date(2026, 11, 23)
PDF_SITE_ADDRESS = "https://exemple.gouv.fr/fiches-numerique/"  # the site's address in builds with PDFs
# What a site needs besides its content: copied from the repository so the
# example site is built with the real configuration, hooks and templates.
SITE_MACHINERY = ["mkdocs.yml", "referentiel.yml", "hooks", "overrides"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


# --- A throwaway repository for the validator ------------------------------


def copy_referentiel(destination: Path) -> None:
    """The real referentiel.yml, without the home page's situations: they
    name sheets of the real base, not of the content a test builds."""
    text = (REPO / "referentiel.yml").read_text(encoding="utf-8")
    (destination / "referentiel.yml").write_text(without_situations(text), encoding="utf-8")


def make_repo(tmp_path: Path) -> Path:
    copy_referentiel(tmp_path)
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")  # the site's Markdown settings
    for folder in ("fiches", "pratiques-inspirantes"):
        shutil.copytree(REPO / "tests" / "site" / folder, tmp_path / folder)
    shutil.copy2(REPO / "tests" / "site" / "validations.yml", tmp_path / "validations.yml")
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


# --- Building and serving a site -----------------------------------------

def copy_site(destination: Path, content: Path | None = None) -> Path:
    """A buildable site in destination: the repo's machinery plus content
    (a folder with fiches/, pratiques-inspirantes/ and pages/; default: the repo)."""
    content = content or REPO
    destination.mkdir(parents=True, exist_ok=True)
    for name in SITE_MACHINERY:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    for name in ("fiches", "pratiques-inspirantes", "pages", "parcours"):
        if (content / name).is_dir():
            shutil.copytree(content / name, destination / name)
    for name in ("validations.yml", "anciennes-adresses.yml"):
        if (content / name).is_file():
            shutil.copy2(content / name, destination / name)
    if content != REPO:
        copy_referentiel(destination)
    return destination


def run_mkdocs(site: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    # The site's and repository's addresses only when a test gives them: a developer's must not change the builds.
    inherited = {name: value for name, value in os.environ.items() if name not in ("SITE_URL", "REPO_URL")}
    # No PDFs unless a test asks (FICHES_PDF=oui): WeasyPrint is the slowest part of a build.
    environment = {**inherited, "NO_MKDOCS_2_WARNING": "1", "FICHES_PDF": "non", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=site,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_site(site: Path, output: Path, env: dict | None = None) -> Path:
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(output), env=env)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return output


def different_files(left: Path, right: Path) -> list[str]:
    """Files (relative POSIX paths) that differ between two built sites, or that only one has."""
    files = {path.relative_to(folder).as_posix() for folder in (left, right) for path in folder.rglob("*") if path.is_file()}
    return sorted(
        name for name in files
        if not ((left / name).is_file() and (right / name).is_file()) or (left / name).read_bytes() != (right / name).read_bytes()
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    """Serves directory on loopback in a thread: (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- Reading the sources -------------------------------------------------

def referentiel() -> dict:
    return yaml.safe_load((REPO / "referentiel.yml").read_text(encoding="utf-8"))


def front_matters(content: Path) -> list[dict]:
    """Front matter of every sheet under content (fiches/, pratiques-inspirantes/)."""
    ref = referentiel()
    sheets = []
    for type_key, spec in ref["types"].items():
        for path in sorted((content / spec["dossier"]).glob("*.md")):
            if path.name in ("MODELE.md", "README.md"):
                continue
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text.split("---\n", 2)[1])
            data["_type"] = type_key
            data["_slug"] = path.stem
            data["_url"] = f"{spec['dossier']}/{path.stem}/"
            sheets.append(data)
    return sheets


def published(content: Path) -> list[dict]:
    statuses = referentiel()["statuts"]
    return [s for s in front_matters(content) if statuses[s["statut"]].get("publie", True)]


def french_key(title: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(c))
    return folded.lstrip(" \u00a0«»\"'")


def expected_order(sheets: list[dict]) -> list[str]:
    """Validated first, archived last, French alphabetical order within each group."""
    def rank(sheet):
        group = 0 if sheet["statut"] == "validee" else 2 if sheet["statut"] == "archivee" else 1
        return (group, french_key(sheet["titre"]))

    return [s["titre"] for s in sorted(sheets, key=rank)]


# --- Reading the HTML ----------------------------------------------------

class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.classes)
                    and all(child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
                ):
                    found.append(child)
                found += child.find_all(tag, cls, **attrs)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def page(site: Path, url: str) -> Node:
    return parse((site / url / "index.html").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Collapse runs of ordinary white space; no-break spaces are kept (French typography)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def as_written(text: str) -> str:
    """Text with the French spaces the site adds (U+202F, U+00A0) read as ordinary
    spaces: what a contributor wrote in the front matter."""
    return squash(text.replace("\u202f", " ").replace("\u00a0", " "))


def listed_items(node: Node, list_class: str = "fiches-liste") -> list[dict]:
    """The sheets of a list: title, link, type, status, summary (title and summary as
    written: `as_written`; "shown_title" as shown) and data-* attributes."""
    items = []
    for ul in node.find_all(cls=list_class):
        for li in ul.find_all("li", cls="fiches-liste__item"):
            link = li.find("h2").find("a")
            items.append(
                {
                    "title": as_written(link.text()),
                    "shown_title": squash(link.text()),
                    "href": link.attrs["href"],
                    "type": squash(li.find(cls="fiches-liste__type").text()),
                    "status": squash(li.find(cls="fiches-statut").text()),
                    "summary": as_written(li.find(cls="fiches-liste__resume").text()),
                    "data": {k: v for k, v in li.attrs.items() if k.startswith("data-")},
                }
            )
    return items


# --- Benchmark scripts ----------------------------------------------------

@functools.cache
def load_benchmark_module(name: str):
    """benchmarks/<name>.py as a module, loaded once per session. benchmarks/
    goes on sys.path, where the scripts find each other (run.py...)."""
    if str(REPO / "benchmarks") not in sys.path:
        sys.path.insert(0, str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
