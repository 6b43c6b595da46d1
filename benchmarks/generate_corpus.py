"""Generate a synthetic, valid corpus of sheets for benchmarks.

    .venv/bin/python benchmarks/generate_corpus.py --sheets 1000 --seed 1 --out /tmp/corpus-1000

writes `fiches/`, `pratiques-inspirantes/` and a copy of the repository's
`pages/` under --out: a content folder that `tests/conftest.py:copy_site`
(or `--buildable`, which also copies mkdocs.yml, referentiel.yml, hooks/ and
overrides/) turns into a site that `mkdocs build --strict` accepts.

What the corpus looks like:
- about 80 % fiches pratiques (FP-0001, FP-0002, ...) and 20 % pratiques
  inspirantes (PI-0001, ...), about 1,000 words each, with every section the
  schema requires;
- French-like text with the word statistics of the real sheets: a word-level
  Markov chain trained on their bodies (frozen in benchmarks/data/, see
  "Text" below and benchmarks/build_text_model.py), plus a Zipf-distributed
  tail of rare words, so that the vocabulary grows with the corpus size like
  real text (Heaps' law: about 16 × sqrt(words) distinct words);
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
import functools
import json
import math
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fiches_kb.corpus import IGNORED_FILES
from fiches_kb.frontmatter import read_source
from fiches_kb.schema import Schema, load_schema
from fiches_kb.situations import without_situations
from fiches_kb.text import slugify

REPO = Path(__file__).resolve().parent.parent
SITE_MACHINERY = ["mkdocs.yml", "referentiel.yml", "hooks", "overrides"]
PRATIQUE_SHARE = 0.2
# Length of a sheet: that of its topic (a real sheet of its type, see TextModel.lengths)
# times a factor drawn in this range, unless a fixed length is asked for.
LENGTH_JITTER = (0.85, 1.15)
# Sheets refer only to sheets whose number is within this distance (see module docstring).
WINDOW = 15
# Weights of the statuses, by key of referentiel.yml; unknown keys get weight 1.
STATUS_WEIGHTS = {"brouillon": 3, "en-relecture": 30, "soumise": 12, "validee": 45, "archivee": 10}
# Every date is in this range, well in the past, so the validator never finds a future date.
FIRST_DAY = date(2018, 1, 8)
LAST_DAY = date(2025, 6, 30)


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
#
# The body text comes from a word-level Markov chain (order 2, with some
# order-1 steps) over the sentences of the real sheets, frozen in
# benchmarks/data/text_model.json (rebuilt by benchmarks/build_text_model.py).
# Each synthetic sheet has a "topic": one real sheet of its type, whose own
# chain is followed for most steps, so that a word like « aidants » gathers in
# some sheets instead of appearing everywhere. Words that occur once in the
# real text were replaced by class markers (RARE, NAME); each marker is drawn
# from an unbounded lexicon with a Zipf-like law (real rare words first, then
# pseudo-French words and names built from syllables), so that the number of
# distinct words grows like the square root of the corpus size (Heaps' law).

MODEL_PATH = Path(__file__).resolve().parent / "data" / "text_model.json"
CONTENT_FOLDERS = ("fiches", "pratiques-inspirantes")
RARE, NAME = "<rare>", "<nom>"
BEGIN, END = "<s>", "</s>"
# Elided words (« l'école »): tokens of their own in the model.
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu".split())
# Words whose frequency the README and the tests follow.
TRACKED_WORDS = ("données", "personnelles", "secret", "professionnel", "aidants", "numérique")
# Share of steps drawn from the sheet's topic (a real sheet) rather than from all sheets.
TOPIC_SHARE = 0.85
# Share of steps drawn from the order-1 tables (new sentences) rather than order 2.
BIGRAM_SHARE = 0.25
# Longest sentence, in tokens; shortest, in words.
LONGEST_SENTENCE, SHORTEST_SENTENCE = 60, 3
# Zipf-like law of the rare words: rank = floor(scale / u) - floor(scale), so
# P(rank >= k) = scale / (k + scale): flat over the first `scale` ranks, then a
# tail in 1/k², which makes distinct words grow like sqrt(corpus size).
# Calibrated so that distinct words ≈ 14 to 17 × sqrt(words) from 100 to 5,000 sheets
# (the real sheets: 15.6 × sqrt(words)).
RARE_SCALE, NAME_SCALE = 1500.0, 1000.0
# Chance that a rare word is one this sheet already used (rare words come in bursts).
REUSE_SHARE = 0.3

# Syllables of pseudo-French words and names: onset + vowel (no nasal vowel,
# whose « n » would clash with the endings).
ONSETS = "b c d f g j l m n p r s t v ch br cr dr fr gr pl pr tr".split()
VOWELS = "a e é i o u ou au ai eu oi".split()
SYLLABLES = [o + v for o in ONSETS for v in VOWELS]
FIRST_SYLLABLES = SYLLABLES + VOWELS + ["h" + v for v in VOWELS]
WORD_ENDINGS = "_ r s t x ment tion ge que ste re lle tte ble rie se té ne de ce".split()
NAME_ENDINGS = "lac ville court mont rières seux lans nette range ron mel lois ras bert nier gny zac".split()
NAME_PREFIXES = ["", "", "", "", "", "Saint-", "Mont-", "Val-"]
CAPITALS = "ABCDEFGHIJLMNOPRSTUV"
VOWEL_START = set("aâàeéèêëiîïoôuûùyœh")
# Before a vowel: « de » → « d' », and back before a consonant.
ELIDED_FORM = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "ne": "n'", "se": "s'", "ce": "cet",
               "je": "j'", "me": "m'", "te": "t'", "jusque": "jusqu'", "lorsque": "lorsqu'", "puisque": "puisqu'"}
FULL_FORM = {"d'": "de", "l'": "le", "qu'": "que", "n'": "ne", "s'": "se", "c'": "ce", "j'": "je",
             "m'": "me", "t'": "te", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque"}
WORD = re.compile(r"[^\W\d_]+")
LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters only; link addresses skipped): what the figures count."""
    return WORD.findall(LINK_TARGET.sub("]", text).lower())


