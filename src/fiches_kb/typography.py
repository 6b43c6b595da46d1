"""French typography, applied when a page's Markdown is rendered, so that
contributors type ordinary spaces.

- a narrow no-break space (U+202F) before « : ; ! ? » and inside « »:
  the space a contributor typed there becomes one, and one is added before
  « ; ! ? » glued to a word (« Pourquoi? ») and inside « » glued to the
  text; a colon glued to what precedes it is left alone (10:30, « Note:x »);
- a no-break space (U+00A0) between the groups of a number (« 2 000 ») and
  between a number and its unit or the percent sign (« 15 % », « 3 Mo »).

Only text is changed, never attributes, and never the text of `code`,
`pre`, `kbd`, `samp`, `script` or `style`; addresses written in the text
(« https://…?q=1 », « www.… », e-mail addresses) and Python-Markdown's
placeholders are kept as written. Spaces already right stay as they are
(applying it twice changes nothing).

A Python-Markdown extension (`FrenchTypographyExtension`, listed in
mkdocs.yml's `markdown_extensions` as `fiches_kb.typography`): a
treeprocessor on the parsed tree, run after the inline patterns, abbr and
attr_list and before toc, so the table of contents and the heading
anchors see the same text (the anchors do not change: toc's slug reads a
no-break space as a space). `fiches check` renders with the same settings,
so the content rules judge what readers get. Why not a pass over the
written HTML: the tree is already there, so it costs no second parse
(docs-dev/typography.md).
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

NARROW = "\u202f"
NO_BREAK = "\u00a0"
SKIPPED_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math", "svg"})
PRIORITY = 6  # after inline (20), attr_list (8) and abbr (7); before toc (5)

# What is kept as written: web and e-mail addresses, Python-Markdown's placeholders, character references.
_KEPT = re.compile(
    r"(?:[a-z][a-z0-9+.\-]*://|www\.|mailto:)(?:&(?!#?\w+;)|[^\s<>«»\"&])*[^\s<>«».,;:!?\"')\]&]"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\x02[^\x03]*\x03(?:#?\w+;)?"  # placeholders, and « &#64; » as the e-mail autolinks write it
    r"|&#?\w+;",
    re.IGNORECASE,
)
_SPACES = "[ \u00a0\u202f]"
_BEFORE_PUNCTUATION = re.compile(rf"{_SPACES}+([:;!?])")
_GLUED_PUNCTUATION = re.compile(r"(?<=\w)([;!?]+)(?=\s|$)")
_OPENING = re.compile(rf"«{_SPACES}*")
_CLOSING = re.compile(rf"{_SPACES}*»")
_DIGIT_SPACE = re.compile(rf"\d{_SPACES}")
_THOUSANDS = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:{_SPACES}\d{{3}})+(?![\d])")
_UNIT = re.compile(
    rf"(?<=\d){_SPACES}+(%|‰|€|\$|£|°C|°|(?:k|M|G|T)?o\b|(?:k|M|G|T)?[oB]\b|km\b|cm\b|mm\b|m\b|kg\b|mg\b|g\b|ml\b|l\b|h\b|min\b)"
)


_HIDDEN_BASE = 0xF0000  # Supplementary Private Use Area-A: hardly ever in a sheet's text
_HIDDEN_COUNT = 0xFFFFD - _HIDDEN_BASE + 1  # marks available: U+F0000 to U+FFFFD
_HIDDEN = re.compile("[\U000F0000-\U000FFFFD]")
_MAY_HOLD_KEPT = re.compile(r"://|www\.|mailto:|@|\x02|&")


def french_spaces(text: str) -> str:
    """`text` with French spacing (see the module), addresses kept as written."""
    # Most text nodes have nothing to change: told apart with C-speed scans.
    if not text or not (
        ":" in text or ";" in text or "!" in text or "?" in text or "«" in text or "»" in text
        or _DIGIT_SPACE.search(text)
    ):
        return text
    if not _MAY_HOLD_KEPT.search(text):
        return _spaced(text)
    # What is kept is hidden behind one private-use character each (neither
    # a space, a letter nor a digit), so the rules see where it was: a space
    # before « : » after an address is still made narrow, and a « ; » glued
    # to an entity is not taken for the end of the text.
    if _HIDDEN.search(text):
        return text  # the marks below would be mistaken for it: left as written (found by fuzzing)
    kept: list[str] = []

    def hide(match: re.Match) -> str:
        kept.append(match.group(0))
        return chr(_HIDDEN_BASE + len(kept) - 1)

    hidden = _KEPT.sub(hide, text)
    if len(kept) > _HIDDEN_COUNT:
        return text  # more addresses than marks: left as written
    spaced = _spaced(hidden)
    return _HIDDEN.sub(lambda match: kept[ord(match.group(0)) - _HIDDEN_BASE], spaced)


def _spaced(text: str) -> str:
    if not text:
        return text
    if ":" in text or ";" in text or "!" in text or "?" in text:
        text = _BEFORE_PUNCTUATION.sub(NARROW + r"\1", text)
        text = _GLUED_PUNCTUATION.sub(NARROW + r"\1", text)
    if "«" in text:
        text = _OPENING.sub("«" + NARROW, text)
    if "»" in text:
        text = _CLOSING.sub(NARROW + "»", text)
    if _DIGIT_SPACE.search(text):
        text = _THOUSANDS.sub(lambda m: re.sub(_SPACES, NO_BREAK, m.group(0)), text)
        text = _UNIT.sub(NO_BREAK + r"\1", text)
    return text


_PLACEHOLDER = re.compile(r"\x02wzxhzdk:(\d+)\x03")
_RAW_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")


class _Walk:
    """One pass over a tree in document order. Raw inline HTML is stashed by
    Python-Markdown as one placeholder per tag, its text left between them
    (« <kbd>Ctrl : C</kbd> »): `skipped` counts the raw tags of SKIPPED_TAGS
    open at this point, whose text is left as written."""

    def __init__(self, stash: list[str]):
        self.stash = stash
        self.skipped = 0

    def text(self, text):
        if not text:
            return text
        if "\x02" not in text:
            fixed = text if self.skipped else french_spaces(text)
        else:
            # Pieces of text and placeholders in order, each with whether it may change;
            # the runs that may are spaced as one text (placeholders are kept as they are).
            pieces, last = [], 0
            for placeholder in _PLACEHOLDER.finditer(text):
                pieces.append((text[last : placeholder.start()], not self.skipped))
                pieces.append((placeholder.group(0), True))
                self._follow(int(placeholder.group(1)))
                last = placeholder.end()
            pieces.append((text[last:], not self.skipped))
            fixed = "".join(
                french_spaces("".join(p for p, _ in run)) if changes else "".join(p for p, _ in run)
                for changes, run in itertools.groupby(pieces, key=lambda piece: piece[1])
            )
        # The inline patterns leave AtomicStrings: keep the type.
        return text if fixed == text else type(text)(fixed) if isinstance(text, AtomicString) else fixed

    def _follow(self, index: int) -> None:
        raw = self.stash[index] if index < len(self.stash) else ""
        for closing, tag in _RAW_TAG.findall(str(raw)):
            if tag.lower() in SKIPPED_TAGS:
                self.skipped = max(0, self.skipped + (-1 if closing else 1))

    def element(self, element: etree.Element) -> None:
        """French spacing on the text of `element` and its descendants, not
        in SKIPPED_TAGS (the text after them, their tail, is changed)."""
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            return
        element.text = self.text(element.text)
        for child in element:
            self.element(child)
            child.tail = self.text(child.tail)


def apply_to_tree(element: etree.Element, stash: list[str] = ()) -> None:
    """French spacing on a Python-Markdown tree; `stash`: its raw HTML."""
    _Walk(list(stash)).element(element)


class FrenchTypographyTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        apply_to_tree(root, self.md.htmlStash.rawHtmlBlocks)


class FrenchTypographyExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(FrenchTypographyTreeprocessor(md), "fiches_typographie", PRIORITY)


def makeExtension(**kwargs) -> FrenchTypographyExtension:  # noqa: N802 - Python-Markdown's entry point
    return FrenchTypographyExtension(**kwargs)
