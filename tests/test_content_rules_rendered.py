"""The content rules judge what readers get: each body rendered with the
site's own Markdown (fiches_kb.rules), the nh3 sanitizer as the last
guarantee, the same rules on MkDocs' rendering in the build (with the
previous site kept whole when they fail), and the cache of `fiches check`.

Each test is written so that it fails with a check that reads the Markdown
source instead of its rendering: attribute lists as Python-Markdown parses
them, addresses of any length, images from other sites, personal data split
by line breaks, emphasis or disguises."""

from __future__ import annotations

import dataclasses
import pickle
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import fiches_kb.corpus as corpus_module
from fiches_kb.cli import main
from fiches_kb.frontmatter import parse_text
from fiches_kb.problems import sort_problems
from fiches_kb.rules import check_body_safety, check_front_matter_safety, renderer_for
from fiches_kb.rules.sanitizer import sanitizer_change
from fiches_kb.schema import load_schema
from helpers import ATTACK_PIECES, EXAMPLE_SITE, REPO, copy_site, make_repo, run_mkdocs

SCHEMA = load_schema(REPO)
RULES = SCHEMA.safety
HELP = "    aide : pages/contribuer/guide.md#securite"
PERSONAL = "une fiche publique ne doit contenir aucune donnée personnelle : "


def parse(body: str, header: str = "titre: Un titre\n"):
    source, problems = parse_text(f"---\n{header}---\n{body}", Path("fiches/essai.md"), "fiches/essai.md")
    assert source is not None, problems
    return source


def check(body: str, schema=SCHEMA) -> list[str]:
    """Problems of a sheet whose body starts on line 4, formatted."""
    source = parse(body)
    found = check_front_matter_safety(source, schema) + check_body_safety(source, schema, renderer_for(REPO))
    return [problem.format() for problem in sort_problems(found)]


def headlines(body: str, schema=SCHEMA) -> list[str]:
    return [problem.split("\n")[0] for problem in check(body, schema)]


def rendered(body: str) -> str:
    return renderer_for(REPO).render(body).html


def attribute_problem(line: int, name: str, found: str) -> str:
    why = {
        "onclick": "attribut « onclick » interdit : les attributs « on… » lancent un programme dans le navigateur.",
        "style": "attribut « style » interdit : la mise en forme des fiches vient du thème du site.",
    }[name]
    return (
        f"fiches/essai.md:{line} : erreur : {why}\n"
        f"    trouvé : « {found} »\n"
        "    suggestion : retirez cet attribut de la liste « {: … } »\n"
        f"{HELP}"
    )


def javascript_problem(line: int, found: str) -> str:
    return (
        f"fiches/essai.md:{line} : erreur : adresse « javascript: » interdite : "
        "un clic sur ce lien exécuterait un programme dans le navigateur du lecteur.\n"
        "    attendu : une adresse en https:// ou un lien relatif vers une autre page du site\n"
        f"    trouvé : « {found} »\n"
        "    suggestion : remplacez-la par l'adresse en https de la page visée, ou retirez le lien\n"
        f"{HELP}"
    )


EXTERNAL = (
    "chargée depuis un autre site : une fiche ne charge aucun contenu d'un autre site "
    "(cela renseignerait ce site sur les lecteurs, et le navigateur la bloquerait)."
)


def external_image(line: int, address: str, what: str = "image") -> str:
    return (
        f"fiches/essai.md:{line} : erreur : {what} {EXTERNAL}\n"
        "    attendu : une image enregistrée dans le dépôt, avec une adresse relative\n"
        f"    trouvé : « {address} »\n"
        "    suggestion : enregistrez l'image dans le dépôt et indiquez son adresse relative, "
        "ou remplacez-la par un lien : [description](https://…)\n"
        f"{HELP}"
    )