def sheet_bodies(root: Path, folder: str, published: set[str] | None = None) -> list[tuple[str, str]]:
    """(file name without .md, body) of the sheets of one folder, without the model file;
    with `published` (status keys), only the sheets of those statuses: the real drafts say
    what they lack (« À compléter »…), which a published sheet must not."""
    result = []
    for path in sorted((root / folder).glob("*.md")):
        if path.name in IGNORED_FILES:
            continue
        source, _ = read_source(path, f"{folder}/{path.name}")
        if source is not None and (published is None or source.data.get("statut") in published):
            result.append((path.stem, source.body))
    return result


def published_statuses(schema: Schema) -> set[str]:
    return {key for key, status in schema.statuses.items() if status.published}


def corpus_figures(root: Path, published: set[str] | None = None) -> dict:
    """Words, distinct words and frequency of TRACKED_WORDS in the sheet bodies under `root`
    (only those of the `published` statuses, when given)."""
    counts: Counter[str] = Counter()
    sheets = 0
    for folder in CONTENT_FOLDERS:
        for _, body in sheet_bodies(root, folder, published):
            counts.update(words(body))
            sheets += 1
    total = sum(counts.values())
    return {
        "sheets": sheets,
        "words": total,
        "distinct_words": len(counts),
        "per_1000_words": {word: round(1000 * counts[word] / max(total, 1), 2) for word in TRACKED_WORDS},
    }


def is_word(token: str) -> bool:
    return token[:1].isalpha() or token in (RARE, NAME)


