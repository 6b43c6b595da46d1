"""End to end: the example site of tests/site built with the real
configuration, hooks and templates, and the HTML it produces."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import EXAMPLE_SITE, build_site, copy_site, run_mkdocs


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_sheets_from_top_level_folders_are_built(example_site_build):
    assert (example_site_build / "fiches/proteger-les-donnees/index.html").is_file()
    assert (example_site_build / "pratiques-inspirantes/aidants-connect/index.html").is_file()


def test_page_is_french(example_site_build):
    html = read(example_site_build, "fiches/proteger-les-donnees")
    assert '<html lang="fr"' in html


def test_validated_sheet_shows_status_and_metadata_before_its_text(example_site_build):
    html = read(example_site_build, "fiches/proteger-les-donnees")
    assert '<h1 id="fiche-titre" tabindex="-1">Protéger les données des personnes lors des démarches en ligne</h1>' in html
    assert "séance du\n      <a href=\"../../validations/#seance-2019-06-14\"><time datetime=\"2019-06-14\">14 juin 2019</time></a>" in html
    banner = html.index("fiche-statut")
    meta = html.index('class="fiche-meta"')
    text = html.index('id="ce-qui-est-en-jeu"')
    assert banner < meta < text
    for label in ("Thèmes", "Pour", "Mise à jour", "Prochaine relecture", "Identifiant"):
        assert f"<dt>{label}</dt>" in html
    assert "Données personnelles, secret professionnel et RGPD" in html
    assert "<time datetime=\"2019-03-02\">2 mars 2019</time>" in html


def test_unvalidated_sheet_says_so_unmistakably(example_site_build):
    html = read(example_site_build, "pratiques-inspirantes/aidants-connect")
    assert "En relecture : non validée par le HCTS" in html
    assert "admonition warning" in html


def test_archived_sheet_points_to_its_successor(example_site_build):
    html = read(example_site_build, "fiches/ancienne-fiche-messagerie")
    assert "Archivée : ne plus utiliser cette version" in html
    assert 'href="../proteger-les-donnees/">Protéger les données' in html


def test_sources_and_related_sheets_are_listed(example_site_build):
    html = read(example_site_build, "fiches/proteger-les-donnees")
    assert '<li><a href="https://www.example.gouv.fr/mandat-hcts">HCTS, mandat du groupe de travail « L&#39;usage' in html
    assert 'href="../../pratiques-inspirantes/aidants-connect/">Aidants Connect' in html
    # Backlink: the practice is listed on the sheet it is linked from, and vice versa.
    practice = read(example_site_build, "pratiques-inspirantes/aidants-connect")
    assert 'href="../../fiches/proteger-les-donnees/">Protéger les données' in practice


def test_drafts_are_left_out_of_the_production_build(example_site_build):
    assert not (example_site_build / "fiches/brouillon-reseaux-sociaux").exists()
    assert not (example_site_build / "statuts/brouillon").exists()
    assert "Réseaux sociaux et disponibilité" not in read(example_site_build, "fiches")


def test_preview_build_shows_drafts_marked_as_drafts(tmp_path):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    output = build_site(site, tmp_path / "out", env={"FICHES_APERCU": "1"})
    html = read(output, "fiches/brouillon-reseaux-sociaux")
    assert "Brouillon : non validée par le HCTS" in html
    assert "Réseaux sociaux et disponibilité en soirée" in read(output, "statuts/brouillon")


def test_permanent_address_redirects_to_the_sheet(example_site_build):
    html = read(example_site_build, "id/FP-001")
    assert '<meta http-equiv="refresh" content="0; url=../../fiches/proteger-les-donnees/">' in html
    assert '<html lang="fr">' in html
    assert "<script" not in html


def test_listing_pages_are_generated_from_the_vocabularies(example_site_build):
    theme = read(example_site_build, "themes/donnees-personnelles")
    assert "<h1 id=\"theme-donnees-personnelles-secret-professionnel-et-rgpd\">Thème\u202f: Données personnelles" in theme
    assert "Protéger les données des personnes" in theme
    index = read(example_site_build, "themes")
    assert "Données personnelles, secret professionnel et RGPD</a>" in index
    for folder in ("publics/travailleurs-sociaux", "statuts/validee", "fiches", "pratiques-inspirantes"):
        assert (example_site_build / folder / "index.html").is_file()


def test_nav_lists_sections_never_sheets(example_site_build):
    html = read(example_site_build, "a-propos")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "Fiches pratiques" in nav
    assert "proteger-les-donnees" not in nav


def test_contributor_guide_documents_every_field(example_site_build):
    html = read(example_site_build, "contribuer/guide")
    assert "<!-- référentiel" not in html


def test_invalid_content_stops_the_build_with_french_errors_and_no_traceback(tmp_path):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    sheet = site / "fiches/proteger-les-donnees.md"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("statut: validee", "statut: validé"), encoding="utf-8")
    (site / "fiches/vide.md").write_text("", encoding="utf-8")
    output = tmp_path / "out"
    output.mkdir()
    (output / "ancien.html").write_text("ancienne version", encoding="utf-8")
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(output))
    assert result.returncode == 1
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    assert "fiches/proteger-les-donnees.md:5 : erreur : champ « statut » : valeur non autorisée." in log
    assert "fiches/vide.md:1 : erreur : le fichier est vide." in log
    assert "La vérification des fiches a échoué : 2 erreurs dans 2 fichiers (sur 5 vérifiés)." in log
    # Nothing half-written: the previous site is left as it was.
    assert [p.name for p in output.iterdir()] == ["ancien.html"]


def test_github_actions_annotations_during_build(tmp_path):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    (site / "fiches/vide.md").write_text("", encoding="utf-8")
    result = run_mkdocs(site, "build", "--site-dir", str(tmp_path / "out"), env={"GITHUB_ACTIONS": "true"})
    assert "::error file=fiches/vide.md,line=1,title=Contenu::le fichier est vide." in result.stdout


def test_printed_sheet_carries_its_status_version_and_permanent_address(example_site_build):
    html = read(example_site_build, "fiches/proteger-les-donnees")
    footer = html[html.index('<footer class="fiche-impression"') :]
    footer = " ".join(footer[: footer.index("</footer>")].split())
    assert "Fiche pratique FP-001 · Validée par le HCTS · version du 2 mars 2019." in footer
    assert "adresse permanente « id/FP-001/ »" in footer


def test_skip_link_of_a_sheet_lands_on_its_title(example_site_build):
    html = read(example_site_build, "fiches/proteger-les-donnees")
    assert '<a href="#fiche-titre" class="md-skip">' in html


def test_the_shared_nav_is_the_nav_material_would_render(tmp_path, repo_site_build):
    """hooks/nav_cache.py renders Material's nav once per folder for pages
    not in the nav: the whole site must be what Material alone renders."""
    site = copy_site(tmp_path / "site")
    (site / "overrides" / "partials" / "nav.html").unlink()  # Material's own nav, for every page
    reference = build_site(site, tmp_path / "html")
    pages = sorted(p.relative_to(repo_site_build) for p in repo_site_build.rglob("*.html"))
    assert pages == sorted(p.relative_to(reference) for p in reference.rglob("*.html"))
    different = [str(p) for p in pages if (repo_site_build / p).read_bytes() != (reference / p).read_bytes()]
    assert different == []
