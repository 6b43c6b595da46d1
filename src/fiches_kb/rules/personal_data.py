"""Personal data: e-mail addresses, French phone numbers, NIR and IBAN.

Looked for in the text readers get (the rendered body, across line breaks
and emphasis, invisible characters removed, usual e-mail disguises undone),
in the source lines too (for exact lines, and for what Markdown drops, such
as an unused link definition, which is still public in the repository), and
in every front-matter value. Checksums come from python-stdnum.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.fr import nir as stdnum_nir
from stdnum.iso7064 import mod_97_10

from ..problems import Problem
from ..schema import SafetyRules
from ..text import normalise_phone
from .addresses import normalise_url, url_scheme
from .base import HELP, Context, rule

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
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
IBAN_SEPARATORS = " \u00a0\u202f"
_IBAN_REGISTRY = numdb.get("iban")  # python-stdnum's copy of the ISO 13616 registry
# French territories with their own ISO code use France's IBAN format; the
# registry lists them under France only.
FRENCH_TERRITORIES = frozenset(("GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"))
# A line may hold some only if it has one of these (« & »: an entity may hide one).
PERSONAL_DATA_SIGN = re.compile("[0-9@&]")

# The usual ways of writing an e-mail address so that robots miss it.
_AT = re.compile(r"\s*[\[\(\{<«]\s*(?:at|arobase|chez|@)\s*[\]\)\}>»]\s*|\s+arobase\s+", re.IGNORECASE)
_DOT = re.compile(r"\s*[\[\(\{<«]\s*(?:dot|point)\s*[\]\)\}>»]\s*", re.IGNORECASE)
_DISGUISE_WORD = re.compile(r"\b(?:at|arobase|chez)\b", re.IGNORECASE)
_DOT_AFTER_AT = re.compile(r"(@[\w\-.]+?)\s+(?:dot|point)\s+(?=[A-Za-z])", re.IGNORECASE)

PERSONAL_DATA = "une fiche publique ne doit contenir aucune donnée personnelle : "


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str  # "courriel", "telephone", "nir" or "iban"
    start: int
    end: int
    value: str  # normalised, to compare and deduplicate; never shown
    masked: str  # what the contributor is shown


def nir_key(first_thirteen: str) -> int:
    """Control key of a NIR: 97 - (number mod 97); Corsica's 2A/2B count as 19/18."""
    return int(stdnum_nir.calc_check_digits(first_thirteen.upper()))


def is_valid_nir(text: str) -> bool:
    """True when text (spaces allowed) is a well-formed NIR whose key checks."""
    compact = re.sub(r"[ .\u00a0\u202f]", "", text).upper()
    return compact[:1] in ("1", "2", "4", "7", "8") and compact.isascii() and stdnum_nir.is_valid(compact)


@functools.lru_cache(maxsize=None)
def iban_length(country: str) -> int | None:
    """The length of an IBAN of this country (two upper-case letters), None if it has none."""
    registered = "FR" if country in FRENCH_TERRITORIES else country
    structure = _IBAN_REGISTRY.info(registered + "00")[0][1].get("bban")
    return 4 + sum(int(size) for size in re.findall(r"(\d+)!?[nac]", structure)) if structure else None


