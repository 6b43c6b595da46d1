"""`fiches check` finds every link the strict build refuses, with the build's
French message and the link's line: a page or sheet that does not exist, a
sheet that is not published, an anchor that does not exist (in another page
or in the sheet itself), a missing image, an image from another site. The
result stays right when only the linked file changes (the per-file cache)."""

from __future__ import annotations

import importlib.util
import logging
import re
import shutil
from types import SimpleNamespace

import pytest

from fiches_kb.build import BUILD
from fiches_kb.cli import main
from fiches_kb.corpus import IGNORED_FILES, load_corpus
from fiches_kb.links import NOT_SHEETS, generated_pages
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, TODAY, copy_site, front_matters, make_repo, run_mkdocs

LINK_RULES = (
    "lien-introuvable", "ancre-introuvable", "image-introuvable", "fiche-non-publiee", "ressource-externe", "lien-depuis-la-racine",
)
SHEET = "fiches/proteger-les-donnees.md"  # published (validee)
DRAFT = "fiches/brouillon-reseaux-sociaux.md"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The example repository with its pages (docs_dir), the real contributor guide and an image."""
    (tmp_path / "depot").mkdir()
    repo = make_repo(tmp_path / "depot")
    shutil.copytree(EXAMPLE_SITE / "pages", repo / "pages")
    shutil.copy2(REPO / "pages" / "contribuer" / "guide.md", repo / "pages" / "contribuer" / "guide.md")
    (repo / "pages" / "images").mkdir()
    (repo / "pages" / "images" / "schema.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


def append(repo, rel_path: str, text: str) -> int:
    """Adds text at the end of a sheet; the line number where it starts."""
    path = repo / rel_path
    existing = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(existing + text + "\n", encoding="utf-8")
    return existing.count("\n") + 1


def link_problems(capsys, *args: str) -> list[str]:
    """The link problems `fiches check` reports, each as its text."""
    main(["check", *args])
    err = capsys.readouterr().err
    blocks = re.split(r"\n(?=\S)", err)
    return [block for block in blocks if "aide : pages/contribuer/guide.md#liens" in block or "autre site" in block]


def headlines(problems: list[str]) -> list[str]:
    return [problem.splitlines()[0] for problem in problems]


# --- What is refused, on its line ------------------------------------------------


def test_a_link_to_a_sheet_that_does_not_exist(repo, capsys):
    line = append(repo, SHEET, "Voir [la fiche](fiche-absente.md).")
    assert link_problems(capsys) == [
        f"{SHEET}:{line} : erreur : lien vers une page qui n'existe pas : « fiches/fiche-absente.md » n'est pas une page "
        "ni un fichier du site.\n"
        "    attendu : le fichier d'une fiche ou d'une page du site, écrit depuis ce fichier-ci : « autre-fiche.md », "
        "« ../pratiques-inspirantes/une-pratique.md », « ../glossaire.md »\n"
        "    trouvé : « fiche-absente.md »\n"
        "    suggestion : vérifiez le nom du fichier visé (il se termine par « .md »)\n"
        "    aide : pages/contribuer/guide.md#liens"
    ]


def test_a_misspelt_link_gets_the_closest_file_as_suggestion(repo, capsys):
    line = append(repo, SHEET, "Voir [la fiche](ancienne-fiche-messagerei.md).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : lien vers une page qui n'existe pas")
    assert "    suggestion : vouliez-vous dire « ancienne-fiche-messagerie.md » ?" in problem


def test_a_page_written_from_the_repository_gets_its_site_path_as_suggestion(repo, capsys):
    line = append(repo, SHEET, "Voir le [glossaire](../pages/glossaire.md).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : lien vers une page qui n'existe pas : « pages/glossaire.md »")
    assert "    suggestion : vouliez-vous dire « ../glossaire.md » ?" in problem


def test_a_site_address_instead_of_a_file_is_refused_with_the_file_as_suggestion(repo, capsys):
    line = append(repo, SHEET, "Voir le [glossaire](../glossaire/).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : lien vers une page qui n'existe pas : « glossaire »")
    assert "    suggestion : vouliez-vous dire « ../glossaire.md » ?" in problem


def test_a_link_from_the_site_s_root_is_refused_with_the_file_as_suggestion(repo, capsys):
    """MkDocs leaves « /… » as written: it would break on a site published in a
    sub-folder (GitHub Pages), and neither MkDocs nor a check knows its target."""
    line = append(repo, SHEET, "Voir [la fiche](/fiches/ancienne-fiche-messagerie/#section).")
    assert link_problems(capsys) == [
        f"{SHEET}:{line} : erreur : lien écrit depuis la racine du site : « /fiches/ancienne-fiche-messagerie/#section » "
        "ne mène pas au bon endroit quand le site est publié dans un sous-dossier (comme sur GitHub Pages), et la "
        "vérification ne peut pas savoir si sa cible existe.\n"
        "    attendu : un lien vers le fichier d'une fiche ou d'une page, écrit depuis ce fichier-ci : « autre-fiche.md », "
        "« ../pratiques-inspirantes/une-pratique.md », « ../glossaire.md »\n"
        "    trouvé : « /fiches/ancienne-fiche-messagerie/#section »\n"
        "    suggestion : vouliez-vous dire « ancienne-fiche-messagerie.md#section » ?\n"
        "    aide : pages/contribuer/guide.md#liens"
    ]


@pytest.mark.parametrize("address", ["/id/FP-001/", "/id/FP-999/", "/images/schema.png"])
def test_a_link_from_the_site_s_root_is_refused_even_when_its_target_exists(repo, capsys, address):
    line = append(repo, SHEET, f"Voir [ici]({address}).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : lien écrit depuis la racine du site : « {address} »")
    if address.startswith("/id/"):
        assert "l'adresse permanente « /id/… » sert aux liens venant d'autres sites" in problem


def test_an_image_from_the_site_s_root_is_refused(repo, capsys):
    line = append(repo, SHEET, "![Un schéma](/images/schema.png)")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : lien écrit depuis la racine du site : « /images/schema.png »")
    assert "    suggestion : vouliez-vous dire « ../images/schema.png » ?" in problem


def test_a_link_to_the_model_is_a_link_to_a_page_that_does_not_exist(repo, capsys):
    shutil.copy2(REPO / "fiches" / "MODELE.md", repo / "fiches" / "MODELE.md")
    assert NOT_SHEETS == IGNORED_FILES  # the build, which knows only the files, tells the same
    line = append(repo, SHEET, "Voir [le modèle](MODELE.md).")
    assert headlines(link_problems(capsys))[0].startswith(f"{SHEET}:{line} : erreur : lien vers une page qui n'existe pas")


def test_a_published_sheet_linking_to_a_draft(repo, capsys):
    line = append(repo, SHEET, "Voir [le brouillon](brouillon-reseaux-sociaux.md).")
    assert headlines(link_problems(capsys)) == [
        f"{SHEET}:{line} : erreur : lien vers une fiche qui n'est pas publiée (fiches/brouillon-reseaux-sociaux.md) : "
        "sur le site, ce lien serait cassé."
    ]


def test_a_missing_anchor_in_another_sheet(repo, capsys):
    line = append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#section-absente).")
    assert link_problems(capsys) == [
        f"{SHEET}:{line} : erreur : la section « #section-absente » n'existe pas dans « fiches/ancienne-fiche-messagerie.md ».\n"
        "    attendu : l'ancre d'un titre de la page visée, telle que le site l'écrit (le lien « ¶ » à côté du titre)\n"
        "    trouvé : « ancienne-fiche-messagerie.md#section-absente »\n"
        "    suggestion : ouvrez la page visée sur le site et copiez le lien « ¶ » du titre voulu\n"
        "    aide : pages/contribuer/guide.md#liens"
    ]


def test_a_misspelt_anchor_gets_the_closest_anchor_as_suggestion(repo, capsys):
    line = append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#points-de-vigilence).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : la section « #points-de-vigilence » n'existe pas")
    assert "    suggestion : vouliez-vous dire « ancienne-fiche-messagerie.md#points-de-vigilance » ?" in problem


def test_a_missing_anchor_in_the_sheet_itself(repo, capsys):
    line = append(repo, SHEET, "Voir [plus haut](#ce-qui-est-en-jeux).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : la section « #ce-qui-est-en-jeux » n'existe pas dans cette fiche.")
    assert "    suggestion : vouliez-vous dire « #ce-qui-est-en-jeu » ?" in problem


def test_a_missing_anchor_in_a_page_of_the_site(repo, capsys):
    line = append(repo, SHEET, "Voir le [glossaire](../glossaire.md#rien).")
    assert headlines(link_problems(capsys)) == [
        f"{SHEET}:{line} : erreur : la section « #rien » n'existe pas dans « glossaire.md »."
    ]


def test_an_anchor_in_a_generated_page_is_refused(repo, capsys):
    line = append(repo, SHEET, "Voir le [catalogue](../catalogue/index.md#filtres).")
    [problem] = link_problems(capsys)
    assert problem.startswith(f"{SHEET}:{line} : erreur : « catalogue/index.md » est une page produite automatiquement")
    assert "    suggestion : écrivez « ../catalogue/index.md »" in problem


def test_a_missing_image(repo, capsys):
    line = append(repo, SHEET, "![Un schéma](images/schema.png)")
    assert link_problems(capsys) == [
        f"{SHEET}:{line} : erreur : image introuvable : « fiches/images/schema.png » n'est pas un fichier du site.\n"
        "    attendu : une image enregistrée dans le dossier « pages/ » du dépôt (par exemple « pages/images/schema.png »), "
        "écrite depuis la fiche « ../images/schema.png »\n"
        "    trouvé : « images/schema.png »\n"
        "    suggestion : vouliez-vous dire « ../images/schema.png » ?\n"
        "    aide : pages/contribuer/guide.md#liens"
    ]


def test_an_image_from_another_site(repo, capsys):
    line = append(repo, SHEET, "![Un schéma](https://example.org/schema.png)")
    assert headlines(link_problems(capsys)) == [
        f"{SHEET}:{line} : erreur : image chargée depuis un autre site : une fiche ne charge aucun contenu d'un autre site "
        "(cela renseignerait ce site sur les lecteurs, et le navigateur la bloquerait)."
    ]


def test_each_broken_link_is_reported_on_its_own_line(repo, capsys):
    first = append(repo, SHEET, "Voir [une](absente-1.md).\n\nPuis [deux](absente-2.md#x).\n\nEt [trois](#nulle-part).")
    assert [headline.split(" : ")[0] for headline in headlines(link_problems(capsys))] == [
        f"{SHEET}:{first}",
        f"{SHEET}:{first + 2}",
        f"{SHEET}:{first + 4}",
    ]


def test_link_problems_are_github_annotations_on_the_line(repo, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    line = append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#section-absente).")
    main(["check"])
    out = capsys.readouterr().out
    assert (
        f"::error file={SHEET},line={line},title=Règle « ancre-introuvable »::la section « #section-absente » "
        "n'existe pas dans « fiches/ancienne-fiche-messagerie.md »."
    ) in out


def test_only_the_given_file_is_reported(repo, capsys):
    append(repo, SHEET, "Voir [la fiche](fiche-absente.md).")
    assert link_problems(capsys, "fiches/ancienne-fiche-messagerie.md") == []
    assert len(link_problems(capsys, SHEET)) == 1


# --- What is allowed ---------------------------------------------------------------


LINKS_TO_WHAT_THE_SITE_HAS = (
    "- [une fiche](ancienne-fiche-messagerie.md) et [sa section](ancienne-fiche-messagerie.md#points-de-vigilance)\n"
    "- [une pratique](../pratiques-inspirantes/aidants-connect.md#pour-reproduire)\n"
    "- [plus haut](#ce-qui-est-en-jeu), [ici](proteger-les-donnees.md#que-faire)\n"
    "- [le glossaire](../glossaire.md#page-glossaire), [le guide](../contribuer/guide.md#champ-statut)\n"
    "- [la liste des fiches](index.md), [un thème](../themes/donnees-personnelles.md), [le catalogue](../catalogue/index.md)\n"
    "- [l'adresse permanente](../id/FP-001/index.html), [le flux](../feed.xml), [les parcours](../parcours/index.md)\n"
    "- [un site](https://www.service-public.fr/), [un courriel](mailto:contact@example.org)\n"
    "- ![Un schéma](../images/schema.png)"
)


def test_links_to_what_the_site_has_pass(repo, capsys):
    append(repo, SHEET, LINKS_TO_WHAT_THE_SITE_HAS)
    assert link_problems(capsys) == []


def test_links_to_what_the_site_has_pass_the_strict_build(repo, tmp_path):
    append(repo, SHEET, LINKS_TO_WHAT_THE_SITE_HAS)
    site = copy_site(tmp_path / "site", repo)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"))
    assert result.returncode == 0, result.stderr


def test_a_draft_may_link_to_a_draft(repo, capsys):
    append(repo, DRAFT, "Voir [moi-même](brouillon-reseaux-sociaux.md) et [l'autre](proteger-les-donnees.md).")
    assert link_problems(capsys) == []


def test_a_draft_s_broken_link_is_reported_too(repo, capsys):
    line = append(repo, DRAFT, "Voir [la fiche](fiche-absente.md).")
    assert headlines(link_problems(capsys))[0].startswith(f"{DRAFT}:{line} : erreur : lien vers une page qui n'existe pas")


# --- The cache: a result depends on the files linked to -----------------------------


def test_an_anchor_removed_from_the_linked_sheet_is_reported_though_the_linking_sheet_did_not_change(repo, capsys):
    line = append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#points-de-vigilance).")
    assert link_problems(capsys) == []
    target = repo / "fiches/ancienne-fiche-messagerie.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## Points de vigilance", "## À surveiller"), encoding="utf-8")
    assert headlines(link_problems(capsys)) == [
        f"{SHEET}:{line} : erreur : la section « #points-de-vigilance » n'existe pas dans « fiches/ancienne-fiche-messagerie.md »."
    ]


def test_a_deleted_sheet_is_reported_in_the_sheets_linking_to_it(repo, capsys):
    line = append(repo, SHEET, "Voir [la fiche](ancienne-fiche-messagerie.md).")
    assert link_problems(capsys) == []
    (repo / "fiches/ancienne-fiche-messagerie.md").unlink()
    assert [h.split(" : ")[0] for h in headlines(link_problems(capsys))] == [f"{SHEET}:{line}"]


def test_a_sheet_that_goes_back_to_draft_is_reported_in_the_sheets_linking_to_it(repo, capsys):
    append(repo, SHEET, "Voir [la fiche](ancienne-fiche-messagerie.md).")
    assert link_problems(capsys) == []
    target = repo / "fiches/ancienne-fiche-messagerie.md"
    text = re.sub(r"(?m)^statut: .*$", "statut: brouillon", target.read_text(encoding="utf-8"))
    target.write_text(text, encoding="utf-8")
    assert "n'est pas publiée" in "".join(link_problems(capsys))


def test_a_page_of_the_site_that_loses_an_anchor_is_reported(repo, capsys):
    append(repo, SHEET, "Voir le [glossaire](../glossaire.md#page-glossaire).")
    assert link_problems(capsys) == []
    page = repo / "pages/glossaire.md"
    page.write_text(page.read_text(encoding="utf-8").replace("# Page glossaire", "# Lexique"), encoding="utf-8")
    assert len(link_problems(capsys)) == 1


# --- The generated pages fiches check knows are those the build makes ---------------


def _page_url(uri: str) -> str:
    """Where MkDocs writes a page (directory URLs) or a file."""
    for index in ("index.md", "index.html"):
        if uri.endswith(index):
            return uri[: -len(index)]
    return uri[: -len(".md")] + "/" if uri.endswith(".md") else uri


def test_every_generated_page_fiches_check_knows_is_in_the_built_site(example_site_build):
    for uri in generated_pages(load_schema(REPO), ["FP-001"]):
        url = _page_url(uri)
        assert (example_site_build / url).is_file() or (example_site_build / url / "index.html").is_file(), uri


def test_every_page_of_the_built_site_is_known_to_fiches_check(example_site_build):
    """A hook that generates a new page must add it to fiches_kb.links.generated_pages,
    or fiches check would refuse a link to it that the build accepts."""
    published = [sheet for sheet in front_matters(EXAMPLE_SITE) if sheet["statut"] != "brouillon"]
    known = {_page_url(uri) for uri in generated_pages(load_schema(REPO), [sheet["id"] for sheet in published])}
    known |= {_page_url(path.relative_to(EXAMPLE_SITE / "pages").as_posix()) for path in (EXAMPLE_SITE / "pages").rglob("*.md")}
    known |= {_page_url(path.relative_to(EXAMPLE_SITE).as_posix()) for folder in ("fiches", "pratiques-inspirantes") for path in (EXAMPLE_SITE / folder).glob("*.md")}
    known |= {"parcours/"}  # and each module's page, from the corpus
    built = {path.parent.relative_to(example_site_build).as_posix() + "/" for path in example_site_build.rglob("index.html")}
    built = {url.removeprefix("./") for url in built if not url.startswith("parcours/") or url == "parcours/"}
    assert built - known == set()


# --- The strict build: the same messages ---------------------------------------------


def test_the_strict_build_refuses_the_same_links_with_the_same_messages(repo, tmp_path, capsys):
    shutil.copy2(REPO / "fiches" / "MODELE.md", repo / "fiches" / "MODELE.md")
    append(
        repo,
        SHEET,
        "Voir [la fiche](fiche-absente.md), [le brouillon](brouillon-reseaux-sociaux.md), [le modèle](MODELE.md).\n\n"
        "Voir [la section](ancienne-fiche-messagerie.md#section-absente) et [plus haut](#nulle-part).\n\n"
        "Voir le [glossaire](../glossaire.md#rien) et [les pages](../pages/glossaire.md).\n\n"
        "![Un schéma](images/schema.png)\n\n"
        "![Une photo](https://example.org/photo.png)\n\n"
        "Voir [l'adresse permanente](/id/FP-001/) et [la fiche](/fiches/ancienne-fiche-messagerie/).",
    )
    append(repo, "pages/glossaire.md", "Voir [une fiche](fiches/fiche-absente.md) et [la section](fiches/proteger-les-donnees.md#nulle-part).")
    expected = link_problems(capsys)
    assert len(expected) == 13
    site = copy_site(tmp_path / "site", repo)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"))
    assert result.returncode == 1
    logged = re.findall(r"^ERROR\s+-\s+(.*?)(?=^\S)", result.stderr + "\nFIN", re.MULTILINE | re.DOTALL)
    assert sorted(block.rstrip("\n") for block in logged if block.startswith((SHEET, "pages/"))) == sorted(expected)
    assert "Doc file" not in result.stderr  # MkDocs' English warnings are replaced, not repeated


def test_links_checked_in_worker_processes_give_the_same_problems(repo):
    """Each worker sends back its sheets' links and anchors; the pass across files sees them all."""
    append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#section-absente).")
    append(repo, "fiches/ancienne-fiche-messagerie.md", "Voir [la section](proteger-les-donnees.md#nulle-part).")
    schema = load_schema(repo)
    one = load_corpus(repo, schema, today=TODAY, workers=1, build_sheets=False)
    several = load_corpus(repo, schema, today=TODAY, workers=2, parallel_min_files=2, build_sheets=False)
    assert [p.format() for p in several.problems] == [p.format() for p in one.problems]
    assert sum(p.rule == "ancre-introuvable" for p in several.problems) == 2


