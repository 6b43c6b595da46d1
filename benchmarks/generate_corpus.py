"""Generate a synthetic, valid corpus of sheets for benchmarks.

    .venv/bin/python benchmarks/generate_corpus.py --sheets 1000 --seed 1 --out /tmp/corpus-1000

writes `fiches/`, `pratiques-inspirantes/` and a copy of the repository's
`pages/` under --out: a content folder that `tests/conftest.py:copy_site`
(or `--buildable`, which also copies mkdocs.yml, referentiel.yml, hooks/ and
overrides/) turns into a site that `mkdocs build --strict` accepts.

What the corpus looks like:
- about 80 % fiches pratiques (FP-0001, FP-0002, ...) and 20 % pratiques
  inspirantes (PI-0001, ...), about 1,000 words each, with every section the
  schema requires, in French-like text built from real words of the domain;
- front matter drawn from the REAL vocabularies of referentiel.yml (statuses,
  themes, audiences), coherent dates (all in the past, fixed, so the corpus
  never goes stale), a validation session for validated sheets, a successor
  for archived ones, a few `liees` and body links to other sheets;
- deterministic: the same seed gives the same bytes. Each sheet is drawn from
  its own random stream (seed, type, number) and only refers to sheets with
  nearby numbers, so sheet FP-0001 is the same page in a corpus of 100 or of
  5,000 sheets: page sizes can be compared across corpus sizes.

Nothing here imports MkDocs; the schema is read with fiches_kb.schema.load_schema.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fiches_kb.schema import Schema, load_schema
from fiches_kb.validate import slugify

REPO = Path(__file__).resolve().parent.parent
SITE_MACHINERY = ["mkdocs.yml", "referentiel.yml", "hooks", "overrides"]
PRATIQUE_SHARE = 0.2
WORDS_PER_SHEET = 1000
# Sheets refer only to sheets whose number is within this distance (see module docstring).
WINDOW = 15
# Weights of the statuses, by key of referentiel.yml; unknown keys get weight 1.
STATUS_WEIGHTS = {"brouillon": 3, "en-relecture": 30, "soumise": 12, "validee": 45, "archivee": 10}
# Every date is in this range, well in the past, so the validator never finds a future date.
FIRST_DAY = date(2018, 1, 8)
LAST_DAY = date(2025, 6, 30)

# --- Vocabulary -----------------------------------------------------------

SUBJECTS = [
    "Le travailleur social", "L'assistante de service social", "L'éducateur spécialisé",
    "La conseillère en économie sociale et familiale", "Le chef de service", "L'équipe pluridisciplinaire",
    "Le médiateur numérique", "La personne accompagnée", "Le bénévole de l'association",
    "La direction de l'établissement", "Le formateur", "Le service d'accueil", "La structure",
    "Le référent de parcours", "L'encadrement intermédiaire", "Le conseiller numérique",
    "L'aidant habilité", "La secrétaire médico-sociale", "Le groupe de travail", "L'employeur",
]
VERBS = [
    "vérifie", "explique", "accompagne", "propose", "rappelle", "organise", "protège", "oriente",
    "évalue", "prépare", "partage", "consigne", "sécurise", "anticipe", "facilite", "précise",
    "documente", "réexamine", "clarifie", "présente", "recueille", "interroge",
]
OBJECTS = [
    "les démarches dématérialisées", "le dossier social informatisé", "les données personnelles",
    "le mot de passe de la personne", "la déclaration trimestrielle de ressources",
    "le rendez-vous en visioconférence", "l'ouverture des droits sociaux",
    "la demande de revenu de solidarité active", "l'espace personnel sur le site de la caisse d'allocations familiales",
    "le courriel professionnel", "les échanges par SMS", "le mandat Aidants Connect",
    "la confidentialité des échanges", "le consentement éclairé de la personne",
    "l'accès aux services publics en ligne", "la prise de rendez-vous en ligne",
    "les justificatifs numérisés", "le coffre-fort numérique", "la fiche de liaison",
    "le compte rendu d'entretien", "les informations à caractère secret", "la procédure du service",
    "les compétences numériques de l'équipe", "le diagnostic des usages numériques",
    "la charte d'utilisation des outils", "le droit à la déconnexion", "l'identité numérique",
    "la messagerie sécurisée de santé", "le registre des traitements", "la durée de conservation des données",
    "l'orientation vers un lieu de médiation numérique", "le parcours d'insertion",
    "la demande d'aide personnalisée au logement", "le dossier de la maison départementale des personnes handicapées",
]
CIRCUMSTANCES = [
    "avec la personne", "lors du premier entretien", "avant toute démarche en ligne",
    "dans le respect du secret professionnel", "selon les recommandations de la CNIL",
    "en lien avec la médiation numérique", "au sein de l'équipe", "dès que c'est possible",
    "sans se substituer à la personne", "pendant l'accompagnement", "à chaque étape de la démarche",
    "conformément au règlement général sur la protection des données", "dans un délai raisonnable",
    "en dehors des heures d'ouverture", "à l'accueil du service", "lors d'une visite à domicile",
    "en réunion d'équipe", "au moment de l'orientation", "quand la situation l'exige",
    "avec l'accord écrit de la personne", "sur le poste partagé du service", "à la fin de l'entretien",
]
CONNECTORS = [
    "Par ailleurs,", "En pratique,", "De plus,", "Ainsi,", "Toutefois,", "Dans ce cas,",
    "Le plus souvent,", "En cas de doute,", "À l'inverse,", "Concrètement,", "Pour autant,",
    "D'expérience,", "Dès lors,", "À titre d'exemple,",
]
INFINITIVES = [
    "vérifier", "expliquer", "accompagner", "protéger", "sécuriser", "préparer", "partager",
    "conserver", "anticiper", "évaluer", "simplifier", "réduire", "organiser", "respecter",
    "comprendre", "repérer", "garantir", "formaliser",
]
IMPERATIVES = [
    "Vérifiez", "Expliquez", "Proposez", "Notez", "Demandez", "Orientez", "Prévoyez", "Informez",
    "Laissez", "Conservez", "Protégez", "Préparez", "Rappelez", "Désignez", "Évitez de négliger",
]
QUALITIES = [
    "essentiel", "délicat", "fréquent", "mal connu", "décisif", "sensible", "récurrent", "prioritaire",
]
STAKES = [
    "la confiance de la personne", "l'égalité d'accès aux droits", "le non-recours aux prestations",
    "la qualité de l'accompagnement", "le secret professionnel", "l'autonomie des personnes",
    "la responsabilité du service", "la continuité du suivi", "la sécurité des informations",
]
LAW_TERMS = [
    "Le secret professionnel", "Le règlement général sur la protection des données",
    "La loi Informatique et libertés", "Le code de l'action sociale et des familles",
    "Les recommandations de la CNIL", "La charte des droits et libertés de la personne accueillie",
    "Le droit à la déconnexion", "Le référentiel national de la médiation numérique",
    "Les recommandations du Haut Conseil du travail social", "Le principe de minimisation des données",
]
ORG_KINDS = [
    "Association", "Centre social", "Maison France services", "Espace public numérique", "Café social",
    "Centre communal d'action sociale", "Point d'accueil numérique", "Fédération",
]
ORG_NAMES = [
    "Les Passerelles", "Trait d'union", "L'Escale", "Le Lien", "Horizons", "Ensemble", "La Boussole",
    "Cap Solidarité", "Le Pont", "Les Ateliers du numérique", "Clé de voûte", "L'Étape",
]
TOWNS = [
    ("Nîmes", "Gard"), ("Rennes", "Ille-et-Vilaine"), ("Privas", "Ardèche"), ("Saint-Étienne", "Loire"),
    ("Besançon", "Doubs"), ("Béziers", "Hérault"), ("Créteil", "Val-de-Marne"), ("Évreux", "Eure"),
    ("Angoulême", "Charente"), ("Sète", "Hérault"), ("Lorient", "Morbihan"), ("Périgueux", "Dordogne"),
    ("Aurillac", "Cantal"), ("Épinal", "Vosges"), ("Montbéliard", "Doubs"), ("Châteauroux", "Indre"),
]
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
SOURCES = [
    ("HCTS, mandat du groupe de travail « L'usage du numérique dans le travail social », 2017", None),
    ("Défenseur des droits, Dématérialisation et inégalités d'accès aux services publics, 2019",
     "https://www.defenseurdesdroits.fr/"),
    ("CNIL, Guide de la sécurité des données personnelles, édition 2024", "https://www.cnil.fr/"),
    ("ANAS, Journée d'étude « Numérique et pratiques professionnelles de l'assistant de service social », 2017", None),
    ("Revue française de service social, dossier « Le travail social à l'épreuve du numérique »", None),
    ("Haut Conseil du travail social, Recommandations sur le partage d'informations, 2017", None),
    ("Agence nationale de la cohésion des territoires, Les Bases du numérique d'intérêt général",
     "https://labase.anct.gouv.fr/"),
]
AUTHORS = [
    "Groupe de travail « Usage du numérique dans le travail social » du HCTS",
    "Contributeurs de la base de connaissances, proposition au groupe de travail du HCTS",
    "Commission éthique et déontologie du HCTS",
]
VALIDATING_BODY = "Haut Conseil du travail social, séance plénière"


# --- Planning: statuses and references, before any text -------------------


@dataclass
class Plan:
    """What is decided about one sheet before its text is written."""

    id: str
    type_key: str
    number: int
    status: str
    title: str = ""
    slug: str = ""
    related: list[str] = field(default_factory=list)
    replaced_by: str | None = None


def sheet_rng(seed: int, type_key: str, number: int, purpose: str) -> random.Random:
    # A str seed is hashed with SHA-512 by random.Random: stable across runs and PYTHONHASHSEED.
    return random.Random(f"{seed}:{type_key}:{number}:{purpose}")


def type_counts(sheets: int, schema: Schema) -> dict[str, int]:
    """80 % of the first type (fiche), 20 % of the second (pratique)."""
    keys = list(schema.types)
    pratiques = round(sheets * PRATIQUE_SHARE) if len(keys) > 1 else 0
    counts = {keys[0]: sheets - pratiques}
    if len(keys) > 1:
        counts[keys[1]] = pratiques
    return counts


def plan_corpus(sheets: int, seed: int, schema: Schema) -> list[Plan]:
    statuses = list(schema.statuses)
    weights = [STATUS_WEIGHTS.get(key, 1) for key in statuses]
    plans: dict[str, list[Plan]] = {}
    for type_key, count in type_counts(sheets, schema).items():
        prefix = schema.types[type_key].id_prefix
        plans[type_key] = [
            Plan(
                id=f"{prefix}-{number:04d}",
                type_key=type_key,
                number=number,
                status=sheet_rng(seed, type_key, number, "status").choices(statuses, weights)[0],
            )
            for number in range(1, count + 1)
        ]
    all_plans = [plan for group in plans.values() for plan in group]

    def linkable(plan: Plan) -> bool:
        return schema.statuses[plan.status].published

    for type_key, group in plans.items():
        for plan in group:
            rng = sheet_rng(seed, type_key, plan.number, "links")
            if plan.status == "archivee":
                successors = [
                    other
                    for other in group[plan.number : plan.number + WINDOW]
                    if linkable(other) and other.status != "archivee"
                ]
                if successors:
                    plan.replaced_by = rng.choice(successors).id
                else:  # end of the corpus: nothing newer to point to
                    plan.status = "validee"
            if not linkable(plan):
                continue
            wanted = rng.choice([0, 1, 2, 2, 3, 4])
            # Nearby sheets of the same type, and now and then one of the other types.
            nearby = group[max(0, plan.number - 1 - WINDOW) : plan.number + WINDOW]
            candidates = [other for other in nearby if other is not plan and linkable(other)]
            for other_key, other_group in plans.items():
                if other_key != type_key and other_group:
                    first = min(plan.number, len(other_group)) - 1
                    candidates += [o for o in other_group[max(0, first - 2) : first + 3] if linkable(o)]
            plan.related = [other.id for other in rng.sample(candidates, min(wanted, len(candidates)))]
    return all_plans


# --- Text -----------------------------------------------------------------


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Writer:
    """French-like prose from the vocabulary above, driven by one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, words: list[str]) -> str:
        return self.rng.choice(words)

    def sentence(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            start = f"{self.pick(CONNECTORS)} {lower_first(self.pick(SUBJECTS))}"
            return f"{start} {self.pick(VERBS)} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)}."
        if r < 0.55:
            return f"{self.pick(SUBJECTS)} {self.pick(VERBS)} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)}, puis {self.pick(VERBS)} {self.pick(OBJECTS)}."
        if r < 0.7:
            return f"Il est utile {elide('de', self.pick(INFINITIVES))} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)} : c'est {self.pick(QUALITIES)} pour {self.pick(STAKES)}."
        if r < 0.85:
            return f"Cette question touche {self.pick(STAKES)}, en particulier quand il faut {self.pick(INFINITIVES)} {self.pick(OBJECTS)}."
        return f"Comment {self.pick(INFINITIVES)} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)} ?"

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 5)))

    def bullet_list(self, numbered: bool = False) -> str:
        items = []
        for index in range(self.rng.randint(4, 7)):
            text = f"{self.pick(IMPERATIVES)} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)}."
            if self.rng.random() < 0.5:
                text += " " + self.sentence()
            items.append(f"{index + 1}. {text}" if numbered else f"- {text}")
        return "\n".join(items)

    def law_list(self) -> str:
        terms = self.rng.sample(LAW_TERMS, self.rng.randint(3, 5))
        return "\n".join(f"- **{term}.** {self.sentence()} {self.sentence()}" for term in terms)

    def table(self) -> str:
        rows = [
            f"| {cap(self.pick(OBJECTS))} | {cap(self.pick(CIRCUMSTANCES))} | {cap(self.pick(STAKES))} |"
            for _ in range(self.rng.randint(3, 5))
        ]
        return "| Situation | Moment | Enjeu |\n| --- | --- | --- |\n" + "\n".join(rows)

    def title(self) -> str:
        patterns = [
            lambda: f"{cap(self.pick(INFINITIVES))} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)}",
            lambda: f"Comment {self.pick(INFINITIVES)} {self.pick(OBJECTS)} ?",
            lambda: f"{cap(self.pick(OBJECTS))} : repères pour {self.pick(STAKES)}",
        ]
        return fit(self.rng.choice(patterns)(), 10, 120)

    def summary(self) -> str:
        text = (
            f"Repères pour {self.pick(INFINITIVES)} {self.pick(OBJECTS)} {self.pick(CIRCUMSTANCES)}, "
            f"et ce que cela change pour {self.pick(STAKES)}."
        )
        return fit(text, 40, 300)


