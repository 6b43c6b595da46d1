"""The reference part of the contributor guide, rendered from the schema.

The guide page (`pages/contribuer/guide.md`) is written by hand except for
the markers below, which the `contributor_guide` hook replaces with this
Markdown: every field and vocabulary is documented once, in referentiel.yml.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .rules import BODY_RULES, GUARANTEE, SOURCE_RULES
from .rules.render_cost import MAX_BLOCKS, MAX_LINES
from .schema import FieldSpec, Schema

# The guide's place in the site (src_uri, under docs_dir).
GUIDE_PAGE = "contribuer/guide.md"
FIELDS_MARKER = "<!-- référentiel : champs -->"
VOCABULARIES_MARKER = "<!-- référentiel : vocabulaires -->"
STRUCTURE_MARKER = "<!-- référentiel : structure -->"
SAFETY_MARKER = "<!-- référentiel : sécurité -->"
MODULES_MARKER = "<!-- référentiel : parcours -->"

TYPE_NAMES = {
    "texte": "texte",
    "date": "date au format AAAA-MM-JJ",
    "annee_ou_date": "année (AAAA), mois (AAAA-MM) ou jour (AAAA-MM-JJ)",
    "identifiant": "identifiant permanent",
    "choix": "une valeur d'un vocabulaire",
    "choix_multiples": "liste de valeurs d'un vocabulaire",
    "liste_textes": "liste de textes",
    "lien": "adresse web en https",
    "reference": "identifiant d'une autre fiche",
    "references": "liste d'identifiants d'autres fiches",
    "objet": "sous-champs",
    "liste_objets": "liste d'éléments à sous-champs",
}
VOCABULARY_TITLES = {"statuts": "Statuts", "themes": "Thèmes", "publics": "Publics"}


def field_anchor(name: str) -> str:
    return "champ-" + name.replace("_", "-")


def example_yaml(name: str, example: Any) -> str:
    """The example of a field as a contributor pastes it into a front matter:
    the field in block style (« titre: … », never « {titre: …} »), a list of
    words on one line as in the model (« themes: [a, b] »), a list of
    sentences (« essentiel ») and lists of records as indented items, nothing
    folded."""
    if isinstance(example, list) and all(not isinstance(item, (dict, list)) and " " not in str(item) for item in example):
        flow = yaml.safe_dump(example, allow_unicode=True, default_flow_style=True, width=10**6).strip()
        return f"{name}: {flow}\n"
    text = yaml.safe_dump({name: example}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6, indent=2)
    # Dates as contributors write them (« date: 2025-11-18 »): the sheets' reader keeps them as text anyway.
    return re.sub(r"'(\d{4}-\d{2}(?:-\d{2})?)'", r"\1", text)


def _example_block(name: str, example: Any) -> str:
    return f"```yaml\n{example_yaml(name, example)}```"


def markdown_text(text: str) -> str:
    """Descriptions from referentiel.yml as text: « /id/<identifiant>/ » is not an HTML tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _requirement(spec: FieldSpec, schema: Schema) -> str:
    if spec.required_for >= set(schema.types) and spec.allowed_for >= set(schema.types):
        return "obligatoire"
    if spec.required_for:
        names = ", ".join(schema.types[t].label_plural.lower() for t in sorted(spec.required_for))
        return f"obligatoire pour les {names}"
    if spec.allowed_for < set(schema.types):
        names = ", ".join(schema.types[t].label_plural.lower() for t in sorted(spec.allowed_for))
        return f"facultatif, seulement pour les {names}"
    return "facultatif"


def _constraints(spec: FieldSpec, schema: Schema) -> list[str]:
    rules = []
    if spec.min_length or spec.max_length:
        per_line = " par ligne" if spec.type == "liste_textes" else ""
        rules.append(f"de {spec.min_length or 1} à {spec.max_length or '…'} caractères{per_line}")
    if spec.min_items or spec.max_items:
        low = spec.min_items or 0
        rules.append(f"{low} élément{'s' if low > 1 else ''} au moins" + (f", {spec.max_items} au plus" if spec.max_items else ""))
    if spec.vocabulary:
        values = ", ".join(f"`{key}`" for key in schema.vocabulary(spec.vocabulary))
        rules.append(f"valeurs possibles ([{VOCABULARY_TITLES.get(spec.vocabulary, spec.vocabulary).lower()}](#vocabulaire-{spec.vocabulary})) : {values}")
    return rules


