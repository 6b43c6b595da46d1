"""Content safety: raw HTML, link addresses and personal data.

Sheets are public pages written by non-developers and rendered by
Python-Markdown, which copies raw HTML and link addresses into the page
unchanged. These checks refuse, with a French problem each:

- raw HTML in the body outside the allowlist, and always scripts, styles,
  embedded content, forms, `on…=` event handlers, `style=` attributes and
  `javascript:` / `vbscript:` / `data:` addresses (also in Markdown links and
  `{: …}` attribute lists), however they are disguised;
- any `<tag`-like markup in front-matter text;
- external links in `http://` (Markdown links, images, autolinks, reference
  definitions, raw HTML `href`/`src`);
- personal data in the body and in every front-matter value: e-mail
  addresses (except the allowlisted ones), French phone numbers, social
  security numbers (NIR) and IBANs whose check digits are right.

The allowlists come from the « securite » section of referentiel.yml, read
into `Schema.safety`; what no allowlist can lift is written below.

Code is not checked for HTML and links, but only where the site surely shows
it as code: fenced blocks as Python-Markdown's fenced_code reads them, and
backtick spans where no Markdown or HTML quirk can turn them back into live
HTML. Everywhere else the checks over-approximate Python-Markdown: anything
that might reach the page as HTML is checked as HTML, read both as a browser
and as Python-Markdown would read it. A property test renders random
Markdown with the site's configuration and asserts that whatever comes out
live was refused. Personal data is looked for everywhere, code included.
Nothing here raises on content: a problem is returned instead.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from textwrap import dedent
from typing import Any
from urllib.parse import unquote

from .frontmatter import KeyPath, SourceFile
from .problems import Problem
from .schema import SafetyRules, Schema
from .validate import quote

HELP = "pages/contribuer/guide.md#securite"

# ---------------------------------------------------------------------------
# Raw HTML: what is always refused, whatever referentiel.yml allows.
# ---------------------------------------------------------------------------
_SCRIPT = (
    "une fiche ne doit pas exécuter de programme dans la page des lecteurs.",
    "retirez la balise et son contenu ; pour citer du code, mettez-le entre accents graves (`…`)",
)
_STYLE = (
    "la mise en forme des fiches vient du thème du site.",
    "retirez la balise et son contenu ; mettez en forme en Markdown (**gras**, *italique*, listes, titres « ## »)",
)
_EMBED = (
    "une fiche n'intègre pas de contenu venu d'un autre site.",
    "remplacez-la par un lien en https vers ce contenu : [titre du contenu](https://…)",
)
_FORM = (
    "une fiche ne contient pas de formulaire.",
    "retirez-la ; pour renvoyer vers un formulaire en ligne, mettez un lien en https vers sa page",
)
FORBIDDEN_TAGS: dict[str, tuple[str, str]] = {
    "script": _SCRIPT,
    "noscript": _SCRIPT,
    "style": _STYLE,
    "link": _STYLE,
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "portal"), _EMBED),
    **dict.fromkeys(
        (
            "form", "input", "button", "select", "option", "optgroup", "textarea",
            "datalist", "output", "fieldset", "legend", "label", "keygen",
        ),
        _FORM,
    ),
}

# Attributes whose value is an address the browser may follow or load.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite",
        "data", "codebase", "srcset", "lowsrc", "dynsrc", "ping", "manifest", "longdesc",
        "usemap", "profile", "icon", "archive", "classid",
    }
)
DANGEROUS_SCHEMES = {
    "javascript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
    "vbscript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
    "data": "elle peut cacher un programme ou un document entier dans le lien",
}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}

# ---------------------------------------------------------------------------
# How Python-Markdown, as MkDocs configures it, reads a body.
# ---------------------------------------------------------------------------
# Fenced code blocks exactly as Python-Markdown's fenced_code extension (which
# MkDocs always enables) reads them: an unclosed or indented fence is not code.
# A test keeps this pattern in step with the installed extension.
FENCED_BLOCK = re.compile(
    dedent(r'''
        (?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence
        ((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
        (\.?(?P<lang>[\w#.+-]*)[ ]*)?                            # optional (.)lang
        (hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)
        \n                                                       # newline (end of opening fence)
        (?P<code>.*?)(?<=\n)                                     # the code block
        (?P=fence)[ ]*$                                          # closing fence
    '''),
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)
# Python-Markdown's block-level elements (Markdown.block_level_elements): a
# line that starts with one opens a raw HTML block, copied as is up to its
# closing tag, where backticks are not code. A test keeps this list in step.
BLOCK_LEVEL_TAGS = frozenset(
    """address article aside blockquote details div dl fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul canvas colgroup
    dd body dt group html iframe li legend math map noscript output object option progress
    script style summary tbody td textarea tfoot th thead tr video center""".split()
)
LINE_START_MARKUP = re.compile(r"^[ \t]*<(?:([A-Za-z][A-Za-z0-9\-]*)|[/!?])")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*://[^<>]*)>")
# What Python-Markdown 3.11 reads as inline raw HTML (inlinepatterns.HTML_RE);
# any other « < » in a paragraph is escaped, so what follows it may be live.
INLINE_HTML = re.compile(
    r"""<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
    r"!--(?:(?!<!--|-->).)*--|"
    r"[?](?:(?!<[?]|[?]>).)*[?]|"
    r"!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>",
    re.DOTALL,
)
AUTOMAIL = re.compile(r"<([^<> !]+@[^@<> ]+)>")
# Reference definitions « [nom]: adresse », also inside quotes and lists.
REFERENCE = re.compile(r"\[[^\[\]\n]*\]:[ \t]*\n?[ \t]*<?([^\s>]+)")
ANGLE_ADDRESS = re.compile(r"""^(?=[^:.#?]*[:.#?])(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|[./#?])[^\s"'<>]*$""")
LINK_TITLE = re.compile(r"""\s+("[^"]*"|'[^']*')\s*$""")
ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*([^{}\n]+?)[ \t]*\}")
ATTRIBUTE_PAIR = re.compile(r"""([^\s=}"']+)[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s}]+)""")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Browsers drop tabs and newlines anywhere in an address and spaces or control
# characters around it; dropping every invisible character is stricter.
URL_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")
# What replaces code and addresses that the HTML check must not read: not a
# space, so that what follows does not seem to start its line.
FILLER = "\x1a"
# Front-matter text: anything a browser could read as a tag or a comment.
FRONT_MATTER_TAG = re.compile(r"<(?:[/?]?[A-Za-z]|!)[^<>\n]{0,40}>?")

