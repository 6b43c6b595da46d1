"""A PDF of every published sheet, and a booklet per theme (issue 22).

Each PDF is tagged (PDF/UA), in French, with its metadata; its text holds
the title, the status, « L'essentiel » and the full permanent address; each
page says the status, the version date and « page x / y ». Sheet pages link
their PDF with its size, theme pages their booklet. PDFs are cached: an
unchanged rebuild renders none. Built once with PDFs and the site's address
(`pdf_site_build`, tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from fiches_kb import pdf
from helpers import EXAMPLE_SITE, PDF_SITE_ADDRESS, REPO, copy_site, published, referentiel, run_mkdocs

SHEETS = published(EXAMPLE_SITE)
FICHES = [s for s in SHEETS if s["_type"] == "fiche"]
STATUSES = {key: status["libelle"] for key, status in referentiel()["statuts"].items()}


def read_html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Text with runs of whitespace (line breaks of the layout) as one space."""
    return " ".join(text.split())


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s["id"])
def test_every_published_sheet_has_its_pdf(pdf_site_build, sheet):
    assert (pdf_site_build / "pdf" / f"{sheet['id']}.pdf").is_file()


def test_a_draft_never_gets_a_pdf(pdf_site_build):
    made = {path.stem for path in (pdf_site_build / "pdf").glob("*.pdf")}
    assert made == {s["id"] for s in SHEETS}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s["id"])
def test_the_pdf_holds_title_status_essentials_and_permanent_address(pdf_site_build, sheet):
    text = flat(pdf_text(pdf_site_build / "pdf" / f"{sheet['id']}.pdf"))
    assert flat(sheet["titre"]) in text
    assert STATUSES[sheet["statut"]] in text
    if sheet.get("essentiel"):
        assert "L'essentiel" in text or "L’essentiel" in text
        assert flat(sheet["essentiel"][0]) in text
    assert f"{PDF_SITE_ADDRESS}id/{sheet['id']}/" in text.replace(" ", "")


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s["id"])
def test_every_page_says_status_version_date_page_number_and_address(pdf_site_build, sheet):
    pages = page_texts(pdf_site_build / "pdf" / f"{sheet['id']}.pdf")
    for number, text in enumerate(pages, 1):
        assert f"page {number} / {len(pages)}" in text
        assert STATUSES[sheet["statut"]] in text
        assert "version du " in text
        assert f"id/{sheet['id']}/" in text.replace("\n", "")


@pytest.mark.parametrize("sheet", FICHES, ids=lambda s: s["id"])
def test_a_fiche_prints_on_at_most_three_a4_pages(pdf_site_build, sheet):
    reader = PdfReader(pdf_site_build / "pdf" / f"{sheet['id']}.pdf")
    assert 1 <= len(reader.pages) <= 3
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4, in points


# --- The page limit: referentiel.yml › types › <type> › pages_a4_max, enforced by the build ---

def _printed(sheet_id: str = "FP-001", type_label: str = "Fiche pratique") -> pdf.PrintedSheet:
    return pdf.PrintedSheet(sheet_id, "Titre", "Résumé", type_label, "Validée", True, date(2026, 1, 2),
                            ("Auteur",), ("Thème",), f"id/{sheet_id}/", False, "<article><p>Texte</p></article>")


def test_the_page_limit_of_a_fiche_is_three_a4_pages_in_the_referentiel_and_pratiques_have_none():
    from fiches_kb.schema import load_schema

    types = load_schema(REPO).types
    assert types["fiche"].max_printed_pages == referentiel()["types"]["fiche"]["pages_a4_max"] == 3
    assert types["pratique"].max_printed_pages is None  # the issue sets no limit for pratiques inspirantes


@pytest.mark.parametrize("value", [0, -1, "trois", True, 2.5])
def test_a_page_limit_that_is_not_a_whole_number_of_pages_is_refused_in_french(value):
    from fiches_kb.schema import SchemaError, parse_schema

    data = referentiel()
    data["types"]["fiche"]["pages_a4_max"] = value
    with pytest.raises(SchemaError) as error:
        parse_schema(data)
    message = str(error.value)
    assert "« types.fiche.pages_a4_max »" in message and "n'est pas un nombre de pages" in message
    assert "supprimez la ligne" in message


