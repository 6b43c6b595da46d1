"""catalogue.json lists exactly the published sheets, validates against its
published, versioned JSON Schema, and gives each sheet its permanent
address, absolute when the site's address is set."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from fiches_kb.corpus import load_corpus
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, TODAY, copy_site, run_mkdocs

ADDRESS = "https://exemple.fr/fiches-hcts/"


def read(html: Path) -> tuple[dict, dict]:
    catalogue = json.loads((html / "catalogue.json").read_text(encoding="utf-8"))
    schema = json.loads((html / catalogue["$schema"]).read_text(encoding="utf-8"))
    return catalogue, schema


def test_the_catalogue_validates_against_its_published_schema_and_lists_exactly_the_published_sheets(example_site_build):
    catalogue, schema = read(example_site_build)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(catalogue)
    assert catalogue["$schema"] == "catalogue-1.schema.json" and catalogue["version"] == 1
    published = load_corpus(EXAMPLE_SITE, load_schema(REPO), today=TODAY).published()
    assert [entry["id"] for entry in catalogue["fiches"]] == sorted(sheet.id for sheet in published)


def test_each_entry_gives_keys_labels_dates_addresses_and_licence(example_site_build):
    catalogue, _ = read(example_site_build)
    entry = next(e for e in catalogue["fiches"] if e["id"] == "FP-001")
    assert entry["type"] == {"cle": "fiche", "libelle": "Fiche pratique"}
    assert entry["statut"]["cle"] == "validee"
    assert entry["validation"] == {"instance": "Haut Conseil du travail social, séance plénière", "seance": "2019-06-14"}
    assert entry["url"] == "fiches/proteger-les-donnees/" and (example_site_build / entry["url"] / "index.html").is_file()
    assert entry["adresse_permanente"] == "id/FP-001/" and (example_site_build / "id" / "FP-001" / "index.html").is_file()
    assert catalogue["site"] is None
    licence = load_schema(REPO).licence
    assert catalogue["licence"] == {"nom": licence.name, "adresse": licence.url} and entry["licence"] == licence.url
    archived = [e for e in catalogue["fiches"] if e["statut"]["cle"] == "archivee"]
    assert archived and all("remplacee_par" in e for e in archived)


def test_with_the_site_s_address_every_address_is_absolute(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"),
                        env={"FICHES_SANS_RECHERCHE": "1", "SITE_URL": ADDRESS})
    assert result.returncode == 0, result.stderr
    catalogue, _ = read(tmp_path / "html")
    assert catalogue["site"] == ADDRESS
    for entry in catalogue["fiches"]:
        assert entry["url"].startswith(ADDRESS) and entry["adresse_permanente"] == f"{ADDRESS}id/{entry['id']}/"


def test_the_reuse_page_explains_the_catalogue(repo_site_build):
    html = (repo_site_build / "reutiliser" / "index.html").read_text(encoding="utf-8")
    assert 'href="../catalogue.json"' in html and 'href="../catalogue-1.schema.json"' in html
    assert "adresse permanente" in html


@pytest.mark.parametrize("field", ["id", "titre", "adresse_permanente"])
def test_a_catalogue_missing_a_required_field_fails_the_schema(example_site_build, field):
    catalogue, schema = read(example_site_build)
    del catalogue["fiches"][0][field]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(catalogue)


def test_the_catalogue_lists_the_training_modules_with_their_sheets_in_order(example_site_build):
    catalogue, _ = read(example_site_build)
    [module] = catalogue["parcours"]
    assert module["fichier"] == "parcours/premiers-pas.yml" and module["public"] == {"cle": "formation", "libelle": "Formateurs et établissements de formation"}
    assert module["fiches"] == [{"id": "FP-001", "note": "Commencez par les données des personnes."}, {"id": "PI-001"}]
    assert module["url"] == "parcours/premiers-pas/" and (example_site_build / module["url"] / "index.html").is_file()
