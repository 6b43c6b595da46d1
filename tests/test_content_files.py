"""What is refused before a sheet is even parsed: invisible characters
(bidirectional controls included) anywhere in the file, symbolic links in
the content folders, special files, and files over the size limit of
referentiel.yml. Links and big files are refused unread: no message ever
shows what a link points to (CI logs are public)."""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from fiches_kb import frontmatter
from fiches_kb.cli import main
from fiches_kb.corpus import content_files, load_corpus
from fiches_kb.frontmatter import INVISIBLE_CHARACTER
from fiches_kb.guide import SAFETY_MARKER, render_guide
from fiches_kb.schema import SchemaError, load_schema, parse_schema
from helpers import EXAMPLE_SITE, FIXTURES, REPO, TODAY, copy_site, make_repo, problems_for, run_mkdocs

VALID = (FIXTURES / "valid/fiche-complete.md").read_text(encoding="utf-8")
TITLE = "titre: Une fiche complète et valide pour les tests"  # line 3 of VALID
BODY_LINE = 22  # the first « Texte. » of VALID
SECRET = "SECRET-7f3a9c-ne-doit-jamais-sortir"
ONE_MEGABYTE = 1024 * 1024

SYMBOLIC_LINK = (
    "{path} : erreur : lien symbolique (raccourci vers un autre emplacement) refusé : il n'a pas été suivi.\n"
    "    attendu : un vrai fichier ou un vrai dossier, enregistré dans le dépôt\n"
    "    suggestion : supprimez ce lien et placez les fiches elles-mêmes directement dans « {folder}/ »"
)
TOO_LARGE = (
    "{path} : erreur : fichier trop volumineux : il n'a pas été lu.\n"
    "    attendu : au plus {limit} Ko (limite « securite.taille_maximale_fichier_ko » du fichier referentiel.yml)\n"
    "    trouvé : {size}\n"
    "    suggestion : une fiche tient en une ou deux pages : découpez-la en plusieurs fiches reliées par le champ "
    "« liees », et ne collez dans le texte ni image ni document (citez-les dans « sources » avec leur lien)"
)
INVISIBLE = (
    "fiches/fiche-test.md:{line} : erreur : caractère invisible interdit (U+{code}).\n"
    "    attendu : du texte sans caractère de contrôle\n"
    "    suggestion : supprimez ce caractère (souvent collé depuis un traitement de texte ou un PDF)"
)
BIDI = (
    "fiches/fiche-test.md:{line} : erreur : caractère invisible interdit (U+{code}, qui change le sens d'affichage du texte).\n"
    "    attendu : du texte sans caractère de contrôle\n"
    "    suggestion : supprimez ce caractère : il peut faire afficher la ligne dans un autre ordre que celui "
    "où elle est écrite (souvent collé depuis une page web, un traitement de texte ou un PDF)"
)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "depot").mkdir()
    return make_repo(tmp_path / "depot")


@pytest.fixture
def cli_repo(repo, monkeypatch):
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


@pytest.fixture
def secret_file(tmp_path):
    """A file outside the repository, as /etc/passwd would be: one line of
    « clé: valeur » (a header check would quote it) with a string to look for."""
    secret = tmp_path / "dehors" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}: mot de passe\n", encoding="utf-8")
    return secret


def write_sheet(repo: Path, text: str, name: str = "fiche-test.md") -> Path:
    path = repo / "fiches" / name
    path.write_text(text, encoding="utf-8")
    return path


def check(repo: Path, path: Path) -> list[str]:
    return problems_for(repo, path)