# --- Checking one file also reports the links into it that it broke --------------------


def test_checking_the_linked_sheet_reports_the_link_it_broke_in_another_sheet(repo, capsys):
    line = append(repo, SHEET, "Voir [la section](ancienne-fiche-messagerie.md#points-de-vigilance).")
    target = repo / "fiches/ancienne-fiche-messagerie.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## Points de vigilance", "## À surveiller"), encoding="utf-8")
    assert headlines(link_problems(capsys, "fiches/ancienne-fiche-messagerie.md")) == [
        f"{SHEET}:{line} : erreur : la section « #points-de-vigilance » n'existe pas dans « fiches/ancienne-fiche-messagerie.md »."
    ]


# --- The pages of the site (docs_dir) are checked the same way -------------------------------


def test_a_broken_link_in_a_page_of_the_site_is_reported_on_its_line(repo, capsys):
    line = append(repo, "pages/glossaire.md", "Voir [la fiche](fiches/fiche-absente.md).")
    assert headlines(link_problems(capsys)) == [
        f"pages/glossaire.md:{line} : erreur : lien vers une page qui n'existe pas : « fiches/fiche-absente.md » n'est pas "
        "une page ni un fichier du site."
    ]


def test_a_missing_anchor_in_the_page_itself(repo, capsys):
    line = append(repo, "pages/glossaire.md", "Voir [plus haut](#nulle-part).")
    assert headlines(link_problems(capsys)) == [f"pages/glossaire.md:{line} : erreur : la section « #nulle-part » n'existe pas dans cette page."]