# ---------------------------------------------------------------------------
# Personal data.
# ---------------------------------------------------------------------------
_SEP = r"[ .\-\u00a0\u202f]"
EMAIL = re.compile(r"(?<![\w.%+\-])([\w.+\-]+)@((?:[\w\-]+\.)+[A-Za-z]{2,})(?![\w\-])")
PHONE = re.compile(
    rf"""(?<![\w+])
    (?:
        (?P<intl>(?:\+|00)[ ]?33{_SEP}?(?:\(0\){_SEP}?)?)(?P<first>[1-79])
      | 0(?P<national>[1-79])
    )
    (?P<rest>(?:{_SEP}?\d{{2}}){{4}})
    (?![\d])""",
    re.VERBOSE,
)
NIR = re.compile(r"(?<![\w.,])[1-478](?:[ .\u00a0\u202f]?[0-9ABab]){14}(?![\w])")
# An e-mail needs « @ »; a phone number, a NIR and an IBAN need digits (\d: any Unicode digit, as above).
MAY_HOLD_PERSONAL_DATA = re.compile(r"[@\d]")
# A line may hold some once its entities are decoded only if it has one of
# these: « @ », « & » or an ASCII digit. Digits from other scripts alone are not
# enough: every finding but an e-mail address needs ASCII digits (see
# find_personal_data).
PERSONAL_DATA_SIGN = re.compile("[0-9@&]")
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
IBAN_SEPARATORS = " \u00a0\u202f"
# ISO 13616 registry: IBAN length per country.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    # French overseas territories use the French format.
    **dict.fromkeys(("GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"), 27),
}

PERSONAL_DATA = "une fiche publique ne doit contenir aucune donnée personnelle : "


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str  # "courriel", "telephone", "nir" or "iban"
    start: int
    end: int
    value: str  # normalised, to compare and deduplicate; never shown
    masked: str  # what the contributor is shown


# ---------------------------------------------------------------------------
# Checksums and normalisation (public: the tests and referentiel parsing use them).
# ---------------------------------------------------------------------------


def nir_key(first_thirteen: str) -> int:
    """Control key of a NIR: 97 - (number mod 97); Corsica's 2A/2B count as 19/18."""
    text = first_thirteen.upper()
    if text[5:7] == "2A":
        text = text[:5] + "19" + text[7:]
    elif text[5:7] == "2B":
        text = text[:5] + "18" + text[7:]
    return 97 - int(text) % 97


def is_valid_nir(text: str) -> bool:
    """True when text (spaces allowed) is a well-formed NIR whose key checks."""
    compact = re.sub(r"[ .\u00a0\u202f]", "", text).upper()
    if len(compact) != 15 or compact[0] not in "12478":
        return False
    body = compact[:5] + ("00" if compact[5:7] in ("2A", "2B") else compact[5:7]) + compact[7:]
    if not body.isascii() or not body.isdigit():
        return False
    return nir_key(compact[:13]) == int(compact[13:])