def sheet_of_size(size: int) -> str:
    """VALID, its last section padded with plain text to exactly size bytes."""
    padding = size - len(VALID.encode("utf-8"))
    line = "Du texte ordinaire pour grossir la fiche jusqu'à la limite.\n"
    text = VALID + "\n" + line * ((padding - 2) // len(line.encode("utf-8")))
    text += "x" * (size - len(text.encode("utf-8")) - 1) + "\n"
    assert len(text.encode("utf-8")) == size
    return text


# --- Invisible characters ----------------------------------------------------


def test_bidi_override_in_the_title_is_refused(repo):
    path = write_sheet(repo, VALID.replace(TITLE, TITLE.replace("complète", "\u202ecomplète\u202c")))
    assert check(repo, path) == [BIDI.format(line=3, code="202E")]


def test_bidi_isolate_in_the_body_is_refused(repo):
    lines = VALID.split("\n")
    assert lines[BODY_LINE - 1] == "Texte."
    lines[BODY_LINE - 1] = "Texte \u2067à l'envers\u2069."
    path = write_sheet(repo, "\n".join(lines))
    assert check(repo, path) == [BIDI.format(line=BODY_LINE, code="2067")]


@pytest.mark.parametrize("character", "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
def test_every_bidi_control_is_refused_in_header_and_body(repo, character):
    code = f"{ord(character):04X}"
    path = write_sheet(repo, VALID.replace(TITLE, TITLE + character))
    assert check(repo, path) == [BIDI.format(line=3, code=code)]
    path = write_sheet(repo, VALID.replace("Texte.", "Texte" + character + ".", 1))
    assert check(repo, path) == [BIDI.format(line=BODY_LINE, code=code)]


@pytest.mark.parametrize(
    "character",
    [
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner, outside an emoji
        "\u2060",  # word joiner
        "\u2061",  # invisible function application
        "\u2064",  # invisible plus
        "\ufeff",  # byte order mark inside the text
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
        "\u206a",  # deprecated format character
        "\ufff9",  # interlinear annotation
        "\U000e0041",  # tag « A »: hidden text
        "\x0c",  # form feed, a control character
        "\x85",  # next line, a C1 control character
    ],
)
def test_other_invisible_characters_are_refused(repo, character):
    code = f"{ord(character):04X}"
    path = write_sheet(repo, VALID.replace(TITLE, TITLE.replace("fiche ", "fiche" + character + " ")))
    assert check(repo, path) == [INVISIBLE.format(line=3, code=code)]
    path = write_sheet(repo, VALID.replace("Texte.", "Te" + character + "xte.", 1))
    assert check(repo, path) == [INVISIBLE.format(line=BODY_LINE, code=code)]


def test_invisible_characters_in_a_code_block_are_refused_too(repo):
    path = write_sheet(repo, VALID.replace("Texte.", "```\nif access != \"user\u202e \u2066// admin\u2069 \u2066\":\n```", 1))
    assert check(repo, path) == [BIDI.format(line=BODY_LINE + 1, code="202E")]


def test_no_break_spaces_soft_hyphens_and_emoji_are_still_accepted(repo):
    title = "«\u00a0Une fiche complète\u00a0» et valide\u202f: pour les tests\u00a0!"
    french = VALID.replace(TITLE, f'titre: "{title}"')
    french = french.replace("Texte.", "Quarante\u00a0% des «\u202fper\u00adsonnes\u202f» ; 1\u202f000\u00a0€\u202f? 👩\u200d⚕️ et 🧑🏽\u200d💻.", 1)
    path = write_sheet(repo, french)
    assert check(repo, path) == []
    sheets = load_corpus(repo, load_schema(repo), today=TODAY).sheets
    assert [sheet.title for sheet in sheets if sheet.id == "FP-100"] == [title]


def test_the_list_of_invisible_characters_is_every_format_and_control_character():
    """Every character of Unicode categories Cc (but tab and newline), Cf (but
    the soft hyphen), Zl and Zp is refused; no letter, mark, symbol or space is."""
    characters = [chr(code) for code in range(sys.maxunicode + 1)]
    refused = {c for c in characters if INVISIBLE_CHARACTER.match(c)}
    expected = {c for c in characters if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\t\n\r\u00ad"}
    assert expected - refused == set()
    # Besides: the noncharacters U+FFFE and U+FFFF, and format characters of
    # later Unicode versions than this Python's, all unassigned here.
    assert {unicodedata.category(c) for c in refused - expected} == {"Cn"}
    assert {"\ufffe", "\uffff"} <= refused
    assert not {"\u00a0", "\u202f", "\u2009", "\u00ad", "\ufe0f", "\t", "\n"} & refused


# --- Symbolic links and special files ------------------------------------------


def test_linked_sheet_outside_the_repository_is_refused_unread(repo, secret_file, monkeypatch):
    link = repo / "fiches/lien.md"
    link.symlink_to(secret_file)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *args, **kwargs: opened.append(Path(path)) or real_open(path, *args, **kwargs))
    problems = check(repo, link)
    assert problems == [SYMBOLIC_LINK.format(path="fiches/lien.md", folder="fiches")]
    assert SECRET not in "\n".join(problems)
    assert link not in opened and secret_file not in opened


def test_link_to_a_file_of_the_repository_that_is_not_a_sheet_is_refused(repo):
    link = repo / "pratiques-inspirantes/configuration.md"
    link.symlink_to("../mkdocs.yml")
    problems = check(repo, link)
    assert problems == [SYMBOLIC_LINK.format(path="pratiques-inspirantes/configuration.md", folder="pratiques-inspirantes")]
    assert "site_name" not in "\n".join(problems)


def test_link_with_any_name_is_refused(repo, secret_file):
    (repo / "fiches/illustration.png").symlink_to(secret_file)
    (repo / "fiches/MODELE.md").symlink_to(secret_file)
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    assert [problem.format() for problem in corpus.problems] == [
        SYMBOLIC_LINK.format(path="fiches/MODELE.md", folder="fiches"),
        SYMBOLIC_LINK.format(path="fiches/illustration.png", folder="fiches"),
    ]


def test_linked_folder_is_refused_and_not_entered(repo, tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "fiche.md").write_text(f"{SECRET}\n", encoding="utf-8")
    (repo / "fiches/sous-dossier").mkdir()
    (repo / "fiches/sous-dossier/lien").symlink_to(outside, target_is_directory=True)
    schema = load_schema(repo)
    listed = [path.relative_to(repo).as_posix() for path, _ in content_files(repo, schema)]
    assert "fiches/sous-dossier/lien" in listed
    assert not [path for path in listed if path.startswith("fiches/sous-dossier/lien/")]
    corpus = load_corpus(repo, schema, today=TODAY)
    assert [problem.format() for problem in corpus.problems] == [SYMBOLIC_LINK.format(path="fiches/sous-dossier/lien", folder="fiches")]


def test_content_folder_that_is_a_link_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "pratiques-ailleurs"
    (repo / "pratiques-inspirantes").rename(elsewhere)
    (repo / "pratiques-inspirantes").symlink_to(elsewhere, target_is_directory=True)
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    assert SYMBOLIC_LINK.format(path="pratiques-inspirantes", folder="pratiques-inspirantes") in [p.format() for p in corpus.problems]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_is_refused_without_waiting_for_it(repo):
    pipe = repo / "fiches/tube.md"
    os.mkfifo(pipe)
    assert check(repo, pipe) == [
        "fiches/tube.md : erreur : ce n'est pas un fichier ordinaire : il n'a pas été lu.\n"
        "    attendu : un fichier texte enregistré dans le dépôt\n"
        "    suggestion : retirez-le du dossier « fiches/ »"
    ]


def test_links_are_refused_by_parallel_checks_too(repo, secret_file):
    (repo / "fiches/lien.md").symlink_to(secret_file)
    corpus = load_corpus(repo, load_schema(repo), today=TODAY, workers=2, parallel_min_files=2)
    assert [problem.format() for problem in corpus.problems] == [SYMBOLIC_LINK.format(path="fiches/lien.md", folder="fiches")]


# --- Size limit ----------------------------------------------------------------


def test_file_over_the_limit_is_refused_without_being_parsed(repo, monkeypatch):
    path = repo / "fiches/trop-gros.md"
    path.write_bytes(b"---\ntitre: [non ferm\xc3\xa9\n\t: \"" + b"{[" * (ONE_MEGABYTE) + b"\xff\n")  # 2 MB of broken YAML, not even UTF-8
    decode_text, parse_text = frontmatter.decode_text, frontmatter.parse_text

    def decode_unless_too_large(raw, rel_path):
        assert rel_path != "fiches/trop-gros.md", "a file over the limit was decoded"
        return decode_text(raw, rel_path)

    def parse_unless_too_large(text, path, rel_path):
        assert rel_path != "fiches/trop-gros.md", "a file over the limit was parsed"
        return parse_text(text, path, rel_path)

    monkeypatch.setattr(frontmatter, "decode_text", decode_unless_too_large)
    monkeypatch.setattr(frontmatter, "parse_text", parse_unless_too_large)
    size = path.stat().st_size
    assert 2 * ONE_MEGABYTE < size < 2 * ONE_MEGABYTE + 1024
    assert check(repo, path) == [
        TOO_LARGE.format(path="fiches/trop-gros.md", limit="1\u00a0024", size=f"2\u00a0049 Ko ({size:,} octets)".replace(",", "\u00a0"))
    ]


def test_file_of_exactly_the_limit_passes_and_one_byte_more_is_refused(repo):
    path = write_sheet(repo, sheet_of_size(ONE_MEGABYTE))
    assert check(repo, path) == []
    path = write_sheet(repo, sheet_of_size(ONE_MEGABYTE + 1))
    assert check(repo, path) == [
        TOO_LARGE.format(path="fiches/fiche-test.md", limit="1\u00a0024", size="1\u00a0025 Ko (1\u00a0048\u00a0577 octets)")
    ]


def test_the_limit_comes_from_referentiel(repo):
    referentiel = repo / "referentiel.yml"
    referentiel.write_text(
        referentiel.read_text(encoding="utf-8").replace("taille_maximale_fichier_ko: 1024", "taille_maximale_fichier_ko: 2"),
        encoding="utf-8",
    )
    assert load_schema(repo).safety.max_file_bytes == 2048
    path = write_sheet(repo, sheet_of_size(2049))
    assert check(repo, path) == [TOO_LARGE.format(path="fiches/fiche-test.md", limit="2", size="3 Ko (2\u00a0049 octets)")]
    path = write_sheet(repo, sheet_of_size(2048))
    assert check(repo, path) == []


def test_the_limit_of_the_repository_is_one_megabyte():
    assert load_schema(REPO).safety.max_file_bytes == ONE_MEGABYTE


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "« 0 »"), (-5, "« -5 »"), ("1 Mo", "« 1 Mo »"), (True, "« True »"), (None, "la valeur vide"), (1.5, "« 1.5 »")],
)
def test_a_wrong_limit_in_referentiel_is_explained(value, shown):
    data = yaml.safe_load((REPO / "referentiel.yml").read_text(encoding="utf-8"))
    data["securite"]["taille_maximale_fichier_ko"] = value
    with pytest.raises(SchemaError) as error:
        parse_schema(data)
    assert [problem.message for problem in error.value.problems] == [
        f"« securite.taille_maximale_fichier_ko » : {shown} n'est pas une taille en kilo-octets "
        "(un nombre entier plus grand que zéro, sans unité, par exemple 1024)."
    ]


