"""The first use of a glossary term on a page links to its entry.

Terms and their anchors are read from the glossary page itself
(`pages/glossaire.md`, a definition list): a term with an `{ #id }`, on its
line or on a line of its definition, can be linked; a term without one is
not. The working group edits the glossary, never a list in code.

A Python-Markdown extension (`fiches_kb.glossary_links` in mkdocs.yml's
`markdown_extensions`): a treeprocessor that runs after toc (5), so
headings and their anchors are untouched, and before MkDocs' own link
rewriting ("relpath", 0), which turns the link written here
(`../glossaire.md#secret-partage`) into the page's address and checks that
the anchor exists (`validation.links.anchors` in mkdocs.yml). It learns
which page it renders from that same MkDocs treeprocessor; without it
(`fiches check` renders bodies on its own), nothing is linked.

Never linked: the glossary page, text in headings, links, `abbr`, code and
other verbatim elements. A term matches in any case and with each of its
words in the plural (« conseillers numériques »); only the terms whose
first word the page holds are looked for.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

PRIORITY = 4  # after toc (5), before MkDocs' relpath (0)
SKIPPED_TAGS = frozenset(
    {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "math", "svg", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_ANCHOR = re.compile(r"\{\s*#([A-Za-z0-9][\w-]*)\s*\}")
_SPACES = r"[\s\u00a0\u202f]+"


@dataclass(frozen=True)
class GlossaryTerm:
    label: str
    anchor: str


def read_glossary(text: str) -> list[GlossaryTerm]:
    """The terms of a Markdown definition list that have an `{ #id }`,
    on the term's line or on a line of its definition, in page order."""
    terms: list[GlossaryTerm] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.strip() or line[0] in " \t:#" or index + 1 >= len(lines) or not lines[index + 1].startswith(":"):
            continue
        anchor = _ANCHOR.search(line)
        label = _ANCHOR.sub("", line).strip()
        if anchor is None:  # look in the definition: indented lines up to the next term
            for following in lines[index + 1 :]:
                if following.strip() and not following.startswith((" ", "\t", ":")):
                    break
                anchor = _ANCHOR.fullmatch(following.strip()) or anchor
        if anchor is not None and label:
            terms.append(GlossaryTerm(label, anchor.group(1)))
    return terms


@dataclass(frozen=True)
class _Lookup:
    """A term as pages are searched for it."""

    term: GlossaryTerm
    key: str  # its first word, lowercased: a text without it cannot hold the term
    pattern: re.Pattern


def lookups(terms: list[GlossaryTerm]) -> list[_Lookup]:
    """One pattern per term, any case, each word also in the plural. One
    pattern per term rather than one for all: Python's regular expressions
    scan fast for a word, slowly for an alternation of many."""
    return [
        _Lookup(
            term,
            term.label.split()[0].lower(),
            re.compile(_SPACES.join(re.escape(word) + "(?:s|x)?" for word in term.label.split()) + r"(?![\w-])", re.IGNORECASE),
        )
        for term in terms
    ]


class _Linker:
    """Links the first match of each term, walking the tree in reading order."""

    def __init__(self, present: list[_Lookup], href: str):
        """`present`: the terms the page holds and does not link to yet."""
        self.remaining, self.href = present, href

    def _split(self, text: str) -> tuple[str, etree.Element] | None:
        """(text before, the link) for the earliest term of text not linked
        yet; the link's tail holds the rest of text."""
        lowered = text.lower()
        best: tuple[re.Match, _Lookup] | None = None
        for lookup in self.remaining:
            if lookup.key not in lowered:
                continue
            for match in lookup.pattern.finditer(text):
                before = text[match.start() - 1] if match.start() else " "
                if not (before.isalnum() or before in "-_"):
                    if best is None or match.start() < best[0].start():
                        best = (match, lookup)
                    break
        if best is None:
            return None
        match, lookup = best
        self.remaining = [other for other in self.remaining if other is not lookup]
        link = etree.Element("a", {"href": f"{self.href}#{lookup.term.anchor}"})
        link.text = match.group(0)
        link.tail = text[match.end() :]
        return text[: match.start()], link

    def element(self, element: etree.Element) -> None:
        if element.tag in SKIPPED_TAGS or not self.remaining:
            return
        children = list(element)
        if element.text:
            found = self._split(element.text)
            if found is not None:
                element.text, link = found
                element.insert(0, link)
                self._tails(element, link)
        for child in children:
            self.element(child)
            self._tails(element, child)

    def _tails(self, parent: etree.Element, child: etree.Element) -> None:
        """Link terms in child's tail, then in the tails of the links made there."""
        while child.tail:
            found = self._split(child.tail)
            if found is None:
                return
            child.tail, link = found
            parent.insert(list(parent).index(child) + 1, link)
            child = link


@functools.lru_cache(maxsize=4)
def _glossary_lookups(path: str, mtime_ns: int, size: int) -> list[_Lookup]:
    """Kept across pages: MkDocs makes a new Markdown, so a new extension, for each page."""
    return lookups(read_glossary(Path(path).read_text(encoding="utf-8")))


class GlossaryLinksTreeprocessor(Treeprocessor):
    def __init__(self, md, extension: GlossaryLinksExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        relpath = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        page_file = getattr(relpath, "file", None)
        glossary_file = relpath.files.get_file_from_path(self.extension.getConfig("glossaire")) if page_file else None
        if glossary_file is None or page_file.src_uri == glossary_file.src_uri or not glossary_file.abs_src_path:
            return
        try:
            terms = self.extension.lookups(glossary_file.abs_src_path)
        except (OSError, UnicodeDecodeError):
            return  # an unreadable glossary: MkDocs reports the page itself
        href = posixpath.relpath(glossary_file.src_uri, posixpath.dirname(page_file.src_uri) or ".")
        written = {link.get("href", "").partition("#") for link in root.iter("a")}
        linked = {anchor for target, _, anchor in written if target == href}  # as the writer linked them
        text = " ".join(root.itertext()).lower()
        present = [lookup for lookup in terms if lookup.key in text and lookup.term.anchor not in linked]
        if present:
            _Linker(present, href).element(root)


class GlossaryLinksExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"glossaire": ["glossaire.md", "The glossary page, relative to docs_dir."]}
        super().__init__(**kwargs)

    @staticmethod
    def lookups(path: str) -> list[_Lookup]:
        """The glossary's terms, read again only when its file changes (mkdocs serve)."""
        info = os.stat(path)
        return _glossary_lookups(path, info.st_mtime_ns, info.st_size)

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(GlossaryLinksTreeprocessor(md, self), "fiches_glossaire", PRIORITY)


def makeExtension(**kwargs) -> GlossaryLinksExtension:  # noqa: N802 - Python-Markdown's entry point
    return GlossaryLinksExtension(**kwargs)
