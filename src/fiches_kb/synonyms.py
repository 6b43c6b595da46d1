"""Search synonyms: the « synonymes » section of referentiel.yml.

Each group lists terms that mean the same thing for a reader (« courriel,
e-mail, mail, messagerie »). The search page expands a query with the other
terms of a group (pages/assets/recherche.js reads the groups from the search
form), and the index gives each sheet the other terms of the groups it uses
(`other_terms`, as Pagefind metadata: fiches_kb.search.synonym_annotation);
docs-dev/search.md, « Synonyms and honest results ». `parse_synonyms` reads the section
from YAML nodes so that every problem carries its line. `term_key` is the
one comparison of terms, here and in the search page: case, accents,
apostrophes and French function words do not count, as in the index.

Nothing here imports MkDocs or the rest of fiches_kb but `problems` and `text`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import yaml

from .problems import Problem
from .text import fold, quote

SECTION = "synonymes"
HELP = "pages/contribuer/guide.md#synonymes"
EXAMPLE = "- [courriel, e-mail, mail, messagerie]"
_SEPARATORS = re.compile(r"[\s'\u2019]+")


def term_words(term: str, function_words: frozenset[str]) -> tuple[str, ...]:
    """The words of a term as the search compares them: folded (case and
    accents), split at spaces and apostrophes, without function words
    (« caisse d'allocations familiales » → caisse, allocations, familiales)."""
    words = [word for word in _SEPARATORS.split(fold(term)) if word]
    kept = tuple(word for word in words if word not in function_words)
    return kept or tuple(words)


# Letters a contributor may write with an accent: a term written without
# one still matches, and the reverse (the search page folds accents too).
_ACCENTED = {
    "a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ",
}


def _letters(word: str) -> str:
    return "".join(f"[{re.escape(_ACCENTED[c])}]" if c in _ACCENTED else re.escape(c) for c in word)


@functools.lru_cache(maxsize=8)
def _matchers(groups: tuple[tuple[str, ...], ...], function_words: frozenset[str]) -> tuple:
    """For each term: (group, term, the lower-case ways its first word may be
    written, the pattern of the whole term). Between the words of a term:
    spaces, apostrophes and function words (« caisse d'allocations »); a
    plural (« courriels ») counts, as Pagefind's stemming would have it."""
    between = r"(?:[\s'’]+(?:(?:" + "|".join(sorted(map(re.escape, function_words), key=len, reverse=True)) + r")[\s'’]+)*)"
    matchers = []
    for g, group in enumerate(groups):
        for t, term in enumerate(group):
            words = term_words(term, function_words)
            first = term.split()[0].lower()
            needles = tuple(sorted({first.split("'")[-1].split("’")[-1], words[0]}))
            pattern = re.compile(between.join(_letters(word) for word in words) + r"(?:s|x)?(?![\w-])")
            matchers.append((g, t, needles, pattern))
    return tuple(matchers)


def other_terms(text: str, groups: tuple[tuple[str, ...], ...], function_words: frozenset[str]) -> tuple[str, ...]:
    """The terms of the groups that `text` uses one term of, except the
    terms it uses: what the index adds so that they find it too.

    Fast on long text: each term's first word is looked for with
    `str.find` (as written in the term, or without its accents), and the
    whole term is matched only where it starts."""
    lowered = unicodedata.normalize("NFC", text).lower()
    used: set[tuple[int, int]] = set()
    for g, t, needles, pattern in _matchers(groups, function_words):
        for needle in needles:
            position = lowered.find(needle)
            while position >= 0 and (g, t) not in used:
                before = lowered[position - 1] if position else " "
                if not (before.isalnum() or before in "-_") and pattern.match(lowered, position):
                    used.add((g, t))
                position = lowered.find(needle, position + 1)
    used_groups = sorted({g for g, _ in used})
    return tuple(term for g in used_groups for t, term in enumerate(groups[g]) if (g, t) not in used)


def term_key(term: str) -> str:
    """How two terms are told apart: case, accents and spacing do not count."""
    return " ".join(_SEPARATORS.split(fold(term).strip()))


def parse_synonyms(node, path: str) -> tuple[tuple[tuple[str, ...], ...], list[Problem]]:
    """The groups of the section's YAML node (None: no section) and the
    problems, each with its line: a group that is not a list, an empty
    group or term, a group of one term, a term listed twice."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return (), []
    if not isinstance(node, yaml.SequenceNode):
        return (), [_problem(path, node, "la rubrique doit être une liste de groupes de termes.", expected=EXAMPLE)]
    groups: list[tuple[str, ...]] = []
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, group in enumerate(node.value, start=1):
        where = f"{SECTION}[{index}]"
        if not isinstance(group, yaml.SequenceNode):
            problems.append(_problem(path, group, "chaque groupe est une liste de termes entre crochets.", field=where, expected=EXAMPLE, found=_shown(group)))
            continue
        if not group.value:
            problems.append(_problem(path, group, "groupe vide.", field=where, expected="au moins deux termes qui veulent dire la même chose", suggestion="complétez le groupe ou retirez la ligne"))
            continue
        terms = []
        for term in group.value:
            value = term.value.strip() if isinstance(term, yaml.ScalarNode) and isinstance(term.value, str) else ""
            if not value or not isinstance(term, yaml.ScalarNode):
                problems.append(_problem(path, term, "terme vide.", field=where, expected="un mot ou une expression", suggestion="retirez la virgule en trop ou écrivez le terme"))
                continue
            key = term_key(value)
            line = _line(term)
            if key in first_seen:
                problems.append(_problem(
                    path, term, f"le terme {quote(value)} est déjà listé (ligne {first_seen[key]}).", field=where,
                    expected="chaque terme dans un seul groupe, une seule fois",
                    suggestion="retirez ce doublon, ou réunissez les deux groupes en un seul",
                ))
                continue
            first_seen[key] = line
            terms.append(value)
        if len(group.value) == 1 and terms:
            problems.append(_problem(path, group, f"le groupe ne contient qu'un terme ({quote(terms[0])}).", field=where, expected="au moins deux termes qui veulent dire la même chose", suggestion="ajoutez ses synonymes ou retirez la ligne"))
            continue
        if len(terms) >= 2:
            groups.append(tuple(terms))
    return tuple(groups), problems


def _line(node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _shown(node) -> str:
    return quote(str(node.value)) if isinstance(node, yaml.ScalarNode) else "autre chose qu'une liste"


def _problem(path: str, node, message: str, field: str | None = SECTION, **details) -> Problem:
    return Problem(path, _line(node), f"synonymes de la recherche : {message}", field=field, help=HELP, **details)
