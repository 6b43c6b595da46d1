"""Whatever a sheet says is text, wherever it lands in the built HTML.

MkDocs' Jinja environment does not autoescape, and Material prints some
values raw (the page's description and title, the header's title). A site
is built whose payload sheets hold, in every text field, one of three
payloads: `"><script>`, `" http-equiv="refresh` and `' onmouseover='`;
a theme of referentiel.yml and a page of the site carry them too. The
front-matter safety check would refuse the `<`: it is bypassed here, so
that the templates themselves are shown to escape. Then every HTML page is
parsed: no element or attribute was injected, and each value is found
whole, as text or as the value of one attribute; the JSON of the site and
of the search index gives the values back as written.

One build (about a second), shared by the module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from fiches_kb.search import read_fragment
from fiches_kb.build import BUILD
from helpers import EXAMPLE_SITE, REPO, copy_site

PAYLOADS = (
    '"><script>alert(1)</script>',
    '0;url=https://attacker.example/" http-equiv="refresh',
    "' onmouseover='alert(1)",
)
# Links must be https addresses without spaces (validate.py): the payloads
# without their spaces.
LINK_PAYLOADS = (
    'https://example.org/a"><script>alert(1)</script>',
    'https://example.org/b"http-equiv="refresh',
    "https://example.org/c'onmouseover='alert(1)",
)
SITE_NAME = "Numérique et travail social"
THEME = "autonomie-numerique"
# A theme label and description (referentiel.yml), with every payload and,
# for `striptags`, a tag written as entities: text, to be shown as written.
THEME_LABEL = "LIBELLE0 " + " ".join(PAYLOADS) + " &lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
THEME_DESCRIPTION = "DESCRIPTION0 " + " ".join(PAYLOADS)
# A page of the site whose title comes from its Markdown heading, where
# entities stay entities: Material's `striptags` used to turn them into tags.
PAGE_SOURCE = "# PAGE0 &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;\n\nTexte.\n"
PAGE_TITLE = "PAGE0 </title><script>alert(3)</script>"  # as a reader sees it


def payload_values(n: int) -> dict[str, str]:
    """The text fields of payload sheet n (1 to 3): a marker (« TITRE1 »)
    then the payload, so that a value cut short by an injection is seen."""
    payload = PAYLOADS[n - 1]
    return {
        "titre": f"TITRE{n} {payload}",
        "essentiel": f"ESSENTIEL{n} {payload}",
        "resume": f"RESUME{n} assez long pour la longueur minimale {payload}",
        "instance": f"INSTANCE{n} {payload}",
        "auteur": f"AUTEUR{n} {payload}",
        "source": f"SOURCE{n} {payload}",
        "structure": f"STRUCTURE{n} {payload}",
        "territoire": f"TERRITOIRE{n} {payload}",
        "periode": f"PERIODE{n} {payload}",
        "contact": f"CONTACT{n} {payload}",
    }


def payload_sheet(n: int) -> str:
    """Practice PI-10n: 1 validated (validation instance) and linked to 2,
    2 in review, 3 archived and replaced by 1; all overdue for review
    (1 and 2 are on « À relire »)."""
    v = {key: json.dumps(value, ensure_ascii=False) for key, value in payload_values(n).items()}
    link = json.dumps(LINK_PAYLOADS[n - 1])
    extra = {
        1: f"validation:\n  instance: {v['instance']}\n  seance: 2019-06-14\nliees: [PI-102]\n",
        2: "liees: [PI-101]\n",
        3: "remplacee_par: PI-101\n",
    }[n]
    status = {1: "validee", 2: "en-relecture", 3: "archivee"}[n]
    body = "".join(f"## {section}\n\nTexte.\n\n" for section in (
        "L'initiative", "Pour qui", "Ce qui a été fait", "Résultats", "Pour reproduire", "Contact"
    ))
    return (
        f"---\nid: PI-10{n}\ntitre: {v['titre']}\nresume: {v['resume']}\nstatut: {status}\n"
        f"themes: [{THEME}]\npublics: [travailleurs-sociaux]\n"
        "date_creation: 2019-01-01\ndate_mise_a_jour: 2019-03-02\nprochaine_relecture: 2020-03-01\n"
        f"essentiel: [{v['essentiel']}, \"Deuxième ligne de l'essentiel.\", \"Troisième ligne de l'essentiel.\"]\n"
        f"auteurs: [{v['auteur']}]\nsources:\n  - titre: {v['source']}\n    lien: {link}\n    date: 2019\n"
        f"structure: {v['structure']}\nterritoire: {v['territoire']}\nperiode: {v['periode']}\n"
        f"contact:\n  structure: {v['contact']}\n  site: {link}\n{extra}---\n\n{body}"
    )


# Every value that must reach the HTML whole: marker (first word) -> value.
EXPECTED = {value.split()[0]: value for n in (1, 2, 3) for value in payload_values(n).values()}
REGISTER_REFERENCE = f"REFERENCE1 {PAYLOADS[0]}"  # the session of PI-101 in the register, shown on validations/
# A training module (parcours/piege.yml) of the payload sheets: its title, description and a note.
MODULE_VALUES = {
    "titre": f"PARCOURS0 {PAYLOADS[0]}",
    "description": "DESCRIPTIONPARCOURS0 assez longue pour la longueur minimale " + " ".join(PAYLOADS),
    "note": f"NOTEPARCOURS0 {PAYLOADS[1]}",
}
MODULE_SOURCE = yaml.safe_dump(
    {"titre": MODULE_VALUES["titre"], "description": MODULE_VALUES["description"], "public": "travailleurs-sociaux",
     "fiches": [{"id": "PI-101", "note": MODULE_VALUES["note"]}, {"id": "PI-102"}]},
    allow_unicode=True, sort_keys=False,
)
EXPECTED.update({"LIBELLE0": THEME_LABEL, "DESCRIPTION0": THEME_DESCRIPTION, "PAGE0": PAGE_TITLE, "REFERENCE1": REGISTER_REFERENCE})
EXPECTED.update({value.split()[0]: value for value in MODULE_VALUES.values()})
MARKER = re.compile(r"\b(?:%s)\b" % "|".join(EXPECTED))
JSON_TYPES = ("application/json", "application/ld+json")  # <script> elements that hold data, never run


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example site plus the payload sheets, theme and page, built in
    this process with the front-matter safety check switched off."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import fiches_kb.corpus
    import fiches_kb.parcours

    site = copy_site(tmp_path_factory.mktemp("escaping-site"), EXAMPLE_SITE)
    for n in (1, 2, 3):
        (site / "pratiques-inspirantes" / f"piege-{n}.md").write_text(payload_sheet(n), encoding="utf-8")
    (site / "pages" / "piege.md").write_text(PAGE_SOURCE, encoding="utf-8")
    (site / "parcours").mkdir(exist_ok=True)
    (site / "parcours" / "piege.yml").write_text(MODULE_SOURCE, encoding="utf-8")
    register = yaml.safe_load((site / "validations.yml").read_text(encoding="utf-8"))
    register["seances"].append({"date": "2019-06-14", "instance": payload_values(1)["instance"], "reference": REGISTER_REFERENCE})
    (site / "validations.yml").write_text(yaml.safe_dump(register, allow_unicode=True, sort_keys=False), encoding="utf-8")
    referentiel = yaml.safe_load((site / "referentiel.yml").read_text(encoding="utf-8"))
    referentiel["themes"][THEME].update(libelle=THEME_LABEL, description=THEME_DESCRIPTION)
    (site / "referentiel.yml").write_text(yaml.safe_dump(referentiel, allow_unicode=True, sort_keys=False), encoding="utf-8")
    output = tmp_path_factory.mktemp("escaping-html")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fiches_kb.corpus, "check_front_matter_safety", lambda source, schema: [])
        patch.setattr(fiches_kb.parcours, "check_front_matter_safety", lambda source, schema: [])
        for name in [name for name in os.environ if name.startswith("FICHES_")]:
            patch.delenv(name)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(output), strict=True))
    return output


# --- Reading the HTML -----------------------------------------------------


class Page(HTMLParser):
    """The elements of a page, in order, and its text, by element."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], bool]] = []  # (tag, attributes, in <head>)
        self.texts: list[tuple[str, str]] = []  # (innermost open element, text)
        self.json: list[str] = []  # text of the JSON <script> elements
        self._open: list[str] = []
        self._in_head = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self._in_head = self._in_head or tag == "head"
        self.elements.append((tag, attributes, self._in_head))
        if tag not in ("meta", "link", "input", "br", "img", "hr", "source"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data):
        where = self._open[-1] if self._open else ""
        self.texts.append((where, data))
        if where == "script" and self.elements and self.elements[-1][1].get("type") in JSON_TYPES:
            self.json.append(data)

    def head(self) -> list[tuple[str, dict[str, str]]]:
        return [(tag, attributes) for tag, attributes, in_head in self.elements if in_head and tag != "head"]

    def text_of(self, tag: str) -> list[str]:
        return [" ".join(text.split()) for where, text in self.texts if where == tag and text.strip()]


