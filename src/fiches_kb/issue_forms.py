"""GitHub issue forms (.github/ISSUE_TEMPLATE/), in French, for contributors
who do not use git: propose a sheet, propose an inspiring practice, report
an error. Their choice lists (themes, audiences) come from referentiel.yml:
`fiches formulaires` writes the files, and a test fails when the committed
ones drift from what it would write. Nothing here imports MkDocs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .schema import Schema

FORMS_DIR = Path(".github") / "ISSUE_TEMPLATE"
ERROR_FORM = "signaler-une-erreur.yml"  # the sheets' « Signaler une erreur » link opens it, with « fiche » filled in
HEADER = "# Écrit par « fiches formulaires » à partir de referentiel.yml : ne pas modifier à la main.\n"
NO_PERSONAL_DATA = (
    "N'écrivez aucune donnée personnelle : ni le nom d'une personne accompagnée, ni un numéro de téléphone, "
    "ni une adresse. Ce ticket est public."
)


def _choices(identifier: str, label: str, terms, description: str) -> dict:
    return {
        "type": "dropdown",
        "id": identifier,
        "attributes": {"label": label, "description": description, "multiple": True, "options": [t.label for t in terms.values()]},
    }


def _text(identifier: str, label: str, description: str, required: bool, kind: str = "textarea") -> dict:
    return {"type": kind, "id": identifier, "attributes": {"label": label, "description": description}, "validations": {"required": required}}


def forms(schema: Schema) -> dict[str, dict]:
    """File name -> content of each issue form."""
    themes = _choices("themes", "Thèmes", schema.themes, "Les thèmes de referentiel.yml qui conviennent.")
    audiences = _choices("publics", "Publics", schema.audiences, "À qui la fiche s'adresse.")
    intro = {"type": "markdown", "attributes": {"value": NO_PERSONAL_DATA}}
    sources = _text("sources", "Sources", "Pour chaque source : son titre, son lien (https) et sa date. Les faits viennent de sources lues.", True)
    return {
        "proposer-une-fiche.yml": {
            "name": "Proposer une fiche pratique",
            "description": "Proposer le sujet ou le texte d'une fiche pratique, sans passer par git.",
            "title": "[Proposition de fiche] ",
            "labels": ["proposition", "fiche pratique"],
            "body": [
                intro,
                _text("titre", "Titre proposé", "Sous forme de question ou d'action.", True, "input"),
                _text("situation", "La situation de terrain", "La question que se pose un travailleur social, et pour qui.", True),
                themes,
                audiences,
                _text("contenu", "Ce que la fiche devrait dire", "Le texte, ou les points à couvrir, si vous les avez.", False),
                sources,
            ],
        },
        "proposer-une-pratique.yml": {
            "name": "Proposer une pratique inspirante",
            "description": "Faire connaître une initiative de terrain, pour qu'elle soit décrite sur le site.",
            "title": "[Proposition de pratique] ",
            "labels": ["proposition", "pratique inspirante"],
            "body": [
                intro,
                _text("initiative", "L'initiative", "Son nom, la structure qui la porte, en quelques phrases.", True),
                _text("territoire", "Territoire et période", "Où et depuis quand.", True, "input"),
                themes,
                audiences,
                _text("contact", "Pour en savoir plus", "La page publique de l'initiative ou de la structure (pas d'adresse personnelle).", True),
                sources,
            ],
        },
        ERROR_FORM: {
            "name": "Signaler une erreur ou un contenu dépassé",
            "description": "Une information fausse, une loi ou un service qui a changé, un lien cassé.",
            "title": "[Erreur] ",
            "labels": ["erreur"],
            "body": [
                intro,
                _text("fiche", "Fiche concernée", "Son identifiant, par exemple FP-001 (le lien « Signaler une erreur » de la fiche le remplit).", True, "input"),
                _text("probleme", "Ce qui est faux ou dépassé", "Citez le passage et dites ce qui a changé.", True),
                _text("source", "Une source à jour", "Le lien (https) et la date de la source qui le montre, si vous en avez une.", False),
            ],
        },
        "config.yml": {"blank_issues_enabled": True},
    }


def form_files(schema: Schema) -> dict[str, str]:
    """File name -> text, as `fiches formulaires` writes it."""
    return {
        name: HEADER + yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=120)
        for name, content in forms(schema).items()
    }


def write_forms(root: Path, schema: Schema) -> list[Path]:
    folder = root / FORMS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in form_files(schema).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
