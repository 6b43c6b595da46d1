"""A sheet's body as readers get it: rendered with the site's own Markdown.

The rules judge this rendering, not a re-reading of the Markdown source:
`render_body` converts the body with the extensions and options of the
site's `mkdocs.yml` (plus the three MkDocs always adds), and `RenderedBody`
gives the rules the elements of the result, the raw HTML the contributor
wrote (Python-Markdown's stash) and the text a reader sees.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_module
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.serializers import HTML_EMPTY, _escape_attrib_html, _escape_cdata
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

# mkdocs/config/defaults.py: MkDocs always enables these before the site's own.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")

# Block-level elements end a run of text: a phone number never spans two.
BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements) | {"br", "li", "td", "th", "dt", "dd", "summary"}


@dataclass(frozen=True)
class MarkdownSettings:
    """The extensions and options MkDocs gives Python-Markdown for this site."""

    extensions: tuple[str, ...]
    options: dict = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever the rendering may change: settings and Markdown's version."""
        text = json.dumps([self.extensions, self.options, markdown.__version__], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' own tags (!ENV, !relative): their values do not matter here."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def _mkdocs_config(root: Path) -> dict:
    """root/mkdocs.yml, read once per process while it does not change (do not modify the result)."""
    config_file = root / "mkdocs.yml"
    try:
        info = config_file.stat()
    except OSError:
        return {}
    return _read_mkdocs_config(config_file, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _read_mkdocs_config(config_file: Path, _mtime_ns: int, _size: int) -> dict:
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        config = {}  # the build reports a broken mkdocs.yml itself
    return config if isinstance(config, dict) else {}


def load_docs_dir(root: Path) -> str:
    """The folder of the site's own pages (mkdocs.yml's docs_dir), relative to root."""
    docs_dir = _mkdocs_config(root).get("docs_dir")
    return docs_dir if isinstance(docs_dir, str) and docs_dir else "docs"


def load_markdown_settings(root: Path) -> MarkdownSettings:
    """The site's Markdown settings, read from root/mkdocs.yml (none: MkDocs' defaults)."""
    config = _mkdocs_config(root)
    extensions, options = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    items = config.get("markdown_extensions") if isinstance(config, dict) else None
    for item in items if isinstance(items, list) else ():
        name = next(iter(item), None) if isinstance(item, dict) else item
        if not isinstance(name, str):
            continue
        if isinstance(item, dict) and isinstance(item[name], dict):
            options[name] = item[name]
        if name not in extensions:
            extensions.append(name)
    return MarkdownSettings(tuple(extensions), options)


class RawHtmlRecorder(markdown.Extension):
    """Keeps, on the Markdown instance, the raw HTML of the last conversion.

    Python-Markdown puts every piece of raw HTML it copies through in its
    stash; the rules read it to tell what a contributor wrote as HTML from
    what Markdown made. `last_raw_html` is also kept on the extension, for
    the build, where MkDocs makes the Markdown instance.

    It also keeps the finished element tree (`last_tree`) when nothing was
    stashed: the HTML is then exactly that tree written out, and the rules
    read the tree rather than parse the HTML again (`RenderedBody`).

    And it keeps what `fiches_kb.links` checks, as MkDocs' link validation
    reads it: the addresses of links and images as written (`last_links`,
    read before MkDocs rewrites them into the site's URLs) and the anchors
    the page has (`last_anchors`: every id and « <a name> » of the tree,
    and of the raw HTML as MkDocs finds them).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.last_raw_html: list[str] = []
        self.last_tree: _Tree | None = None
        self.last_links: list[tuple[str, str]] = []  # (tag, address): « a » and its href, « img » and its src
        self.last_anchors: set[str] = set()

    def forget(self) -> None:
        """Before a conversion: Python-Markdown runs no processor at all on a blank text."""
        self.last_raw_html, self.last_tree, self.last_links, self.last_anchors = [], None, [], set()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_RawHtmlAnchors(md, self), "fiches_raw_anchors", 21)  # as MkDocs' own, before html_block
        # After attr_list (8) and toc (5) set the ids, before MkDocs rewrites links (relpath, 0).
        md.treeprocessors.register(_KeepLinks(md, self), "fiches_links", 2)
        md.treeprocessors.register(_KeepTree(md, self), "fiches_tree", -100)  # after every other (unescape: 0)
        md.postprocessors.register(_RecordRawHtml(md, self), "fiches_raw_html", 40)  # before RawHtmlPostprocessor (30)


@dataclass(frozen=True)
class _Tree:
    root: object  # xml.etree.ElementTree.Element: the <div> Python-Markdown wraps the body in
    output_format: str


class _KeepTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, extension: RawHtmlRecorder) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        self.extension.last_tree = _Tree(root, self.md.output_format)


class _KeepLinks(Treeprocessor):
    """The tree's link and image addresses and anchors, where MkDocs' link validation reads them."""

    def __init__(self, md: markdown.Markdown, extension: RawHtmlRecorder) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        links, anchors = self.extension.last_links, self.extension.last_anchors
        for element in root.iter():
            tag = element.tag
            if tag == "a":
                if (href := element.get("href")) is not None:
                    links.append(("a", href))
                if name := element.get("name"):
                    anchors.add(name)
            elif tag == "img" and (src := element.get("src")) is not None:
                links.append(("img", src))
            if anchor := element.get("id"):
                anchors.add(anchor)


class _RawHtmlAnchors(Preprocessor):
    """Anchors written in raw HTML (« id », « <a name> »), read from the text
    as MkDocs reads them (mkdocs.structure.pages._RawHTMLPreprocessor)."""

    def __init__(self, md: markdown.Markdown, extension: RawHtmlRecorder) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<" in text:
            reader = _AnchorReader()
            try:
                reader.feed(text)
                reader.close()
            except Exception:  # unreadable markup is reported by the rules  # noqa: BLE001
                pass
            self.extension.last_anchors |= reader.anchors
        return lines


class _AnchorReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)


class _RecordRawHtml(Postprocessor):
    def __init__(self, md: markdown.Markdown, extension: RawHtmlRecorder) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        self.extension.last_raw_html = [str(block) for block in self.md.htmlStash.rawHtmlBlocks]
        if self.md.htmlStash.html_counter:  # placeholders in the tree: only the HTML tells what readers get
            self.extension.last_tree = None
        return text


@dataclass(frozen=True)
class Element:
    """A start tag of the rendered body, as an HTML parser reads it."""

    tag: str
    attrs: tuple[tuple[str, str | None], ...]
    written: str  # the start tag as written in the HTML, for messages


@dataclass(frozen=True)
class Unreadable:
    """Markup the parser could not read: it cannot be checked."""

    snippet: str


class _Reading:
    """Start tags, runs of text and comments, in the order of the HTML."""

    def __init__(self) -> None:
        self.elements: list[Element] = []
        self.blocks: list[list[str]] = [[]]  # runs of text a reader sees together
        self.comments: list[str] = []

    def open_tag(self, tag: str, attrs, written: str) -> None:
        self.elements.append(Element(tag, tuple(attrs), written))
        if tag in BLOCK_TAGS:
            self.blocks.append([])
        for name, value in attrs:
            if value and name in ("title", "alt"):
                self.blocks.append([value])
                self.blocks.append([])

    def close_tag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.blocks.append([])

    def add_text(self, text: str) -> None:
        self.blocks[-1].append(text)


class _ElementReader(HTMLParser, _Reading):
    def __init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        _Reading.__init__(self)

    def handle_starttag(self, tag, attrs):
        self.open_tag(tag, attrs, self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.close_tag(tag)

    def handle_data(self, data):
        self.add_text(data)

    def handle_comment(self, data):
        self.comments.append(data)

    def set_cdata_mode(self, elem):
        """Read what follows <script> or <style> as HTML too: the tag is refused anyway."""


# html.parser, unlike browsers, does not end a comment at « <!--> », « <!---> »
# or « --!> », and reads « <![ » up to « ]]> » where browsers stop at « > ».
_BROWSER_COMMENT_ENDS = re.compile(r"<!--(-?)>|--!>|<!\[[^>]*(?:>|$)")
# Invisible characters that are not format (Cf) characters: fillers and variation selectors.
_INVISIBLE_NOT_FORMAT = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2065" + "".join(map(chr, range(0xFE00, 0xFE10))))
_SPACES = re.compile(r"\s+")
# Every character _is_invisible may accept (all from U+00AD on), but for a few
# frequent in French text that surely are not: ‘ ’ “ ” … narrow no-break space €.
_MAYBE_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u2017\u201a\u201b\u201e-\u2025\u2027-\u202e\u2030-\u20ab\u20ad-\U0010ffff]"
)


@functools.lru_cache(maxsize=4096)
def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _INVISIBLE_NOT_FORMAT


def visible(text: str) -> str:
    """Text as a reader sees it: invisible and format characters gone, spaces folded."""
    if not text.isascii() and _MAYBE_INVISIBLE.search(text):
        hidden = [char for char in set(text) if _is_invisible(char)]
        if hidden:
            text = text.translate(dict.fromkeys(map(ord, hidden)))
    return _SPACES.sub(" ", text).strip()


@dataclass
class RenderedBody:
    """The HTML a sheet's body becomes, and what the rules read of it."""

    html: str
    raw_html: list[str]  # what the contributor wrote as HTML (Python-Markdown's stash)
    tree: _Tree | None = None  # the tree `html` was written from, when nothing was stashed
    links: tuple[tuple[str, str], ...] = ()  # link and image addresses as written (RawHtmlRecorder.last_links)
    anchors: frozenset[str] = frozenset()  # the ids a link can aim at (RawHtmlRecorder.last_anchors)

    @cached_property
    def _reading(self) -> tuple[_Reading, Unreadable | None]:
        if self.tree is not None:
            reading = _read_tree(self.tree)
            if reading is not None:
                return reading, None
        return _read(self.html)

    @property
    def elements(self) -> list[Element]:
        return self._reading[0].elements

    @property
    def unreadable(self) -> Unreadable | None:
        return self._reading[1]

    @cached_property
    def raw_elements(self) -> list[Element]:
        """The start tags the contributor wrote as raw HTML."""
        found: list[Element] = []
        for block in self.raw_html:
            if "<" in block:
                found += _read(block)[0].elements
        return found

    @cached_property
    def texts(self) -> list[str]:
        """Runs of text as readers see them (comments included: they are in the page)."""
        reader = self._reading[0]
        runs = ["".join(parts) for parts in reader.blocks] + reader.comments
        return [text for text in map(visible, runs) if text]


def _read_tree(tree: _Tree) -> _Reading | None:
    """What `_read` would find in the HTML Python-Markdown writes from `tree`
    (markdown.serializers, then its `&` placeholder put back), read from the
    tree itself; None when the tree holds anything that this reading does
    not mirror exactly (then the HTML is parsed)."""
    reading = _Reading()
    html_format = tree.output_format == "html"
    stack = [tree.root.text, *reversed(tree.root)]  # the wrapping <div> is not written out
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if isinstance(item, str):
            reading.add_text(item if "&" not in item and "\x02" not in item else _as_read(_escape_cdata(item)))
            continue
        if isinstance(item, tuple):  # (tag,): the end of an element
            reading.close_tag(item[0])
            continue
        tag = item.tag
        if tag not in _PLAIN_NAMES and not _plain_name(tag):
            return None  # comments, processing instructions, names a parser would change
        void = tag in HTML_EMPTY
        if tag in _RAW_TEXT_TAGS or (void and (item.text or len(item))):
            return None  # unescaped script text, void elements with content
        attrs, written = [], [f"<{tag}"]
        for name, value in sorted(item.items()) if item.attrib else ():
            if name not in _PLAIN_NAMES and not _plain_name(name.lower() if isinstance(name, str) else name):
                return None
            if value is None or (html_format and name == value and name in _BOOLEAN_ATTRIBUTES):
                attrs.append((name.lower(), None))
                written.append(f" {name}")
            else:
                escaped = _escape_attrib_html(value)
                attrs.append((name.lower(), _as_read(escaped)))
                written.append(f' {name}="{escaped}"')
        written.append(" />" if void and not html_format else ">")
        reading.open_tag(tag, attrs, "".join(written).replace(AMP_SUBSTITUTE, "&"))
        stack.append(item.tail)
        if not void:
            stack.append((tag,))
            stack.extend(reversed(item))
            stack.append(item.text)
    return reading


# Attributes Python-Markdown writes without a value when the value is the name.
_BOOLEAN_ATTRIBUTES = frozenset(markdown.serializers.BOOLEAN_ATTRIBUTES["html"])
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_:.-]*")
_PLAIN_NAMES: set[str] = set()  # names already found plain: most tags and attributes recur on every page


def _plain_name(name: object) -> bool:
    if isinstance(name, str) and _PLAIN_NAME.fullmatch(name):
        if len(_PLAIN_NAMES) < 10_000:
            _PLAIN_NAMES.add(name)
        return True
    return False
_RAW_TEXT_TAGS = frozenset(("script", "style"))


def _as_read(written: str) -> str:
    """Text or attribute value as written by Python-Markdown, as a parser reads it back."""
    if "&" not in written and "\x02" not in written:
        return written
    return html_module.unescape(written.replace(AMP_SUBSTITUTE, "&"))


def _read(html: str) -> tuple[_ElementReader, Unreadable | None]:
    reader = _ElementReader()
    markup = _BROWSER_COMMENT_ENDS.sub("<!---->", html) if "<!" in html or "--!" in html else html
    try:
        reader.feed(markup)
        reader.close()
    except Exception:  # html.parser gives up on a few malformed « <! » constructs  # noqa: BLE001
        line, column = reader.getpos()
        start = sum(len(part) + 1 for part in markup.split("\n")[: line - 1]) + column
        return reader, Unreadable(markup[start : start + 40])
    return reader, None


class BodyRenderer:
    """Renders bodies with one Markdown instance (reset between bodies)."""

    def __init__(self, settings: MarkdownSettings) -> None:
        self.settings = settings
        self._recorder = RawHtmlRecorder()
        self._md = markdown.Markdown(extensions=[*settings.extensions, self._recorder], extension_configs=settings.options)

    def render(self, body: str) -> RenderedBody:
        self._md.reset()
        self._recorder.forget()
        html = self._md.convert(body)
        recorder = self._recorder
        return RenderedBody(
            html,
            written_raw_html(recorder.last_raw_html, body),
            recorder.last_tree,
            tuple(recorder.last_links),
            frozenset(recorder.last_anchors),
        )


def written_raw_html(stashed: list[str], body: str) -> list[str]:
    """Of what Python-Markdown stashed, the HTML the contributor wrote.

    Fenced code blocks are stashed too, but as Markdown made them
    (escaped): only raw HTML is copied from the body as written.
    """
    return [block for block in stashed if block.strip() and block.strip() in body]