def iban_checksum_ok(compact: str) -> bool:
    """ISO 13616 / ISO 7064 mod 97-10 on an IBAN without spaces."""
    text = compact.upper()
    if len(text) < 5 or not text.isascii() or not text.isalnum():
        return False
    rearranged = text[4:] + text[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def is_valid_iban(text: str) -> bool:
    """True when text (spaces allowed) has its country's length and a right checksum."""
    compact = re.sub(r"[ \u00a0\u202f]", "", text).upper()
    length = IBAN_LENGTHS.get(compact[:2])
    return bool(length) and len(compact) == length and compact[2:4].isdigit() and iban_checksum_ok(compact)


def normalise_phone(text: str) -> str | None:
    """A French number in national form ("0123456789"), or None."""
    stripped = text.strip()
    international = stripped.startswith("+33") or stripped.startswith("0033")
    if international:
        stripped = stripped[3:] if stripped.startswith("+33") else stripped[4:]
        stripped = stripped.replace("(0)", "", 1)
    digits = re.sub(r"[ .\-\u00a0\u202f()]", "", stripped)
    if not digits.isascii() or not digits.isdigit():
        return None
    if international:
        digits = "0" + digits if len(digits) == 9 else ""
    return digits if len(digits) == 10 and digits[0] == "0" and digits[1] != "0" else None


def is_allowed_email(address: str, rules: SafetyRules) -> bool:
    """The rule of referentiel.yml: institutional domain, generic name, or listed address."""
    local, _, domain = address.lower().rpartition("@")
    if not local or not domain:
        return False
    if address.lower() in rules.email_addresses:
        return True
    if any(domain == allowed or domain.endswith("." + allowed) for allowed in rules.email_domains):
        return True
    name = local.split("+", 1)[0]
    return any(re.fullmatch(re.escape(generic) + r"(?:[.\-_].+)?", name) for generic in rules.email_generic_names)


# ---------------------------------------------------------------------------
# Personal data detection.
# ---------------------------------------------------------------------------


def find_personal_data(text: str, rules: SafetyRules) -> list[Finding]:
    """Every piece of personal data in text, in order, without overlaps."""
    has_at = "@" in text
    if not has_at and not MAY_HOLD_PERSONAL_DATA.search(text):
        return []  # most lines: no « @ » and no digit, which every pattern below needs
    # What each kind needs to be found at all, in ASCII digits (the checks
    # below refuse other digits): an IBAN has its two check digits, a phone
    # number ten digits (national form) or eleven (+33…), a NIR thirteen
    # (fifteen, two of them perhaps « 2A »). An e-mail address needs « @ ».
    digits = sum(map(text.count, "0123456789"))
    found: list[Finding] = []
    if digits >= 2:
        found += _find_ibans(text)
    if digits >= 13:
        found += _find_nirs(text)
    for match in EMAIL.finditer(text) if has_at else ():
        address = match[0]
        if not is_allowed_email(address, rules):
            found.append(Finding("courriel", match.start(), match.end(), address.lower(), mask_email(address)))
    for match in PHONE.finditer(text) if digits >= 10 else ():
        number = normalise_phone(match[0])
        if number is None or number in rules.phone_numbers:
            continue
        masked = f"+33 {number[1]} •• •• •• {number[-2:]}" if match["intl"] else f"{number[:2]} •• •• •• {number[-2:]}"
        found.append(Finding("telephone", match.start(), match.end(), number, masked))
    kept: list[Finding] = []
    for finding in found:  # IBANs and NIRs first: a phone pattern inside one is not a phone
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def _find_nirs(text: str) -> Iterator[Finding]:
    for match in NIR.finditer(text):
        if is_valid_nir(match[0]):
            compact = re.sub(r"[ .\u00a0\u202f]", "", match[0]).upper()
            yield Finding("nir", match.start(), match.end(), compact, f"{compact[0]} •• •• •• ••• ••• {compact[-2:]}")


def _find_ibans(text: str) -> Iterator[Finding]:
    position = 0
    for start in IBAN_START.finditer(text):
        if start.start() < position:
            continue
        length = IBAN_LENGTHS.get(start[0][:2].upper())
        if not length:
            continue
        collected, index = [], start.start()
        while index < len(text) and len(collected) < length:
            char = text[index]
            if char.isascii() and char.isalnum():
                collected.append(char)
            elif not (char in IBAN_SEPARATORS and index + 1 < len(text) and text[index + 1].isalnum()):
                break
            index += 1
        if len(collected) < length or (index < len(text) and text[index].isascii() and text[index].isalnum()):
            continue
        compact = "".join(collected).upper()
        if iban_checksum_ok(compact):
            position = index
            yield Finding("iban", start.start(), index, compact, mask_iban(compact))


def mask_email(address: str) -> str:
    local, _, domain = address.rpartition("@")
    labels = domain.split(".")
    shown = [label[:1] + "•••" for label in labels[:-1]] + labels[-1:]
    return f"{local[:1]}•••@{'.'.join(shown)}"


def mask_iban(compact: str) -> str:
    masked = compact[:4] + "•" * (len(compact) - 6) + compact[-2:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def _personal_data_problem(
    rel_path: str, line: int | None, finding: Finding, rules: SafetyRules, field: str | None = None
) -> Problem:
    found = f"« {finding.masked} » (masqué)"
    if finding.kind == "courriel":
        generic = ", ".join(f"{name}@…" for name in rules.email_generic_names[:3])
        domains = ", ".join(rules.email_domains[:2])
        expected = "l'adresse générique d'une structure" + (f" (par exemple {generic})" if generic else "")
        if domains:
            expected += f" ou une adresse d'un domaine institutionnel (par exemple {domains})"
        return Problem(
            rel_path,
            line,
            PERSONAL_DATA + "cette adresse électronique peut être celle d'une personne.",
            field=field,
            expected=expected,
            found=found,
            suggestion="remplacez-la par l'adresse générique de la structure ou par le lien de sa page de contact ; "
            "si c'est l'adresse d'un service, demandez son ajout à la rubrique « securite » de referentiel.yml",
            help=HELP,
        )
    if finding.kind == "telephone":
        return Problem(
            rel_path,
            line,
            PERSONAL_DATA + "ce numéro de téléphone peut être celui d'une personne.",
            field=field,
            expected="aucun numéro personnel ; les numéros en 08 et les numéros courts (3939, 115…) sont acceptés",
            found=found,
            suggestion="retirez le numéro et renvoyez vers la page de contact de la structure ; le standard "
            "d'une institution peut être ajouté à la rubrique « securite » de referentiel.yml",
            help=HELP,
        )
    if finding.kind == "nir":
        return Problem(
            rel_path,
            line,
            PERSONAL_DATA + "ce numéro de sécurité sociale (NIR, clé de contrôle juste) identifie une personne.",
            field=field,
            expected="aucun numéro de sécurité sociale",
            found=found,
            suggestion="supprimez ce numéro ; pour un exemple, écrivez des X : « 1 XX XX XX XXX XXX XX »",
            help=HELP,
        )
    return Problem(
        rel_path,
        line,
        PERSONAL_DATA + "ces coordonnées bancaires (IBAN, clé de contrôle juste) désignent un compte réel.",
        field=field,
        expected="aucune coordonnée bancaire",
        found=found,
        suggestion="supprimez l'IBAN ; pour un don ou un paiement, renvoyez vers la page officielle de la structure",
        help=HELP,
    )


# ---------------------------------------------------------------------------
# Link addresses.
# ---------------------------------------------------------------------------


def normalise_url(raw: str) -> str:
    """The address as a browser reads it: entities decoded, invisible characters gone."""
    text = html.unescape(raw)
    text = MARKDOWN_ESCAPE.sub(r"\1", text)
    text = URL_INVISIBLE.sub("", text)
    return text.replace("\\", "/")


def url_scheme(raw: str) -> str | None:
    """Lower-case scheme of an address, "//" for protocol-relative, None for relative."""
    text = normalise_url(raw)
    if text.startswith("//"):
        return "//"
    match = SCHEME.match(text)
    return match[1].lower() if match else None


def _url_problems(rel_path: str, line: int, raw: str) -> list[Problem]:
    scheme = url_scheme(raw)
    if scheme is None or scheme in ALLOWED_SCHEMES:
        return []
    text = normalise_url(raw)
    if scheme in DANGEROUS_SCHEMES:
        return [
            Problem(
                rel_path,
                line,
                f"adresse « {scheme}: » interdite : {DANGEROUS_SCHEMES[scheme]}.",
                expected="une adresse en https:// ou un lien relatif vers une autre page du site",
                found=quote(raw),
                suggestion="remplacez-la par l'adresse en https de la page visée, ou retirez le lien",
                help=HELP,
            )
        ]
    if scheme == "http":
        return [
            Problem(
                rel_path,
                line,
                "lien non sécurisé (http).",
                expected="une adresse en https://",
                found=quote(raw),
                suggestion=f"écrivez « https:{text[len('http:'):]} » après avoir vérifié qu'elle fonctionne",
                help=HELP,
            )
        ]
    if scheme == "//":
        return [
            Problem(
                rel_path,
                line,
                "lien externe incomplet : l'adresse doit commencer par « https:// ».",
                expected="une adresse en https://",
                found=quote(raw),
                suggestion=f"écrivez « https:{text} »",
                help=HELP,
            )
        ]
    return [
        Problem(
            rel_path,
            line,
            f"type d'adresse « {scheme}: » non autorisé dans un lien.",
            expected="une adresse en https://, un lien relatif vers une autre page du site, "
            "ou une adresse « mailto: » ou « tel: »",
            found=quote(raw),
            suggestion="remplacez-la par l'adresse en https de la page visée",
            help=HELP,
        )
    ]


def _mailto_findings(raw: str, rules: SafetyRules) -> list[Finding]:
    """Addresses of a mailto: link, even percent- or entity-encoded, that are not allowed."""
    if url_scheme(raw) != "mailto":
        return []
    recipients = unquote(normalise_url(raw)[len("mailto:") :]).split("?", 1)[0]
    findings = []
    for address in recipients.split(","):
        address = address.strip()
        if EMAIL.fullmatch(address) and not is_allowed_email(address, rules):
            findings.append(Finding("courriel", 0, 0, address.lower(), mask_email(address)))
    return findings


def _link_destination(text: str, start: int) -> tuple[str, int, int] | None:
    """The address of an inline Markdown link whose « ( » ends at start.

    Like Python-Markdown, everything up to the matching « ) » is the address,
    except a final title in quotes; spaces inside are kept (and dropped later,
    when the address is normalised, which is stricter than a browser).
    Returns the address and where it is written in text.
    """
    index = start
    while index < len(text) and text[index].isspace():
        index += 1
    if index < len(text) and text[index] == "<":
        end = text.find(">", index)
        if end == -1:
            return None
        # Blanked out of the raw HTML check only when it cannot hide a tag.
        address = text[index + 1 : end]
        return (address, index, end + 1 if ANGLE_ADDRESS.match(address) else index)
    depth, begin = 0, index
    limit = min(len(text), start + 2000)
    while index < limit:
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char == "\n" and text[index + 1 : index + 2] == "\n":
            return None  # a blank line ends the paragraph, and the link with it
        index += 1
    else:
        return None
    destination = LINK_TITLE.sub("", text[begin:index]).strip()
    # Never blanked: without a matching « [ » it is not a link, and any tag in it is live.
    return (destination, begin, begin) if destination else None


# ---------------------------------------------------------------------------
# Raw HTML.
# ---------------------------------------------------------------------------


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]], str]] = []

    def handle_starttag(self, tag, attrs):
        written = re.sub(f"{FILLER}+", "…", self.get_starttag_text() or f"<{tag}>")
        self.tags.append((self.getpos()[0], tag, attrs, written))

    def set_cdata_mode(self, elem):
        """Read what follows <script> or <style> as HTML too: that start tag is
        refused anyway, and if it is not live (quoted, escaped) what follows is."""