def elide(word: str, following: str) -> str:
    """« de » + « organiser » → « d'organiser », as French wants before a vowel."""
    return f"{word[:-1]}'{following}" if following[:1].lower() in "aeéèêiîouh" else f"{word} {following}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def fit(text: str, shortest: int, longest: int) -> str:
    if len(text) > longest:
        text = text[: longest - 1].rsplit(" ", 1)[0]
    while len(text) < shortest:
        text += " en pratique"
    return text


def word_count(text: str) -> int:
    return len(text.split())


def section_body(writer: Writer, section_index: int, section: str, budget: int, links: list[str]) -> str:
    """Blocks of text for one section, until it holds about `budget` words."""
    rng = writer.rng
    blocks: list[str] = []
    folded = slugify(section)
    if links and folded in ("ressources", "contact", "pour-reproduire"):
        blocks.append("À lire aussi sur ce site :\n\n" + "\n".join(f"- {link}" for link in links))
    # Stop a little short of the budget: the last block overshoots it by half a block on average.
    while sum(word_count(b) for b in blocks) < budget - 45:
        r = rng.random()
        if folded == "que-faire" and r < 0.4:
            blocks.append(writer.bullet_list(numbered=True))
        elif "droit" in folded and r < 0.4:
            blocks.append(writer.law_list())
        elif r < 0.18:
            blocks.append(writer.bullet_list())
        elif r < 0.22 and section_index == 1:
            blocks.append(writer.table())
        else:
            blocks.append(writer.paragraph())
    return "\n\n".join(blocks)


