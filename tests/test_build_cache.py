"""A rebuild reuses what an earlier build learned of unchanged files, and
never hides a change.

The build keeps, in the user's cache folder (FICHES_CACHE), each file's
loading and checking result by a hash of its bytes, the content rules'
verdict on each sheet by a hash of its body and of the HTML MkDocs made of
it (`fiches_kb.check_cache`), and the print footers' QR codes by address
(`fiches_kb.qr.QrCodes`). A rebuild with nothing changed writes the same
site; a sheet changed, or a referentiel.yml changed, is judged again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fiches_kb import qr
from helpers import EXAMPLE_SITE, PDF_SITE_ADDRESS, copy_site, different_files, run_mkdocs

SHEET = "fiches/proteger-les-donnees.md"
PIXEL = "![](https://tracker.example/pixel.png)"


def build(site: Path, output: Path, cache: Path):
    # With the site's address, as published: print footers then carry QR codes.
    return run_mkdocs(
        site, "build", "--strict", "--site-dir", str(output), env={"FICHES_CACHE": str(cache), "SITE_URL": PDF_SITE_ADDRESS}
    )


def insert_after_first_paragraph_line(path: Path, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Aucun mot de passe noté.\n", f"Aucun mot de passe noté.\n\n{addition}\n", 1), encoding="utf-8")


@pytest.fixture
def built_once(tmp_path):
    """The example site built once: (site, cache folder)."""
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    cache = tmp_path / "cache"
    result = build(site, tmp_path / "first", cache)
    assert result.returncode == 0, result.stderr
    return site, cache


def test_the_build_keeps_its_results_in_the_cache_folder(built_once):
    _, cache = built_once
    kept = sorted(path.name.rsplit("-", 1)[-1] for path in (cache / "verification").glob("*.pickle"))
    assert kept == ["construction.pickle", "rendu.pickle"]
    assert len(list(cache.glob("qr-*.pickle"))) == 1


def test_a_rebuild_with_the_cache_writes_the_same_site_as_a_build_without(built_once, tmp_path):
    site, cache = built_once
    assert build(site, tmp_path / "warm", cache).returncode == 0
    assert build(site, tmp_path / "cold", tmp_path / "empty-cache").returncode == 0
    # Pagefind's metadata file differs between any two builds, cache or not: left out.
    assert [name for name in different_files(tmp_path / "warm", tmp_path / "cold") if not name.startswith("pagefind/")] == []


def test_a_sheet_changed_after_a_build_is_judged_again(built_once, tmp_path):
    site, cache = built_once
    insert_after_first_paragraph_line(site / SHEET, PIXEL)
    result = build(site, tmp_path / "second", cache)
    assert result.returncode != 0
    assert re.search(r"fiches/proteger-les-donnees\.md:\d+ : erreur : image chargée depuis un autre site", result.stderr)
    assert "trouvé : « https://tracker.example/pixel.png »" in result.stderr


def test_a_front_matter_made_invalid_after_a_build_is_reported(built_once, tmp_path):
    site, cache = built_once
    path = site / SHEET
    path.write_text(path.read_text(encoding="utf-8").replace("statut: ", "statut: inconnu-", 1), encoding="utf-8")
    result = build(site, tmp_path / "second", cache)
    assert result.returncode != 0
    assert "fiches/proteger-les-donnees.md:" in result.stderr and "statut" in result.stderr


def test_a_referentiel_changed_after_a_build_judges_every_sheet_again(built_once, tmp_path):
    """The same sheet, accepted by the first referentiel.yml, is refused once
    the referentiel forbids what it holds: no verdict of the first build is reused."""
    site, cache = built_once
    sheet = (site / SHEET).read_text(encoding="utf-8")
    assert "<mark>" not in sheet
    insert_after_first_paragraph_line(site / SHEET, "Un passage <mark>à retenir</mark>.")
    assert build(site, tmp_path / "second", cache).returncode == 0
    referentiel = site / "referentiel.yml"
    text = referentiel.read_text(encoding="utf-8")
    allowed = re.search(r"^ +mark: \[\].*\n", text, re.M)
    assert allowed, "the example assumes referentiel.yml allows <mark>"
    referentiel.write_text(text.replace(allowed.group(0), "", 1), encoding="utf-8")
    result = build(site, tmp_path / "third", cache)
    assert result.returncode != 0
    assert "fiches/proteger-les-donnees.md:" in result.stderr and "mark" in result.stderr


def test_a_qr_code_made_once_is_read_back_by_the_next_build(tmp_path, monkeypatch):
    address, label = f"{PDF_SITE_ADDRESS}id/FP-001/", "Code QR vers la version en ligne"
    first = qr.QrCodes(tmp_path)
    svg = first(address, label)
    assert svg.startswith("<svg") and 'aria-label="Code QR vers la version en ligne"' in svg
    first.save()

    def never(*args):
        raise AssertionError("made again")

    monkeypatch.setattr(qr, "qr_svg", never)
    again = qr.QrCodes(tmp_path)
    assert again(address, label) == svg
    with pytest.raises(AssertionError, match="made again"):
        again(f"{PDF_SITE_ADDRESS}id/FP-002/", label)