def _tag_problems(rel_path: str, line: int, tag: str, attrs, written: str, rules: SafetyRules) -> list[Problem]:
    problems = []
    found = quote(written)
    if tag in FORBIDDEN_TAGS:
        why, what_to_do = FORBIDDEN_TAGS[tag]
        problems.append(Problem(rel_path, line, f"balise « <{tag}> » interdite : {why}", found=found, suggestion=what_to_do, help=HELP))
    elif tag not in rules.html_tags:
        allowed = ", ".join(f"<{t}>" for t in rules.html_tags) or "aucune"
        problems.append(
            Problem(
                rel_path,
                line,
                f"balise HTML « <{tag}> » non autorisée.",
                expected=f"seulement les balises autorisées par referentiel.yml : {allowed}",
                found=found,
                suggestion="écrivez ce passage en Markdown, ou retirez la balise ; "
                "pour afficher le signe « < », écrivez « &lt; »",
                help=HELP,
            )
        )
    for name, value in attrs:
        if name.startswith("on"):
            problems.append(
                Problem(
                    rel_path,
                    line,
                    f"attribut « {name} » interdit : les attributs « on… » lancent un programme dans le navigateur.",
                    found=found,
                    suggestion="retirez cet attribut",
                    help=HELP,
                )
            )
            continue
        if name == "style":
            problems.append(
                Problem(
                    rel_path,
                    line,
                    "attribut « style » interdit : la mise en forme des fiches vient du thème du site.",
                    found=found,
                    suggestion="retirez cet attribut",
                    help=HELP,
                )
            )
            continue
        if name in URL_ATTRIBUTES and value:
            candidates = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
            for candidate in candidates:
                problems += _url_problems(rel_path, line, candidate)
        if tag in rules.html_tags and name not in rules.html_tags[tag]:
            allowed_attributes = rules.html_tags[tag]
            problems.append(
                Problem(
                    rel_path,
                    line,
                    f"attribut « {name} » non autorisé sur la balise « <{tag}> ».",
                    expected=(
                        f"pour « <{tag}> » : {', '.join(allowed_attributes)}"
                        if allowed_attributes
                        else f"aucun attribut sur « <{tag}> »"
                    ),
                    found=found,
                    suggestion="retirez cet attribut",
                    help=HELP,
                )
            )
    return problems