def read(built: Path, url: str) -> Page:
    return Page((built / url / "index.html").read_text(encoding="utf-8"))


def injection_problems(page: Page, name: str) -> list[str]:
    """Elements or attributes a value could have injected, and values not
    found whole (cut by an injected quote or tag)."""
    problems = []
    redirection = name.startswith("id/")
    for tag, attributes, _ in page.elements:
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                problems.append(f"{name} : attribut {attribute}= sur <{tag}>")
            if attribute == "http-equiv":
                allowed = {"content-security-policy", "refresh"} if redirection else {"content-security-policy"}
                if tag != "meta" or value.lower() not in allowed:
                    problems.append(f"{name} : <{tag} http-equiv={value!r}>")
                if value.lower() == "refresh" and not re.fullmatch(r"0; url=(\.\./)+[a-z0-9/-]+/", attributes.get("content", "")):
                    problems.append(f"{name} : redirection vers {attributes.get('content')!r}")
        if tag == "script":
            source = attributes.get("src")
            if source is None and attributes.get("type") not in JSON_TYPES:
                problems.append(f"{name} : script en ligne")
            if source is not None and (":" in source or source.startswith("//")):
                problems.append(f"{name} : script d'ailleurs {source!r}")
    # JSON data is checked decoded (test_json_of_pages_and_search_index_gives_values_back_as_written).
    chunks = [("texte", text) for _, text in page.texts if text not in page.json] + [
        (f"<{tag} {attribute}>", value) for tag, attributes, _ in page.elements for attribute, value in attributes.items()
    ]
    for where, chunk in chunks:
        for marker in MARKER.findall(chunk):
            if EXPECTED[marker] not in chunk:
                problems.append(f"{name} : {where} coupé : {chunk.strip()[:120]!r}")
    return problems


