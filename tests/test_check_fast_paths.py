"""The shortcuts that make `fiches check` faster change no result: each is
compared with the plain computation it replaces, on random input."""

from __future__ import annotations

import html
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiches_kb.body import HEADING, body_lines, heading_lines
from fiches_kb.frontmatter import SourceFile
from fiches_kb.rules import personal_data as safety
from fiches_kb.text import front_matter_strings
from fiches_kb.rules.personal_data import find_personal_data, personal_data_by_line
from fiches_kb.schema import load_schema
from helpers import REPO

SCHEMA = load_schema(REPO)
RULES = SCHEMA.safety
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pieces = st.sampled_from(
    list("ab é@.-+ 0123456789<>`&#;:\n")
    + ["06 12 34 56 78", "+33 6 12 34 56 78", "0033 (0)6 12 34 56 78", "01.23.45.67.89", "contact@example.fr",
       "jean.dupont@gmail.com", "x@y.z", "&#64;", "&commat;", "&#48;", "&#x36;", "&#0612345678;", "٠١٢٣٤٥٦٧٨٩", "٦",
       "FR76 3000 6000 0112 3456 7890 189", "GB82 WEST 1234 5698 7654 32", "NO93 8601 1117 947",
       "1 84 12 76 451 089 46", "2 84 12 2A 451 089 46", "2019-08-10", "FP-0951", "<b>", "<!--", "\u00a0", "\u202f"]
)
text = st.lists(pieces, max_size=40).map("".join)


def all_kinds(text: str, rules) -> list:
    """find_personal_data without its shortcuts: every kind searched in every text."""
    found = list(safety._find_ibans(text)) + list(safety._find_nirs(text))
    for match in safety.EMAIL.finditer(text):
        if not safety.is_allowed_email(match[0], rules):
            found.append(safety.Finding("courriel", match.start(), match.end(), match[0].lower(), safety.mask_email(match[0])))
    for match in safety.PHONE.finditer(text):
        number = safety.normalise_phone(match[0])
        if number is None or number in rules.phone_numbers:
            continue
        masked = f"+33 {number[1]} •• •• •• {number[-2:]}" if match["intl"] else f"{number[:2]} •• •• •• {number[-2:]}"
        found.append(safety.Finding("telephone", match.start(), match.end(), number, masked))
    kept = []
    for finding in found:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


@SETTINGS
@given(text)
def test_personal_data_shortcuts_change_no_finding(value):
    assert find_personal_data(value, RULES) == all_kinds(value, RULES)


@SETTINGS
@given(text, st.integers(min_value=1, max_value=50))
def test_personal_data_by_line_looks_at_every_line_that_matters(value, first_line):
    every_line = [
        (first_line + offset, finding)
        for offset, line in enumerate(value.split("\n"))
        for finding in find_personal_data(html.unescape(line), RULES)
    ]
    assert personal_data_by_line(value, first_line, RULES) == every_line


def test_only_ascii_digits_make_a_finding():
    """Why the line filter looks for ASCII digits only: the same text in
    Arabic-Indic digits holds nothing."""
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for value in ["06 12 34 56 78", "+33 6 12 34 56 78", "FR76 3000 6000 0112 3456 7890 189", "1 84 12 76 451 089 46"]:
        assert find_personal_data(value, RULES)
        assert find_personal_data(value.translate(arabic), RULES) == []


def source_with(body: str = "", data: dict | None = None, body_line: int = 12) -> SourceFile:
    data = data or {}
    key_lines = {}
    for number, (key_path, _) in enumerate(front_matter_strings(data, numbers=True)):
        key_lines[key_path] = number + 2
    return SourceFile(Path("/depot/fiches/x.md"), "fiches/x.md", data, key_lines, body, body_line)


@SETTINGS
@given(st.lists(st.sampled_from(["# Titre", "## Section", "### Sous", "#nope", "texte", "```", "~~~", "  ```py", "", " # x", "####### sept"]), max_size=30))
def test_heading_lines_are_the_body_lines_that_may_be_headings(lines):
    source = source_with("\n".join(lines))
    expected = [(number, line) for number, line in body_lines(source) if HEADING.match(line)]
    assert [(number, line) for number, line in heading_lines(source) if HEADING.match(line)] == expected