def _attribute_list_problems(rel_path: str, line: int, content: str) -> list[Problem]:
    """Python-Markdown's « {: key=value } » attribute lists can add any attribute."""
    problems = []
    for pair in ATTRIBUTE_PAIR.finditer(content):
        name, value = pair[1].lower(), pair[2].strip("\"'")
        written = quote("{: " + content + " }")
        if name.startswith("on"):
            problems.append(
                Problem(
                    rel_path,
                    line,
                    f"attribut « {name} » interdit : les attributs « on… » lancent un programme dans le navigateur.",
                    found=written,
                    suggestion="retirez cet attribut de la liste « {: … } »",
                    help=HELP,
                )
            )
        elif name == "style":
            problems.append(
                Problem(
                    rel_path,
                    line,
                    "attribut « style » interdit : la mise en forme des fiches vient du thème du site.",
                    found=written,
                    suggestion="retirez cet attribut de la liste « {: … } »",
                    help=HELP,
                )
            )
        elif name in URL_ATTRIBUTES:
            problems += _url_problems(rel_path, line, value)
    return problems


# ---------------------------------------------------------------------------
# Entry points.
# ---------------------------------------------------------------------------


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", FILLER, match[0])


class _Lines:
    """Line numbers in the file for offsets in the body text."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.first_line = first_line

    def at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1


def fenced_code_lines(text: str) -> set[int]:
    """Indexes of the lines of text that the site shows as fenced code."""
    if "```" not in text and "~~~" not in text:
        return set()  # most bodies: no fence
    lines = _Lines(text, 0)
    code: set[int] = set()
    index = 0
    while match := FENCED_BLOCK.search(text, index):
        if match["attrs"] is None:  # « {…} » options may be refused by the renderer: then it is not code
            code.update(range(lines.at(match.start()), lines.at(match.end() - 1) + 1))
        index = match.end()
    return code


def _raw_html_lines(text: str) -> set[int]:
    """Indexes of the lines of text that may belong to a raw HTML block.

    Over-approximates Python-Markdown: a line that starts with markup opens
    a region; it runs to the closing tag of every block-level element opened
    in it (to the end of the text for one never closed) and to the end of
    every comment that starts one of its lines, then to the end of the
    paragraph. Backticks there are not code: they are checked as HTML.
    """
    if "<" not in text:
        return set()  # no markup, no comment: nothing below can match
    lines = text.split("\n")
    offsets = _Lines(text, 0)
    uncommented = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", FILLER, m[0]), text, flags=re.DOTALL)
    reaches: dict[int, int] = {}  # line -> last line reached by what opens there
    lowered = uncommented.lower()
    for tag in BLOCK_LEVEL_TAGS - {"hr"}:
        if "<" + tag not in lowered:
            continue
        opened: list[int] = []
        for mark in re.finditer(rf"<(/?){tag}(?![A-Za-z0-9\-])", uncommented, re.IGNORECASE):
            if not mark[1]:
                opened.append(offsets.at(mark.start()))
            elif opened:
                line = opened.pop()
                reaches[line] = max(reaches.get(line, line), offsets.at(mark.start()))
        for line in opened:
            reaches[line] = len(lines) - 1
    for number, line in enumerate(lines):
        if line.lstrip().startswith("<!--"):
            closing = text.find("-->", offsets.starts[number] + line.index("<!--") + 4)
            reaches[number] = max(reaches.get(number, number), offsets.at(closing) if closing != -1 else len(lines) - 1)
    raw: set[int] = set()
    index = 0
    while index < len(lines):
        if not LINE_START_MARKUP.match(lines[index]):
            index += 1
            continue
        end, scanned = index, index
        while True:
            while scanned <= end:
                end = max(end, reaches.get(scanned, scanned))
                scanned += 1
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            if scanned > end:
                break
        raw.update(range(index, end + 1))
        index = end + 1
    return raw


def _code_span_end(line: str, begin: int) -> tuple[int, int | None, bool]:
    """Python-Markdown's pairing of backticks (BacktickInlineProcessor.find_code_spans).

    Returns where the code starts and ends, and whether the closing run has
    exactly the length of the opening one.
    """
    start, ticks = begin, 0
    while start < len(line) and line[start] == "`":
        ticks += 1
        start += 1
    longest, end, index = 0, 0, start
    while index < len(line):
        run = 0
        while index < len(line) and line[index] == "`":
            run += 1
            index += 1
        if not run:
            index += 1
            continue
        if run == ticks:
            return start, index - run, True
        if run > longest:
            longest, end = run, index
    if 0 < longest < ticks:
        return start - (ticks - longest), end - longest, False
    return start + ticks, None, False


def _line_code_spans(line: str) -> tuple[list[tuple[int, int]], bool]:
    """The code spans of one line, and whether every backtick run found its exact pair."""
    if "`" not in line:
        return [], True  # most lines: no span (the loop below would find none)
    spans, clean, index = [], True, 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2  # an escaped character never opens a span
        elif char != "`":
            index += 1
        else:
            start, end, exact = _code_span_end(line, index)
            if end is None:
                clean = False
                index = start
                continue
            clean = clean and exact
            stop = end + (start - index)
            spans.append((index, stop))
            index = stop
    return spans, clean


def _spans_outside_tags(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that do not start inside a « <tag … > » written outside code."""
    starts = dict(spans)
    free, index, in_tag, quote = [], 0, False, ""
    while index < len(text):
        char = text[index]
        if in_tag:
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                in_tag = False
            index += 1
        elif index in starts:
            free.append((index, starts[index]))
            index = starts[index]
        elif char == "<" and text[index + 1 : index + 2].isascii() and (
            text[index + 1 : index + 2].isalpha() or text[index + 1 : index + 2] in ("/", "!", "?")
        ):
            in_tag = True
            index += 1
        else:
            index += 1
    return free