def pages_of(built: Path) -> list[tuple[str, Page]]:
    return [(path.relative_to(built).as_posix(), Page(path.read_text(encoding="utf-8"))) for path in sorted(built.rglob("*.html"))]


# --- Every page -----------------------------------------------------------


def test_no_page_gets_an_element_or_attribute_from_a_value(built):
    pages = pages_of(built)
    assert len(pages) > 30
    problems = [problem for name, page in pages for problem in injection_problems(page, name)]
    assert not problems, "\n".join(problems)


def test_the_values_reach_every_kind_of_page(built):
    """Else the test above would check nothing: each page shows the values it should."""
    shown = {}
    for name, page in pages_of(built):
        values = [text for _, text in page.texts] + [v for _, attributes, _ in page.elements for v in attributes.values()]
        shown[name] = set(MARKER.findall(" ".join(values)))
    sheet = {"TITRE1", "RESUME1", "INSTANCE1", "AUTEUR1", "SOURCE1", "STRUCTURE1", "TERRITOIRE1", "PERIODE1", "TITRE2", "LIBELLE0"}
    assert sheet <= shown["pratiques-inspirantes/piege-1/index.html"]
    assert {"TITRE1"} <= shown["id/PI-101/index.html"]
    assert {"TITRE3", "TITRE1"} <= shown["pratiques-inspirantes/piege-3/index.html"]  # archived: its replacement
    for listing in ("themes/autonomie-numerique/index.html", "publics/travailleurs-sociaux/index.html", "catalogue/index.html"):
        assert {"TITRE1", "RESUME1", "TITRE2", "RESUME2", "TITRE3", "RESUME3"} <= shown[listing], listing
    assert {"LIBELLE0", "DESCRIPTION0"} <= shown["themes/autonomie-numerique/index.html"]
    assert {"LIBELLE0"} <= shown["themes/index.html"] & shown["catalogue/index.html"] & shown["recherche/index.html"]
    assert {"TITRE1", "RESUME1", "TITRE2", "RESUME2"} <= shown["a-relire/index.html"]
    assert {"PAGE0"} <= shown["piege/index.html"]
    assert {"PARCOURS0", "DESCRIPTIONPARCOURS0", "NOTEPARCOURS0", "TITRE1", "TITRE2"} <= shown["parcours/piege/index.html"]
    assert {"PARCOURS0", "DESCRIPTIONPARCOURS0"} <= shown["parcours/index.html"]


