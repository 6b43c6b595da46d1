"""Training modules (« parcours »): one YAML file per module in parcours/,
checked like sheets (French errors with file and line), each with its page,
all listed on « Parcours de formation »."""

from __future__ import annotations

import pytest

from fiches_kb.cli import main
from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from helpers import REPO, TODAY, make_repo, page, squash

VALID = """\
titre: "Premiers pas : le numérique et l'accompagnement"
description: >-
  Deux lectures pour commencer, dans l'ordre, avant un premier stage en
  service social.
public: formation
fiches:
  - id: FP-001
    note: Commencez par les données des personnes.
  - id: PI-001
"""


@pytest.fixture
def repo(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "parcours").mkdir()
    return repo


def module_problems(repo, text: str, name: str = "mon-parcours.yml") -> list[str]:
    (repo / "parcours" / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(repo, load_schema(repo), today=TODAY)
    return [p.format() for p in corpus.problems if p.path.startswith("parcours/")]


def test_a_valid_module_has_no_problem_and_keeps_its_order_and_notes(repo):
    assert module_problems(repo, VALID) == []
    [module] = load_corpus(repo, load_schema(repo), today=TODAY).modules
    assert module.title == "Premiers pas : le numérique et l'accompagnement"
    assert module.audience.key == "formation"
    assert [(e.id, e.note) for e in module.entries] == [("FP-001", "Commencez par les données des personnes."), ("PI-001", None)]
    assert module.url == "parcours/mon-parcours/"


def test_an_unknown_sheet_fails_with_file_and_line(repo):
    problems = module_problems(repo, VALID.replace("id: PI-001", "id: PI-009"))
    assert problems == [
        "parcours/mon-parcours.yml:9 : erreur : champ « fiches[2].id » : aucune fiche ne porte l'identifiant « PI-009 ».\n"
        "    attendu : l'identifiant d'une fiche ou d'une pratique publiée\n"
        "    suggestion : vouliez-vous dire « PI-001 » ?\n"
        "    aide : pages/contribuer/guide.md#parcours"
    ]


def test_an_unpublished_sheet_fails(repo):
    problems = module_problems(repo, VALID.replace("id: PI-001", "id: FP-003"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "parcours/mon-parcours.yml:9 : erreur : champ « fiches[2].id » : la fiche « FP-003 » "
        "(fiches/brouillon-reseaux-sociaux.md) n'est pas publiée (statut « brouillon »)."
    )


def test_a_sheet_listed_twice_fails_on_its_second_line(repo):
    problems = module_problems(repo, VALID.replace("id: PI-001", "id: FP-001"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "parcours/mon-parcours.yml:9 : erreur : champ « fiches[2].id » : la fiche « FP-001 » figure déjà dans le parcours (fiche n° 1)."
    )


def test_a_missing_title_fails_with_an_example(repo):
    problems = module_problems(repo, VALID.split("\n", 1)[1])
    assert len(problems) == 1
    assert problems[0].startswith("parcours/mon-parcours.yml:1 : erreur : champ obligatoire « titre » manquant.")
    assert "suggestion : ajoutez par exemple : « titre: Le numérique dans l'accompagnement : les bases »" in problems[0]


def test_an_unknown_audience_gets_a_suggestion(repo):
    problems = module_problems(repo, VALID.replace("public: formation", "public: formations"))
    assert len(problems) == 1
    assert problems[0].startswith("parcours/mon-parcours.yml:5 : erreur : champ « public » : valeur non autorisée.")
    assert "suggestion : écrivez « formation »" in problems[0]


def test_an_archived_sheet_is_a_warning_naming_its_successor(repo):
    problems = module_problems(repo, VALID.replace("id: PI-001", "id: FP-002"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "parcours/mon-parcours.yml:9 : avertissement : champ « fiches[2].id » : la fiche « FP-002 » est archivée, remplacée par « FP-001 »."
    )


def test_a_yaml_mistake_is_reported_on_its_line(repo):
    problems = module_problems(repo, VALID.replace("public: formation", "public: [formation"))
    assert len(problems) == 1 and problems[0].startswith("parcours/mon-parcours.yml:")
    assert "erreur de syntaxe dans le fichier" in problems[0]


def test_a_badly_named_file_is_refused_with_a_proposal(repo):
    problems = module_problems(repo, VALID, name="Mon Parcours.yaml")
    assert problems == [
        "parcours/Mon Parcours.yaml : erreur : nom de fichier de parcours non conforme.\n"
        "    attendu : des minuscules sans accents, des chiffres et des tirets, terminé par « .yml »\n"
        "    trouvé : « Mon Parcours.yaml »\n"
        "    suggestion : renommez le fichier en « mon-parcours.yml »\n"
        "    aide : pages/contribuer/guide.md#parcours"
    ]


def test_markup_in_a_module_is_refused_like_in_a_sheet(repo):
    problems = module_problems(repo, VALID.replace("Commencez par", "<b>Commencez</b> par"))
    assert len(problems) == 1 and "balise HTML interdite" in problems[0] and problems[0].startswith("parcours/mon-parcours.yml:8 ")


def test_fiches_check_checks_the_modules(repo, monkeypatch, capsys):
    (repo / "parcours" / "mon-parcours.yml").write_text(VALID.replace("id: PI-001", "id: PI-009"), encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check"]) == 1
    assert "parcours/mon-parcours.yml:9 : erreur : champ « fiches[2].id » : aucune fiche" in capsys.readouterr().err
    assert main(["check", "parcours/mon-parcours.yml"]) == 1


def test_the_real_modules_are_valid():
    corpus = load_corpus(REPO, load_schema(REPO), build_sheets=False)
    assert [p.format() for p in corpus.problems if p.path.startswith("parcours/") and p.is_error] == []
    assert len(corpus.modules) >= 2


# --- The pages ------------------------------------------------------------------------


def test_the_modules_page_lists_every_module(example_site_build):
    listing = page(example_site_build, "parcours")
    assert listing.find("h1").text().startswith("Parcours de formation")
    [item] = listing.find_all("li", cls="fiches-liste__item")
    link = item.find("a")
    assert link.attrs["href"] == "premiers-pas/" and link.text() == "Premiers pas : le numérique et l'accompagnement"
    assert squash(item.find("p", cls="fiches-liste__meta").text()) == "Pour\u202f: Formateurs et établissements de formation · 2\u00a0fiches"


def test_a_module_page_shows_its_sheets_in_order_with_their_notes(example_site_build):
    module = page(example_site_build, "parcours/premiers-pas")
    assert module.find("h1").text() == "Premiers pas : le numérique et l'accompagnement"
    steps = module.find("ol", cls="parcours-etapes").find_all("li")
    assert [step.find("a").attrs["href"] for step in steps] == ["../../fiches/proteger-les-donnees/", "../../pratiques-inspirantes/aidants-connect/"]
    assert steps[0].find("p", cls="fiches-liste__note").text() == "Note du parcours Commencez par les données des personnes."
    assert steps[1].find("p", cls="fiches-liste__note") is None
    for step in steps:
        assert (example_site_build / "parcours/premiers-pas" / step.find("a").attrs["href"] / "index.html").resolve().is_file()


def test_the_modules_page_is_in_the_nav(example_site_build):
    html = (example_site_build / "a-propos/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    assert "Parcours de formation" in nav[: nav.index("</nav>")]


def test_the_guide_documents_every_module_field_from_the_referentiel():
    from fiches_kb.guide import MODULES_MARKER, render_guide

    source = (REPO / "pages/contribuer/guide.md").read_text(encoding="utf-8")
    assert MODULES_MARKER in source
    schema = load_schema(REPO)
    guide = render_guide(source, schema)
    for name, spec in schema.modules.fields.items():
        assert f"- `{name}` (" in guide
        for sub_name in spec.subfields:
            assert f"    - `{sub_name}` (" in guide


# --- The booklet ------------------------------------------------------------------------


def test_a_module_has_a_booklet_with_its_cover_and_its_sheets_in_order(pdf_site_build):
    from pypdf import PdfReader

    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf_site_build / "pdf/parcours/premiers-pas.pdf").pages]
    assert pages[0].lower().startswith("parcours de formation") and "Premiers pas" in pages[0]
    contents = pages[1]
    assert "Sommaire" in contents
    first = contents.index("Protéger les données des personnes lors des démarches en ligne")
    assert first < contents.index("Note du parcours : Commencez par les données des personnes.")
    assert contents.index("Note du parcours") < contents.index("Aidants Connect, des démarches en ligne sécurisées pour autrui")
    assert contents.count("Note du parcours") == 1  # the second sheet has no note


def test_the_module_page_links_its_booklet(pdf_site_build):
    html = (pdf_site_build / "parcours/premiers-pas/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/parcours/premiers-pas.pdf"' in html
    assert "Télécharger le livret du parcours (PDF, 2&nbsp;fiches)" in html


def test_two_modules_with_the_same_title_fail_on_the_second(repo):
    (repo / "parcours" / "a-premier.yml").write_text(VALID, encoding="utf-8")
    problems = module_problems(repo, VALID.replace("Premiers pas", "PREMIERS PAS"), name="b-second.yml")
    assert problems == [
        "parcours/b-second.yml:1 : erreur : champ « titre » : un autre parcours porte déjà ce titre (parcours/a-premier.yml).\n"
        "    suggestion : donnez à chaque parcours un titre qui le distingue\n"
        "    aide : pages/contribuer/guide.md#parcours"
    ]


def test_fiches_nouvelle_parcours_writes_a_module_that_passes_the_check(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (repo / "parcours").rmdir()
    assert main(["nouvelle", "parcours", "Le numérique en stage : premiers repères"]) == 0
    path = repo / "parcours" / "le-numerique-en-stage-premiers-reperes.yml"
    assert capsys.readouterr().out.startswith("Créé : parcours/le-numerique-en-stage-premiers-reperes.yml.")
    text = path.read_text(encoding="utf-8")
    assert "titre: 'Le numérique en stage : premiers repères'" in text and "public: formation" in text
    # The example's sheet FP-003 is a draft in the example site: the check says so, and nothing else.
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "n'est pas publiée" in err and err.count(" : erreur : ") == 1
    assert main(["nouvelle", "parcours", "Le numérique en stage : premiers repères"]) == 1


def test_a_sheet_names_the_modules_that_list_it_with_its_step(example_site_build):
    sheet = page(example_site_build, "pratiques-inspirantes/aidants-connect")
    heading = sheet.find("h2", id="parcours-de-formation")
    assert heading is not None and heading.text() == "Dans les parcours de formation"
    [item] = [li for li in sheet.find_all("li") if li.find("a", href="../../parcours/premiers-pas/")]
    assert squash(item.text()) == "Premiers pas : le numérique et l'accompagnement (étape 2 sur 2)"
    assert page(example_site_build, "fiches/ancienne-fiche-messagerie").find("h2", id="parcours-de-formation") is None


def test_a_serve_rebuild_redoes_the_pages_of_the_sheets_a_changed_module_lists(repo):
    """`mkdocs serve --dirty` redoes a page only when its own file changed;
    a sheet's page shows the modules that list it (title, step out of how many)."""
    from fiches_kb.incremental import pages_to_refresh
    from fiches_kb.site import load_site_content

    module = repo / "parcours" / "mon-parcours.yml"
    module.write_text(VALID, encoding="utf-8")
    before = load_site_content(repo, include_drafts=True, today=TODAY)
    first, second = (before.by_id(identifier).src_uri for identifier in ("FP-001", "PI-001"))
    assert pages_to_refresh(before, load_site_content(repo, include_drafts=True, today=TODAY)) == set()
    module.write_text(VALID.replace("Premiers pas", "Tout premiers pas"), encoding="utf-8")
    assert pages_to_refresh(before, load_site_content(repo, include_drafts=True, today=TODAY)) == {first, second}
    module.write_text(VALID.replace("  - id: PI-001\n", ""), encoding="utf-8")  # FP-001: step 1 of 1, PI-001: in none
    assert pages_to_refresh(before, load_site_content(repo, include_drafts=True, today=TODAY)) == {first, second}
    module.write_text(VALID.replace("Commencez par les données des personnes.", "Une autre note."), encoding="utf-8")
    assert pages_to_refresh(before, load_site_content(repo, include_drafts=True, today=TODAY)) == set()  # notes show on the module's page


def test_mkdocs_serve_watches_the_modules_the_register_and_the_old_addresses(tmp_path, monkeypatch):
    import importlib.util
    from types import SimpleNamespace

    from fiches_kb.build import BUILD

    site = make_repo(tmp_path)
    for folder, name in (("parcours", None), (None, "validations.yml"), (None, "anciennes-adresses.yml")):
        (site / folder).mkdir(exist_ok=True) if folder else (site / name).write_text("", encoding="utf-8")
    watched = []
    server = SimpleNamespace(watch=lambda path: watched.append(path))
    config = SimpleNamespace(config_file_path=str(site / "mkdocs.yml"))
    monkeypatch.setattr(BUILD, "content", SimpleNamespace(schema=load_schema(site)))
    for hook_name in ("parcours_pages", "validations_page", "permanent_urls"):
        spec = importlib.util.spec_from_file_location(f"{hook_name}_under_test", REPO / "hooks" / f"{hook_name}.py")
        hook = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hook)
        hook.on_serve(server, config, None)
    assert sorted(watched) == sorted(str(site / name) for name in ("parcours", "validations.yml", "anciennes-adresses.yml"))