def _blank_code_spans(text: str, raw_lines: set[int]) -> str:
    """Code spans are blanked out, where they surely are code.

    Stricter than Python-Markdown, so that nothing live can hide in what
    looks like a code span: a span is blanked only on one line, outside raw
    HTML blocks (see _raw_html_lines), outside any tag (`<abbr title="`">`),
    without « | » (table cells), and only in a paragraph where every line
    pairs all its backticks by itself, so that however Markdown splits the
    paragraph into blocks, the pairing stays the same.
    """
    if "`" not in text:
        return text  # no backtick, no code span
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        last = number
        while last + 1 < len(lines) and lines[last + 1].strip():
            last += 1
        analysed = [_line_code_spans(lines[k]) for k in range(number, last + 1)]
        if all(clean for _, clean in analysed) and any(spans for spans, _ in analysed):
            paragraph = "\n".join(lines[number : last + 1])
            spans, offset = [], 0
            for k, (line_spans, _) in zip(range(number, last + 1), analysed):
                if k not in raw_lines:
                    spans += [(offset + begin, offset + stop) for begin, stop in line_spans]
                offset += len(lines[k]) + 1
            chars = list(paragraph)
            for begin, stop in _spans_outside_tags(paragraph, spans):
                if "|" not in paragraph[begin:stop]:
                    chars[begin:stop] = FILLER * (stop - begin)
            lines[number : last + 1] = "".join(chars).split("\n")
        number = last + 1
    return "\n".join(lines)