def personal(line: int, kind: str, masked: str) -> str:
    """The headline and the « trouvé » line of a personal-data problem."""
    what = {
        "courriel": "cette adresse électronique peut être celle d'une personne.",
        "telephone": "ce numéro de téléphone peut être celui d'une personne.",
        "iban": "ces coordonnées bancaires (IBAN, clé de contrôle juste) désignent un compte réel.",
    }[kind]
    return f"fiches/essai.md:{line} : erreur : {PERSONAL}{what}\n    trouvé : « {masked} » (masqué)"


def personal_summaries(body: str) -> list[str]:
    """Headline and « trouvé » line of each problem (the rest is pinned in
    test_content_safety_personal_data.py)."""
    return ["\n".join(p.split("\n")[:1] + [line for line in p.split("\n") if line.startswith("    trouvé")]) for p in check(body)]


def make_iban(country: str, bban: str) -> str:
    """An IBAN with its ISO 13616 check digits (computed, never a real one)."""
    digits = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


IBAN = make_iban("FR", "30006000011234567890189")
SPACED_IBAN = " ".join(IBAN[i : i + 4] for i in range(0, len(IBAN), 4))
IBAN_MASKED = "FR76 •••• •••• •••• •••• •••• •89"


# --- 1. Attribute lists, as Python-Markdown reads them ------------------------


def test_a_brace_inside_a_quoted_value_does_not_end_the_attribute_list():
    body = 'Texte.\n\nUn paragraphe.\n{: title="}" style="color:red" }\n'
    assert 'style="color:red"' in rendered(body)  # what a reader's browser gets
    assert check(body) == [attribute_problem(7, "style", '{: title="}" style="color:red" }')]


def test_braces_inside_a_handler_value_are_read_as_markdown_reads_them():
    body = 'Texte.\n\nUn paragraphe.\n{: onclick="if(1){alert(1)}" }\n'
    assert 'onclick="if(1){alert(1)}"' in rendered(body)
    assert check(body) == [attribute_problem(7, "onclick", '{: onclick="if(1){alert(1)}" }')]


def test_an_attribute_list_on_a_link_replaces_its_address():
    body = 'Texte.\n\n[x](https://a.fr){: href="javascript:alert(1)" }\n'
    # Python-Markdown's attr_list overrides the link's own address.
    assert '<a href="javascript:alert(1)">x</a>' in rendered(body)
    assert check(body) == [javascript_problem(6, "javascript:alert(1)")]


def test_an_attribute_list_on_an_image_replaces_its_address():
    body = 'Texte.\n\n![plan](images/plan.png){: src="https://tracker.example/p.png" }\n'
    assert 'src="https://tracker.example/p.png"' in rendered(body)
    assert check(body) == [external_image(6, "https://tracker.example/p.png")]


# --- 2. Addresses of any length -----------------------------------------------


def test_a_javascript_address_longer_than_two_thousand_characters_is_refused():
    address = "javascript:" + "a" * 5000
    assert check(f"Texte.\n\n[x]({address})\n") == [javascript_problem(6, address[:59] + "…")]


def test_a_long_javascript_address_in_a_reference_definition_is_refused_on_its_line():
    address = "javascript:" + "a" * 5000
    assert check(f"Texte.\n\n[x][r]\n\n[r]: {address}\n") == [javascript_problem(8, address[:59] + "…")]


# --- 3. Nothing loaded from another site --------------------------------------


@pytest.mark.parametrize(
    "body, line",
    [
        ("Texte.\n\n![](https://tracker.example/pixel.png)\n", 6),
        # A reference image: reported where its address is written.
        ("Texte.\n\n![pixel][p]\n\n[p]: https://tracker.example/pixel.png\n", 8),
    ],
)
def test_a_markdown_image_from_another_site_is_refused(body, line):
    assert check(body) == [external_image(line, "https://tracker.example/pixel.png")]