# --- Front matter ---------------------------------------------------------


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML), accents kept."""
    return json.dumps(value, ensure_ascii=False)


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def front_matter(plan: Plan, schema: Schema, rng: random.Random, writer: Writer) -> str:
    themes = rng.sample(list(schema.themes), rng.randint(1, min(3, len(schema.themes))))
    audiences = rng.sample(list(schema.audiences), rng.randint(1, min(4, len(schema.audiences))))
    created = random_day(rng, FIRST_DAY, LAST_DAY - timedelta(days=400))
    updated = random_day(rng, created, min(LAST_DAY - timedelta(days=120), created + timedelta(days=700)))
    review = updated + timedelta(days=rng.choice([182, 183, 365]))
    lines = [
        "---",
        f"id: {plan.id}",
        f"titre: {yaml_text(plan.title)}",
        f"resume: {yaml_text(writer.summary())}",
        f"statut: {plan.status}",
        f"themes: {yaml_list(themes)}",
        f"publics: {yaml_list(audiences)}",
    ]
    if plan.status in ("validee", "archivee"):
        session = random_day(rng, updated, updated + timedelta(days=90))
        lines += ["validation:", f"  instance: {yaml_text(VALIDATING_BODY)}", f"  seance: {session.isoformat()}"]
    lines += [
        f"date_creation: {created.isoformat()}",
        f"date_mise_a_jour: {updated.isoformat()}",
        f"prochaine_relecture: {review.isoformat()}",
        f"auteurs: [{yaml_text(rng.choice(AUTHORS))}]",
        "sources:",
    ]
    for title, link in rng.sample(SOURCES, rng.randint(1, 3)):
        lines.append(f"  - titre: {yaml_text(title)}")
        if link:
            lines.append(f"    lien: {link}")
    if plan.related:
        lines.append(f"liees: {yaml_list(plan.related)}")
    if plan.replaced_by:
        lines.append(f"remplacee_par: {plan.replaced_by}")
    if "structure" in schema.fields_for(plan.type_key):
        kind, name = rng.choice(ORG_KINDS), rng.choice(ORG_NAMES)
        town, department = rng.choice(TOWNS)
        organisation = f"{kind} {name}"
        year = rng.randint(2012, 2023)
        lines += [
            f"structure: {yaml_text(organisation)}",
            f"territoire: {yaml_text(f'{town} ({department})')}",
            f"periode: {yaml_text(f'Depuis {rng.choice(MONTHS)} {year}')}",
            "contact:",
            f"  structure: {yaml_text(organisation)}",
        ]
        if rng.random() < 0.6:
            lines.append(f"  site: https://www.example.org/{slugify(organisation)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# --- The corpus -----------------------------------------------------------


def generate_corpus(
    out: Path,
    sheets: int,
    seed: int = 1,
    schema: Schema | None = None,
    pages: Path | None = REPO / "pages",
    buildable: bool = False,
) -> dict[str, int]:
    """Write a corpus of `sheets` sheets under `out`; return the number of files per folder.

    `out` must not hold a previous corpus (its content folders are replaced).
    With `buildable`, the repository's mkdocs.yml, referentiel.yml, hooks/ and
    overrides/ are copied too, so `mkdocs build` runs in `out` directly.
    """
    schema = schema or load_schema(REPO)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(sheets, seed, schema)
    by_id = {plan.id: plan for plan in plans}
    for plan in plans:
        writer = Writer(sheet_rng(seed, plan.type_key, plan.number, "title"))
        plan.title = writer.title()
        plan.slug = f"{slugify(plan.title)[:60].strip('-')}-{plan.number:04d}"

    counts: dict[str, int] = {}
    for content_type in schema.types.values():
        folder = out / content_type.folder
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        counts[content_type.folder] = 0
    for plan in plans:
        content_type = schema.types[plan.type_key]
        rng = sheet_rng(seed, plan.type_key, plan.number, "text")
        writer = Writer(rng)
        header = front_matter(plan, schema, rng, writer)
        links = []
        for target_id in plan.related:
            target = by_id[target_id]
            target_folder = schema.types[target.type_key].folder
            path = f"{target.slug}.md" if target_folder == content_type.folder else f"../{target_folder}/{target.slug}.md"
            links.append(f"[{target.title}]({path})")
        budget = WORDS_PER_SHEET // len(content_type.sections)
        sections = [
            f"## {section}\n\n{section_body(writer, index, section, budget, links)}"
            for index, section in enumerate(content_type.sections)
        ]
        text = header + "\n" + "\n\n".join(sections) + "\n"
        (out / content_type.folder / f"{plan.slug}.md").write_bytes(text.encode("utf-8"))
        counts[content_type.folder] += 1

    if pages is not None:
        if (out / "pages").exists():
            shutil.rmtree(out / "pages")
        shutil.copytree(pages, out / "pages", ignore=shutil.ignore_patterns("__pycache__"))
    if buildable:
        copy_machinery(out)
    return counts


def copy_machinery(destination: Path) -> None:
    """What a site needs besides its content, from the repository (like tests/conftest.py:copy_site)."""
    for name in SITE_MACHINERY:
        source, target = REPO / name, destination / name
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic corpus of valid sheets for benchmarks.")
    parser.add_argument("--sheets", type=int, required=True, help="number of sheets (80 %% fiches, 20 %% pratiques)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write fiches/, pratiques-inspirantes/, pages/ into")
    parser.add_argument("--buildable", action="store_true", help="also copy mkdocs.yml, referentiel.yml, hooks/, overrides/")
    args = parser.parse_args(argv)
    if args.sheets < 1:
        parser.error("--sheets must be at least 1")
    counts = generate_corpus(args.out, args.sheets, args.seed, buildable=args.buildable)
    print(", ".join(f"{folder}/: {count}" for folder, count in counts.items()) + f" -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
