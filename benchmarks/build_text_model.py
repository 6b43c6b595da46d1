"""Rebuild benchmarks/data/text_model.json, the frozen text model of generate_corpus.py.

    .venv/bin/python benchmarks/build_text_model.py            # rewrite the file
    .venv/bin/python benchmarks/build_text_model.py --check    # exit 1 if the sheets changed since

The synthetic corpus must not change whenever someone edits a real sheet, so
generate_corpus.py never reads fiches/ or pratiques-inspirantes/: it reads
the file written here, which is committed. Rebuild it on purpose (then the
benchmark corpus changes, and figures measured on the old one no longer
compare), for instance after many new sheets have been written.

What goes into it, from the BODY of every real sheet (no front matter):
- plain sentences, tokenized: Markdown marks, link addresses (the link text
  is kept), bare URLs, domain names, e-mail-like and phone-like tokens,
  quotes and brackets are removed; numbers are kept only as single tokens of
  at most four digits, never next to another number; elided articles (« l' », « d' »,
  « qu' »...) are tokens of their own. Each sentence carries its document,
  the index of its section in referentiel.yml and whether it opens a list
  item;
- the rare words: every word that occurs once in the whole text (a hapax) is
  replaced in the sentences by the class marker <rare> (or <nom> when it is
  capitalized inside a sentence), and listed in `rare_words` / `rare_names`
  (shuffled with a fixed seed): the generator draws such words from a
  Zipf-distributed lexicon that starts with these real words and goes on
  with pseudo-French words, so that the vocabulary grows with the corpus.

The word counts of the real sheets are also stored (`figures`), for the
record; the tests recompute them from the sheets themselves.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import (  # noqa: E402
    ELISIONS,
    MODEL_PATH,
    NAME,
    RARE,
    REPO,
    corpus_figures,
    published_statuses,
    sheet_bodies,
)

from fiches_kb.schema import load_schema  # noqa: E402
from fiches_kb.text import fold  # noqa: E402

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<[^<>\s]*>")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
EMAIL_LIKE = re.compile(r"\S*@\S*")
DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:fr|org|com|net|eu|gouv|io|info)\b\S*", re.IGNORECASE)
# Everything that is not a letter, a digit, an apostrophe, a hyphen, % or ° or
# the punctuation kept as tokens becomes a space (quotes, brackets, Markdown marks).
DROPPED_CHARACTERS = re.compile(r"[^\w'’\-%°,.;:?!\s]|_")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-ZÀ-ÖØ-Þ0-9])")
TOKEN = re.compile(r"[^\W_][\w'\-%°]*|[,.;:?!%]")
NUMBER = re.compile(r"\d{1,4}")
LETTER = re.compile(r"[^\W\d_]")


def sentences_of(body: str) -> list[tuple[int | None, bool, str]]:
    """(section title or None, opens a list item, cleaned text) for each body sentence."""
    result = []
    section: str | None = None
    in_fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        heading = HEADING.match(line)
        if heading:
            section = heading[2] if len(heading[1]) == 2 else section
            continue
        stripped = line.strip()
        if in_fence or not stripped or stripped.startswith(("|", "<")):
            continue
        item = bool(LIST_ITEM.match(stripped))
        text = LIST_ITEM.sub("", stripped).lstrip("> ")
        text = IMAGE_OR_LINK.sub(r"\1", text)
        text = AUTOLINK.sub(" ", text)
        text = URL.sub(" ", text)
        text = DOMAIN.sub(" ", text)
        text = EMAIL_LIKE.sub(" ", text)
        text = DROPPED_CHARACTERS.sub(" ", text.replace("’", "'"))
        for index, sentence in enumerate(SENTENCE_END.split(text)):
            if sentence.strip():
                result.append((section, item and index == 0, sentence.strip()))
    return result


def tokenize(sentence: str) -> list[str]:
    """Tokens of one cleaned sentence (see the module docstring)."""
    raws = [raw.rstrip("-") for raw in TOKEN.findall(sentence)]
    numeric = [any(c.isdigit() for c in raw) for raw in raws]
    tokens: list[str] = []
    for index, raw in enumerate(raws):
        if numeric[index]:
            # A number: at most four digits, alone (« 01 23 45 67 89 » goes as a whole).
            alone = not (index > 0 and numeric[index - 1]) and not (index + 1 < len(raws) and numeric[index + 1])
            if alone and NUMBER.fullmatch(raw):
                tokens.append(raw)
            continue
        if raw.endswith("'"):  # « d'« aller vers » » once the quotes are gone
            raw = raw if raw[:-1].lower() in ELISIONS else raw.rstrip("'")
            if raw.endswith("'"):
                tokens.append(raw)
                continue
        if not raw:
            continue
        head, apostrophe, tail = raw.partition("'")
        if apostrophe and head.lower() in ELISIONS and tail:
            tokens += [head + "'", tail]
        else:
            tokens.append(raw)
    # Drop punctuation that starts a sentence or doubles another.
    cleaned: list[str] = []
    for token in tokens:
        if not LETTER.search(token) and not token[:1].isdigit():
            if not cleaned or not (LETTER.search(cleaned[-1]) or cleaned[-1][:1].isdigit()):
                continue
        cleaned.append(token)
    while cleaned and cleaned[-1] in ",;:":
        cleaned.pop()  # trailing « , », « : » or « ; »
    if cleaned and cleaned[-1] not in ".?!":
        cleaned.append(".")
    return cleaned


def build_model(root: Path) -> dict:
    schema = load_schema(root)
    documents = []
    for type_key, content_type in schema.types.items():
        sections = [fold(s) for s in content_type.sections]
        for sheet_id, body in sheet_bodies(root, content_type.folder, published_statuses(schema)):
            sentences = []
            for section, item, text in sentences_of(body):
                tokens = tokenize(text)
                if len([t for t in tokens if LETTER.search(t)]) < 2:
                    continue
                index = sections.index(fold(section)) if section and fold(section) in sections else -1
                sentences.append([index, "i" if item else "p", tokens])
            documents.append({"id": sheet_id, "type": type_key, "sentences": sentences})

    # Hapaxes (case-insensitive) become class markers.
    counts = Counter(t.lower() for d in documents for s in d["sentences"] for t in s[2] if LETTER.search(t))
    rare_words: set[str] = set()
    rare_names: set[str] = set()
    for document in documents:
        for sentence in document["sentences"]:
            tokens = sentence[2]
            for position, token in enumerate(tokens):
                if counts[token.lower()] != 1 or not LETTER.search(token) or token.endswith("'"):
                    continue
                if position > 0 and token[:1].isupper():
                    rare_names.add(token)
                    tokens[position] = NAME
                else:
                    rare_words.add(token if token.isupper() else token.lower())
                    tokens[position] = RARE
    shuffled = []
    for name, words_set in (("rare_words", rare_words), ("rare_names", rare_names)):
        ordered = sorted(words_set)
        random.Random(f"text-model:{name}").shuffle(ordered)
        shuffled.append(ordered)

    return {
        "about": (
            "Text model of benchmarks/generate_corpus.py, from the bodies of the real sheets. "
            "Rebuild: .venv/bin/python benchmarks/build_text_model.py (see its docstring)."
        ),
        "figures": corpus_figures(root, published_statuses(schema)),
        "rare_words": shuffled[0],
        "rare_names": shuffled[1],
        "documents": [
            {"id": d["id"], "type": d["type"], "sentences": [[s[0], s[1], " ".join(s[2])] for s in d["sentences"]]}
            for d in documents
        ],
    }


def dump(model: dict) -> str:
    """JSON with one sentence per line, so that a rebuild reads well in a diff."""
    out = ["{"]
    for key in ("about", "figures", "rare_words", "rare_names"):
        out.append(f"  {json.dumps(key)}: {json.dumps(model[key], ensure_ascii=False)},")
    out.append('  "documents": [')
    for d_index, document in enumerate(model["documents"]):
        out.append(f'    {{"id": {json.dumps(document["id"])}, "type": {json.dumps(document["type"])}, "sentences": [')
        lines = [f"      {json.dumps(s, ensure_ascii=False)}" for s in document["sentences"]]
        out.append(",\n".join(lines))
        out.append("    ]}" + ("," if d_index < len(model["documents"]) - 1 else ""))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild the frozen text model of generate_corpus.py from the real sheets.")
    parser.add_argument("--root", type=Path, default=REPO, help="repository whose sheets are read (default: this one)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"file to write (default: {MODEL_PATH.relative_to(REPO)})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file differs from a rebuild")
    args = parser.parse_args(argv)
    text = dump(build_model(args.root))
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} no longer matches the sheets (rebuild it to take them into account)")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    model = json.loads(text)
    sentences = sum(len(d["sentences"]) for d in model["documents"])
    print(
        f"{args.out}: {len(model['documents'])} documents, {sentences} sentences, "
        f"{len(model['rare_words'])} rare words, {len(model['rare_names'])} rare names, {len(text.encode())} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