def is_valid_iban(text: str) -> bool:
    """True when text (spaces allowed) has its country's format and a right checksum."""
    compact = re.sub(r"[ \u00a0\u202f]", "", text).upper()
    if not (compact.isascii() and compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    if compact[:2] in FRENCH_TERRITORIES:  # France's length, with the territory's own code
        return len(compact) == 27 and compact.isalnum() and mod_97_10.is_valid(compact[4:] + compact[:4])
    return stdnum_iban.is_valid(compact, check_country=False)


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
    return _generic_name(rules.email_generic_names).fullmatch(name) is not None


@functools.lru_cache(maxsize=8)
def _generic_name(names: tuple[str, ...]) -> re.Pattern:
    """A generic name of referentiel.yml, alone or followed by « . », « - » or « _ » and more."""
    return re.compile("(?:" + "|".join(map(re.escape, names)) + r")(?:[.\-_].+)?" if names else r"(?!)")


def undisguise_emails(text: str) -> str:
    """« prénom [at] domaine [point] fr » → « prénom@domaine.fr »."""
    text = _DOT.sub(".", _AT.sub("@", text))
    while (changed := _DOT_AFTER_AT.sub(r"\1.", text)) != text:
        text = changed
    return text


def find_personal_data(text: str, rules: SafetyRules) -> list[Finding]:
    """Every piece of personal data in text, in order, without overlaps."""
    has_at = "@" in text
    digits = sum(map(text.count, "0123456789"))
    if not has_at and not digits:
        return []  # most texts: every pattern below needs « @ » or digits
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
    # IBANs and NIRs first: a phone pattern inside one is not a phone. Kept
    # findings never overlap, so sorted by start they are sorted by end too.
    kept: list[Finding] = []
    starts: list[int] = []
    for finding in found:
        index = bisect.bisect_left(starts, finding.end)
        if index and kept[index - 1].end > finding.start:
            continue
        starts.insert(index, finding.start)
        kept.insert(index, finding)
    return kept


def find_in_prose(text: str, rules: SafetyRules) -> list[tuple[Finding, str]]:
    """find_personal_data, also on the text with e-mail disguises undone;
    each finding with the text it was found in."""
    found = [(finding, text[finding.start : finding.end]) for finding in find_personal_data(text, rules)]
    if _DISGUISE_WORD.search(text):
        undisguised = undisguise_emails(text)
        if undisguised != text:
            known = {finding.value for finding, _ in found}
            for finding in find_personal_data(undisguised, rules):
                if finding.kind == "courriel" and finding.value not in known:
                    found.append((finding, _as_written(text, undisguised[finding.start : finding.end])))
    return found


def _as_written(text: str, address: str) -> str:
    """The disguised form of address in text (« jean [at] free [point] fr »), to find its line."""
    local, _, domain = address.partition("@")
    match = re.search(re.escape(local) + r"\s*[\[\(\{<«]?\s*(?:at|arobase|chez|@)\b", text, re.IGNORECASE)
    return text[match.start() : match.end() + len(domain) + 24] if match else address


def _find_nirs(text: str) -> Iterator[Finding]:
    for match in NIR.finditer(text):
        if is_valid_nir(match[0]):
            compact = re.sub(r"[ .\u00a0\u202f]", "", match[0]).upper()
            yield Finding("nir", match.start(), match.end(), compact, f"{compact[0]} •• •• •• ••• ••• {compact[-2:]}")


@functools.lru_cache(maxsize=None)
def _iban_of_length(length: int) -> re.Pattern:
    """An IBAN of `length` characters, compact or grouped by single spaces, then no letter or digit."""
    return re.compile(rf"(?:[{IBAN_SEPARATORS}]?[A-Za-z0-9]){{{length - 4}}}(?![A-Za-z0-9])")


def _find_ibans(text: str) -> Iterator[Finding]:
    """IBANs written compact or in groups of any size, as long as their country says."""
    position = 0
    for start in IBAN_START.finditer(text):
        if start.start() < position:
            continue
        length = iban_length(start[0][:2].upper())
        match = _iban_of_length(length).match(text, start.end()) if length else None
        if match is None:
            continue
        compact = (start[0] + re.sub(f"[{IBAN_SEPARATORS}]", "", match[0])).upper()
        if is_valid_iban(compact):
            position = match.end()
            yield Finding("iban", start.start(), match.end(), compact, mask_iban(compact))


def mask_email(address: str) -> str:
    local, _, domain = address.rpartition("@")
    labels = domain.split(".")
    shown = [label[:1] + "•••" for label in labels[:-1]] + labels[-1:]
    return f"{local[:1]}•••@{'.'.join(shown)}"


def mask_iban(compact: str) -> str:
    masked = compact[:4] + "•" * (len(compact) - 6) + compact[-2:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def mailto_findings(raw: str, rules: SafetyRules) -> list[Finding]:
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


def personal_data_by_line(text: str, first_line: int, rules: SafetyRules) -> list[tuple[int, Finding]]:
    """The personal data of each line of text, entities decoded, with its line number."""
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


def personal_data_problem(
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


@rule("donnees-personnelles", "Aucune donnée personnelle dans le texte que lisent les lecteurs ni dans la source.")
def personal_data_in_body(context: Context) -> Iterator[Problem]:
    rules = context.rules
    found: list[tuple[int, Finding]] = personal_data_by_line(context.source.body, context.source.body_line, rules)
    # What only the rendering shows: encoded links, split over lines, inside emphasis, disguised.
    known = {(finding.kind, finding.value) for _, finding in found}
    for element in context.rendered.elements:
        for name, value in element.attrs:
            if name in ("href", "src") and value:
                for finding in mailto_findings(value, rules):
                    if (finding.kind, finding.value) not in known:
                        known.add((finding.kind, finding.value))
                        line = context.source_map.find(value, html.escape(value))
                        found.append((line if line is not None else context.source_map.line_of_text(finding.value), finding))
    for text in context.rendered.texts:
        for finding, written in find_in_prose(text, rules):
            if (finding.kind, finding.value) not in known:
                known.add((finding.kind, finding.value))
                found.append((context.source_map.line_of_text(written), finding))
    seen: set[tuple[int, str, str]] = set()
    for line, finding in found:
        if (line, finding.kind, finding.value) not in seen:
            seen.add((line, finding.kind, finding.value))
            yield personal_data_problem(context.source.rel_path, line, finding, rules)