@dataclass
class TextModel:
    """Order-2 and order-1 successor lists (one entry per occurrence), per sheet and overall."""

    trigrams: dict[tuple[str, str], list[str]]
    bigrams: dict[str, list[str]]
    topics: dict[str, list[int]]  # type key → document numbers, one per token (draws weighted by length)
    lengths: list[int]  # words of each document's sentences (its real length, headings and links aside)
    topic_trigrams: list[dict[tuple[str, str], list[str]]]
    topic_bigrams: list[dict[str, list[str]]]
    # First tokens by (document, section index, kind), by (type, section, kind) and by kind.
    starts: dict[tuple, list[str]]
    rare_words: list[str]
    rare_names: list[str]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> TextModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        trigrams: dict[tuple[str, str], list[str]] = {}
        bigrams: dict[str, list[str]] = {}
        topics: dict[str, list[int]] = {}
        topic_trigrams, topic_bigrams = [], []
        starts: dict[tuple, list[str]] = {}
        lengths = []
        for number, document in enumerate(data["documents"]):
            lengths.append(sum(len(WORD.findall(s[2])) for s in document["sentences"]))
            own: dict[tuple[str, str], list[str]] = {}
            own_bigrams: dict[str, list[str]] = {}
            for section, kind, text in document["sentences"]:
                tokens = text.split(" ")
                for key in ((number, section, kind), (document["type"], section, kind), (kind,)):
                    starts.setdefault(key, []).append(tokens[0])
                topics.setdefault(document["type"], []).extend([number] * len(tokens))
                sequence = [BEGIN, *tokens, END]
                for a, b, c in zip(sequence, sequence[1:], sequence[2:]):
                    trigrams.setdefault((a, b), []).append(c)
                    own.setdefault((a, b), []).append(c)
                    bigrams.setdefault(b, []).append(c)
                    own_bigrams.setdefault(b, []).append(c)
            topic_trigrams.append(own)
            topic_bigrams.append(own_bigrams)
        return cls(
            trigrams, bigrams, topics, lengths, topic_trigrams, topic_bigrams, starts, data["rare_words"], data["rare_names"]
        )


_MODEL: TextModel | None = None


def text_model() -> TextModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = TextModel.load()
    return _MODEL


@functools.lru_cache(maxsize=None)
def multiplier(size: int) -> int:
    """About 0.618 × size and prime to it: index → index × multiplier mod size is a bijection."""
    candidate = int(size * 0.6180339887) | 1
    while math.gcd(candidate, size) != 1:
        candidate += 2
    return candidate


