"""Check one sheet's front matter against the schema.

`validate_front_matter` only looks at one file; rules that need the whole
corpus (unique identifiers, references) live in `corpus.py`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .frontmatter import KeyPath, SourceFile
from .problems import Problem
from .schema import ContentType, FieldSpec, Schema
from .text import closest, field_name, quote, slugify

FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
ID_PATTERN = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<number>\d{3,})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def describe(value: Any) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return f"un booléen {quote(value)}"
    if isinstance(value, (int, float)):
        return f"un nombre {quote(value)}"
    if isinstance(value, str):
        return f"le texte {quote(value)}"
    if isinstance(value, list):
        return f"une liste de {len(value)} élément{'s' if len(value) > 1 else ''}"
    if isinstance(value, dict):
        return "une liste de champs « clé: valeur »"
    return quote(value)


def parse_date(value: Any) -> date | None:
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class PartialDate:
    """A year, a month or a day (« annee_ou_date »), as sources are dated."""

    text: str  # as written: "2024", "2024-03" or "2024-03-12"
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def last_day(self) -> date:
        """The latest day it can mean: a source of « 2019 » may be from December 2019."""
        if self.day:
            return date(self.year, self.month, self.day)
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)


def parse_partial_date(value: Any) -> PartialDate | None:
    """2024 (a number, as YAML reads it), "2024", "2024-03" or "2024-03-12"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        return None
    match = PARTIAL_DATE.match(value.strip())
    if not match:
        return None
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    try:
        result = PartialDate(value.strip(), year, month, day)
        result.first_day  # noqa: B018 (raises for a month or day that does not exist)
    except ValueError:
        return None
    return result if year >= 1900 else None