def test_a_protocol_relative_image_is_refused_twice_over():
    assert headlines("Texte.\n\n![](//tracker.example/p.png)\n") == [
        f"fiches/essai.md:6 : erreur : image {EXTERNAL}",
        "fiches/essai.md:6 : erreur : lien externe incomplet : l'adresse doit commencer par « https:// ».",
    ]


@pytest.mark.parametrize(
    "body, what, address",
    [
        ('Texte.\n\nVoir <img src="https://tracker.example/p.png" alt="x">\n', "image", "https://tracker.example/p.png"),
        ('Texte.\n\n<picture><source srcset="https://t.example/a.png 2x"></picture>\n', "ressource (« <source> »)", "https://t.example/a.png"),
        ('Texte.\n\n<video poster="https://t.example/a.png"></video>\n', "ressource (« <video> »)", "https://t.example/a.png"),
    ],
)
def test_raw_html_resources_from_another_site_are_refused_on_their_line(body, what, address):
    problems = check(body)
    assert external_image(6, address, what) in problems
    # The tags themselves are outside the allowlist of referentiel.yml too.
    assert all(p.startswith("fiches/essai.md:6 : erreur : ") for p in problems)


def test_a_relative_image_passes():
    assert check("Texte.\n\n![plan](images/plan.png)\n") == []


# --- 4. Personal data as readers see it -------------------------------------


def test_a_phone_number_split_over_two_lines_is_found_where_it_starts():
    assert personal_summaries("Texte.\n\nAppelez le 06 12\n34 56 78 demain\n") == [personal(6, "telephone", "06 •• •• •• 78")]


def test_a_phone_number_cut_after_its_first_pair_is_found():
    assert personal_summaries("Texte.\n\nAppelez le 06\n12 34 56 78 demain\n") == [personal(6, "telephone", "06 •• •• •• 78")]


def test_an_iban_split_over_two_lines_is_found_where_it_starts():
    body = f"Texte.\n\nIBAN {SPACED_IBAN[:14]}\n{SPACED_IBAN[15:]} merci\n"
    assert personal_summaries(body) == [personal(6, "iban", IBAN_MASKED)]


def test_a_phone_number_with_emphasis_inside_is_found():
    assert personal_summaries("Texte.\n\nAppelez le 06 **12** 34 56 78 demain\n") == [personal(6, "telephone", "06 •• •• •• 78")]


@pytest.mark.parametrize(
    "written",
    [
        "jean.dupont [at] free [point] fr",
        "jean.dupont (at) free (dot) fr",
        "jean.dupont arobase free point fr",
        "jean.dupont\u00ad@free.fr",  # a soft hyphen: accepted by the file reader, invisible to readers
        "jean\u00ad.dupont@\u00adfree.fr",
    ],
)
def test_disguised_e_mail_addresses_are_found(written):
    assert personal_summaries(f"Texte.\n\nÉcrire à {written} svp.\n") == [personal(6, "courriel", "j•••@f•••.fr")]


def test_the_full_personal_data_message_is_given_for_what_only_the_rendering_shows():
    assert check("Texte.\n\nAppelez le 06 12\n34 56 78 demain\n") == [
        f"fiches/essai.md:6 : erreur : {PERSONAL}ce numéro de téléphone peut être celui d'une personne.\n"
        "    attendu : aucun numéro personnel ; les numéros en 08 et les numéros courts (3939, 115…) sont acceptés\n"
        "    trouvé : « 06 •• •• •• 78 » (masqué)\n"
        "    suggestion : retirez le numéro et renvoyez vers la page de contact de la structure ; le standard "
        "d'une institution peut être ajouté à la rubrique « securite » de referentiel.yml\n"
        f"{HELP}"
    ]


def test_a_disguised_address_is_reported_where_it_is_written_even_if_the_name_appears_before():
    body = "Texte.\nJean.Dupont est référent.\n\nÉcrire à jean.dupont [at] free [point] fr svp.\n"
    assert personal_summaries(body) == [personal(7, "courriel", "j•••@f•••.fr")]