def _as_python_markdown_reads_it(markup: str) -> str:
    """In a paragraph, a « < » that does not open inline HTML is escaped text."""
    return re.sub("<", lambda match: "<" if INLINE_HTML.match(markup, match.start()) else FILLER, markup)


def _comments_as_browsers_read_them(markup: str) -> str:
    """Make html.parser end comments where the page really ends them.

    Browsers close a comment at « <!--> », « <!---> » and « --!> ».
    Python-Markdown escapes a « <!-- » that is never closed or that holds
    another « <!-- », and may break one that does not start its line (it
    reads backticks, escapes and links first): what follows is then live
    HTML. So only comments that start their line (indented by fewer than
    four spaces) hide what they hold.
    """
    markup = re.sub(r"<!--(-?)>", "<!---->", markup).replace("--!>", "-->")
    pieces, position = [], 0
    while (start := markup.find("<!--", position)) != -1:
        end = markup.find("-->", start + 4)
        line_start = markup.rfind("\n", 0, start) + 1
        starts_line = re.fullmatch(" {0,3}", markup[line_start:start]) is not None  # 4 spaces or a tab: code
        inside = markup[start + 4 : end] if end != -1 else ""
        # Inside a paragraph, Markdown reads backticks, escapes and links
        # before comments, and a new block may start on the next line.
        if end == -1 or "<!--" in inside or not starts_line:
            pieces.append(markup[position:start] + FILLER * 4)
            position = start + 4
        else:
            pieces.append(markup[position : end + 3])
            position = end + 3
    return "".join(pieces) + markup[position:]


