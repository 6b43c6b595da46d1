"""The content schema: field definitions and controlled vocabularies.

Everything here is read from `referentiel.yml`, the one file non-developers
edit. The validator, the templates, the catalogue and the contributor guide
all read these objects; nothing is listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import DEFAULT_MAX_FILE_KB, StrictLoader, decode_text
from .problems import Problem
from .situations import Situation, parse_situations
from .synonyms import parse_synonyms
from .text import normalise_phone

SCHEMA_FILE = "referentiel.yml"
FIELD_TYPES = {
    "texte",
    "date",
    "annee_ou_date",
    "identifiant",
    "choix",
    "choix_multiples",
    "liste_textes",
    "lien",
    "reference",
    "references",
    "objet",
    "liste_objets",
}
VOCABULARIES = ("types", "statuts", "themes", "publics")
# « sources_anciennes_apres_ans »: a published sheet whose newest source is older is flagged.
DEFAULT_OLD_SOURCES_YEARS = 5
# « types › <type> › pages_a4_max »: the most A4 pages a sheet of that type prints on (its PDF).
PAGE_LIMIT_KEY = "pages_a4_max"


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
# Tags no allowlist of « securite » can lift: why, and what to do instead (rules/raw_html.py).
FORBIDDEN_TAGS: dict[str, tuple[str, str]] = {
    "script": _SCRIPT,
    "noscript": _SCRIPT,
    "style": _STYLE,
    "link": _STYLE,
    "base": _STYLE,
    "meta": _STYLE,
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "portal"), _EMBED),
    **dict.fromkeys(
        (
            "form", "input", "button", "select", "option", "optgroup", "textarea",
            "datalist", "output", "fieldset", "legend", "label", "keygen",
        ),
        _FORM,
    ),
}


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary."""

    key: str
    label: str
    description: str = ""
    published: bool = True  # statuses only
    official: bool = False  # statuses only


