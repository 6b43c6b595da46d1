"""What every rule is given, and what a rule is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from ..frontmatter import SourceFile
from ..problems import Problem
from ..schema import SafetyRules, Schema
from .rendering import Element, RenderedBody
from .source_map import SourceMap

HELP = "pages/contribuer/guide.md#securite"


@dataclass
class Context:
    """One sheet's body, rendered, with the allowlists of referentiel.yml."""

    source: SourceFile
    schema: Schema
    rendered: RenderedBody | None  # None for the rules on the file as written (SOURCE_RULES)

    @property
    def rules(self) -> SafetyRules:
        return self.schema.safety

    @cached_property
    def source_map(self) -> SourceMap:
        return SourceMap(self.source)

    @cached_property
    def _element_lines(self) -> dict[int, int | None]:
        """id(element) -> line where its start tag is written, for raw HTML:
        the n-th tag written so is the n-th one of the source."""
        lines: dict[int, int | None] = {}
        for elements in (self.rendered.elements, self.rendered.raw_elements):
            written, tags = Counter(), Counter()
            for element in elements:
                key = element.written.lower()
                line = self.source_map.nth(key, written[key])
                if line is None:
                    line = self.source_map.nth_tag(element.tag, tags[element.tag])
                written[key] += 1
                tags[element.tag] += 1
                lines.setdefault(id(element), line)
        return lines

    def element_line(self, element: Element, *values: str) -> int:
        """Where an element's start tag is written, else where one of values is."""
        line = self._element_lines.get(id(element))
        return line if line is not None else self.source_map.line_of(*values)

    def written_line(self, element: Element) -> int | None:
        """Where an element's start tag is written verbatim (raw HTML), or None."""
        return self.source_map.nth(element.written, 0)


@dataclass(frozen=True)
class Rule:
    """One concern, with an id (shown in pull-request annotations) and a description in French."""

    id: str
    description: str
    check: Callable[[Context], Iterator[Problem]]

    def __call__(self, context: Context) -> Iterator[Problem]:
        return self.check(context)


def rule(identifier: str, description: str) -> Callable[[Callable[[Context], Iterator[Problem]]], Rule]:
    """Makes a function of a Context into a Rule; rules/__init__.py lists them all."""

    def wrap(check: Callable[[Context], Iterator[Problem]]) -> Rule:
        return Rule(identifier, description, check)

    return wrap