def test_an_autolinked_address_is_reported_once_on_its_line():
    assert personal_summaries("Texte.\n\nÉcrire à <jean.dupont@free.fr>\n") == [personal(6, "courriel", "j•••@f•••.fr")]


def test_a_phone_number_split_by_a_comment_is_reported_on_its_line():
    body = "Texte.\n\nAppelez le 06 12 <!-- x --> 34 56 78\n"
    assert personal_summaries(body) == [personal(6, "telephone", "06 •• •• •• 78")]


# --- 5. What is legitimate keeps passing --------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Appelez le 3939, le 115, le 17 ou le 3018.\n",
        "Voir [le site](https://www.service-public.fr/particuliers) et https://www.cnil.fr.\n",
        "Écrire à contact@example.fr ou accueil@caf.fr, ou [nous](mailto:contact@example.fr).\n",
        "```html\n<script>alert(1)</script>\n```\n",
        'Code : `<b onclick="alert(1)">`.\n',
        "Le mot javascript n'est pas dangereux, ni « javascript: » dans une phrase.\n",
        "| Aide | Montant |\n|:-:|--:|\n| RSA | 600 |\n",
        '!!! note "À retenir"\n    Texte de la note.\n',
        "Terme\n:   Définition du terme.\n",
        "La CAF verse les aides.\n\n*[CAF]: Caisse d'allocations familiales\n",
        "La <abbr title=\"Caisse d'allocations familiales\">CAF</abbr> verse.\n",
        "<details><summary>Plus</summary>Texte caché.</details>\n",
        "<details open>\n<summary>Plus</summary>\n\nTexte **caché**.\n\n</details>\n",
        "## Titre {: #ancre .important }\n",
    ],
)
def test_legitimate_content_passes(body):
    assert check(body) == []


def test_table_alignment_is_an_attribute_not_a_style():
    html = rendered("| A | B |\n|:-:|--:|\n| 1 | 2 |\n")
    assert '<th align="center">A</th>' in html and "style" not in html


# --- 6. The sanitizer, the last guarantee ------------------------------------

SANITIZER = "le filtre de sécurité du site retirerait une partie de ce passage : il n'est pas publié tel quel."


def schema_without_markdown_tags(*tags: str):
    markdown_tags = {tag: attributes for tag, attributes in RULES.markdown_tags.items() if tag not in tags}
    return dataclasses.replace(SCHEMA, safety=dataclasses.replace(RULES, markdown_tags=markdown_tags))


def test_only_the_sanitizer_catches_a_tag_markdown_makes_outside_its_list():
    body = 'Texte.\n\n!!! note "À retenir"\n    Texte de la note.\n'
    assert check(body) == []
    problems = check(body, schema=schema_without_markdown_tags("div"))
    assert len(problems) == 1
    assert problems[0].split("\n")[0].endswith(f" : erreur : {SANITIZER}")
    assert problems[0].split("\n")[1:] == [
        "    attendu : du Markdown, et seulement le HTML autorisé par la rubrique « securite » de referentiel.yml",
        '    trouvé : « <div class="admonition note"> <p class="admonition-title">À retenir</p> <p>Texte »',
        "    suggestion : écrivez ce passage en Markdown, sans HTML ; si une balise vous semble nécessaire, "
        "demandez son ajout à un développeur",
        HELP,
    ]


def test_the_sanitizer_judges_table_cells_too():
    problems = headlines("Texte.\n\n| A | B |\n|:-:|--:|\n| 1 | 2 |\n", schema=schema_without_markdown_tags("th", "td"))
    assert [p.split(" : erreur : ")[1] for p in problems] == [SANITIZER]


def test_the_sanitizer_is_silent_when_a_precise_rule_already_spoke():
    # <div> is refused by the allowlist of raw HTML: no vaguer sanitizer message on top.
    assert [p.split(" : erreur : ")[1] for p in headlines('Texte.\n\n<div onclick="x">y</div>\n')] == [
        "attribut « onclick » interdit : les attributs « on… » lancent un programme dans le navigateur.",
        "balise HTML « <div> » non autorisée.",
    ]