# --- <head> ---------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_sheet_s_head_has_its_title_and_summary_as_text(built, n):
    values = payload_values(n)
    page = read(built, f"pratiques-inspirantes/piege-{n}")
    head = page.head()
    assert [a["content"] for tag, a in head if tag == "meta" and a.get("name") == "description"] == [values["resume"]]
    assert page.text_of("title") == [f"{values['titre']} - {SITE_NAME}"]
    assert sorted(a["http-equiv"] for _, a in head if "http-equiv" in a) == ["Content-Security-Policy"]
    # The only script in <head> without a file is data: the citation metadata (JSON-LD).
    assert [a for tag, a in head if tag == "script" and "src" not in a] == [{"type": "application/ld+json"}]
    # Material's header shows the title too, and the page its heading.
    assert values["titre"] in page.text_of("span")
    assert page.text_of("h1") == [values["titre"]]


def test_a_title_from_a_markdown_heading_keeps_its_entities_as_text(built):
    """Jinja's `striptags`, which Material applies to the title, turns
    `&lt;/title&gt;` back into a tag: the title is escaped again after it."""
    page = read(built, "piege")
    assert page.text_of("title") == [f"{PAGE_TITLE} - {SITE_NAME}"]
    assert page.text_of("h1") == [PAGE_TITLE]
    assert [tag for tag, _ in page.head()].count("title") == 1


def test_a_theme_label_is_text_in_its_page_title_and_heading(built):
    page = read(built, f"themes/{THEME}")
    assert page.text_of("title") == [f"Thème : {THEME_LABEL} - {SITE_NAME}"]
    assert page.text_of("h1")[0] == f"Thème : {THEME_LABEL}"
    assert THEME_DESCRIPTION in page.text_of("p")


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_sheet_s_citation_metadata_gives_its_values_back_as_written(built, n):
    """Highwire tags are attribute values, JSON-LD is JSON inside <script>: neither lets a value out."""
    values = payload_values(n)
    page = read(built, f"pratiques-inspirantes/piege-{n}")
    meta = [(a["name"], a["content"]) for tag, a in page.head() if tag == "meta" and a.get("name", "").startswith("citation_")]
    assert ("citation_title", values["titre"]) in meta and ("citation_author", values["auteur"]) in meta
    [ld] = [text for text in page.json if '"@context"' in text]
    assert "<" not in ld and ">" not in ld and "&" not in ld
    data = json.loads(ld)
    assert (data["name"], data["description"], [a["name"] for a in data["author"]]) == (values["titre"], values["resume"], [values["auteur"]])


def test_a_module_s_title_is_text_in_its_page_title_heading_and_description(built):
    page = read(built, "parcours/piege")
    assert page.text_of("title") == [f"{MODULE_VALUES['titre']} - {SITE_NAME}"]
    assert page.text_of("h1")[0] == MODULE_VALUES["titre"]
    assert [a["content"] for tag, a in page.head() if tag == "meta" and a.get("name") == "description"] == [MODULE_VALUES["description"]]


# --- Permanent addresses ----------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_permanent_address_shows_the_title_as_text_and_redirects_to_the_sheet(built, n):
    title = payload_values(n)["titre"]
    page = read(built, f"id/PI-10{n}")
    assert page.text_of("title") == [f"{title} (PI-10{n}) : redirection"]
    assert page.text_of("a") == [title]
    refresh = [a for tag, a in page.head() if a.get("http-equiv") == "refresh"]
    assert refresh == [{"http-equiv": "refresh", "content": f"0; url=../../pratiques-inspirantes/piege-{n}/"}]