@dataclass(frozen=True)
class ContentType:
    key: str
    label: str
    label_plural: str
    description: str
    folder: str
    id_prefix: str
    sections: tuple[str, ...]
    max_printed_pages: int | None = None  # « pages_a4_max »: the most A4 pages its PDF may have (None: no limit)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    description: str
    example: Any
    required_for: frozenset[str]
    allowed_for: frozenset[str]
    vocabulary: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    subfields: dict[str, FieldSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class Licence:
    """The licence of the content (« licence » in referentiel.yml)."""

    name: str
    short_name: str
    url: str


# Etalab's Licence Ouverte 2.0: the licence French public bodies use for open content.
DEFAULT_LICENCE = Licence(
    "Licence Ouverte / Open Licence version 2.0",
    "Licence Ouverte 2.0",
    "https://www.etalab.gouv.fr/licence-version-2-0-de-la-licence-ouverte-suite-a-la-consultation-et-presentation-du-decret",
)


@dataclass(frozen=True)
class SafetyRules:
    """The allowlists of the « securite » section (checked by the rules in rules/).

    Empty lists are the strictest setting: a referentiel without the
    section allows no raw HTML and no e-mail address.
    """

    html_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tag -> allowed attributes
    email_domains: tuple[str, ...] = ()
    email_generic_names: tuple[str, ...] = ()
    email_addresses: tuple[str, ...] = ()
    phone_numbers: tuple[str, ...] = ()  # national form, ten digits: "0123456789"
    # What the site's Markdown makes itself: tag -> attributes ("*": on every tag).
    markdown_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_file_kb: int = DEFAULT_MAX_FILE_KB  # a bigger sheet file is refused unread

    def sanitizer_allowlist(self) -> dict[str, set[str]]:
        """Every tag a page may hold, with its attributes: raw HTML and Markdown's own."""
        allowed: dict[str, set[str]] = {}
        for tags in (self.markdown_tags, self.html_tags):
            for tag, attributes in tags.items():
                allowed.setdefault(tag, set()).update(attributes)
        return allowed

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_kb * 1024


@dataclass(frozen=True)
class ModuleSchema:
    """Training modules (« parcours » in referentiel.yml): one YAML file each in `folder`."""

    folder: str
    description: str
    fields: dict[str, FieldSpec]


MODULE_KEY = "parcours"  # the key of referentiel.yml, and the `allowed_for` of the module fields


@dataclass(frozen=True)
class Schema:
    guide: str
    types: dict[str, ContentType]
    statuses: dict[str, Term]
    themes: dict[str, Term]
    audiences: dict[str, Term]
    fields: dict[str, FieldSpec]
    safety: SafetyRules = field(default_factory=SafetyRules)
    licence: Licence = DEFAULT_LICENCE
    situations: tuple[Situation, ...] = ()  # the home page's entry points (situations.py)
    synonyms: tuple[tuple[str, ...], ...] = ()  # groups of search synonyms (synonyms.py)
    old_sources_years: int = DEFAULT_OLD_SOURCES_YEARS
    modules: ModuleSchema | None = None  # training modules; None: the referentiel has none

    def vocabulary(self, name: str) -> dict[str, Any]:
        return {"types": self.types, "statuts": self.statuses, "themes": self.themes, "publics": self.audiences}[name]

    def type_for_folder(self, folder: str) -> ContentType | None:
        return next((t for t in self.types.values() if t.folder == folder), None)

    def type_for_id(self, identifier: str) -> ContentType | None:
        prefix = identifier.split("-", 1)[0]
        return next((t for t in self.types.values() if t.id_prefix == prefix), None)

    def fields_for(self, type_key: str) -> dict[str, FieldSpec]:
        return {name: spec for name, spec in self.fields.items() if type_key in spec.allowed_for}

    def help_link(self, field_name: str | None = None) -> str:
        anchor = f"#champ-{field_name.replace('_', '-')}" if field_name else "#les-champs"
        return f"pages/{self.guide}{anchor}"


class SchemaError(Exception):
    """referentiel.yml itself is wrong; carries French problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def load_schema(root: Path) -> Schema:
    path = root / SCHEMA_FILE
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SchemaError([Problem(SCHEMA_FILE, None, f"référentiel introuvable ({error.strerror}).")]) from None
    text, problems = decode_text(raw, SCHEMA_FILE)
    if text is None:
        raise SchemaError(problems)
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SchemaError(
            [Problem(SCHEMA_FILE, mark.line + 1 if mark else None, f"référentiel illisible : {error}")]
        ) from None
    # The same text as nodes: the sections read with their lines (situations, synonyms).
    return parse_schema(data, yaml.compose(text, Loader=StrictLoader))


def _section_node(data: Any, nodes: Any, name: str) -> Any:
    """The YAML node of a top-level section: from the file's nodes (with
    lines) or, for a schema given as data, represented without lines."""
    if nodes is None:
        return yaml.SafeDumper(None).represent_data(data[name]) if name in data else None
    if isinstance(nodes, yaml.MappingNode):
        return next((value for key, value in nodes.value if isinstance(key, yaml.ScalarNode) and key.value == name), None)
    return None


def parse_schema(data: Any, nodes: Any = None) -> Schema:
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem(SCHEMA_FILE, None, message))

    if not isinstance(data, dict):
        raise SchemaError([Problem(SCHEMA_FILE, 1, "le référentiel doit être une suite de rubriques « clé: valeur ».")])
    for name in (*VOCABULARIES, "champs"):
        if not isinstance(data.get(name), dict) or not data[name]:
            fail(f"la rubrique « {name} » manque ou est vide.")
    if problems:
        raise SchemaError(problems)

    def text(entry: Any, key: str, where: str) -> str:
        value = entry.get(key) if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value.strip():
            fail(f"« {where} » : le texte « {key} » manque.")
            return ""
        return value.strip()

    def terms(name: str) -> dict[str, Term]:
        result = {}
        for key, entry in data[name].items():
            where = f"{name}.{key}"
            result[str(key)] = Term(
                key=str(key),
                label=text(entry, "libelle", where),
                description=(entry.get("description") or "").strip() if isinstance(entry, dict) else "",
                published=bool(entry.get("publie", True)) if isinstance(entry, dict) else True,
                official=bool(entry.get("officiel", False)) if isinstance(entry, dict) else False,
            )
        return result

    def max_pages(entry: Any, where: str) -> int | None:
        value = entry.get(PAGE_LIMIT_KEY) if isinstance(entry, dict) else None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(
                f"« {where}.{PAGE_LIMIT_KEY} » : « {value} » n'est pas un nombre de pages "
                "(un nombre entier plus grand que zéro, par exemple 3), ou supprimez la ligne pour n'imposer aucune limite."
            )
            return None
        return value

    types = {}
    for key, entry in data["types"].items():
        where = f"types.{key}"
        sections = entry.get("sections", []) if isinstance(entry, dict) else []
        types[str(key)] = ContentType(
            key=str(key),
            label=text(entry, "libelle", where),
            label_plural=text(entry, "libelle_pluriel", where),
            description=(entry.get("description") or "").strip() if isinstance(entry, dict) else "",
            folder=text(entry, "dossier", where),
            id_prefix=text(entry, "prefixe_id", where),
            sections=tuple(str(s) for s in sections) if isinstance(sections, list) else (),
            max_printed_pages=max_pages(entry, where),
        )
    statuses, themes, audiences = terms("statuts"), terms("themes"), terms("publics")
    for required in ("validee", "archivee"):
        if required not in statuses:
            fail(f"le statut « {required} » est attendu par les règles de validation.")

    def field_spec(name: str, entry: Any, parent: str = "") -> FieldSpec:
        where = f"champs.{parent}{name}"
        if not isinstance(entry, dict):
            fail(f"« {where} » doit décrire le champ (type, obligatoire, description).")
            entry = {}
        field_type = entry.get("type")
        if field_type not in FIELD_TYPES:
            fail(f"« {where} » : type « {field_type} » inconnu (types possibles : {', '.join(sorted(FIELD_TYPES))}).")
        vocabulary = entry.get("vocabulaire")
        if field_type in ("choix", "choix_multiples") and vocabulary not in VOCABULARIES:
            fail(f"« {where} » : vocabulaire « {vocabulary} » inconnu.")
        allowed = frozenset(entry.get("pour") or types)
        required = entry.get("obligatoire", False)
        required_for = frozenset(allowed if required is True else (required or []))
        subfields = {}
        if field_type in ("objet", "liste_objets"):
            for sub_name, sub_entry in (entry.get("champs") or {}).items():
                subfields[str(sub_name)] = field_spec(str(sub_name), sub_entry, f"{parent}{name}.")
        return FieldSpec(
            name=name,
            type=str(field_type),
            description=" ".join(str(entry.get("description", "")).split()),
            example=entry.get("exemple"),
            required_for=required_for,
            allowed_for=allowed,
            vocabulary=vocabulary,
            min_items=entry.get("min"),
            max_items=entry.get("max"),
            min_length=entry.get("longueur_min"),
            max_length=entry.get("longueur_max"),
            subfields=subfields,
        )

    fields = {str(name): field_spec(str(name), entry) for name, entry in data["champs"].items()}
    for name in ("id", "titre", "resume", "statut", "themes", "publics", "validation", "remplacee_par"):
        if name not in fields:
            fail(f"le champ « {name} » est attendu par les règles de validation.")
    safety = parse_safety_rules(data.get("securite"), fail)
    licence = parse_licence(data.get("licence"), fail)
    modules = None
    if data.get(MODULE_KEY) is not None:
        section = data[MODULE_KEY] if isinstance(data[MODULE_KEY], dict) else {}
        if not isinstance(section.get("champs"), dict) or not section["champs"]:
            fail(f"la rubrique « {MODULE_KEY} » doit contenir « dossier » et « champs ».")
        else:
            module_fields = {
                str(name): field_spec(str(name), _only_for(MODULE_KEY, entry), f"{MODULE_KEY}.")
                for name, entry in section["champs"].items()
            }
            description = " ".join(str(section.get("description", "")).split())
            modules = ModuleSchema(text(section, "dossier", MODULE_KEY), description, module_fields)
    situations, situation_problems = parse_situations(_section_node(data, nodes, "situations"), SCHEMA_FILE, themes)
    synonyms, synonym_problems = parse_synonyms(_section_node(data, nodes, "synonymes"), SCHEMA_FILE)
    problems += situation_problems + synonym_problems
    old_sources_years = data.get("sources_anciennes_apres_ans", DEFAULT_OLD_SOURCES_YEARS)
    if isinstance(old_sources_years, bool) or not isinstance(old_sources_years, int) or old_sources_years < 1:
        fail(
            f"« sources_anciennes_apres_ans » : « {old_sources_years} » n'est pas un nombre d'années "
            f"(un nombre entier plus grand que zéro, par exemple {DEFAULT_OLD_SOURCES_YEARS})."
        )
        old_sources_years = DEFAULT_OLD_SOURCES_YEARS
    if problems:
        raise SchemaError(problems)
    return Schema(
        guide=str(data.get("guide", "contribuer/guide.md")),
        types=types,
        statuses=statuses,
        themes=themes,
        audiences=audiences,
        fields=fields,
        safety=safety,
        licence=licence,
        situations=situations,
        synonyms=synonyms,
        old_sources_years=old_sources_years,
        modules=modules,
    )


def _only_for(key: str, entry: Any) -> Any:
    """A field entry (and its subfields) allowed and required for `key` only, not for the sheets' types."""
    if not isinstance(entry, dict):
        return entry
    copy = {**entry, "pour": [key]}
    if isinstance(entry.get("champs"), dict):
        copy["champs"] = {name: _only_for(key, sub) for name, sub in entry["champs"].items()}
    return copy