@pytest.mark.parametrize(
    "html",
    [
        "",
        '<p>Texte <strong>gras</strong> <a href="https://a.fr">lien</a></p>',
        "<p>a</p><!-- un commentaire reste -->",
        '<p><img alt="plan" src="images/plan.png" /></p>',
        '<a href="mailto:contact@example.fr">écrire</a> <a href="tel:3939">3939</a>',
        '<p class="x" id="y" title="z">a</p>',
        '<table><thead><tr><th align="center">A</th></tr></thead><tbody><tr><td align="right">1</td></tr></tbody></table>',
    ],
)
def test_the_sanitizer_keeps_safe_html_whole(html):
    assert sanitizer_change(html, RULES) is None


@pytest.mark.parametrize(
    "html, shown",
    [
        ("<p onclick=x>a</p>", '<p onclick="x">a</p>'),
        ('<img src="//x">', '<img src="//x">'),
        ('<img src="https://tracker.example/p.png">', '<img src="https://tracker.example/p.png">'),
        ('<a href="javascript:x">a</a>', '<a href="javascript:x">a</a>'),
        ('<p style="color:red">a</p>', '<p style="color:red">a</p>'),
        ("<p>a</p><script>x</script>", "<script>x</script>"),
        ('<abbr title="t" dir="rtl">A</abbr>', '<abbr title="t" dir="rtl">A</abbr>'),
    ],
)
def test_the_sanitizer_reports_what_it_would_remove(html, shown):
    assert sanitizer_change(html, RULES) == shown


def test_the_sanitizer_keeps_only_the_attributes_of_referentiel():
    assert "lang" not in RULES.sanitizer_allowlist().get("*", set()) | RULES.sanitizer_allowlist()["p"]
    assert sanitizer_change('<p lang="ar">a</p>', RULES) is not None


# --- 7. The build: rendered-HTML rules, and the previous site kept whole ------

PIXEL = "![](https://tracker.example/pixel.png)"


def sheet_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def refused_build(tmp_path_factory):
    """The example site with an external image in one sheet's body, built
    over a previous site: (result, site folder, output folder, line of the image)."""
    base = tmp_path_factory.mktemp("build-refused")
    site = copy_site(base / "src", EXAMPLE_SITE)
    sheet = site / "fiches/proteger-les-donnees.md"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("Aucun mot de passe noté.\n", f"Aucun mot de passe noté.\n\n{PIXEL}\n"), encoding="utf-8")
    line = sheet_lines(sheet).index(PIXEL) + 1
    output = base / "html"
    output.mkdir()
    (output / "ancien.html").write_text("ancienne version", encoding="utf-8")
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(output))
    return result, site, output, line


def test_fiches_check_passes_the_front_matter_but_not_the_rendered_body(refused_build, monkeypatch, tmp_path, capsys):
    _, site, _, line = refused_build
    monkeypatch.chdir(site)
    monkeypatch.setenv("FICHES_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--sans-cache"]) == 1
    err = capsys.readouterr().err
    assert f"fiches/proteger-les-donnees.md:{line} : erreur : image {EXTERNAL}" in err
    assert err.endswith("1 erreur dans 1 fichier (sur 4 vérifiés).\n")


def test_a_body_refused_once_rendered_stops_the_build_and_keeps_the_previous_site(refused_build):
    result, _, output, _ = refused_build
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in log
    assert re.search(rf"fiches/proteger-les-donnees\.md:\d+ : erreur : image {re.escape(EXTERNAL)}", log), log
    assert "    trouvé : « https://tracker.example/pixel.png »" in log
    assert "La vérification des fiches a échoué : 1 erreur dans 1 fichier" in log
    # Nothing half-written: the previous site is untouched, the staging folder is gone.
    assert [p.name for p in output.iterdir()] == ["ancien.html"]
    assert (output / "ancien.html").read_text(encoding="utf-8") == "ancienne version"
    assert sorted(p.name for p in output.parent.iterdir()) == ["html", "src"]