def render_fields(schema: Schema) -> str:
    parts = []
    for name, spec in schema.fields.items():
        lines = [f"### `{name}` {{#{field_anchor(name)}}}", ""]
        lines.append(f"*{TYPE_NAMES.get(spec.type, spec.type)}, {_requirement(spec, schema)}.* {markdown_text(spec.description)}")
        lines += [f"- {rule}" for rule in _constraints(spec, schema)]
        if spec.subfields:
            lines.append("")
            lines.append("Sous-champs :")
            lines.append("")
            for sub_name, sub in spec.subfields.items():
                need = "obligatoire" if sub.required_for else "facultatif"
                lines.append(f"- `{sub_name}` ({TYPE_NAMES.get(sub.type, sub.type)}, {need}) : {markdown_text(sub.description)}")
        if spec.example is not None:
            lines += ["", "Exemple :", "", _example_block(name, spec.example)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_vocabularies(schema: Schema) -> str:
    parts = []
    for vocabulary, title in VOCABULARY_TITLES.items():
        lines = [f"### {title} {{#vocabulaire-{vocabulary}}}", "", "| Valeur à écrire | Libellé affiché | Signification |", "| --- | --- | --- |"]
        for key, term in schema.vocabulary(vocabulary).items():
            description = markdown_text(" ".join(term.description.split())) or "—"
            lines.append(f"| `{key}` | {term.label} | {description} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_structure(schema: Schema) -> str:
    parts = []
    for content_type in schema.types.values():
        lines = [
            f"### {content_type.label} {{#structure-{content_type.key}}}",
            "",
            f"Dossier `{content_type.folder}/`, identifiants `{content_type.id_prefix}-001`, "
            f"`{content_type.id_prefix}-002`… {content_type.description}",
            "",
            "Sections obligatoires, dans cet ordre (titres de niveau 2, « ## ») :",
            "",
        ]
        lines += [f"{i}. `## {section}`" for i, section in enumerate(content_type.sections, start=1)]
        lines += ["", printed_length(content_type)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def printed_length(content_type) -> str:
    """What the guide says of a type's printed length (« pages_a4_max » in referentiel.yml)."""
    pages = content_type.max_printed_pages
    if pages is None:
        return ("**Version imprimée** : la version PDF (A4) n'a pas de limite de pages ; restez "
                "court, elle est faite pour être imprimée et distribuée.")
    return (f"**Version imprimée** : la version PDF (A4, texte en 11 points) d'une {content_type.label.lower()} "
            f"tient en **{pages} pages au plus**, « L'essentiel », sources et « À lire aussi » compris. "
            "La construction du site refuse une fiche plus longue et indique sur combien de pages "
            "elle s'imprime ; raccourcissez alors le texte (sans rien retirer de sourcé ni de source). "
            "Une fiche qui en cite une autre allonge la liste « À lire aussi » de celle-ci.")


def render_safety(schema: Schema) -> str:
    rules = schema.safety
    tags = ", ".join(
        f"`<{tag}>`" + (f" (attributs : {', '.join(f'`{a}`' for a in attributes)})" if attributes else "")
        for tag, attributes in rules.html_tags.items()
    ) or "aucune"
    lines = [
        f"- **Balises HTML autorisées** : {tags}. Toute autre balise est refusée, et toujours "
        "`<script>`, `<style>`, `<iframe>`, `<object>`, `<embed>`, les formulaires, les attributs "
        "`on…=` et `style=`, et les adresses `javascript:`, `vbscript:` ou `data:`.",
        "- **Liens** : un lien vers un autre site commence par `https://` (jamais `http://`), quelle que "
        "soit sa longueur.",
        "- **Images** : une image est enregistrée dans le dépôt et désignée par une adresse relative "
        "(`![plan](images/plan.png)`) ; une image ou toute autre ressource chargée depuis un autre site "
        "est refusée, car elle renseignerait ce site sur les lecteurs.",
        "- **Données personnelles** : pas de numéro de téléphone, de numéro de sécurité sociale, "
        "d'IBAN ni d'adresse électronique personnelle, ni dans le texte ni dans l'en-tête. Le texte est "
        "lu tel que les lecteurs le voient : un numéro coupé par un retour à la ligne ou par du gras, "
        "une adresse écrite « prénom [at] domaine [point] fr » ou « arobase » sont trouvés aussi.",
        "- **Longueur** : une fiche tient sur une ou deux pages. Un texte de plus de "
        f"{MAX_LINES:,}".replace(",", "\u202f") + " lignes ou de plus de "
        + f"{MAX_BLOCKS:,}".replace(",", "\u202f") + " paragraphes, titres et éléments de liste, "
        "ou un paragraphe bourré de crochets « [ » ou de chevrons « < », est refusé avant d'être mis en "
        "page : il prendrait trop de temps à construire.",
        "- **Adresses électroniques acceptées** : celles des domaines "
        + ", ".join(f"`{d}`" for d in rules.email_domains)
        + " (et de leurs sous-domaines) ; celles dont le nom est générique ("
        + ", ".join(f"`{n}@…`" for n in rules.email_generic_names)
        + ", éventuellement suivi d'un complément comme `accueil-nimes@…`)"
        + (" ; et " + ", ".join(f"`{a}`" for a in rules.email_addresses) if rules.email_addresses else "")
        + ".",
    ]
    if rules.phone_numbers:
        lines.append("- **Numéros de standard acceptés** : " + ", ".join(f"`{n}`" for n in rules.phone_numbers) + ".")
    folders = " ou ".join(f"`{t.folder}/`" for t in schema.types.values())
    size = f"{rules.max_file_kb:,}".replace(",", "\u00a0")
    lines += [
        f"- **Fichiers** : une fiche est un vrai fichier du dossier {folders}, de {size}\u00a0Ko au plus. "
        "Un lien symbolique (raccourci vers un autre emplacement), fichier ou dossier, et un fichier plus "
        "gros sont refusés sans être lus.",
        "- **Caractères invisibles** : les caractères de contrôle, les espaces et liants sans largeur "
        "(U+200B, U+2060, U+FEFF…) et les caractères qui changent le sens d'affichage du texte "
        "(U+200E, U+200F, U+202A à U+202E, U+2066 à U+2069) sont refusés partout, en-tête, texte et code "
        "compris : ils sont invisibles à l'écran, et une ligne peut alors afficher autre chose que ce "
        "qu'elle contient. Les espaces insécables restent acceptées.",
    ]
    lines += [
        "",
        "La vérification met chaque fiche en page comme le site, puis examine ce que les lecteurs "
        "recevront. Ses règles, chacune avec son identifiant (repris dans les annotations de la "
        "demande de fusion) :",
        "",
        *(f"- `{rule.id}` : {rule.description}" for rule in [*BODY_RULES, GUARANTEE, *SOURCE_RULES]),
    ]
    return "\n".join(lines)


def render_guide(markdown: str, schema: Schema) -> str:
    return (
        markdown.replace(FIELDS_MARKER, render_fields(schema))
        .replace(VOCABULARIES_MARKER, render_vocabularies(schema))
        .replace(STRUCTURE_MARKER, render_structure(schema))
        .replace(SAFETY_MARKER, render_safety(schema))
        .replace(MODULES_MARKER, render_module_fields(schema))
    )


def render_module_fields(schema: Schema) -> str:
    """The fields of a training module (referentiel.yml › parcours), then a whole file made of their examples."""
    if schema.modules is None:
        return ""
    lines = []
    for name, spec in schema.modules.fields.items():
        need = "obligatoire" if spec.required_for else "facultatif"
        lines.append(f"- `{name}` ({TYPE_NAMES.get(spec.type, spec.type)}, {need}) : {markdown_text(spec.description)}")
        lines += [f"    - {rule}" for rule in _constraints(spec, schema)]
        for sub_name, sub in spec.subfields.items():
            sub_need = "obligatoire" if sub.required_for else "facultatif"
            lines.append(f"    - `{sub_name}` ({TYPE_NAMES.get(sub.type, sub.type)}, {sub_need}) : {markdown_text(sub.description)}")
    example = "".join(_readable_yaml(name, spec.example) for name, spec in schema.modules.fields.items() if spec.example is not None)
    # « yml », not « yaml »: the guide's « yaml » blocks are the sheet fields' examples, one per field.
    lines += ["", f"Exemple de fichier `{schema.modules.folder}/mon-parcours.yml` :", "", f"```yml\n{example}```"]
    return "\n".join(lines)


def _readable_yaml(name: str, example: Any) -> str:
    """example_yaml, but a text with an apostrophe between double quotes rather than « l''accompagnement »."""
    if isinstance(example, str) and "'" in example and '"' not in example and "\\" not in example:
        if example_yaml(name, example).startswith(f"{name}: '"):
            return f'{name}: "{example}"\n'
    return example_yaml(name, example)