def test_a_document_is_over_its_limit_only_when_it_has_one_and_exceeds_it():
    limit = pdf.PageLimit(3, "fiches/x.md")
    assert pdf.sheet_document(_printed(), "Site", "fiches/x.md", limit).over_limit(4)
    assert not pdf.sheet_document(_printed(), "Site", "fiches/x.md", limit).over_limit(3)
    assert not pdf.sheet_document(_printed("PI-001", "Pratique inspirante"), "Site", "pratiques-inspirantes/x.md").over_limit(40)


def test_the_limit_is_part_of_the_cache_key():
    """A cached PDF is within its limit (an over-limit one is never cached): a new limit renders again."""
    limits = (None, pdf.PageLimit(2, "fiches/x.md"), pdf.PageLimit(3, "fiches/x.md"))
    keys = {pdf.sheet_document(_printed(), "Site", "fiches/x.md", limit).key for limit in limits}
    assert len(keys) == 3


def test_a_fiche_over_the_limit_is_a_french_problem_with_its_file_line_expectation_and_suggestion():
    limit = pdf.PageLimit(3, "fiches/proteger.md", 42, "pages/contribuer/guide.md#structure-fiche")
    document = pdf.sheet_document(_printed("FP-004"), "Site", "fiches/proteger.md", limit)
    problem = pdf.page_limit_problem(document, 4)
    assert problem.format() == (
        "fiches/proteger.md:42 : erreur : FP-004 s'imprime sur 4 pages A4 ; une fiche pratique tient en 3 pages au plus.\n"
        "    attendu : 3 pages A4 au plus, une fois imprimée en PDF (referentiel.yml, type de contenu, « pages_a4_max »)\n"
        "    trouvé : 4 pages (pdf/FP-004.pdf)\n"
        "    suggestion : raccourcissez le texte : supprimez ce qui se répète (entre « L'essentiel », le texte et les "
        "ressources), resserrez les phrases, ou faites d'un développement une fiche à part, reliée par le champ "
        "« liees » ; la construction du site refait le PDF (dossier site/pdf/) pour vérifier\n"
        "    aide : pages/contribuer/guide.md#structure-fiche"
    )


