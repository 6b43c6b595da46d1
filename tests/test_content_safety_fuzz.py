"""Property tests: no text, however odd, makes the safety checks raise; a
generated phone, NIR or IBAN is always found and never shown whole; and
whatever the site's own Markdown renders as live HTML is refused."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiches_kb.frontmatter import SourceFile
from fiches_kb.rules import check_body_safety, check_front_matter_safety, renderer_for
from fiches_kb.rules.addresses import url_scheme
from fiches_kb.rules.personal_data import find_personal_data, is_valid_iban, is_valid_nir, normalise_phone
from fiches_kb.rules.raw_html import FORBIDDEN_TAGS
from fiches_kb.schema import load_schema
from helpers import ATTACK_PIECES, REPO

SCHEMA = load_schema(REPO)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text biased towards what the checks look for.
PIECES = st.sampled_from(
    [
        "<", ">", "</", "<!--", "-->", "<![", "<!", "<?", "`", "```", "~~~", "\n", "\n\n", " ", "\t", "\u00a0",
        "[", "]", "(", ")", "](", "]: ", "{:", "}", "=", '"', "'", "&#", ";", "&", "@", ".", "+33", "(0)",
        "0", "06", "12", "2A", "FR76", "1", "9", "http://", "https://", "javascript:", "data:", "mailto:",
        "//", "\\", "script", "a", "abbr", "onclick", "style", "href", "src", "contact", "gouv.fr", "é", "\x00",
    ]
)
NOISY_TEXT = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=60).map("".join))


def source_with(body: str, data=None) -> SourceFile:
    return SourceFile(Path("fiches/essai.md"), "fiches/essai.md", data or {}, {}, body, 4)


@SETTINGS
@given(NOISY_TEXT)
def test_detectors_never_raise(text):
    find_personal_data(text, SCHEMA.safety)
    url_scheme(text)
    is_valid_nir(text)
    is_valid_iban(text)
    normalise_phone(text)


@SETTINGS
@given(NOISY_TEXT)
def test_body_check_never_raises_and_reports_lines_of_the_body(text):
    source = source_with(text)
    for problem in check_body_safety(source, SCHEMA, renderer_for(REPO)):
        assert 4 <= problem.line <= 4 + text.count("\n")
        assert problem.message


@SETTINGS
@given(st.recursive(st.one_of(NOISY_TEXT, st.integers(), st.none(), st.booleans()),
                    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)),
                    max_leaves=10))
def test_front_matter_check_never_raises(value):
    check_front_matter_safety(source_with("", {"titre": value}), SCHEMA)


@SETTINGS
@given(st.sampled_from("12345679"),  # 08 numbers are service numbers
       st.lists(st.integers(0, 99), min_size=4, max_size=4), st.sampled_from([" ", ".", "-", ""]))
def test_a_generated_phone_number_is_found_and_masked(first, pairs, separator):
    number = "0" + first + "".join(f"{separator}{pair:02d}" for pair in pairs)
    findings = find_personal_data(f"Appelez le {number} demain.", SCHEMA.safety)
    assert [f.kind for f in findings] == ["telephone"]
    assert "".join(f"{p:02d}" for p in pairs[:3]) not in findings[0].masked.replace(" ", "")


@SETTINGS
@given(st.integers(1, 2), st.integers(0, 99), st.integers(1, 12), st.sampled_from(["01", "75", "2A", "2B", "97"]),
       st.integers(0, 999), st.integers(1, 999))
def test_a_generated_nir_is_found_and_a_wrong_key_is_not(sex, year, month, department, commune, order):
    first = f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"
    numeric = first[:5] + {"2A": "19", "2B": "18"}.get(department, department) + first[7:]
    key = 97 - int(numeric) % 97
    good, bad = first + f"{key:02d}", first + f"{(key % 97) + 1:02d}"
    assert [f.kind for f in find_personal_data(f"NIR : {good}.", SCHEMA.safety)] == ["nir"]
    assert [f.kind for f in find_personal_data(f"NIR : {bad}.", SCHEMA.safety) if f.kind == "nir"] == []


@SETTINGS
@given(st.text(alphabet="0123456789", min_size=23, max_size=23), st.booleans())
def test_a_generated_french_iban_is_found(bban, spaced):
    digits = "".join(str(int(char, 36)) for char in bban + "FR00")
    iban = f"FR{98 - int(digits) % 97:02d}{bban}"
    text = " ".join(iban[i : i + 4] for i in range(0, 27, 4)) if spaced else iban
    findings = find_personal_data(f"IBAN : {text}.", SCHEMA.safety)
    assert [f.kind for f in findings] == ["iban"]
    assert bban[2:-3] not in findings[0].masked


# --- The real renderer as an oracle -------------------------------------------
#
# The source checks approximate Python-Markdown. Whatever the site's Markdown
# actually turns into a live script, frame, form, event handler, style
# attribute or javascript:/vbscript:/data: address, the file must be refused
# with one of the security errors.

MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]  # mkdocs/config/defaults.py


def site_markdown() -> markdown.Markdown:
    """Python-Markdown as MkDocs configures it for this site."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    extensions, options = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    for item in config.get("markdown_extensions") or []:
        name = next(iter(item)) if isinstance(item, dict) else item
        if isinstance(item, dict):
            options[name] = item[name] or {}
        if name not in extensions:
            extensions.append(name)
    return markdown.Markdown(extensions=extensions, extension_configs=options)