def parse_licence(section: Any, fail) -> Licence:
    """Read the « licence » section (absent: the Licence Ouverte 2.0)."""
    if section is None:
        return DEFAULT_LICENCE
    if not isinstance(section, dict):
        fail("la rubrique « licence » doit contenir « nom », « nom_court » et « adresse ».")
        return DEFAULT_LICENCE
    unknown = sorted(set(map(str, section)) - {"nom", "nom_court", "adresse"})
    if unknown:
        fail(f"rubrique « licence » : clé inconnue « {unknown[0]} » (clés possibles : nom, nom_court, adresse).")
    name, url = section.get("nom"), section.get("adresse")
    short_name = section.get("nom_court", name)
    if not all(isinstance(value, str) and value.strip() for value in (name, short_name)):
        fail("« licence.nom » et « licence.nom_court » doivent être des textes non vides.")
        return DEFAULT_LICENCE
    if not isinstance(url, str) or not url.startswith("https://") or any(c.isspace() for c in url):
        fail("« licence.adresse » doit être l'adresse en https du texte de la licence.")
        return DEFAULT_LICENCE
    return Licence(name.strip(), short_name.strip(), url)


def parse_safety_rules(section: Any, fail) -> SafetyRules:
    """Read the « securite » section; `fail` collects French messages."""
    if section is None:
        return SafetyRules()
    if not isinstance(section, dict):
        fail("la rubrique « securite » doit contenir des listes « clé: valeur ».")
        return SafetyRules()
    known = {"securite": ("balises_html", "balises_markdown", "courriels", "telephones_autorises", "taille_maximale_fichier_ko"), "securite.courriels": ("domaines", "noms_generiques", "adresses")}
    for where, keys in known.items():
        part = section if where == "securite" else section.get("courriels")
        for key in part if isinstance(part, dict) else ():
            if key not in keys:
                fail(f"« {where}.{key} » : rubrique inconnue (rubriques possibles : {', '.join(keys)}).")

    def words(value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(f"« {where} » doit être une liste de textes entre crochets, par exemple [a, b].")
            return ()
        return tuple(v.strip().lower() for v in value)

    def allowed_tags(key: str) -> dict[str, tuple[str, ...]]:
        """tag -> allowed attributes; never a tag or attribute that is always forbidden."""
        tags: dict[str, tuple[str, ...]] = {}
        raw_tags = section.get(key) or {}
        if not isinstance(raw_tags, dict):
            fail(f"« securite.{key} » doit associer chaque balise à la liste de ses attributs, par exemple « abbr: [title] ».")
            raw_tags = {}
        for tag, attributes in raw_tags.items():
            name = str(tag).strip().lower()
            where = f"securite.{key}.{name}"
            if name in FORBIDDEN_TAGS:
                fail(f"« {where} » : la balise <{name}> est toujours interdite et ne peut pas être autorisée.")
                continue
            allowed = words(attributes, where)
            for attribute in allowed:
                if attribute.startswith("on") or attribute == "style":
                    fail(f"« {where} » : l'attribut « {attribute} » est toujours interdit et ne peut pas être autorisé.")
            tags[name] = tuple(a for a in allowed if not (a.startswith("on") or a == "style"))
        return tags

    tags = allowed_tags("balises_html")
    markdown_tags = allowed_tags("balises_markdown")

    emails = section.get("courriels") or {}
    if not isinstance(emails, dict):
        fail("« securite.courriels » doit contenir les listes « domaines », « noms_generiques » et « adresses ».")
        emails = {}
    domains = words(emails.get("domaines"), "securite.courriels.domaines")
    for domain in domains:
        if "." not in domain or "@" in domain or " " in domain:
            fail(f"« securite.courriels.domaines » : « {domain} » n'est pas un domaine (par exemple « gouv.fr », sans « @ »).")
    names = words(emails.get("noms_generiques"), "securite.courriels.noms_generiques")
    for name in names:
        if "@" in name or " " in name:
            fail(f"« securite.courriels.noms_generiques » : « {name} » doit être un nom seul, sans « @ » ni espace (par exemple « contact »).")
    addresses = words(emails.get("adresses"), "securite.courriels.adresses")
    for address in addresses:
        if address.count("@") != 1:
            fail(f"« securite.courriels.adresses » : « {address} » n'est pas une adresse électronique.")

    phones = []
    for number in words(section.get("telephones_autorises"), "securite.telephones_autorises"):
        normalised = normalise_phone(number)
        if normalised is None:
            fail(
                f"« securite.telephones_autorises » : « {number} » n'est pas un numéro français "
                "à dix chiffres (par exemple \"01 23 45 67 89\")."
            )
        else:
            phones.append(normalised)

    max_file_kb = section.get("taille_maximale_fichier_ko", DEFAULT_MAX_FILE_KB)
    if isinstance(max_file_kb, bool) or not isinstance(max_file_kb, int) or max_file_kb < 1:
        shown = "la valeur vide" if max_file_kb is None else f"« {max_file_kb} »"
        fail(
            f"« securite.taille_maximale_fichier_ko » : {shown} n'est pas une taille en kilo-octets "
            f"(un nombre entier plus grand que zéro, sans unité, par exemple {DEFAULT_MAX_FILE_KB})."
        )
        max_file_kb = DEFAULT_MAX_FILE_KB
    return SafetyRules(
        html_tags=tags,
        markdown_tags=markdown_tags,
        email_domains=domains,
        email_generic_names=names,
        email_addresses=addresses,
        phone_numbers=tuple(phones),
        max_file_kb=max_file_kb,
    )