def test_a_fiche_that_prints_on_more_pages_than_its_limit_fails_the_build(tmp_path):
    """The example site with one fiche made far too long: the build stops with
    the French message (file, line, what was expected, a suggestion), every
    time (an over-limit PDF is never cached), and publishes nothing."""
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    sheet = next(s for s in FICHES if s["statut"] == "validee")
    source = site / "fiches" / f"{sheet['_slug']}.md"
    text = source.read_text(encoding="utf-8")
    filler = "".join(f"\nParagraphe {n} ajouté pour allonger la fiche : une phrase de plus, puis une autre, "
                     "sans rien apprendre au lecteur.\n" for n in range(1, 121))
    source.write_text(text + filler, encoding="utf-8")
    body_line = text.split("\n").index("---", 1) + 2  # the line after the front matter's end
    cache = tmp_path / "cache"
    env = {"FICHES_PDF": "oui", "SITE_URL": PDF_SITE_ADDRESS, "FICHES_SANS_RECHERCHE": "1", "FICHES_CACHE": str(cache)}
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env=env)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    found = re.search(rf"fiches/{sheet['_slug']}\.md:(\d+) : erreur : {sheet['id']} s'imprime sur (\d+) pages A4 ; "
                      r"une fiche pratique tient en 3 pages au plus\.", log)
    assert found, log
    assert int(found.group(1)) == body_line and int(found.group(2)) > 3
    assert "attendu : 3 pages A4 au plus" in log and "suggestion : raccourcissez le texte" in log
    assert "aide : pages/contribuer/guide.md#structure-fiche" in log
    assert "La vérification des PDF a échoué : une fiche s'imprime sur plus de pages A4" in log
    assert "Traceback" not in log
    assert not (tmp_path / "html").exists()
    titles = [PdfReader(path).metadata.title for path in cache.rglob("*.pdf")]
    assert titles and sheet["titre"] not in titles  # its PDF was not cached: the next build reports it again


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s["id"])
def test_the_pdf_is_tagged_in_french_with_its_metadata(pdf_site_build, sheet):
    reader = PdfReader(pdf_site_build / "pdf" / f"{sheet['id']}.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    meta = reader.metadata
    assert meta.title == sheet["titre"]
    assert meta.author and meta.subject == sheet["resume"]
    assert meta["/Keywords"]


def test_a_sheet_page_links_its_pdf_with_its_size(pdf_site_build):
    for sheet in SHEETS:
        html = read_html(pdf_site_build / sheet["_url"] / "index.html")
        size = (pdf_site_build / "pdf" / f"{sheet['id']}.pdf").stat().st_size
        link = re.search(r'<a href="([^"]+)"[^>]*>Télécharger la fiche \(PDF, (\d+)\u202fko\)</a>', html)
        assert link, sheet["id"]
        assert link.group(1) == f"../../pdf/{sheet['id']}.pdf"
        assert int(link.group(2)) == -(-size // 1000)


def test_a_pdf_never_says_more_than_the_page(pdf_site_build):
    """Same status, same dates: the PDF is made from the page's own article."""
    for sheet in SHEETS:
        text = flat(pdf_text(pdf_site_build / "pdf" / f"{sheet['id']}.pdf"))
        page = read_html(pdf_site_build / sheet["_url"] / "index.html")
        assert STATUSES[sheet["statut"]] in text and STATUSES[sheet["statut"]] in page
        for label in STATUSES.values():
            assert label not in text or label in page, (sheet["id"], label)
        for day in re.findall(r"\d{1,2}(?:er)? [a-zéû]+ \d{4}", text):
            assert day in page, (sheet["id"], day)


def test_each_theme_has_a_booklet_with_cover_contents_and_all_its_sheets(pdf_site_build):
    themes = {}
    for sheet in SHEETS:
        for theme in sheet["themes"]:
            themes.setdefault(theme, []).append(sheet)
    assert themes
    for theme, sheets in themes.items():
        booklet = pdf_site_build / "pdf" / "themes" / f"{theme}.pdf"
        pages = page_texts(booklet)
        cover = flat(pages[0])
        assert cover.lower().startswith("thème")
        assert "Licence Ouverte" in cover and re.search(r"état au \d{1,2}(er)? \w+ \d{4}", cover)
        contents = flat(pages[1])
        assert "Sommaire" in contents
        for sheet in sheets:
            title = flat(sheet["titre"])
            # the table of contents gives the page where the sheet starts
            entry = re.search(re.escape(title) + r".*?\.\s*(\d+)", contents)
            assert entry, (theme, title)
            assert title in flat(pages[int(entry.group(1)) - 1]), (theme, title)
        reader = PdfReader(booklet)
        assert reader.trailer["/Root"]["/Lang"] == "fr" and "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_theme_page_links_its_booklet(pdf_site_build):
    theme = SHEETS[0]["themes"][0]
    html = read_html(pdf_site_build / "themes" / theme / "index.html")
    assert f'href="../../pdf/themes/{theme}.pdf"' in html
    assert "Télécharger le livret du thème (PDF, " in html


# --- When PDFs are made ----------------------------------------------------------

@pytest.mark.parametrize(
    "command, value, wanted",
    [("build", None, True), ("build", "non", False), ("build", "0", False), ("build", "oui", True),
     ("serve", None, False), ("serve", "oui", True), ("serve", "1", True), ("serve", "non", False)],
)
def test_builds_make_pdfs_unless_switched_off_and_serve_only_when_asked(command, value, wanted):
    environ = {} if value is None else {"FICHES_PDF": value}
    assert pdf.pdf_wanted(command, environ) is wanted


def test_a_build_with_the_switch_off_makes_no_pdf_and_no_link(example_site_build):
    """tests/helpers.run_mkdocs builds with FICHES_PDF=non unless a test asks."""
    assert not (example_site_build / "pdf").exists()
    assert "Télécharger la fiche" not in read_html(example_site_build / SHEETS[0]["_url"] / "index.html")


# --- Cost: the cache ---------------------------------------------------------------

def _rendered(result) -> int:
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.search(r"PDF : (\d+) fichier\(s\), dont (\d+) produit\(s\)", result.stderr)
    assert match, result.stderr
    return int(match.group(2))


def test_an_unchanged_rebuild_renders_no_pdf_and_a_changed_sheet_only_its_own(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    env = {"FICHES_PDF": "oui", "SITE_URL": PDF_SITE_ADDRESS, "FICHES_SANS_RECHERCHE": "1", "FICHES_CACHE": str(tmp_path / "cache")}
    build = lambda: run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env=env)  # noqa: E731
    first = _rendered(build())
    made = {p.relative_to(tmp_path / "html") for p in (tmp_path / "html" / "pdf").rglob("*.pdf")}
    assert first == len(made) > len(SHEETS)
    before = {p: (tmp_path / "html" / p).read_bytes() for p in made}

    assert _rendered(build()) == 0
    assert {p: (tmp_path / "html" / p).read_bytes() for p in made} == before  # same bytes, from the cache

    sheet = SHEETS[0]
    source = site / sheet["_url"].rsplit("/", 2)[0] / f"{sheet['_slug']}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    assert _rendered(build()) == 1 + len(sheet["themes"])  # its PDF and its themes' booklets


def test_the_key_changes_with_the_stylesheet_and_the_template(monkeypatch):
    printed = pdf.PrintedSheet("FP-001", "Titre", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                               ("Auteur",), ("Thème",), "https://x/id/FP-001/", True, "<article><p>Texte</p></article>")
    document = pdf.sheet_document(printed, "Site", "fiches/x.md")
    key = document.key
    real = pdf._template_source
    for name in (pdf.STYLESHEET, pdf.TEMPLATE):
        monkeypatch.setattr(pdf, "_template_source", lambda n, name=name: real(n) + ("/* changé */" if n == name else ""))
        pdf._machinery_fingerprint.cache_clear()
        assert document.key != key, name
    monkeypatch.setattr(pdf, "_template_source", real)
    pdf._machinery_fingerprint.cache_clear()
    assert document.key == key
    changed = pdf.sheet_document(dataclasses.replace(printed, article="<article><p>Texte changé</p></article>"), "Site", "fiches/x.md")
    assert changed.key != key


def test_the_cache_keeps_a_pdf_by_key(tmp_path):
    cache = pdf.PdfCache(tmp_path)
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, b"%PDF-1.7 ...")
    assert cache.get("ab" * 32).read_bytes() == b"%PDF-1.7 ..."


# --- Nothing from another host; failures in French -----------------------------------

def test_weasyprint_reads_only_the_site_folder(tmp_path):
    (tmp_path / "image.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    fetch = pdf._local_fetcher(tmp_path)
    assert fetch((tmp_path / "image.svg").as_uri()).url
    for refused in ("https://exemple.org/image.png", "http://127.0.0.1/x.png", Path("/etc/passwd").as_uri()):
        with pytest.raises(ValueError):
            fetch(refused)


def test_a_weasyprint_failure_is_a_french_message_naming_the_sheet(tmp_path, monkeypatch):
    import weasyprint

    def broken(*args, **kwargs):
        raise RuntimeError("boum")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    printed = pdf.PrintedSheet("FP-001", "Titre", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                               ("Auteur",), ("Thème",), "id/FP-001/", False, "<article></article>")
    with pytest.raises(pdf.PdfError) as error:
        pdf.render_pdf(pdf.sheet_document(printed, "Site", "fiches/x.md"), tmp_path)
    assert str(error.value) == (
        "Le PDF de la fiche FP-001 (fiches/x.md) n'a pas pu être produit par WeasyPrint : RuntimeError : boum"
    )


def test_links_of_the_page_become_absolute_in_the_pdf_or_plain_text_without_the_site_address():
    article = ('<p><a href="../../statuts/validee/">Validée</a> <a href="https://cnil.fr/">CNIL</a> <a href="#x">x</a>'
               ' <a href="../../recherche/?q=a&amp;theme=b">r</a></p>')
    with_address = pdf._printed_links(article, "fiches/x/", "https://exemple.gouv.fr/kb/")
    assert 'href="https://exemple.gouv.fr/kb/statuts/validee/"' in with_address
    assert 'href="https://exemple.gouv.fr/kb/recherche/?q=a&amp;theme=b"' in with_address  # escaped once
    assert 'href="https://cnil.fr/"' in with_address and 'href="#x"' in with_address
    without = pdf._printed_links(article, "fiches/x/", None)
    assert "statuts/validee" not in without and ">Validée</a>" in without


def test_the_booklet_function_takes_a_title_a_cover_and_sheets_in_order():
    """The machinery training modules reuse (issue 23)."""
    sheets = [
        pdf.PrintedSheet(i, f"Titre {i}", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                         ("Auteur",), ("Thème",), f"id/{i}/", False, f"<article><h1>Titre {i}</h1></article>")
        for i in ("FP-002", "FP-001")
    ]
    cover = pdf.Cover("Parcours", "Module 1", "Un module de formation", date(2026, 1, 2), "Licence Ouverte 2.0", "https://x", "Site")
    html = pdf.booklet_document("Livret du module 1", cover, sheets).html()
    assert html.index("Titre FP-002") < html.index("Titre FP-001")
    assert "Sommaire" in html and "target-counter" not in html  # page numbers come from the stylesheet
    assert "Note du parcours" not in html


def test_a_module_s_notes_are_in_its_booklet_s_contents_under_their_sheet_escaped():
    sheets = [
        pdf.PrintedSheet(i, f"Titre {i}", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                         ("Auteur",), ("Thème",), f"id/{i}/", False, f"<article><h1>Titre {i}</h1></article>")
        for i in ("FP-002", "FP-001")
    ]
    notes = [("FP-001", "Lisez-la <b>avant</b> le stage.")]
    cover = pdf.booklet_cover("Parcours", "Module 1", "Un module", sheets, SimpleNamespace(name="Licence Ouverte 2.0", url="https://x"),
                              "Site", None, notes)
    html = pdf.booklet_document("Livret du module 1", cover, sheets).html()
    contents = html[html.index("Sommaire") : html.index('<section class="pdf-fiche"')]
    assert contents.count("Note du parcours") == 1
    assert contents.index("Titre FP-002") < contents.index("Titre FP-001") < contents.index("Lisez-la &lt;b&gt;avant&lt;/b&gt; le stage.")


def test_catalogue_json_gives_each_sheet_s_pdf(pdf_site_build):
    import json

    import jsonschema

    catalogue = json.loads((pdf_site_build / "catalogue.json").read_text(encoding="utf-8"))
    schema = json.loads((pdf_site_build / "catalogue-1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(catalogue, schema)
    for entry in catalogue["fiches"]:
        assert entry["pdf"] == f"{PDF_SITE_ADDRESS}pdf/{entry['id']}.pdf"
        assert (pdf_site_build / "pdf" / f"{entry['id']}.pdf").is_file()


def test_catalogue_json_lists_no_pdf_when_the_build_makes_none(example_site_build):
    import json

    catalogue = json.loads((example_site_build / "catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["fiches"] and not any("pdf" in entry for entry in catalogue["fiches"])


def test_the_same_document_gives_the_same_bytes(tmp_path):
    """Builds are deterministic: no date or random identifier of the moment in a PDF."""
    printed = pdf.PrintedSheet("FP-001", "Titre", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                               ("Auteur",), ("Thème",), "https://x/id/FP-001/", True, "<article><h1>Titre</h1><p>Texte</p></article>")
    document = pdf.sheet_document(printed, "Site", "fiches/x.md")
    assert pdf.render_pdf(document, tmp_path) == pdf.render_pdf(document, tmp_path)


def test_without_pango_the_message_says_what_to_install_or_how_to_skip_pdfs(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    printed = pdf.PrintedSheet("FP-001", "Titre", "Résumé", "Fiche pratique", "Validée", True, date(2026, 1, 2),
                               ("Auteur",), ("Thème",), "id/FP-001/", False, "<article></article>")
    with pytest.raises(pdf.PdfError) as error:
        pdf.render_pdf(pdf.sheet_document(printed, "Site", "fiches/x.md"), tmp_path)
    message = str(error.value)
    assert message.startswith("Le PDF de la fiche FP-001 (fiches/x.md) n'a pas pu être produit : WeasyPrint ne trouve pas la bibliothèque Pango.")
    assert "libpango-1.0-0 libpangoft2-1.0-0" in message and "brew install pango" in message and "FICHES_PDF=non" in message


def test_every_value_of_a_sheet_is_escaped_in_the_pdf_s_html():
    payload = '"><script>alert(1)</script>'
    printed = pdf.PrintedSheet("FP-001", payload, payload, payload, payload, False, date(2026, 1, 2),
                               (payload,), (payload,), "https://x/id/FP-001/", True, "<article></article>")
    cover = pdf.Cover(payload, payload, payload, date(2026, 1, 2), payload, payload, payload, payload)
    for document in (pdf.sheet_document(printed, payload, "fiches/x.md"), pdf.booklet_document(payload, cover, [printed])):
        html = document.html()
        assert "<script>" not in html
        assert "&#34;&gt;&lt;script&gt;" in html or "&quot;&gt;&lt;script&gt;" in html
