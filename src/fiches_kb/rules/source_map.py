"""Where, in a sheet's file, a piece of its rendering was written.

Python-Markdown keeps no source positions, so the rules ask this map for
the line of what they found: a tag as written, an attribute value, an
address, a piece of text. Each search moves forward from the last place
found for the same thing, so the second identical tag gets the second
line; what cannot be found is reported on the body's first line.
"""

from __future__ import annotations

import bisect
import html
import re

from ..frontmatter import SourceFile

_NOT_SIGNIFICANT = re.compile(r"[^\w@+]|_", re.UNICODE)


class SourceMap:
    def __init__(self, source: SourceFile) -> None:
        self.body = source.body
        self.first_line = source.body_line
        self._starts = [0] + [match.end() for match in re.finditer("\n", self.body)]
        self._lowered = self.body.lower()
        self._cursors: dict[str, int] = {}
        self._found: dict[str, list[int]] = {}  # needle -> offsets
        self._tags: dict[str, list[int]] = {}  # « <tag » -> offsets
        self._skeleton: tuple[str, list[int]] | None = None

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self._starts, offset) - 1

    def line_of(self, *needles: str) -> int:
        """The line of the first needle written in the body (case ignored), else the first line."""
        found = self.find(*needles)
        return self.first_line if found is None else found

    def find(self, *needles: str) -> int | None:
        """The line of the first needle written in the body (case ignored), or None."""
        for needle in needles:
            needle = needle.lower()
            found = self._next(needle, self._occurrences(needle))
            if found is not None:
                return self.line_at(found)
        return None

    def nth(self, needle: str, index: int) -> int | None:
        """The line of the index-th (from 0) occurrence of needle (case ignored), or None."""
        offsets = self._occurrences(needle.lower())
        return self.line_at(offsets[index]) if index < len(offsets) else None

    def nth_tag(self, tag: str, index: int) -> int | None:
        """The line of the index-th « <tag » written in the body, or None."""
        offsets = self._tag_starts(tag.lower())
        return self.line_at(offsets[index]) if index < len(offsets) else None

    def line_of_tag(self, tag: str, *values: str) -> int:
        """The line of a start tag: where « <tag » is written (the next one after
        the last asked for), else where its attribute values are."""
        found = self._next("<" + tag.lower(), self._tag_starts(tag.lower()))
        return self.line_of(*values) if found is None else self.line_at(found)

    def _next(self, key: str, offsets: list[int]) -> int | None:
        """The first of offsets after the one returned last time for key, else
        the first of all (wrapping around); None when there is none."""
        if not offsets:
            return None
        index = bisect.bisect_left(offsets, self._cursors.get(key, 0))
        offset = offsets[index] if index < len(offsets) else offsets[0]
        self._cursors[key] = offset + 1
        return offset

    def _occurrences(self, needle: str) -> list[int]:
        """Every offset of needle in the lower-cased body, found once per map."""
        if needle not in self._found:
            offsets, found = [], self._lowered.find(needle)
            while found != -1 and needle:
                offsets.append(found)
                found = self._lowered.find(needle, found + 1)
            self._found[needle] = offsets
        return self._found[needle]

    def _tag_starts(self, tag: str) -> list[int]:
        """Every offset of « <tag » (not « <tagname ») in the body, found once per map."""
        key = "<" + tag
        if key not in self._tags:
            pattern = re.compile(rf"<{re.escape(tag)}(?![A-Za-z0-9\-])", re.IGNORECASE)
            self._tags[key] = [match.start() for match in pattern.finditer(self.body)]
        return self._tags[key]

    def line_of_text(self, text: str) -> int:
        """The line of a piece of rendered text, whatever markup, entities or line breaks split it."""
        skeleton, lines = self._skeleton_of_body()
        for needle in _needles(_significant(text)):
            found = skeleton.find(needle)
            if found != -1:
                return lines[found]
        return self.first_line

    def _skeleton_of_body(self) -> tuple[str, list[int]]:
        """The body's letters, digits, « @ » and « + », lower-cased and entities decoded, with their lines."""
        if self._skeleton is None:
            chars: list[str] = []
            lines: list[int] = []
            for number, line in enumerate(self.body.split("\n"), start=self.first_line):
                kept = _significant(html.unescape(line) if "&" in line else line)
                chars.append(kept)
                lines += [number] * len(kept)
            self._skeleton = ("".join(chars), lines)
        return self._skeleton


def _significant(text: str) -> str:
    return _NOT_SIGNIFICANT.sub("", text).lower()


def _needles(text: str) -> list[str]:
    """The whole text, then shorter and shorter starts of it."""
    needles = [text]
    local = text.split("@", 1)[0]
    if local != text and len(local) >= 3:
        needles.append(local)
    needles += [text[:size] for size in (12, 6, 4) if len(text) > size]
    return [needle for needle in needles if needle]
