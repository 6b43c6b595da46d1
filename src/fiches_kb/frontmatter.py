"""Read a Markdown file and split it into YAML front matter and body.

MkDocs silently renders broken front matter as page text, so this reader is
stricter: it reports encoding problems, missing or unclosed blocks, YAML
syntax errors, tabs, duplicated keys and YAML anchors, each with its line,
and it records the line of every key so later checks can point at it.
It refuses, unread, symbolic links, special files and files over the size
limit, and, anywhere in a file, invisible characters (INVISIBLE_CHARACTER).
Benign variations are accepted: UTF-8 BOM, CRLF line endings, decomposed
accents (normalised to NFC).
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

FENCE = re.compile(r"^---[ \t]*$")
# Characters refused anywhere in a file (header, text, code blocks): what
# cannot be seen, or makes the text shown differ from the text written.
# - C0 and C1 control characters, except tab and newline;
# - line and paragraph separators (U+2028, U+2029): YAML counts them as line
#   breaks, an editor usually shows nothing;
# - every format character (Unicode category Cf) but the soft hyphen U+00AD
#   (an ordinary typographic hyphenation hint): zero-width spaces and joiners
#   (U+200B-U+200D, U+2060, U+FEFF after the file's first character), the
#   bidirectional marks, embeddings, overrides and isolates (BIDI_CONTROLS),
#   invisible operators (U+2061-U+2064), deprecated formats (U+206A-U+206F),
#   interlinear annotations (U+FFF9-U+FFFB), tags (U+E0001, U+E0020-U+E007F)
#   and the rare format characters of other scripts;
# - the noncharacters U+FFFE and U+FFFF.
# The no-break spaces of French typography (U+00A0, U+202F) are ordinary
# spaces (category Zs) and stay allowed; so does the zero-width joiner
# inside an emoji sequence (see _joins_emoji).
# tests/test_content_files.py checks this list against Python's Unicode data.
INVISIBLE_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
# Characters that change the order in which text is displayed (Unicode
# property Bidi_Control): a line can show something else than what it says.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH_JOINER = "\u200d"
# A sheet file larger than this is refused unread, unless referentiel.yml
# says otherwise (securite.taille_maximale_fichier_ko).
DEFAULT_MAX_FILE_KB = 1024
CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")

KeyPath = tuple[str | int, ...]


@dataclass
class SourceFile:
    """A content file whose front matter parsed into a mapping."""

    path: Path
    rel_path: str
    data: dict[str, Any]
    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number of the first body line in the file
    links: Any = None  # links.SheetLinks, once `fiches check` has rendered the body

    def line_of(self, key_path: KeyPath) -> int:
        """Line of the key, or of its closest parent, or of the opening fence."""
        while key_path:
            if key_path in self.key_lines:
                return self.key_lines[key_path]
            key_path = key_path[:-1]
        return 1


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text so the validator can explain bad ones."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser, much faster (BENCHMARKS.md, « Figures behind choices in the code »).

        Used only for headers it reads as a mapping without any problem;
        anything else is read again by StrictLoader, whose error messages
        the French hints expect. Both give the same result on every header
        StrictLoader accepts (tests/test_benchmarks_fast_paths.py). libyaml
        also accepts a few oddities StrictLoader calls syntax errors (e.g.
        "|#"); MkDocs reads page metadata with libyaml too, so such a page
        renders as its header says.
        """

    _FastLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers
    # libyaml's composer recurses in C: about 30,000 nested levels overflow the
    # stack and kill the process. Nesting needs one of "[{-:?" per level, so a
    # header with few of them is safe; a real one has fewer than a hundred.
    _FAST_MAX_NESTING = 2000
    # Where the two parsers are known to differ on input both accept: tabs,
    # and tags ("key: !" is None for one, "" for the other). Rare in headers.
    _FAST_UNSAFE = frozenset("\t!")
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