class FrontMatterValidator:
    """Collects the problems of one file; `check()` returns them all."""

    def __init__(self, source: SourceFile, schema: Schema, content_type: ContentType, today: date):
        self.source = source
        self.schema = schema
        self.type = content_type
        self.today = today
        self.problems: list[Problem] = []

    def report(self, key_path: KeyPath, message: str, **details: str | None) -> None:
        top = str(key_path[0]) if key_path and str(key_path[0]) in self.schema.fields else None
        self.problems.append(
            Problem(
                self.source.rel_path,
                self.source.line_of(key_path),
                message,
                field=field_name(key_path) or None,
                help=details.pop("help", None) or self.schema.help_link(top),
                **details,
            )
        )

    def check(self) -> list[Problem]:
        self.check_file_name()
        data = self.source.data
        allowed = self.schema.fields_for(self.type.key)
        self.check_keys(data, allowed, ())
        for name, spec in allowed.items():
            if name in data:
                self.check_value(data[name], spec, (name,))
        self.check_rules(data)
        return self.problems

    def check_file_name(self) -> None:
        name = self.source.path.name
        if FILE_NAME.match(name):
            return
        proposal = (slugify(name.removesuffix(".md")) or "ma-fiche") + ".md"
        self.problems.append(
            Problem(
                self.source.rel_path,
                None,
                "nom de fichier non conforme.",
                expected="des minuscules sans accents, des chiffres et des tirets, terminé par « .md »",
                found=quote(name),
                suggestion=f"renommez le fichier en « {proposal} »",
                help=f"pages/{self.schema.guide}#nommer-le-fichier",
            )
        )

    def check_keys(self, data: dict, allowed: dict[str, FieldSpec], parent: KeyPath) -> None:
        for key in data:
            if key in allowed:
                continue
            key_text = str(key)
            other_type = None
            if not parent and key_text in self.schema.fields:
                other_type = next(
                    (self.schema.types[t] for t in self.schema.fields[key_text].allowed_for if t in self.schema.types),
                    None,
                )
            if other_type:
                self.report(
                    (*parent, key_text),
                    f"ce champ n'existe que pour les {other_type.label_plural.lower()}.",
                    suggestion="retirez cette ligne, ou déplacez le fichier dans le bon dossier",
                )
                continue
            guess = closest(key_text, list(allowed))
            self.report(
                (*parent, key_text),
                "champ inconnu.",
                expected="l'un des champs " + ", ".join(allowed),
                suggestion=f"vouliez-vous dire « {guess} » ?" if guess else "retirez cette ligne",
            )
        for name, spec in allowed.items():
            if name not in data and self.type.key in spec.required_for:
                self.report(
                    (*parent, name) if parent else (),
                    f"champ obligatoire « {name} » manquant." if not parent else "champ obligatoire manquant.",
                    expected=spec.description,
                    suggestion=f"ajoutez par exemple : {_yaml_example(name, spec.example)}",
                    help=self.schema.help_link(str(parent[0]) if parent else name),
                )

    def check_value(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.report(
                path,
                "valeur vide.",
                expected=spec.description,
                suggestion=f"complétez, par exemple : {_yaml_example(spec.name, spec.example)}",
            )
            return
        getattr(self, f"check_{spec.type}")(value, spec, path)

    def check_texte(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if not isinstance(value, str):
            self.report(
                path,
                "du texte est attendu.",
                expected="du texte",
                found=describe(value),
                suggestion=f'mettez la valeur entre guillemets : {spec.name}: "{value}"',
            )
            return
        length = len(value.strip())
        if spec.min_length and length < spec.min_length:
            self.report(
                path,
                "texte trop court.",
                expected=f"au moins {spec.min_length} caractères",
                found=f"{length} caractères",
                suggestion=spec.description,
            )
        if spec.max_length and length > spec.max_length:
            self.report(
                path,
                "texte trop long.",
                expected=f"au plus {spec.max_length} caractères",
                found=f"{length} caractères",
                suggestion="raccourcissez : les listes et les résultats de recherche n'affichent pas plus",
            )

    def check_date(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if parse_date(value):
            return
        suggestion = _iso_of_french_date(str(value)) or "écrivez la date sous la forme AAAA-MM-JJ, par exemple 2019-06-14"
        message = "date invalide." if isinstance(value, str) and ISO_DATE.match(value) else "date mal écrite."
        if message == "date invalide.":
            suggestion = "vérifiez le jour et le mois : cette date n'existe pas"
        self.report(path, message, expected="une date réelle au format AAAA-MM-JJ", found=describe(value), suggestion=suggestion)

    def check_annee_ou_date(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        parsed = parse_partial_date(value)
        expected = "une année (2024), un mois (2024-03) ou un jour (2024-03-12)"
        if parsed is None:
            suggestion = _iso_of_french_date(str(value).strip()) or (
                "écrivez l'année seule, par exemple 2024, ou la date sous la forme AAAA-MM-JJ"
            )
            self.report(path, "date mal écrite.", expected=expected, found=describe(value), suggestion=suggestion)
        elif parsed.first_day > self.today:
            self.report(
                path,
                "la date est dans le futur.",
                expected=f"{expected}, au plus tard aujourd'hui ({self.today.isoformat()})",
                found=quote(parsed.text),
                suggestion="indiquez la date de publication du document",
            )

    def check_identifiant(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        prefix = self.type.id_prefix
        expected = f"« {prefix}- » suivi d'au moins trois chiffres, par exemple {prefix}-012"
        text = str(value).strip()
        match = ID_PATTERN.match(text)
        if not isinstance(value, str) or not match:
            upper = text.upper().replace(" ", "-").replace("_", "-")
            fixed = ID_PATTERN.match(upper)
            suggestion = f"écrivez « {upper} »" if fixed and fixed["prefix"] == prefix else f"écrivez un identifiant comme « {prefix}-012 »"
            self.report(path, "identifiant mal formé.", expected=expected, found=describe(value), suggestion=suggestion)
        elif match["prefix"] != prefix:
            self.report(
                path,
                f"un fichier du dossier « {self.type.folder}/ » doit avoir un identifiant en « {prefix}- ».",
                expected=expected,
                found=quote(value),
                suggestion=f"écrivez « {prefix}-{match['number']} » (si ce numéro est libre), ou déplacez le fichier",
            )

    def check_choix(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        terms = self.schema.vocabulary(spec.vocabulary)
        if isinstance(value, str) and value in terms:
            return
        spellings = {key: key for key in terms} | {term.label: key for key, term in terms.items()}
        guess = closest(str(value), spellings) if isinstance(value, (str, int, float)) else None
        self.report(
            path,
            "valeur non autorisée.",
            expected="l'une des valeurs " + ", ".join(terms),
            found=describe(value),
            suggestion=f"écrivez « {guess} »" if guess else f"choisissez dans la liste « {spec.vocabulary} » du fichier referentiel.yml",
        )

    def check_choix_multiples(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if self.check_is_flow_list(value, spec, path):
            self.check_count(value, spec, path)
            self.check_items_once(value, path, lambda item, item_path: self.check_choix(item, spec, item_path))

    def check_liste_textes(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if not isinstance(value, list):
            self.report(
                path,
                "une liste est attendue.",
                expected="une liste, par exemple " + _yaml_flow(spec.example),
                found=describe(value),
                suggestion=f'écrivez {spec.name}: ["{value}"]' if isinstance(value, str) else None,
            )
            return
        self.check_count(value, spec, path)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.report((*path, index), "du texte est attendu.", found=describe(item))
                continue
            length = len(" ".join(item.split()))
            if spec.min_length and length < spec.min_length:
                self.report(
                    (*path, index),
                    f"ligne {index + 1} trop courte.",
                    expected=f"au moins {spec.min_length} caractères par ligne",
                    found=f"{length} caractères",
                    suggestion="écrivez une phrase complète"
                    + (f", par exemple « {spec.example[0]} »" if isinstance(spec.example, list) and spec.example else ""),
                )
            if spec.max_length and length > spec.max_length:
                self.report(
                    (*path, index),
                    f"ligne {index + 1} trop longue.",
                    expected=f"au plus {spec.max_length} caractères par ligne",
                    found=f"{length} caractères",
                    suggestion="une action par ligne, en quelques mots ; les détails vont dans le texte de la fiche",
                )

    def check_lien(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if not isinstance(value, str):
            self.report(path, "une adresse web est attendue.", found=describe(value))
            return
        parts = urlsplit(value.strip())
        if parts.scheme == "http":
            self.report(
                path,
                "lien non sécurisé (http).",
                expected="une adresse en https://",
                found=quote(value),
                suggestion="écrivez « https://" + value.strip()[len("http://") :] + " » après avoir vérifié qu'elle fonctionne",
            )
        elif parts.scheme != "https" or not parts.netloc or " " in value.strip():
            self.report(path, "adresse web mal formée.", expected="une adresse complète en https://", found=quote(value))

    def check_reference(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        match = ID_PATTERN.match(value) if isinstance(value, str) else None
        if not match or not self.schema.type_for_id(value):
            prefixes = " ou ".join(f"{t.id_prefix}-" for t in self.schema.types.values())
            self.report(
                path,
                "identifiant de fiche attendu.",
                expected=f"un identifiant en {prefixes}, par exemple FP-003",
                found=describe(value),
            )
        elif value == self.source.data.get("id"):
            self.report(path, "une fiche ne peut pas se citer elle-même.", found=quote(value))

    def check_references(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if self.check_is_flow_list(value, spec, path):
            self.check_items_once(value, path, lambda item, item_path: self.check_reference(item, spec, item_path))

    def check_is_flow_list(self, value: Any, spec: FieldSpec, path: KeyPath) -> bool:
        """A list written [a, b]; reports and returns False otherwise."""
        if isinstance(value, list):
            return True
        self.report(
            path,
            "une liste est attendue.",
            expected="une liste entre crochets, par exemple " + _yaml_flow(spec.example),
            found=describe(value),
            suggestion=f"écrivez {spec.name}: [{value}]" if isinstance(value, str) else None,
        )
        return False

    def check_items_once(self, value: list, path: KeyPath, check_item) -> None:
        """Check each item, and report an item written twice."""
        seen = set()
        for index, item in enumerate(value):
            check_item(item, (*path, index))
            if isinstance(item, str) and item in seen:
                self.report((*path, index), f"« {item} » est répété.", suggestion="retirez le doublon")
            seen.add(item if isinstance(item, str) else None)

    def check_objet(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if not isinstance(value, dict):
            self.report(
                path,
                "des sous-champs « clé: valeur » sont attendus.",
                expected="sur les lignes suivantes, indentés de deux espaces : " + ", ".join(spec.subfields),
                found=describe(value),
                suggestion=f"ajoutez par exemple : {_yaml_example(spec.name, spec.example)}",
            )
            return
        self.check_keys(value, spec.subfields, path)
        for name, sub in spec.subfields.items():
            if name in value:
                self.check_value(value[name], sub, (*path, name))

    def check_liste_objets(self, value: Any, spec: FieldSpec, path: KeyPath) -> None:
        if not isinstance(value, list):
            self.report(
                path,
                "une liste est attendue (une ligne « - » par élément).",
                found=describe(value),
                suggestion=f"ajoutez par exemple : {_yaml_example(spec.name, spec.example)}",
            )
            return
        self.check_count(value, spec, path)
        for index, item in enumerate(value):
            self.check_objet(item, spec, (*path, index))

    def check_count(self, value: list, spec: FieldSpec, path: KeyPath) -> None:
        if spec.min_items and len(value) < spec.min_items:
            self.report(path, "pas assez d'éléments.", expected=f"au moins {spec.min_items}", found=f"{len(value)}")
        if spec.max_items and len(value) > spec.max_items:
            self.report(
                path,
                "trop d'éléments.",
                expected=f"au plus {spec.max_items}",
                found=f"{len(value)}",
                suggestion="gardez les plus importants, en premier",
            )

    def check_rules(self, data: dict) -> None:
        """Rules between fields, beyond types."""
        status = data.get("statut")
        if not isinstance(status, str) or status not in self.schema.statuses:
            status = None
        validation = data.get("validation")
        if status == "validee" and "validation" not in data:
            self.report(
                ("statut",),
                "une fiche validée doit indiquer sa séance de validation.",
                expected="un champ « validation » avec l'instance et la date de la séance",
                suggestion="ajoutez : " + _yaml_example("validation", self.schema.fields["validation"].example),
                help=self.schema.help_link("validation"),
            )
        if status not in (None, "validee", "archivee") and "validation" in data:
            label = self.schema.statuses[status].label
            self.report(
                ("validation",),
                f"une fiche au statut « {status} » ({label}) n'a pas encore été validée.",
                suggestion="retirez le champ « validation », ou passez le statut à « validee » si le HCTS l'a validée",
            )
        if isinstance(validation, dict):
            session = parse_date(validation.get("seance"))
            if session and session > self.today:
                self.report(
                    ("validation", "seance"),
                    "la date de séance est dans le futur.",
                    expected=f"une séance déjà tenue (au plus tard le {self.today.isoformat()})",
                    found=quote(validation.get("seance")),
                    suggestion="gardez le statut « soumise » jusqu'à la séance",
                )
        if status is not None and self.schema.statuses[status].published:
            self.check_published(data, status)
        consultations = data.get("consultations")
        for index, consultation in enumerate(consultations if isinstance(consultations, list) else ()):
            day = parse_date(consultation.get("date")) if isinstance(consultation, dict) else None
            if day and day > self.today:
                self.report(
                    ("consultations", index, "date"),
                    "la date de consultation est dans le futur.",
                    expected=f"une consultation déjà faite (au plus tard le {self.today.isoformat()})",
                    found=quote(consultation.get("date")),
                    suggestion="ajoutez la consultation une fois qu'elle a eu lieu, avec ce qu'elle a changé",
                )
        if status == "archivee" and "remplacee_par" not in data:
            self.report(
                ("statut",),
                "une fiche archivée doit indiquer la fiche qui la remplace.",
                expected="un champ « remplacee_par » avec l'identifiant de la nouvelle fiche",
                suggestion="ajoutez : remplacee_par: FP-014",
                help=self.schema.help_link("remplacee_par"),
            )
        if status not in (None, "archivee") and "remplacee_par" in data:
            self.report(
                ("remplacee_par",),
                "seule une fiche archivée peut être remplacée.",
                suggestion="passez le statut à « archivee », ou retirez ce champ",
            )
        created = parse_date(data.get("date_creation"))
        updated = parse_date(data.get("date_mise_a_jour"))
        review = parse_date(data.get("prochaine_relecture"))
        for key, value in (("date_creation", created), ("date_mise_a_jour", updated)):
            if value and value > self.today:
                self.report(
                    (key,),
                    "la date est dans le futur.",
                    expected=f"au plus tard aujourd'hui ({self.today.isoformat()})",
                    found=quote(value.isoformat()),
                )
        if created and updated and updated < created:
            self.report(
                ("date_mise_a_jour",),
                "la mise à jour est antérieure à la création.",
                expected=f"une date à partir du {created.isoformat()}",
                found=quote(updated.isoformat()),
            )
        if updated and review and review <= updated:
            self.report(
                ("prochaine_relecture",),
                "la prochaine relecture doit venir après la dernière mise à jour.",
                expected=f"une date après le {updated.isoformat()}",
                found=quote(review.isoformat()),
                suggestion="prévoyez la relecture six mois après la mise à jour, au rythme des validations du HCTS",
            )


    def check_published(self, data: dict, status: str) -> None:
        """What a published sheet needs beyond its types: « L'essentiel », a source with its address and date."""
        label = self.schema.statuses[status].label
        if "essentiel" in self.schema.fields and "essentiel" not in data:
            self.report(
                ("statut",),
                f"une fiche publiée (statut « {status} », {label}) doit avoir « L'essentiel ».",
                expected="un champ « essentiel » : trois à cinq lignes courtes, chacune une action",
                suggestion="ajoutez une ligne « essentiel: », puis trois à cinq actions, chacune sur sa ligne "
                "après « - » ; ou laissez la fiche au statut « brouillon »",
                help=self.schema.help_link("essentiel"),
            )
        sources = data.get("sources")
        spec = self.schema.fields.get("sources")
        if not isinstance(sources, list) or spec is None or not {"lien", "date"} <= set(spec.subfields):
            return  # a wrong or missing list is reported by its own check
        if not any(isinstance(s, dict) and s.get("lien") and s.get("date") is not None for s in sources):
            self.report(
                ("sources",),
                f"une fiche publiée (statut « {status} », {label}) doit citer au moins une source avec son adresse et sa date.",
                expected="une source avec « lien » (adresse en https) et « date » (année, mois ou jour)",
                suggestion="sous le « titre » d'une source que vous avez lue, ajoutez par exemple "
                "« lien: https://www.service-public.fr/… » et « date: 2024 » ; ou laissez la fiche au statut « brouillon »",
                help=self.schema.help_link("sources"),
            )


def _yaml_flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _yaml_example(name: str, example: Any) -> str:
    if isinstance(example, dict):
        inner = " ; ".join(f"{k}: {v}" for k, v in example.items())
        return f"« {name}: » puis, indenté : {inner}"
    if isinstance(example, list) and example and isinstance(example[0], dict):
        inner = " ; ".join(f"{k}: {v}" for k, v in example[0].items())
        return f"« {name}: » puis, indenté : - {inner}"
    return f"« {name}: {_yaml_flow(example)} »"


def validate_front_matter(source: SourceFile, schema: Schema, content_type: ContentType, today: date) -> list[Problem]:
    return FrontMatterValidator(source, schema, content_type, today).check()


def _iso_of_french_date(text: str) -> str | None:
    """« écrivez « 2019-06-14 » » for a real date written the French way (14/06/2019), else None."""
    french = FRENCH_DATE.match(text)
    if french:
        day, month, year = (int(g) for g in french.groups())
        try:
            return f"écrivez « {date(year, month, day).isoformat()} »"
        except ValueError:
            return None
    return None
