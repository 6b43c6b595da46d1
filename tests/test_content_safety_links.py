"""Link addresses in the body: https only for external links, never
javascript:/vbscript:/data:, however disguised; relative links, tel: and
allowlisted mailto: are fine."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiches_kb.frontmatter import parse_text
from fiches_kb.problems import sort_problems
from fiches_kb.rules import check_body_safety, check_front_matter_safety, renderer_for
from fiches_kb.rules.addresses import url_scheme
from fiches_kb.schema import load_schema
from helpers import REPO, add_fixture, make_repo, problems_for

SCHEMA = load_schema(REPO)
HELP = "    aide : pages/contribuer/guide.md#securite"


def check(body: str) -> list[str]:
    """Problems of a sheet whose body starts on line 4."""
    source, problems = parse_text(f"---\ntitre: Un titre\n---\n{body}", Path("fiches/essai.md"), "fiches/essai.md")
    assert source is not None, problems
    found = check_front_matter_safety(source, SCHEMA) + check_body_safety(source, SCHEMA, renderer_for(REPO))
    return [problem.format() for problem in sort_problems(found)]


def http(line: int, address: str) -> str:
    return (
        f"fiches/essai.md:{line} : erreur : lien non sécurisé (http).\n"
        "    attendu : une adresse en https://\n"
        f"    trouvé : « {address} »\n"
        f"    suggestion : écrivez « https{address[4:]} » après avoir vérifié qu'elle fonctionne\n"
        f"{HELP}"
    )


def dangerous(line: int, scheme: str, written: str) -> str:
    why = {
        "javascript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
        "vbscript": "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur",
        "data": "elle peut cacher un programme ou un document entier dans le lien",
    }[scheme]
    return (
        f"fiches/essai.md:{line} : erreur : adresse « {scheme}: » interdite : {why}.\n"
        "    attendu : une adresse en https:// ou un lien relatif vers une autre page du site\n"
        f"    trouvé : « {written} »\n"
        "    suggestion : remplacez-la par l'adresse en https de la page visée, ou retirez le lien\n"
        f"{HELP}"
    )


# --- http ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Voir [le site](http://www.exemple.fr/page).\n",
        'Voir [le site](http://www.exemple.fr/page "Le titre").\n',
        "Voir ![le schéma](http://www.exemple.fr/page).\n",
        "Voir <http://www.exemple.fr/page>.\n",
        "Voir [le site][site].\n\n[site]: http://www.exemple.fr/page\n",
        "Voir [le site](<http://www.exemple.fr/page>).\n",
        "Voir [le site](HTTP://www.exemple.fr/page).\n",
    ],
)
def test_http_links_are_refused_in_every_markdown_form(body):
    problems = check(body)
    assert len(problems) == 1
    line = 6 if "[site]:" in body else 4
    written = "HTTP://www.exemple.fr/page" if "HTTP:" in body else "http://www.exemple.fr/page"
    assert problems[0] == http(line, written)


def test_http_in_raw_html_href_and_src_is_refused():
    problems = check('<a href="http://www.exemple.fr/page">x</a>\n<img src="http://www.exemple.fr/page">\n')
    assert http(4, "http://www.exemple.fr/page") in problems
    assert http(5, "http://www.exemple.fr/page") in problems


def test_protocol_relative_links_must_say_https():
    assert check("[x](//www.exemple.fr/page)\n") == [
        "fiches/essai.md:4 : erreur : lien externe incomplet : l'adresse doit commencer par « https:// ».\n"
        "    attendu : une adresse en https://\n"
        "    trouvé : « //www.exemple.fr/page »\n"
        "    suggestion : écrivez « https://www.exemple.fr/page »\n"
        f"{HELP}"
    ]


def test_other_address_types_are_refused():
    assert check("[x](ftp://ftp.exemple.fr/doc.pdf)\n") == [
        "fiches/essai.md:4 : erreur : type d'adresse « ftp: » non autorisé dans un lien.\n"
        "    attendu : une adresse en https://, un lien relatif vers une autre page du site, ou une adresse « mailto: » ou « tel: »\n"
        "    trouvé : « ftp://ftp.exemple.fr/doc.pdf »\n"
        "    suggestion : remplacez-la par l'adresse en https de la page visée\n"
        f"{HELP}"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[x](https://www.exemple.fr/page_(1) \"titre\")\n",
        "[x](../pratiques-inspirantes/aidants-connect.md)\n",
        "[x](autre-fiche.md#que-faire) et [y](#ce-qui-est-en-jeu) et [z](/fiches/)\n",
        "[x](mailto:contact@association-exemple.fr) et [y](mailto:accueil@social.gouv.fr?subject=Question)\n",
        "[Allô Service public](tel:3939)\n",
        "<https://www.exemple.fr/page>\n",
        "Texte sans lien : http://www.exemple.fr n'est pas un lien en Markdown.\n",
        "Du code : `[x](http://exemple.fr)` et `<a href=\"javascript:x\">`.\n",
        "```\n[x](javascript:alert(1))\n```\n",
        "[Définition][def]\n\n[def]: https://www.exemple.fr \"Titre\"\n",
    ],
)
def test_secure_relative_and_quoted_links_pass(body):
    assert check(body) == []


# --- javascript:, vbscript:, data: -----------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&#58;alert(1)",
        "javascript&colon;alert(1)",
        "java\tscript:alert(1)",
    ],
)
def test_javascript_links_are_refused_however_disguised(written):
    problems = check(f"[clic]({written})\n")
    shown = " ".join(written.split())
    assert problems == [dangerous(4, "javascript", shown)]


def test_an_entity_without_semicolon_is_judged_as_the_browser_reads_it():
    # In raw HTML the browser decodes « &#106 » even without « ; »: refused.
    problems = check('<a href="&#106avascript:alert(1)">clic</a>\n')
    assert [p.split("\n")[0] for p in problems][0] == (
        "fiches/essai.md:4 : erreur : adresse « javascript: » interdite : "
        "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur."
    )
    # In a Markdown link, Python-Markdown escapes the « & »: the address is
    # the harmless text « &#106avascript:… », which no rule needs to refuse.
    assert not any("javascript" in p for p in check("[clic](&#106avascript:alert(1))\n"))


@pytest.mark.parametrize(
    "body",
    [
        "[clic](   javascript:alert(1))\n",
        "[clic](\njavascript:alert(1))\n",
        '[clic](javascript:alert(1) "titre")\n',
        "[clic](<javascript:alert(1)>)\n",
        "![image](javascript:alert(1))\n",
        "[clic][r]\n\n[r]: javascript:alert(1)\n",
        "[clic][r]\n\n[r]:\n  javascript:alert(1)\n",
    ],
)
def test_javascript_links_are_found_in_every_markdown_form(body):
    problems = check(body)
    assert len(problems) == 1
    assert "adresse « javascript: » interdite" in problems[0]
    assert "« javascript:alert(1) »" in problems[0]


def test_vbscript_and_data_addresses_have_their_own_message():
    assert check("[a](vbscript:msgbox(1))\n![b](data:text/html;base64,PHNjcmlwdD4=)\n") == [
        dangerous(4, "vbscript", "vbscript:msgbox(1)"),
        dangerous(5, "data", "data:text/html;base64,PHNjcmlwdD4="),
    ]


def test_dangerous_addresses_in_raw_html_attributes_are_refused():
    problems = check('<abbr title="x">A</abbr> <a href=" &#74;avascript:alert(1)">x</a>\n')
    headlines = [p.split("\n")[0] for p in problems]
    assert headlines == [
        "fiches/essai.md:4 : erreur : adresse « javascript: » interdite : un clic sur ce lien exécuterait un programme dans le navigateur du lecteur.",
        "fiches/essai.md:4 : erreur : balise HTML « <a> » non autorisée.",
    ]


def test_dangerous_addresses_in_markdown_attribute_lists_are_refused():
    problems = check('[x](https://exemple.fr){: href="javascript:alert(1)" }\n')
    assert problems == [dangerous(4, "javascript", "javascript:alert(1)")]


@pytest.mark.parametrize(
    "address, scheme",
    [
        ("https://exemple.fr", "https"),
        (" HTTP://exemple.fr", "http"),
        ("java\nscript:x", "javascript"),
        ("&#0000106;avascript:x", "javascript"),
        ("\x01javascript:x", "javascript"),
        ("java\u200bscript:x", "javascript"),
        ("vb&#x09;script:x", "vbscript"),
        ("DATA:text/html,x", "data"),
        ("/\\exemple.fr", "//"),
        ("\\\\\\\\exemple.fr", "//"),
        ("../autre.md", None),
        ("autre.md#section", None),
        ("#section", None),
        ("", None),
    ],
)
def test_url_scheme_reads_the_address_as_a_browser_would(address, scheme):
    assert url_scheme(address) == scheme


def test_the_fixture_reports_each_link_on_its_line(tmp_path):
    repo = make_repo(tmp_path)
    path = add_fixture(repo, "safety/liens.md")
    headlines = [problem.split("\n")[0] for problem in problems_for(repo, path)]
    assert headlines == [
        "fiches/liens.md:21 : erreur : lien non sécurisé (http).",
        "fiches/liens.md:21 : erreur : lien non sécurisé (http).",
        "fiches/liens.md:22 : erreur : adresse « data: » interdite : elle peut cacher un programme ou un document entier dans le lien.",
        "fiches/liens.md:22 : erreur : adresse « javascript: » interdite : un clic sur ce lien exécuterait un programme dans le navigateur du lecteur.",
        "fiches/liens.md:22 : erreur : adresse « javascript: » interdite : un clic sur ce lien exécuterait un programme dans le navigateur du lecteur.",
        "fiches/liens.md:26 : erreur : lien non sécurisé (http).",
        "fiches/liens.md:28 : erreur : lien non sécurisé (http).",
        "fiches/liens.md:32 : erreur : une fiche publique ne doit contenir aucune donnée personnelle : cette adresse électronique peut être celle d'une personne.",
    ]


# --- mailto: -----------------------------------------------------------------


def test_a_mailto_link_to_a_personal_address_is_personal_data_reported_once():
    problems = check("[Écrire](mailto:jean.dupont@gmail.com)\n")
    assert len(problems) == 1
    assert problems[0].startswith(
        "fiches/essai.md:4 : erreur : une fiche publique ne doit contenir aucune donnée personnelle : cette adresse électronique peut être celle d'une personne."
    )
    assert "    trouvé : « j•••@g•••.com » (masqué)" in problems[0]


@pytest.mark.parametrize(
    "address",
    ["jean.dupont%40gmail.com", "jean.dupont&#64;gmail.com", "contact@asso.fr,jean.dupont@gmail.com", "%6Aean.dupont@gmail.com"],
)
def test_encoded_mailto_addresses_are_decoded_before_the_check(address):
    problems = check(f"[Écrire](mailto:{address})\n")
    assert len(problems) == 1
    assert "    trouvé : « j•••@g•••.com » (masqué)" in problems[0]