def decode_text(raw: bytes, rel_path: str) -> tuple[str | None, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        return None, [
            Problem(
                rel_path,
                line,
                f"le fichier n'est pas encodé en UTF-8 (octet 0x{byte:02X} illisible).",
                expected="un fichier enregistré en UTF-8",
                suggestion=(
                    "ouvrez le fichier dans votre éditeur et enregistrez-le avec "
                    "l'encodage « UTF-8 » (il est sans doute en Windows-1252 ou ISO-8859-1)"
                ),
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), []


# (path, rel_path) -> (bytes read, result); None: no memory (one-shot commands).
_parsed: dict[tuple[Path, str], tuple[bytes, SourceFile | None, tuple[Problem, ...]]] | None = None


def keep_parsed_files(enabled: bool = True) -> None:
    """Remember each file's result between reads, for long-running processes
    (`mkdocs serve` rebuilds): a file read again with the same bytes is not
    parsed again. Results are shared: callers never modify a SourceFile."""
    global _parsed
    _parsed = {} if enabled else None


def keeps_parsed_files() -> bool:
    return _parsed is not None


def read_source(path: Path, rel_path: str, max_bytes: int | None = None) -> tuple[SourceFile | None, list[Problem]]:
    """The file parsed, or the problems that prevent it.

    A symbolic link, anything but a regular file, or a file of more than
    `max_bytes` (default: DEFAULT_MAX_FILE_KB) is refused without being
    read: the message names the file but never shows what it holds or
    points to (it may be outside the repository, and messages are printed
    in public CI logs).
    """
    raw, problems = read_content_bytes(path, rel_path, DEFAULT_MAX_FILE_KB * 1024 if max_bytes is None else max_bytes)
    if raw is None:
        return None, problems
    if _parsed is not None:
        known = _parsed.get((path, rel_path))
        if known is not None and known[0] == raw:
            return known[1], list(known[2])
    text, problems = decode_text(raw, rel_path)
    source = None
    if text is not None:
        source, problems = parse_text(text, path, rel_path)
    if _parsed is not None:
        _parsed[(path, rel_path)] = (raw, source, tuple(problems))
    return source, problems


def read_data_file(path: Path, rel_path: str) -> tuple[SourceFile | None, list[Problem]]:
    """A YAML data file (a training module, the old addresses), read as a
    sheet's header is: the same refusals, the line of every key, French
    messages. An empty file is an empty mapping."""
    raw, problems = read_content_bytes(path, rel_path, DEFAULT_MAX_FILE_KB * 1024)
    if raw is None:
        return None, problems
    text, problems = decode_text(raw, rel_path)
    if text is None:
        return None, problems
    invisible = _first_invisible_character(text)
    if invisible is not None:
        return None, [_invisible_character_problem(text, invisible, rel_path)]
    try:
        data, key_lines, problems = _load_yaml(text, rel_path, first_line=1)
    except RecursionError:
        return None, [Problem(rel_path, 1, "le fichier est trop profondément imbriqué pour être lu.")]
    if problems:
        # The messages speak of a sheet's header; here the whole file is YAML.
        return None, [
            dataclasses.replace(p, message=p.message.replace("l'en-tête", "le fichier").replace("en-tête YAML", "fichier YAML"))
            for p in problems
        ]
    if data is None:
        return SourceFile(path, rel_path, {}, key_lines), []
    if not isinstance(data, dict):
        return None, [
            Problem(
                rel_path,
                1,
                "le fichier n'est pas une liste de champs « clé: valeur ».",
                expected="une ligne par champ, par exemple « titre: Mon titre »",
                found=_describe_yaml(data),
            )
        ]
    return SourceFile(path, rel_path, data, key_lines), []


def read_content_bytes(path: Path, rel_path: str, max_bytes: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file of at most max_bytes, or (None, the problem).

    The link itself is examined (lstat), never its target; the file is then
    opened without following a link (O_NOFOLLOW) and read up to max_bytes + 1
    bytes, so that a file replaced or grown in between is refused too.
    """
    try:
        status = os.lstat(path)
    except OSError as error:
        return None, [Problem(rel_path, None, f"impossible de lire le fichier ({error.strerror}).")]
    if stat.S_ISLNK(status.st_mode):
        return None, [_symbolic_link_problem(rel_path)]
    if not stat.S_ISREG(status.st_mode):
        return None, [_not_a_file_problem(rel_path)]
    if status.st_size > max_bytes:
        return None, [_too_large_problem(rel_path, status.st_size, max_bytes)]
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with open(os.open(path, flags), "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None, [_not_a_file_problem(rel_path)]
            raw = file.read(max_bytes + 1)
    except OSError as error:
        if error.errno == errno.ELOOP:  # became a link after lstat
            return None, [_symbolic_link_problem(rel_path)]
        return None, [Problem(rel_path, None, f"impossible de lire le fichier ({error.strerror}).")]
    if len(raw) > max_bytes:  # grew after lstat
        return None, [_too_large_problem(rel_path, max(len(raw), status.st_size), max_bytes)]
    return raw, []


def _symbolic_link_problem(rel_path: str) -> Problem:
    folder = rel_path.split("/", 1)[0]
    return Problem(
        rel_path,
        None,
        "lien symbolique (raccourci vers un autre emplacement) refusé : il n'a pas été suivi.",
        expected="un vrai fichier ou un vrai dossier, enregistré dans le dépôt",
        suggestion=f"supprimez ce lien et placez les fiches elles-mêmes directement dans « {folder}/ »",
    )


def _not_a_file_problem(rel_path: str) -> Problem:
    folder = rel_path.split("/", 1)[0]
    return Problem(
        rel_path,
        None,
        "ce n'est pas un fichier ordinaire : il n'a pas été lu.",
        expected="un fichier texte enregistré dans le dépôt",
        suggestion=f"retirez-le du dossier « {folder}/ »",
    )


def _too_large_problem(rel_path: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        rel_path,
        None,
        "fichier trop volumineux : il n'a pas été lu.",
        expected=(
            f"au plus {_thousands(-(-max_bytes // 1024))} Ko (limite « securite.taille_maximale_fichier_ko » "
            "du fichier referentiel.yml)"
        ),
        found=f"{_thousands(-(-size // 1024))} Ko ({_thousands(size)} octets)",
        suggestion=(
            "une fiche tient en une ou deux pages : découpez-la en plusieurs fiches reliées par le champ "
            "« liees », et ne collez dans le texte ni image ni document (citez-les dans « sources » avec leur lien)"
        ),
    )


def _thousands(number: int) -> str:
    """1048576 -> « 1 048 576 », digits grouped by three with no-break spaces."""
    return f"{number:,}".replace(",", "\u00a0")


def parse_text(text: str, path: Path, rel_path: str) -> tuple[SourceFile | None, list[Problem]]:
    if not text.strip():
        return None, [
            Problem(
                rel_path,
                1,
                "le fichier est vide.",
                expected="un en-tête entre deux lignes « --- », puis le texte de la fiche",
                suggestion="partez du modèle fiches/MODELE.md ou lancez « fiches nouvelle »",
            )
        ]
    invisible = _first_invisible_character(text)
    if invisible is not None:
        return None, [_invisible_character_problem(text, invisible, rel_path)]
    lines = text.split("\n")
    if not FENCE.match(lines[0]):
        return None, [
            Problem(
                rel_path,
                1,
                "le fichier ne commence pas par un en-tête.",
                expected="une première ligne « --- », les champs, puis une ligne « --- »",
                found=_quote(lines[0]),
                suggestion="ajoutez l'en-tête du modèle fiches/MODELE.md en haut du fichier",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if CLOSING_FENCE.match(lines[i])), None)
    if closing is None:
        return None, [
            Problem(
                rel_path,
                1,
                "l'en-tête ouvert à la ligne 1 n'est jamais fermé.",
                expected="une ligne « --- » seule après le dernier champ",
                suggestion="ajoutez une ligne « --- » entre l'en-tête et le texte",
            )
        ]
    header_lines = lines[1:closing]
    problems = [
        Problem(
            rel_path,
            number,
            "tabulation dans l'indentation de l'en-tête.",
            expected="des espaces pour indenter (YAML refuse les tabulations)",
            suggestion="remplacez chaque tabulation par deux espaces",
        )
        for number, line in enumerate(header_lines, start=2)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    if problems:
        return None, problems
    header = "\n".join(header_lines) + "\n"
    try:
        data, key_lines, problems = _load_yaml(header, rel_path, first_line=2)
    except RecursionError:
        return None, [Problem(rel_path, 1, "l'en-tête est trop profondément imbriqué pour être lu.")]
    if problems:
        return None, problems
    if data is None:
        return None, [
            Problem(
                rel_path,
                1,
                "l'en-tête est vide.",
                expected="des champs « clé: valeur » entre les deux lignes « --- »",
                suggestion="copiez l'en-tête du modèle fiches/MODELE.md",
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Problem(
                rel_path,
                2,
                "l'en-tête n'est pas une liste de champs « clé: valeur ».",
                expected="une ligne par champ, par exemple « titre: Mon titre »",
                found=_describe_yaml(data),
            )
        ]
    body_line = closing + 2
    body = "\n".join(lines[closing + 1 :])
    return SourceFile(path, rel_path, data, key_lines, body, body_line), []


def _first_invisible_character(text: str) -> int | None:
    """Where the first refused invisible character of text is, or None."""
    for match in INVISIBLE_CHARACTER.finditer(text):
        if not _joins_emoji(text, match.start()):
            return match.start()
    return None


def _joins_emoji(text: str, index: int) -> bool:
    """A zero-width joiner between two emoji (👩‍⚕️ is 👩, U+200D, ⚕ and U+FE0F): part of the emoji."""
    if text[index] != ZERO_WIDTH_JOINER or index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    return (before == "\ufe0f" or unicodedata.category(before) in ("So", "Sk")) and unicodedata.category(after) == "So"


def _invisible_character_problem(text: str, index: int, rel_path: str) -> Problem:
    character = text[index]
    line = text.count("\n", 0, index) + 1
    if character in BIDI_CONTROLS:
        return Problem(
            rel_path,
            line,
            f"caractère invisible interdit (U+{ord(character):04X}, qui change le sens d'affichage du texte).",
            expected="du texte sans caractère de contrôle",
            suggestion=(
                "supprimez ce caractère : il peut faire afficher la ligne dans un autre ordre que celui "
                "où elle est écrite (souvent collé depuis une page web, un traitement de texte ou un PDF)"
            ),
        )
    return Problem(
        rel_path,
        line,
        f"caractère invisible interdit (U+{ord(character):04X}).",
        expected="du texte sans caractère de contrôle",
        suggestion="supprimez ce caractère (souvent collé depuis un traitement de texte ou un PDF)",
    )


def _load_yaml(text: str, rel_path: str, first_line: int) -> tuple[Any, dict[KeyPath, int], list[Problem]]:
    if _FastLoader is not None and _FAST_UNSAFE.isdisjoint(text) and sum(map(text.count, "[{-:?")) <= _FAST_MAX_NESTING:
        loaded = _load_yaml_fast(text, rel_path, first_line)
        if loaded is not None:
            return loaded
    return _load_yaml_strict(text, rel_path, first_line)


def _load_yaml_fast(text: str, rel_path: str, first_line: int) -> tuple[Any, dict[KeyPath, int], list[Problem]] | None:
    """The header read by libyaml when it is a mapping without any problem, else None
    (then StrictLoader reads it again and explains what is wrong)."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return None
        key_lines: dict[KeyPath, int] = {}
        try:
            data = _read_plain(node, (), key_lines, first_line, set(), loader)
        except _NotPlain:
            key_lines, problems = {}, []
            _walk(node, (), key_lines, problems, rel_path, first_line, set())
            if problems:
                return None
            data = loader.construct_document(node)
        return (data, key_lines, []) if isinstance(data, dict) else None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_PLAIN_SCALARS = frozenset({"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _NotPlain(Exception):
    """The node holds something _read_plain leaves to _walk and PyYAML's constructor."""


def _read_plain(node, path: KeyPath, key_lines, first_line: int, seen: set[int], loader) -> Any:
    """What _walk records and loader.construct_document(node) gives, in one
    pass, for the usual header: text keys, each once, no alias, and text,
    numbers, booleans, nulls, lists and mappings as values.

    PyYAML's constructor is pure Python and makes several calls per node;
    this makes one. Anything else (aliases, a key written twice, merge keys
    « << », keys that are not text, other tags) raises _NotPlain: the caller
    then walks the node with _walk and asks PyYAML.
    """
    if id(node) in seen:
        raise _NotPlain  # an alias
    seen.add(id(node))
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            return loader.construct_object(node)
    elif kind is yaml.MappingNode and tag == _MAP:
        data = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR or key_node.value in data:
                raise _NotPlain
            key_path = (*path, key_node.value)
            key_lines[key_path] = key_node.start_mark.line + first_line
            data[key_node.value] = _read_plain(value_node, key_path, key_lines, first_line, seen, loader)
        return data
    elif kind is yaml.SequenceNode and tag == _SEQ:
        items = []
        for index, item in enumerate(node.value):
            key_path = (*path, index)
            key_lines[key_path] = item.start_mark.line + first_line
            items.append(_read_plain(item, key_path, key_lines, first_line, seen, loader))
        return items
    raise _NotPlain


def _load_yaml_strict(text: str, rel_path: str, first_line: int) -> tuple[Any, dict[KeyPath, int], list[Problem]]:
    try:
        loader = StrictLoader(text)
    except yaml.YAMLError as error:
        return None, {}, [Problem(rel_path, first_line, f"en-tête YAML illisible ({error}).")]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        key_lines: dict[KeyPath, int] = {}
        problems: list[Problem] = []
        _walk(node, (), key_lines, problems, rel_path, first_line, set())
        if problems:
            return None, key_lines, problems
        return loader.construct_document(node), key_lines, []
    except yaml.MarkedYAMLError as error:
        return None, {}, [_syntax_problem(error, rel_path, first_line)]
    except yaml.YAMLError as error:
        return None, {}, [Problem(rel_path, first_line, f"en-tête YAML illisible ({error}).")]
    finally:
        loader.dispose()


def _walk(node, path: KeyPath, key_lines, problems, rel_path, first_line, seen: set[int]) -> None:
    if id(node) in seen:
        problems.append(
            Problem(
                rel_path,
                node.start_mark.line + first_line,
                "les ancres et alias YAML (« & » et « * ») ne sont pas acceptés.",
                suggestion="écrivez la valeur en entier à chaque endroit",
            )
        )
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            line = key_node.start_mark.line + first_line
            if key in first_seen:
                problems.append(
                    Problem(
                        rel_path,
                        line,
                        f"la clé apparaît deux fois (déjà ligne {first_seen[key]}).",
                        field=".".join(str(p) for p in (*path, key)),
                        suggestion="gardez une seule de ces lignes",
                    )
                )
                continue
            first_seen[key] = line
            key_lines[(*path, key)] = line
            _walk(value_node, (*path, key), key_lines, problems, rel_path, first_line, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_lines[(*path, index)] = item.start_mark.line + first_line
            _walk(item, (*path, index), key_lines, problems, rel_path, first_line, seen)


# PyYAML's messages, as they read to someone who is not a developer.
_SYNTAX_HINTS = [
    (
        "mapping values are not allowed",
        "un « : » est mal placé (souvent un deux-points dans une valeur).",
        'mettez la valeur entre guillemets, par exemple titre: "Secret : ce qu\'il faut savoir"',
    ),
    (
        "could not find expected ':'",
        "une ligne n'a pas la forme « clé: valeur ».",
        "ajoutez « : » après le nom du champ, ou rattachez la ligne à la précédente",
    ),
    (
        "found character that cannot start any token",
        "une valeur commence par un caractère réservé (@, `, %, | ou >).",
        "mettez la valeur entre guillemets",
    ),
    (
        "found unexpected end of stream",
        "des guillemets ouverts ne sont jamais fermés.",
        "fermez les guillemets à la fin de la valeur",
    ),
    (
        "expected <block end>",
        "l'indentation est incohérente.",
        "alignez les champs d'un même niveau sur le même nombre d'espaces",
    ),
    (
        "did not find expected key",
        "l'indentation ou une liste est mal formée.",
        "vérifiez que chaque élément de liste commence par « - » au même retrait",
    ),
    (
        "did not find expected ',' or ']'",
        "une liste entre crochets n'est pas fermée correctement.",
        "séparez les éléments par des virgules et fermez avec « ] »",
    ),
    (
        "found undefined alias",
        "un alias YAML (« * ») n'est pas accepté.",
        "écrivez la valeur en entier",
    ),
]


# A value in quotes that a quote of the same kind closes too early, with text
# after it: « titre: 'Utiliser la visio : l'essentiel' » (an apostrophe is
# common in French), « titre: "Le "bon" usage" ».
_CLOSED_TOO_EARLY = re.compile(r"""^\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+(['"])[^'"]*\1[^\s,\]}#]""")


def _source_line(mark) -> str:
    buffer = getattr(mark, "buffer", None) if mark else None
    lines = buffer.split("\n") if isinstance(buffer, str) else []
    return lines[mark.line] if mark and mark.line < len(lines) else ""


def _syntax_problem(error: yaml.MarkedYAMLError, rel_path: str, first_line: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + first_line if mark else first_line
    raw = f"{error.context or ''} {error.problem or ''}".strip()
    closed = _CLOSED_TOO_EARLY.match(_source_line(error.problem_mark))
    if closed:
        quote_mark = closed[1]
        if quote_mark == "'":
            message = "une apostrophe ferme trop tôt la valeur écrite entre apostrophes (guillemets simples)."
            suggestion = "entourez la valeur de guillemets doubles (\"…l'essentiel\"), ou doublez chaque apostrophe intérieure (l''essentiel)"
        else:
            message = "des guillemets à l'intérieur ferment trop tôt la valeur écrite entre guillemets."
            suggestion = "utilisez les guillemets français « » à l'intérieur de la valeur, ou entourez-la d'apostrophes"
        return Problem(
            rel_path,
            line,
            f"erreur de syntaxe dans l'en-tête : {message}",
            suggestion=suggestion,
            found=f"{_quote(_source_line(error.problem_mark).strip())} (détail technique, message YAML : {raw})",
        )
    for needle, message, suggestion in _SYNTAX_HINTS:
        if needle in raw:
            return Problem(
                rel_path,
                line,
                f"erreur de syntaxe dans l'en-tête : {message}",
                suggestion=suggestion,
                found=f"message technique YAML : {raw}",
            )
    return Problem(
        rel_path,
        line,
        "erreur de syntaxe dans l'en-tête.",
        found=f"message technique YAML : {raw}",
        suggestion="comparez cette ligne avec le modèle fiches/MODELE.md",
    )


def _describe_yaml(value: Any) -> str:
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, str):
        return f"le texte {_quote(value)}"
    return _quote(str(value))


def _quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"« {text} »"
