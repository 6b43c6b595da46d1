"""Raw HTML in the body is limited to the allowlist of referentiel.yml, and
front-matter text holds no markup at all. Each rule pins its exact French
message and line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fiches_kb.frontmatter import parse_text
from fiches_kb.problems import sort_problems
from fiches_kb.rules import check_body_safety, check_front_matter_safety, renderer_for
from fiches_kb.schema import load_schema
from helpers import REPO, add_fixture, make_repo, problems_for

SCHEMA = load_schema(REPO)
HELP = "    aide : pages/contribuer/guide.md#securite"
ALLOWED = "<abbr>, <br>, <sub>, <sup>, <kbd>, <mark>, <small>, <details>, <summary>"


def check(body: str, header: str = "titre: Un titre\n", schema=SCHEMA) -> list[str]:
    """Problems of a sheet whose body starts on line 4."""
    source, problems = parse_text(f"---\n{header}---\n{body}", Path("fiches/essai.md"), "fiches/essai.md")
    assert source is not None, problems
    found = check_front_matter_safety(source, schema) + check_body_safety(source, schema, renderer_for(REPO))
    return [problem.format() for problem in sort_problems(found)]


def forbidden(line: int, tag: str, written: str, why: str, suggestion: str) -> str:
    return (
        f"fiches/essai.md:{line} : erreur : balise « <{tag}> » interdite : {why}\n"
        f"    trouvé : « {written} »\n"
        f"    suggestion : {suggestion}\n"
        f"{HELP}"
    )


SCRIPT = (
    "une fiche ne doit pas exécuter de programme dans la page des lecteurs.",
    "retirez la balise et son contenu ; pour citer du code, mettez-le entre accents graves (`…`)",
)
STYLE = (
    "la mise en forme des fiches vient du thème du site.",
    "retirez la balise et son contenu ; mettez en forme en Markdown (**gras**, *italique*, listes, titres « ## »)",
)
EMBED = (
    "une fiche n'intègre pas de contenu venu d'un autre site.",
    "remplacez-la par un lien en https vers ce contenu : [titre du contenu](https://…)",
)
FORM = (
    "une fiche ne contient pas de formulaire.",
    "retirez-la ; pour renvoyer vers un formulaire en ligne, mettez un lien en https vers sa page",
)


@pytest.mark.parametrize(
    "tag, written, texts",
    [
        ("script", "<script>", SCRIPT),
        ("style", "<style>", STYLE),
        ("iframe", '<iframe src="https://exemple.fr">', EMBED),
        ("object", '<object data="https://exemple.fr/x.pdf">', EMBED),
        ("embed", '<embed src="https://exemple.fr/x.swf">', EMBED),
        ("form", '<form action="https://exemple.fr">', FORM),
        ("input", '<input name="nom">', FORM),
        ("button", "<button>", FORM),
        ("select", "<select>", FORM),
        ("textarea", "<textarea>", FORM),
    ],
)
def test_each_forbidden_tag_has_its_own_message(tag, written, texts):
    assert check(f"Texte.\n\n{written}</{tag}>\n") == [forbidden(6, tag, written, *texts)]


def test_tag_names_are_not_case_sensitive():
    assert check("<ScRiPt>alert(1)</sCrIpT>\n") == [forbidden(4, "script", "<ScRiPt>", *SCRIPT)]


def test_a_tag_outside_the_allowlist_lists_what_is_allowed():
    assert check('Texte\n<div class="encadre">x</div>\n') == [
        "fiches/essai.md:5 : erreur : balise HTML « <div> » non autorisée.\n"
        f"    attendu : seulement les balises autorisées par referentiel.yml : {ALLOWED}\n"
        '    trouvé : « <div class="encadre"> »\n'
        "    suggestion : écrivez ce passage en Markdown, ou retirez la balise ; pour afficher le signe « < », écrivez « &lt; »\n"
        f"{HELP}"
    ]


def test_a_placeholder_in_angle_brackets_is_a_tag_that_would_vanish():
    assert check("Contactez <nom de la structure>.\n")[0].startswith(
        "fiches/essai.md:4 : erreur : balise HTML « <nom> » non autorisée."
    )


def test_event_handler_attribute_is_refused_even_on_an_allowed_tag():
    assert check('<abbr title="Revenu" onclick="alert(1)">RSA</abbr>\n') == [
        "fiches/essai.md:4 : erreur : attribut « onclick » interdit : les attributs « on… » lancent un programme dans le navigateur.\n"
        '    trouvé : « <abbr title="Revenu" onclick="alert(1)"> »\n'
        "    suggestion : retirez cet attribut\n"
        f"{HELP}"
    ]


def test_style_attribute_is_refused():
    assert check('1<sup style="color: red">er</sup>\n') == [
        "fiches/essai.md:4 : erreur : attribut « style » interdit : la mise en forme des fiches vient du thème du site.\n"
        '    trouvé : « <sup style="color: red"> »\n'
        "    suggestion : retirez cet attribut\n"
        f"{HELP}"
    ]


def test_attribute_outside_the_tag_allowlist_says_which_are_allowed():
    assert check('<abbr lang="fr" title="x">A</abbr> <br class="x">\n') == [
        "fiches/essai.md:4 : erreur : attribut « class » non autorisé sur la balise « <br> ».\n"
        "    attendu : aucun attribut sur « <br> »\n"
        '    trouvé : « <br class="x"> »\n'
        "    suggestion : retirez cet attribut\n"
        f"{HELP}",
        "fiches/essai.md:4 : erreur : attribut « lang » non autorisé sur la balise « <abbr> ».\n"
        "    attendu : pour « <abbr> » : title\n"
        '    trouvé : « <abbr lang="fr" title="x"> »\n'
        "    suggestion : retirez cet attribut\n"
        f"{HELP}",
    ]


def test_markdown_attribute_lists_cannot_add_handlers_or_styles():
    assert check('Un paragraphe.\n{: onclick="alert(1)" style="color: red" .classe }\n') == [
        "fiches/essai.md:5 : erreur : attribut « onclick » interdit : les attributs « on… » lancent un programme dans le navigateur.\n"
        '    trouvé : « {: onclick="alert(1)" style="color: red" .classe } »\n'
        "    suggestion : retirez cet attribut de la liste « {: … } »\n"
        f"{HELP}",
        "fiches/essai.md:5 : erreur : attribut « style » interdit : la mise en forme des fiches vient du thème du site.\n"
        '    trouvé : « {: onclick="alert(1)" style="color: red" .classe } »\n'
        "    suggestion : retirez cet attribut de la liste « {: … } »\n"
        f"{HELP}",
    ]


def test_a_tag_written_over_several_lines_is_reported_where_it_starts():
    problems = check("Texte\n\n<abbr\n  title='x'\n  onmouseover='alert(1)'>A</abbr>\n")
    assert len(problems) == 1
    assert problems[0].startswith("fiches/essai.md:6 : erreur : attribut « onmouseover » interdit")


def test_every_problem_of_a_file_is_reported_with_its_line(tmp_path):
    repo = make_repo(tmp_path)
    path = add_fixture(repo, "safety/html-interdit.md")
    headlines = [problem.split("\n")[0] for problem in problems_for(repo, path)]
    assert headlines == [
        "fiches/html-interdit.md:21 : erreur : balise « <script> » interdite : une fiche ne doit pas exécuter de programme dans la page des lecteurs.",
        "fiches/html-interdit.md:22 : erreur : balise « <iframe> » interdite : une fiche n'intègre pas de contenu venu d'un autre site.",
        "fiches/html-interdit.md:26 : erreur : balise « <button> » interdite : une fiche ne contient pas de formulaire.",
        "fiches/html-interdit.md:26 : erreur : balise « <form> » interdite : une fiche ne contient pas de formulaire.",
        "fiches/html-interdit.md:26 : erreur : balise « <input> » interdite : une fiche ne contient pas de formulaire.",
        "fiches/html-interdit.md:27 : erreur : balise HTML « <div> » non autorisée.",
        "fiches/html-interdit.md:28 : erreur : balise « <style> » interdite : la mise en forme des fiches vient du thème du site.",
        "fiches/html-interdit.md:32 : erreur : attribut « onmouseover » interdit : les attributs « on… » lancent un programme dans le navigateur.",
        "fiches/html-interdit.md:32 : erreur : attribut « style » interdit : la mise en forme des fiches vient du thème du site.",
        "fiches/html-interdit.md:33 : erreur : attribut « lang » non autorisé sur la balise « <abbr> ».",
    ]


def test_allowed_html_comments_code_and_ordinary_text_pass(tmp_path):
    """Allowed tags, comments, code spans, fenced blocks, « < » alone, dates,
    ids and numbers, generic and institutional addresses, relative links."""
    repo = make_repo(tmp_path)
    (repo / "pages" / "images").mkdir(parents=True)
    (repo / "pages" / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # the image it shows, in docs_dir
    path = add_fixture(repo, "safety/propre.md")
    assert problems_for(repo, path) == []


@pytest.mark.parametrize(
    "body",
    [
        "Écrivez `<script>alert(1)</script>` pour citer la balise.\n",
        "Deux accents graves : ``<iframe src=x>`` aussi.\n",
        "```\n<script>alert(1)</script>\n```\n",
        "~~~\n<style>p {}</style>\n~~~\n",
        "<!-- <script>alert(1)</script> : un commentaire -->\n",
        "Les entités &lt;script&gt; s'affichent comme du texte.\n",
        "3 < 5 et 5 > 3, <3 et << >>.\n",
    ],
)
def test_code_comments_and_escaped_text_are_not_html(body):
    assert check(body) == []


def test_the_allowlist_is_read_from_the_schema():
    more = dataclasses.replace(SCHEMA.safety, html_tags={**SCHEMA.safety.html_tags, "div": ("class",)})
    schema = dataclasses.replace(SCHEMA, safety=more)
    assert check('<div class="encadre">x</div>\n', schema=schema) == []
    assert check('<div class="encadre">x</div>\n') != []


def test_always_forbidden_tags_stay_forbidden_whatever_the_schema_says():
    schema = dataclasses.replace(SCHEMA, safety=dataclasses.replace(SCHEMA.safety, html_tags={"script": ()}))
    assert check("<script>x</script>\n", schema=schema) == [forbidden(4, "script", "<script>", *SCRIPT)]


@pytest.mark.parametrize(
    "body",
    [
        "texte](x<script>alert(1)</script>)\n",
        "texte](<script>alert(1)</script>)\n",
    ],
)
def test_a_tag_cannot_hide_in_what_looks_like_a_link_address(body):
    assert forbidden(4, "script", "<script>", *SCRIPT) in check(body)


def test_a_tag_inside_a_real_link_address_is_only_text():
    # Rendered as href="x&lt;script&gt;…": nothing runs, nothing to refuse.
    assert check("[lien](x<script>alert(1)</script>)\n") == []


def test_malformed_declarations_do_not_break_the_check():
    assert check("<![ x\n<![if !IE]>\n<!DOCTYPE html>\n") == []


# --- Front matter -----------------------------------------------------------


def test_no_markup_in_front_matter_text_with_the_field_path(tmp_path):
    repo = make_repo(tmp_path)
    path = add_fixture(repo, "safety/en-tete-html.md")
    problems = problems_for(repo, path)
    assert problems[0] == (
        "fiches/en-tete-html.md:3 : erreur : champ « titre » : balise HTML interdite dans l'en-tête : les champs contiennent du texte simple.\n"
        "    attendu : du texte sans balise\n"
        "    trouvé : « <b> »\n"
        "    suggestion : retirez la balise ; pour écrire le signe « < » seul, mettez une espace après (« a < b »)\n"
        f"{HELP}"
    )
    assert [p.split("\n")[0] for p in problems if "balise" in p.split("\n")[0]] == [
        "fiches/en-tete-html.md:3 : erreur : champ « titre » : balise HTML interdite dans l'en-tête : les champs contiennent du texte simple.",
        "fiches/en-tete-html.md:16 : erreur : champ « sources[2].titre » : balise HTML interdite dans l'en-tête : les champs contiennent du texte simple.",
    ]
    assert "    trouvé : « <img src=x onerror=alert(1)> »" in problems[2]


@pytest.mark.parametrize(
    "header, field, line",
    [
        ('titre: "Un </i>titre"\n', "titre", 2),
        ("resume: >-\n  Un résumé\n  avec <script>alert(1)</script>\n", "resume", 2),
        ('auteurs: ["HCTS", "<!-- commentaire -->"]\n', "auteurs[2]", 2),
        ("structure: Association <span>Exemple</span>\n", "structure", 2),
        ("contact:\n  structure: \"<a href='x'>Asso</a>\"\n", "contact.structure", 3),
    ],
)
def test_every_front_matter_string_is_checked(header, field, line):
    problems = check("Texte.\n", header=header)
    assert [p.split("\n")[0] for p in problems] == [
        f"fiches/essai.md:{line} : erreur : champ « {field} » : balise HTML interdite dans l'en-tête : les champs contiennent du texte simple."
    ]


@pytest.mark.parametrize("text", ["a < b", "« moins de 3 <5 ans »", "<3", "flèche <- ici", "Loi 78-17 > RGPD"])
def test_a_lone_angle_bracket_in_front_matter_is_not_markup(text):
    assert check("Texte.\n", header=f'titre: "{text}"\n') == []