def scramble(index: int, size: int) -> int:
    """A bijection of range(size) that sends neighbours far apart: consecutive ranks, unrelated words."""
    return (index * multiplier(size) + size // 3) % size


def pseudo_word(index: int, name: bool) -> str:
    """The index-th word of an unbounded lexicon of made-up French-looking words (or names)."""
    endings = NAME_ENDINGS if name else WORD_ENDINGS
    size = len(FIRST_SYLLABLES) * len(endings)
    syllables = 1
    while index >= size * len(SYLLABLES):
        index -= size * len(SYLLABLES)
        size *= len(SYLLABLES)
        syllables += 1
    size *= len(SYLLABLES)
    code = scramble(index, size)
    code, ending = divmod(code, len(endings))
    code, first = divmod(code, len(FIRST_SYLLABLES))
    parts = [FIRST_SYLLABLES[first]]
    for _ in range(syllables):
        code, syllable = divmod(code, len(SYLLABLES))
        parts.append(SYLLABLES[syllable])
    stem = "".join(parts)
    if not name:
        return stem + endings[ending].strip("_")
    if index % 9 == 4:  # now and then an acronym, like « CCAS » or « UDAF »
        return acronym(index // 9)
    return NAME_PREFIXES[index // 7 % len(NAME_PREFIXES)] + cap(stem + endings[ending])


def sheet_length(model: TextModel, topic: int, rng: random.Random) -> int:
    """Words in a sheet's sections: its topic's length, give or take 15 %.
    So fiches pratiques and pratiques inspirantes keep the lengths of the
    real ones (about 630 and 310 words), and with them the share of sheets
    a word occurs in, which sets what a search has to fetch and score."""
    return round(model.lengths[topic] * rng.uniform(*LENGTH_JITTER))


def choose_topic(model: TextModel, type_key: str, rng: random.Random) -> int:
    """A real sheet of the same type (any sheet if none), drawn in proportion to its length."""
    return rng.choice(model.topics.get(type_key) or [n for numbers in model.topics.values() for n in numbers])


def acronym(index: int) -> str:
    """The index-th of all capital-letter words of 3, then 4, 5... letters, in a mixed order."""
    length = 3
    while index >= len(CAPITALS) ** length:
        index -= len(CAPITALS) ** length
        length += 1
    code = scramble(index, len(CAPITALS) ** length)
    letters = []
    for _ in range(length):
        code, letter = divmod(code, len(CAPITALS))
        letters.append(CAPITALS[letter])
    return "".join(letters)


def zipf_rank(rng: random.Random, scale: float) -> int:
    """0, 1, 2...: P(rank >= k) = scale / (k + scale), about (see RARE_SCALE)."""
    return int(scale / (1.0 - rng.random())) - int(scale)


def join(tokens: list[str]) -> str:
    """Surface text: « , » and « . » stick to the word before, « d' » to the word after."""
    out = ""
    for token in tokens:
        if out and not out.endswith("'") and token not in (",", "."):
            out += " "
        out += token
    return out


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fit(text: str, shortest: int, longest: int) -> str:
    if len(text) > longest:
        text = text[: longest - 1].rsplit(" ", 1)[0]
    while len(text) < shortest:
        text += " en pratique"
    return text


class Writer:
    """Markdown prose from the text model, driven by one random stream and one topic."""

    def __init__(self, rng: random.Random, type_key: str, topic: int, model: TextModel | None = None):
        self.rng = rng
        self.type_key = type_key
        self.topic = topic
        self.model = model or text_model()
        self.used: dict[str, list[str]] = {RARE: [], NAME: []}

    def rare(self, marker: str) -> str:
        used = self.used[marker]
        if used and self.rng.random() < REUSE_SHARE:
            return self.rng.choice(used)
        name = marker == NAME
        real = self.model.rare_names if name else self.model.rare_words
        rank = zipf_rank(self.rng, NAME_SCALE if name else RARE_SCALE)
        word = real[rank] if rank < len(real) else pseudo_word(rank - len(real), name)
        used.append(word)
        return word

    def first_token(self, section: int, kind: str) -> str:
        starts = self.model.starts
        if self.rng.random() < TOPIC_SHARE and (self.topic, section, kind) in starts:
            return self.rng.choice(starts[self.topic, section, kind])
        return self.rng.choice(starts.get((self.type_key, section, kind)) or starts[(kind,)])

    def next_token(self, a: str, b: str) -> str:
        rng, model = self.rng, self.model
        r = rng.random()
        if r < TOPIC_SHARE:  # the topic's own successors, when it has some
            if r >= TOPIC_SHARE * BIGRAM_SHARE:
                own = model.topic_trigrams[self.topic].get((a, b))
                if own:
                    return rng.choice(own)
            own = model.topic_bigrams[self.topic].get(b)
            if own:
                return rng.choice(own)
        elif r >= TOPIC_SHARE + (1 - TOPIC_SHARE) * BIGRAM_SHARE:
            shared = model.trigrams.get((a, b))
            if shared:
                return rng.choice(shared)
        return rng.choice(model.bigrams[b])

    def tokens(self, section: int, kind: str) -> list[str]:
        """One sentence as surface tokens, rare words drawn, elisions agreed."""
        for _ in range(20):
            markers = [self.first_token(section, kind)]
            while len(markers) < LONGEST_SENTENCE:
                token = self.next_token(markers[-2] if len(markers) > 1 else BEGIN, markers[-1])
                if token == END:
                    break
                markers.append(token)
            else:  # too long: end it after its last word
                while len(markers) > 1 and (not is_word(markers[-1]) or markers[-1].endswith("'")):
                    markers.pop()
                markers.append(".")
            if is_word(markers[0]) and sum(map(is_word, markers)) >= SHORTEST_SENTENCE:
                break
        surface: list[str] = []
        for token in markers:
            if token in (RARE, NAME):
                token = self.rare(token)
                if surface:
                    surface[-1] = agree(surface[-1], token)
            surface.append(token)
        surface[0] = cap(surface[0])
        return surface

    def sentence(self, section: int, kind: str = "p") -> str:
        return join(self.tokens(section, kind))

    def paragraph(self, section: int) -> str:
        return " ".join(self.sentence(section) for _ in range(self.rng.randint(3, 5)))

    def bullet_list(self, section: int, numbered: bool = False) -> str:
        items = []
        for index in range(self.rng.randint(4, 7)):
            text = self.sentence(section, "i")
            if self.rng.random() < 0.3:
                text += " " + self.sentence(section)
            items.append(f"{index + 1}. {text}" if numbered else f"- {text}")
        return "\n".join(items)

    def bold_list(self, section: int) -> str:
        """Items that open with a few words in bold, like « **Le secret professionnel** s'applique… »."""
        items = []
        for _ in range(self.rng.randint(3, 5)):
            tokens = self.tokens(section, "i")
            cut = min(self.rng.randint(2, 4), len(tokens) - 1)
            while cut > 1 and (not is_word(tokens[cut - 1]) or tokens[cut - 1].endswith("'")):
                cut -= 1
            rest = join(tokens[cut:])
            space = "" if tokens[cut] in (",", ".") else " "
            items.append(f"- **{join(tokens[:cut])}**{space}{rest}")
        return "\n".join(items)

    def cell(self, section: int) -> str:
        tokens = self.tokens(section, "p")[: self.rng.randint(3, 7)]
        while len(tokens) > 1 and (not is_word(tokens[-1]) or tokens[-1].endswith("'")):
            tokens.pop()
        return join(tokens)

    def table(self, section: int) -> str:
        rows = [f"| {self.cell(section)} | {self.cell(section)} | {self.cell(section)} |" for _ in range(self.rng.randint(3, 5))]
        return "| Situation | Moment | Enjeu |\n| --- | --- | --- |\n" + "\n".join(rows)

    def title(self) -> str:
        """A list item of the model, 4 to 14 words: « Vérifiez les destinataires avant d'envoyer »."""
        for _ in range(30):
            tokens = self.tokens(self.rng.randrange(3), "i")
            text = join(tokens[:-1] if tokens[-1] == "." else tokens)
            if 4 <= sum(map(is_word, tokens)) <= 14 and 10 <= len(text) <= 110:
                return text
        return fit(text, 10, 120)

    def summary(self) -> str:
        text = self.sentence(0)
        while len(text) < 60:
            text += " " + self.sentence(0)
        return text if len(text) <= 300 else fit(text, 40, 300)


def agree(previous: str, word: str) -> str:
    """« de » before « école » becomes « d' », « l' » before « pont » becomes « le »."""
    vowel = word[:1].lower() in VOWEL_START
    if vowel and previous.lower() in ELIDED_FORM:
        elided = ELIDED_FORM[previous.lower()]
        return (previous[:1] + elided[1:]) if previous[:1].isupper() else elided
    if not vowel and previous.lower() in FULL_FORM:
        full = FULL_FORM[previous.lower()]
        return (previous[:1] + full[1:]) if previous[:1].isupper() else full
    return previous


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
    # At least one block, however small the budget (a short pratique inspirante has about 50 words a section).
    while not blocks or sum(word_count(b) for b in blocks) < budget - 45:
        r = rng.random()
        if folded == "que-faire" and r < 0.4:
            blocks.append(writer.bullet_list(section_index, numbered=True))
        elif "droit" in folded and r < 0.4:
            blocks.append(writer.bold_list(section_index))
        elif r < 0.18:
            blocks.append(writer.bullet_list(section_index))
        elif r < 0.22 and section_index == 1:
            blocks.append(writer.table(section_index))
        else:
            blocks.append(writer.paragraph(section_index))
    return "\n\n".join(blocks)


# --- Front matter ---------------------------------------------------------


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML), accents kept."""
    return json.dumps(value, ensure_ascii=False)


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def front_matter(plan: Plan, schema: Schema, rng: random.Random, writer: Writer, sessions: set[date] | None = None) -> str:
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
        # « L'essentiel » and a dated, linked source: what every published sheet needs
        # (issue 20); written without drawing from rng, so the rest of the corpus is unchanged.
        "essentiel:",
        f"  - {yaml_text('Lisez « ' + plan.title[:100] + ' » avant d’agir.')}",
        "  - Faites la démarche avec la personne, sans prendre sa place.",
        "  - Notez dans le dossier ce qui a été fait et ce qui reste à faire.",
        f"statut: {plan.status}",
        f"themes: {yaml_list(themes)}",
        f"publics: {yaml_list(audiences)}",
    ]
    if plan.status in ("validee", "archivee"):
        session = random_day(rng, updated, updated + timedelta(days=90))
        if sessions is not None:
            sessions.add(session)
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
    lines += ["  - titre: Source datée du corpus de mesure", "    lien: https://www.example.org/source-datee", f"    date: {updated.year}"]
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
    words_per_sheet: int | None = None,
    table_in_every_sheet: bool = False,
) -> dict[str, int]:
    """Write a corpus of `sheets` sheets under `out`; return the number of files per folder.

    Each sheet is about as long as its topic, a real sheet of its type (see
    `sheet_length`); `words_per_sheet` gives every sheet that length instead
    (1000: the corpus of the benchmark runs before 2026-11-23).
    `table_in_every_sheet`: a sheet with no table gets one, at the start of its
    second section (with `words_per_sheet=1000`, the shape the build-time
    target is also measured on).

    `out` must not hold a previous corpus (its content folders are replaced).
    With `buildable`, the repository's mkdocs.yml, referentiel.yml, hooks/ and
    overrides/ are copied too, so `mkdocs build` runs in `out` directly.
    """
    schema = schema or load_schema(REPO)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(sheets, seed, schema)
    by_id = {plan.id: plan for plan in plans}
    model = text_model()
    topics = {plan.id: choose_topic(model, plan.type_key, sheet_rng(seed, plan.type_key, plan.number, "topic")) for plan in plans}
    for plan in plans:
        writer = Writer(sheet_rng(seed, plan.type_key, plan.number, "title"), plan.type_key, topics[plan.id], model)
        plan.title = writer.title()
        plan.slug = f"{slugify(plan.title)[:60].strip('-')}-{plan.number:04d}"

    counts: dict[str, int] = {}
    sessions: set[date] = set()  # the validation sessions of validated sheets, for the register
    for content_type in schema.types.values():
        folder = out / content_type.folder
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        counts[content_type.folder] = 0
    for plan in plans:
        content_type = schema.types[plan.type_key]
        rng = sheet_rng(seed, plan.type_key, plan.number, "text")
        writer = Writer(rng, plan.type_key, topics[plan.id], model)
        header = front_matter(plan, schema, rng, writer, sessions)
        links = []
        for target_id in plan.related:
            target = by_id[target_id]
            target_folder = schema.types[target.type_key].folder
            path = f"{target.slug}.md" if target_folder == content_type.folder else f"../{target_folder}/{target.slug}.md"
            links.append(f"[{target.title}]({path})")
        length = words_per_sheet or sheet_length(model, topics[plan.id], sheet_rng(seed, plan.type_key, plan.number, "length"))
        budget = length // len(content_type.sections)
        sections = [
            f"## {section}\n\n{section_body(writer, index, section, budget, links)}"
            for index, section in enumerate(content_type.sections)
        ]
        if table_in_every_sheet and not any("\n| --- |" in section for section in sections):
            where = min(1, len(sections) - 1)
            heading, _, body = sections[where].partition("\n\n")
            sections[where] = f"{heading}\n\n{writer.table(where)}\n\n{body}"
        text = header + "\n" + "\n\n".join(sections) + "\n"
        (out / content_type.folder / f"{plan.slug}.md").write_bytes(text.encode("utf-8"))
        counts[content_type.folder] += 1

    (out / REGISTER).write_text(register_text(sessions), encoding="utf-8")
    if pages is not None:
        if (out / "pages").exists():
            shutil.rmtree(out / "pages")
        shutil.copytree(pages, out / "pages", ignore=shutil.ignore_patterns("__pycache__"))
    if buildable:
        copy_machinery(out)
    return counts


REGISTER = "validations.yml"  # content too: the sessions that validated sheets


def register_text(sessions: set[date]) -> str:
    """validations.yml recording every session a generated sheet names."""
    lines = ["# Registre du corpus de mesure : les séances des fiches validées.", "seances:" if sessions else "seances: []"]
    for day in sorted(sessions):
        lines += [f"  - date: {day.isoformat()}", f"    instance: {yaml_text(VALIDATING_BODY)}", "    reference: Séance fictive du corpus de mesure"]
    return "\n".join(lines) + "\n"


def copy_content(content: Path, destination: Path) -> None:
    """The content of a generated corpus (sheets, pages, register) into a site folder."""
    for name in (*CONTENT_FOLDERS, "pages"):
        shutil.copytree(content / name, destination / name)
    if (content / REGISTER).is_file():
        shutil.copy2(content / REGISTER, destination / REGISTER)


def copy_machinery(destination: Path, root: Path = REPO) -> None:
    """What a site needs besides its content, from the repository at `root` (like tests/helpers.py:copy_site)."""
    for name in SITE_MACHINERY:
        source, target = root / name, destination / name
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    # The home page's situations name sheets of the real base, not of a generated corpus;
    # the printed-length limit is for sheets people wrote: generated ones are random
    # lengths (± 15 % around real ones), and a PDF benchmark must not stop on one.
    target = destination / "referentiel.yml"
    text = without_situations(target.read_text(encoding="utf-8"))
    target.write_text(re.sub(r"(?m)^ +pages_a4_max: .*\n", "", text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic corpus of valid sheets for benchmarks.")
    parser.add_argument("--sheets", type=int, required=True, help="number of sheets (80 %% fiches, 20 %% pratiques)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write fiches/, pratiques-inspirantes/, pages/ into")
    parser.add_argument("--buildable", action="store_true", help="also copy mkdocs.yml, referentiel.yml, hooks/, overrides/")
    parser.add_argument("--stats", action="store_true", help="print word counts, compared with the real sheets")
    parser.add_argument(
        "--words-per-sheet", type=int, metavar="N",
        help="give every sheet about N words (default: the length of the real sheet it imitates)",
    )
    parser.add_argument("--table-in-every-sheet", action="store_true", help="give every sheet a table (at least one)")
    args = parser.parse_args(argv)
    if args.sheets < 1:
        parser.error("--sheets must be at least 1")
    if args.words_per_sheet is not None and args.words_per_sheet < 50:
        parser.error("--words-per-sheet must be at least 50")
    counts = generate_corpus(
        args.out, args.sheets, args.seed, buildable=args.buildable, words_per_sheet=args.words_per_sheet,
        table_in_every_sheet=args.table_in_every_sheet,
    )
    print(", ".join(f"{folder}/: {count}" for folder, count in counts.items()) + f" -> {args.out}")
    if args.stats:
        print_figures(corpus_figures(args.out))
    return 0


def print_figures(figures: dict) -> None:
    """The corpus's word statistics next to those of the real sheets (frozen in the text model)."""
    real = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["figures"]
    for label, f in (("real sheets", real), ("this corpus", figures)):
        print(
            f"{label}: {f['sheets']:,} sheets, {f['words']:,} words ({f['words'] / max(f['sheets'], 1):,.0f} per sheet), "
            f"{f['distinct_words']:,} distinct words = {f['distinct_words'] / max(f['words'], 1) ** 0.5:.1f} x sqrt(words)"
        )
    print("per 1,000 words, real -> this corpus:")
    for word in TRACKED_WORDS:
        print(f"  {word}: {real['per_1000_words'].get(word, 0):.2f} -> {figures['per_1000_words'][word]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