MARKDOWN = site_markdown()


class _Rendered(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def live_dangers(text: str) -> list:
    """What the rendered page would run: forbidden tags, handlers, styles, dangerous addresses."""
    MARKDOWN.reset()
    parser = _Rendered()
    # Browsers read « <![ » as a comment up to the next « > »; html.parser does not.
    parser.feed(re.sub(r"<!\[[^>]*(?:>|$)", "", MARKDOWN.convert(text)))
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS:
            found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                found.append(name)
            # html.parser has decoded the value once, as a browser does: no second decoding.
            elif name in ("href", "src") and value and url_scheme(value.replace("&", "&amp;")) in ("javascript", "vbscript", "data"):
                found.append(value)
    return found


SECURITY_ERRORS = (
    "balise « <", "attribut « on", "attribut « style", "adresse « javascript", "adresse « vbscript", "adresse « data",
    "le filtre de sécurité du site retirerait",
)


def refused(text: str) -> bool:
    messages = [problem.message for problem in check_body_safety(source_with(text), SCHEMA, renderer_for(REPO))]
    return any(m.startswith(SECURITY_ERRORS) and not m.endswith("non autorisée.") for m in messages)




@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ATTACK_PIECES, max_size=30).map("".join))
def test_whatever_the_renderer_makes_live_is_refused(text):
    dangers = live_dangers(text)
    assert not dangers or refused(text), (dangers, text)


@pytest.mark.parametrize(
    "text",
    [
        "<details>`<script>alert(1)</script>`</details>\n",
        "<details>\n\nTexte\n\n`<script>alert(1)</script>`\n\n</details>\n",
        "Texte\n<details>`<script>alert(1)</script>`</details>\n",
        "<!-- note -->`<script>alert(1)</script>`\n",
        "Texte <!--<script>alert(1)</script>\n",
        "Texte <!-- <!-- --> <script>alert(1)</script> -->\n",
        "<T<script>alert(1)</script>\n",
        "<r e=\"><b onclick=\"alert(1)\">\n",
        '<abbr title="`">x</abbr> `<b onclick="alert(1)">`\n',
        "`\n`<b onclick=x>`\n",
        "`\n: <script>alert(1)</script>`\n",
        "```\n<script>alert(1)</script>\n",  # never closed: not code
        "  ```\n<script>alert(1)</script>\n  ```\n",  # indented: not code
        "```\n<script>alert(1)</script>\n~~~\n",
        "<javascript://%0Aalert(1)>\n",
        "texte](<script>alert(1)</script>)\n",
        "\t<!--\n<script>alert(1)</script>-->\n",  # a tab makes code, not a comment
    ],
)
def test_known_ways_around_a_naive_check_are_refused(text):
    assert live_dangers(text), "this example should be dangerous once rendered"
    assert refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "```\n<script>alert(1)</script>\n```\n",
        "```html\n<iframe src=x></iframe>\n\n<b onclick=x>\n```\n",
        "~~~~\n```\n<script>\n~~~~\n",
        "Texte `<script>alert(1)</script>` cité.\n",
    ],
)
def test_real_code_is_not_refused(text):
    assert not live_dangers(text)
    assert not refused(text)


def test_comments_end_where_browsers_end_them():
    """html.parser, unlike browsers, does not end a comment at « <!--> » or « --!> »."""
    assert refused("<!--><script>alert(1)</script>-->\n")
    assert refused("<!-- x --!><script>alert(1)</script>-->\n")