def test_permanent_addresses_have_the_same_policies_as_every_page(built):
    def policies(page: Page) -> list[tuple[str, dict]]:
        return [(tag, a) for tag, a in page.head() if a.get("http-equiv") == "Content-Security-Policy" or a.get("name") == "referrer"]

    sheet = read(built, "pratiques-inspirantes/piege-1")
    expected = policies(sheet)
    assert [a.get("http-equiv") or a.get("name") for _, a in expected] == ["Content-Security-Policy", "referrer"]
    assert sheet.head()[0] == expected[0]
    for path in sorted((built / "id").iterdir()):
        page = read(built, f"id/{path.name}")
        assert policies(page) == expected, path.name
        assert page.head()[0] == expected[0], f"{path.name} : la politique n'est pas le premier élément de <head>"


# --- Lists, catalogue, search -----------------------------------------------


@pytest.mark.parametrize("url", [f"themes/{THEME}", "publics/travailleurs-sociaux", "pratiques-inspirantes", "catalogue", "a-relire"])
def test_lists_show_titles_and_summaries_as_text(built, url):
    page = read(built, url)
    links = page.text_of("a")
    paragraphs = page.text_of("p")
    for n in (1, 2) if url == "a-relire" else (1, 2, 3):
        values = payload_values(n)
        assert values["titre"] in links
        assert values["resume"] in paragraphs


def test_catalogue_data_attributes_hold_keys_only(built):
    page = read(built, "catalogue")
    items = [a for tag, a, _ in page.elements if tag == "li" and "data-theme" in a]
    assert len(items) == 6
    for attributes in items:
        for name in ("data-theme", "data-public", "data-type", "data-statut"):
            assert re.fullmatch(r"[a-z0-9-]+( [a-z0-9-]+)*", attributes[name]), attributes


def test_search_metadata_of_a_sheet_is_its_text(built):
    for n in (1, 2, 3):
        values = payload_values(n)
        page = read(built, f"pratiques-inspirantes/piege-{n}")
        meta = dict(a["data-pagefind-meta"].split(":", 1) for _, a, _ in page.elements if "data-pagefind-meta" in a)
        assert meta["resume"] == values["resume"]
        assert meta["id"] == f"PI-10{n}"


def test_json_of_pages_and_search_index_gives_values_back_as_written(built):
    for name, page in pages_of(built):
        for text in page.json:
            assert "<" not in text, f"{name} : « < » dans un JSON de la page"
            json.loads(text)
    fragments = {}
    for path in (built / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = read_fragment(path)
        fragments[record["url"]] = record
    for n in (1, 2, 3):
        values = payload_values(n)
        meta = fragments[f"/pratiques-inspirantes/piege-{n}/"]["meta"]
        assert (meta["title"], meta["resume"], meta["id"]) == (values["titre"], values["resume"], f"PI-10{n}")
    theme = fragments[f"/themes/{THEME}/"]["meta"]
    assert (theme["title"], theme["resume"]) == (f"Thème : {THEME_LABEL}", THEME_DESCRIPTION)
    table = json.loads((built / "pagefind" / "facettes.json").read_text(encoding="utf-8"))
    assert THEME in next(f["values"] for f in table["facets"] if f["name"] == "theme")


# --- Table of contents -------------------------------------------------------


def test_the_title_entry_of_a_sheet_s_table_of_contents_is_html(monkeypatch):
    """MkDocs' table of contents holds HTML (as the toc extension makes it):
    the sheet's title is escaped before it becomes its first entry."""
    spec = importlib.util.spec_from_file_location("sheet_pages_under_test", REPO / "hooks" / "sheet_pages.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    title = payload_values(1)["titre"]
    content = SimpleNamespace(sheet_for=lambda src_uri: SimpleNamespace(title=title), template_values=lambda sheet: {})
    monkeypatch.setattr(BUILD, "content", content)
    monkeypatch.setattr(BUILD, "templates", SimpleNamespace(get_template=lambda name: SimpleNamespace(render=lambda **values: "")))
    monkeypatch.setattr(BUILD, "articles", {})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="pratiques-inspirantes/piege-1.md"), toc=[])
    hook.on_page_content("", page, None, None)
    assert page.toc.items[0].title == 'TITRE1 &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