def test_the_build_reports_the_line_of_the_file(refused_build):
    result, _, _, line = refused_build
    assert f"fiches/proteger-les-donnees.md:{line} : erreur : image {EXTERNAL}" in result.stdout + result.stderr


# --- 8. The built site: nothing forbidden in what readers get ---------------

LEGITIMATE = """
## Pour aller plus loin

!!! note "À retenir"
    La <abbr title="Caisse d'allocations familiales">CAF</abbr> répond au 3939.

| Aide | Montant |
|:-:|--:|
| RSA | 600 |

Terme
:   Définition du terme.

<details><summary>Plus</summary>Écrire à contact@example.fr.</details>

Un paragraphe avec une classe.
{: .important }

```html
<script>alert(1)</script>
```

Citer `<b onclick="x">` reste du texte.
"""


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """The example site, one sheet with every legitimate construct added,
    built over a previous site."""
    base = tmp_path_factory.mktemp("build-ok")
    site = copy_site(base / "src", EXAMPLE_SITE)
    sheet = site / "fiches/proteger-les-donnees.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + LEGITIMATE, encoding="utf-8")
    output = base / "html"
    output.mkdir()
    (output / "ancien.html").write_text("ancienne version", encoding="utf-8")
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(output))
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return output


def test_a_successful_build_replaces_the_previous_site_and_leaves_nothing_beside_it(built_site):
    assert not (built_site / "ancien.html").exists()
    assert (built_site / "fiches/proteger-les-donnees/index.html").is_file()
    assert sorted(p.name for p in built_site.parent.iterdir()) == ["html", "src"]