def test_a_page_s_links_to_sheets_and_sections_pass(repo, capsys):
    append(repo, "pages/glossaire.md", "Voir [la fiche](fiches/proteger-les-donnees.md#que-faire) et [plus haut](#page-glossaire).")
    assert link_problems(capsys) == []


def test_a_page_s_link_to_a_section_removed_from_a_sheet_is_reported_from_the_cache(repo, capsys):
    append(repo, "pages/glossaire.md", "Voir [la section](fiches/ancienne-fiche-messagerie.md#points-de-vigilance).")
    assert link_problems(capsys) == []
    assert link_problems(capsys) == []  # the page's links now come from the cache
    target = repo / "fiches/ancienne-fiche-messagerie.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## Points de vigilance", "## À surveiller"), encoding="utf-8")
    assert len(link_problems(capsys)) == 1


# --- The build: MkDocs' English warnings are replaced, never lost -------------------------


def test_mkdocs_warnings_on_a_sheet_are_held_back_and_logged_again_when_no_french_message_covers_them(monkeypatch, caplog):
    spec = importlib.util.spec_from_file_location("check_rendering_under_test", REPO / "hooks" / "check_rendering.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    content = SimpleNamespace(schema=load_schema(REPO), sheets=[], sheet_for=lambda uri: object() if uri == SHEET else None)
    for name, value in (("content", content), ("link_warnings", []), ("page_links", {}), ("problems", [])):
        monkeypatch.setattr(BUILD, name, value)
    held = hook.HeldLinkWarnings()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("mkdocs.structure.pages", logging.WARNING, "", 0, message, None, None)

    missing = f"Doc file '{SHEET}' contains a link 'x.md', but the target 'fiches/x.md' is not found among documentation files."
    generated = "Doc file 'themes/x.md' contains a link 'y.md', but the target 'themes/y.md' is not found among documentation files."
    assert held.filter(record(missing)) is False
    assert held.filter(record(generated)) is False
    assert held.filter(record(f"Doc file '{SHEET}' contains a link '#x', but there is no such anchor on this page."))
    files = SimpleNamespace(get_file_from_path=lambda uri: None, src_uris={})
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.fiches"):
        hook.on_env(None, SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml")), files)
    assert f"Lien refusé par MkDocs, non reconnu par la vérification des fiches : {missing}" in caplog.text
    assert f"Lien refusé par MkDocs, non reconnu par la vérification des fiches : {generated}" in caplog.text