def test_the_contributor_guide_documents_the_limit_links_and_invisible_characters():
    guide = render_guide((REPO / "pages/contribuer/guide.md").read_text(encoding="utf-8"), load_schema(REPO))
    assert SAFETY_MARKER not in guide
    assert "- **Fichiers** : une fiche est un vrai fichier du dossier `fiches/` ou `pratiques-inspirantes/`, de 1\u00a0024\u00a0Ko au plus." in guide
    assert "Un lien symbolique (raccourci vers un autre emplacement), fichier ou dossier" in guide
    assert "(U+200E, U+200F, U+202A à U+202E, U+2066 à U+2069)" in guide
    assert "Les espaces insécables restent acceptées." in guide


# --- End to end: `fiches check` and `mkdocs build` -------------------------------------


def test_fiches_check_refuses_links_and_big_files_and_never_prints_a_target(cli_repo, secret_file, tmp_path, capsys):
    (cli_repo / "fiches/lien.md").symlink_to(secret_file)
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "fiche.md").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    (cli_repo / "pratiques-inspirantes/dossier").symlink_to(outside, target_is_directory=True)
    (cli_repo / "fiches/gros.md").write_text(sheet_of_size(ONE_MEGABYTE + 1), encoding="utf-8")
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    assert "Traceback" not in out + err
    assert SYMBOLIC_LINK.format(path="fiches/lien.md", folder="fiches") in err
    assert SYMBOLIC_LINK.format(path="pratiques-inspirantes/dossier", folder="pratiques-inspirantes") in err
    assert "fiches/gros.md : erreur : fichier trop volumineux : il n'a pas été lu." in err
    assert err.endswith("3 erreurs dans 3 fichiers (sur 7 vérifiés).\n")
    # The link named on the command line is refused the same way.
    assert main(["check", "fiches/lien.md"]) == 1
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    assert err == SYMBOLIC_LINK.format(path="fiches/lien.md", folder="fiches") + "\n1 erreur dans 1 fichier (sur 1 vérifié).\n"


def test_mkdocs_build_stops_on_links_and_big_files_in_french_without_showing_a_target(tmp_path, secret_file):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    (site / "fiches/lien.md").symlink_to(secret_file)
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "fiche.md").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    (site / "fiches/dossier").symlink_to(outside, target_is_directory=True)
    (site / "pratiques-inspirantes/gros.md").write_text(sheet_of_size(ONE_MEGABYTE + 1), encoding="utf-8")
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "out"), env={"GITHUB_ACTIONS": "true"})
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    assert SECRET not in log
    assert "fiches/lien.md : erreur : lien symbolique (raccourci vers un autre emplacement) refusé : il n'a pas été suivi." in log
    assert "fiches/dossier : erreur : lien symbolique (raccourci vers un autre emplacement) refusé : il n'a pas été suivi." in log
    assert "pratiques-inspirantes/gros.md : erreur : fichier trop volumineux : il n'a pas été lu." in log
    assert "::error file=fiches/lien.md,title=Contenu::lien symbolique" in result.stdout
    assert "La vérification des fiches a échoué : 3 erreurs dans 3 fichiers (sur 7 vérifiés)." in log