class PageAudit(HTMLParser):
    """Everything forbidden in a page, and whether it is inside <article>."""

    RESOURCE_TAGS = {"img", "source", "link", "script", "iframe", "audio", "video", "track", "embed", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # of <article>
        self.found: list[tuple] = []
        self.scripts_in_article: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if tag == "script" and self.depth:
            self.scripts_in_article.append(dict(attrs).get("src") or "(inline)")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append((tag, name, value))
            if name in ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href"):
                address = re.sub(r"[\x00-\x20]", "", value).lower()
                if address.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append((tag, name, value))
                if tag in self.RESOURCE_TAGS and name in ("href", "src", "srcset", "poster", "data"):
                    if re.match(r"^([a-z][a-z0-9+.\-]*:)?//", address):
                        self.found.append((tag, name, value))
            if name == "style" and self.depth:
                self.found.append((tag, name, value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def audit(path: Path) -> PageAudit:
    parser = PageAudit()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def sheet_pages(site: Path) -> list[Path]:
    pages = []
    for folder in ("fiches", "pratiques-inspirantes"):
        for source in sorted((EXAMPLE_SITE / folder).glob("*.md")):
            page = site / folder / source.stem / "index.html"
            if page.is_file():
                pages.append(page)
    return pages


def test_no_page_of_the_built_site_holds_a_forbidden_construct(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    found = {str(page.relative_to(built_site)): audit(page).found for page in pages}
    assert {page: items for page, items in found.items() if items} == {}


def test_sheet_pages_run_no_script_from_their_content(built_site):
    pages = sheet_pages(built_site)
    assert {page.parent.name for page in pages} >= {"proteger-les-donnees", "aidants-connect"}
    assert {str(page.relative_to(built_site)): audit(page).scripts_in_article for page in pages} == {
        str(page.relative_to(built_site)): [] for page in pages
    }


def test_the_legitimate_constructs_reach_the_page(built_site):
    html = (built_site / "fiches/proteger-les-donnees/index.html").read_text(encoding="utf-8")
    for expected in (
        '<div class="admonition note">',
        '<th align="center">Aide</th>',
        "<dt>Terme</dt>",
        "<details><summary>Plus</summary>",
        '<p class="important">',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<code>&lt;b onclick=\"x\"&gt;</code>",
    ):
        assert expected in html


# --- 9. The cache of `fiches check` ----------------------------------------


@pytest.fixture
def cached_repo(tmp_path, monkeypatch):
    """A repository to check, a private cache folder, and the number of
    files `fiches check` really checks (calls to corpus.check_file)."""
    (tmp_path / "depot").mkdir()
    repo = make_repo(tmp_path / "depot")
    (repo / "fiches/donnees.md").write_text(
        (repo / "fiches/proteger-les-donnees.md")
        .read_text(encoding="utf-8")
        .replace("id: FP-001", "id: FP-009")
        .replace("Aucun mot de passe noté.", "Aucun mot de passe noté ; appelez le 06 12\n34 56 78."),
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    monkeypatch.setenv("FICHES_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    checked: list[str] = []
    real = corpus_module.check_file

    def counting(path, *args, **kwargs):
        checked.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(corpus_module, "check_file", counting)
    return repo, checked


def run_check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_second_check_with_nothing_changed_reads_every_result_from_the_cache(cached_repo, capsys):
    repo, checked = cached_repo
    first = run_check(capsys)
    assert first[0] == 1 and "fiches/donnees.md:" in first[2]
    assert len(checked) == 5
    checked.clear()
    assert run_check(capsys) == first
    assert checked == []


def test_editing_one_file_checks_only_that_file_again(cached_repo, capsys):
    repo, checked = cached_repo
    first = run_check(capsys)
    checked.clear()
    sheet = repo / "fiches/donnees.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("06 12\n34 56 78", "3939"), encoding="utf-8")
    code, out, err = run_check(capsys)
    assert checked == ["donnees.md"]
    assert (code, out, err) != first
    assert code == 0 and out == "5 fichiers vérifiés, aucune erreur.\n"


def test_a_changed_referentiel_checks_everything_again(cached_repo, capsys):
    repo, checked = cached_repo
    first = run_check(capsys)
    checked.clear()
    with (repo / "referentiel.yml").open("a", encoding="utf-8") as stream:
        stream.write("\n# un commentaire\n")
    assert run_check(capsys) == first
    assert sorted(checked) == sorted(["donnees.md", "proteger-les-donnees.md", "ancienne-fiche-messagerie.md",
                                      "brouillon-reseaux-sociaux.md", "aidants-connect.md"])


def test_sans_cache_checks_everything_again(cached_repo, capsys):
    repo, checked = cached_repo
    first = run_check(capsys)
    checked.clear()
    assert run_check(capsys, "--sans-cache") == first
    assert len(checked) == 5


def test_a_corrupt_cache_file_is_ignored(cached_repo, tmp_path, capsys):
    repo, checked = cached_repo
    first = run_check(capsys)
    cache_files = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(cache_files) == 1
    for garbage in (b"pas un pickle", pickle.dumps(["une", "liste"]), b""):
        cache_files[0].write_bytes(garbage)
        checked.clear()
        assert run_check(capsys) == first
        assert len(checked) == 5
    checked.clear()
    assert run_check(capsys) == first  # the cache was written again
    assert checked == []


# --- 10. Properties ---------------------------------------------------------

PERSONAL_PIECES = st.sampled_from(
    [
        "06 12", "\n34 56 78", "06", " **12** ", " 34 56 78", "+33 6 12 34 56 78", "3939", "115",
        "jean.dupont", " [at] ", " (at) ", " arobase ", "free", " [point] ", " (dot) ", " point ", "fr",
        "\u00ad", "@", "contact@example.fr", SPACED_IBAN[:14], "\n" + SPACED_IBAN[15:], IBAN,
        "Appelez le ", "Texte.\n\n", "**", "*", "`",
    ]
)
BODIES = st.lists(st.one_of(ATTACK_PIECES, PERSONAL_PIECES), max_size=30).map("".join)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORBIDDEN = {"script", "iframe", "object", "embed", "form", "style", "frame", "frameset", "applet", "base", "meta", "link"}


class ForbiddenConstructs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.found.append((tag,))
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append((tag, name))
            elif name in ("href", "src") and value:
                address = re.sub(r"[\x00-\x20]", "", value).lower()
                if address.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append((tag, name, value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def forbidden_constructs(html: str) -> list[tuple]:
    parser = ForbiddenConstructs()
    # Browsers read « <![ » as a comment up to the next « > »; html.parser does not.
    parser.feed(re.sub(r"<!\[[^>]*>", "", html))
    parser.close()
    return parser.found


@PROPERTY
@given(BODIES)
def test_the_body_check_never_raises_and_reports_lines_of_the_file(body):
    text = f"---\ntitre: Un titre\n---\n{body}"
    source, _ = parse_text(text, Path("fiches/essai.md"), "fiches/essai.md")
    assume(source is not None)
    last_line = text.count("\n") + 1
    for problem in check_body_safety(source, SCHEMA, renderer_for(REPO)):
        assert problem.line is not None and 4 <= problem.line <= last_line, (problem, body)
        assert problem.message


@PROPERTY
@given(BODIES)
def test_a_body_that_passes_the_check_renders_nothing_forbidden(body):
    source, _ = parse_text(f"---\ntitre: Un titre\n---\n{body}", Path("fiches/essai.md"), "fiches/essai.md")
    assume(source is not None)
    if not check_body_safety(source, SCHEMA, renderer_for(REPO)):
        assert forbidden_constructs(rendered(body)) == [], body


def test_the_property_oracle_sees_what_it_looks_for():
    assert forbidden_constructs('<p onclick="x" style="y"><a href=" jav\tascript:x">a</a></p><script></script>') == [
        ("p", "onclick"),
        ("p", "style"),
        ("a", "href", " jav\tascript:x"),
        ("script",),
    ]
    assert forbidden_constructs(rendered("Texte **gras** et [lien](https://a.fr).\n")) == []


# --- Rule ids and IBANs of French territories ---------------------------------


def test_each_problem_names_its_rule_in_the_pull_request_annotation():
    source, _ = parse_text("---\ntitre: x\n---\n[clic](javascript:alert(1))\n", Path("fiches/e.md"), "fiches/e.md")
    [problem] = check_body_safety(source, SCHEMA, renderer_for(REPO))
    assert problem.rule == "adresse-interdite"
    assert problem.github_annotation().startswith("::error file=fiches/e.md,line=4,title=Règle « adresse-interdite »::")


def test_an_iban_with_a_french_territory_code_is_found():
    bban = "30006000011234567890189"
    check_digits = 98 - int("".join(str(int(char, 36)) for char in bban + "RE00")) % 97
    iban = f"RE{check_digits:02d}{bban}"
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    source, _ = parse_text(f"---\ntitre: x\n---\nTexte.\n\nIBAN : {spaced}\n", Path("fiches/e.md"), "fiches/e.md")
    [problem] = check_body_safety(source, SCHEMA, renderer_for(REPO))
    assert problem.line == 6 and "IBAN" in problem.message and "RE" + f"{check_digits:02d}" in problem.found


@pytest.mark.parametrize("html", ['<a href="jav&#x09;ascript:x">a</a>', '<a href="JaVaScRiPt:x">a</a>', '<a href="vbscript:x">a</a>'])
def test_the_sanitizer_reads_addresses_as_browsers_do(html):
    # nh3 drops the tab as a browser does: the guarantee sees javascript: too.
    assert sanitizer_change(html, SCHEMA.safety) is not None