def check_body_safety(source: SourceFile, schema: Schema) -> list[Problem]:
    """Raw HTML, link addresses and personal data in the body."""
    rules = schema.safety
    rel_path = source.rel_path
    code = fenced_code_lines(source.body)
    text = source.body
    if code:
        text = "\n".join("" if number in code else line for number, line in enumerate(text.split("\n")))
    raw_lines = _raw_html_lines(text)
    text = _blank_code_spans(text, raw_lines)
    lines = _Lines(text, source.body_line)
    problems: list[Problem] = []
    mailto: list[tuple[int, str]] = []

    links: list[tuple[int, str]] = []
    destinations: list[tuple[int, int]] = []  # not raw HTML, even in « <…> »
    for match in AUTOLINK.finditer(text):
        links.append((match.start(), match[1]))
    for match in re.finditer(r"\]\(", text):
        destination = _link_destination(text, match.end())
        if destination:
            links.append((match.start(), destination[0]))
            destinations.append(destination[1:])
    for match in REFERENCE.finditer(text):
        links.append((match.start(1), match[1]))
    for offset, address in links:
        problems += _url_problems(rel_path, lines.at(offset), address)
        mailto.append((lines.at(offset), address))
    for match in ATTRIBUTE_LIST.finditer(text):
        problems += _attribute_list_problems(rel_path, lines.at(match.start()), match[1])

    pieces, previous = [], 0
    for begin, end in destinations:
        if end > begin >= previous:
            pieces += [text[previous:begin], FILLER * (end - begin)]  # no newline inside « <…> »
            previous = end
    markup = "".join(pieces) + text[previous:]
    markup = AUTOMAIL.sub(_blank, AUTOLINK.sub(_blank, markup)).replace("<![", FILLER * 3)
    # Two readings, both checked: as a browser reads the text (what raw HTML
    # blocks become) and as Python-Markdown reads a paragraph.
    markup = _comments_as_browsers_read_them(markup)
    tags: dict[tuple, None] = {}
    for view in (markup, _as_python_markdown_reads_it(markup)):
        collector = _TagCollector()
        try:
            collector.feed(view + "\n>")  # a tag left open at the end is read as a tag, as in the page
            collector.close()
        except Exception:  # html.parser gives up on a few malformed « <! » constructs
            line = source.body_line + collector.getpos()[0] - 1
            problems.append(
                Problem(
                    rel_path,
                    line,
                    "passage HTML illisible : il ne peut pas être vérifié.",
                    suggestion="écrivez ce passage en Markdown ; pour afficher le signe « < », écrivez « &lt; »",
                    help=HELP,
                )
            )
        tags.update(dict.fromkeys((line, tag, tuple(attrs), written) for line, tag, attrs, written in collector.tags))
    for line, tag, attrs, written in tags:
        tag_line = source.body_line + line - 1
        problems += _tag_problems(rel_path, tag_line, tag, attrs, written, rules)
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value:
                mailto.append((tag_line, value))

    seen: set[tuple[int, str, str]] = set()
    findings = personal_data_by_line(source.body, source.body_line, rules)
    for line, address in mailto:
        findings += [(line, finding) for finding in _mailto_findings(address, rules)]
    for line, finding in findings:
        key = (line, finding.kind, finding.value)
        if key not in seen:
            seen.add(key)
            problems.append(_personal_data_problem(rel_path, line, finding, rules))
    return list(dict.fromkeys(problems))


def personal_data_by_line(text: str, first_line: int, rules: SafetyRules) -> list[tuple[int, Finding]]:
    """The personal data of each line of text, entities decoded, with its line
    number (first_line for the first line). The same as find_personal_data
    on every line, but only the lines that may hold some are looked at."""
    findings: list[tuple[int, Finding]] = []
    line, counted, position = first_line, 0, 0
    while sign := PERSONAL_DATA_SIGN.search(text, position):
        start = text.rfind("\n", 0, sign.start()) + 1
        end = text.find("\n", sign.end())
        end = len(text) if end == -1 else end
        line += text.count("\n", counted, start)
        counted, position = start, end + 1
        findings += [(line, finding) for finding in find_personal_data(html.unescape(text[start:end]), rules)]
    return findings


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def field_name(key_path: KeyPath) -> str:
    """« sources[2].titre », as the front-matter validator writes it."""
    return ".".join(f"{part}" if isinstance(part, str) else f"[{part + 1}]" for part in key_path).replace(".[", "[")


def check_front_matter_safety(source: SourceFile, schema: Schema) -> list[Problem]:
    """No HTML and no personal data in any front-matter value."""
    rules = schema.safety
    problems: list[Problem] = []
    for key_path, text in _strings(source.data, ()):
        tag = FRONT_MATTER_TAG.search(text) if "<" in text else None
        findings = find_personal_data(text, rules)
        if "&" in text:  # without « & », unescaping changes nothing: the same findings again
            findings += find_personal_data(html.unescape(text), rules)
        if not (tag or findings):
            continue  # most values
        line = source.line_of(key_path)
        name = field_name(key_path) or None
        if tag:
            problems.append(
                Problem(
                    source.rel_path,
                    line,
                    "balise HTML interdite dans l'en-tête : les champs contiennent du texte simple.",
                    field=name,
                    expected="du texte sans balise",
                    found=quote(tag[0]),
                    suggestion="retirez la balise ; pour écrire le signe « < » seul, mettez une espace après (« a < b »)",
                    help=HELP,
                )
            )
        seen: set[tuple[str, str]] = set()
        for finding in findings:
            if (finding.kind, finding.value) not in seen:
                seen.add((finding.kind, finding.value))
                problems.append(_personal_data_problem(source.rel_path, line, finding, rules, field=name))
    return problems
