"""« À relire »: sheets whose review date is past or within 60 days, the
INFO line of the build for each overdue sheet, and the strict switch
FICHES_RELECTURE_STRICTE=1 that turns them into a failed build."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from fiches_kb.formatting import french_date
from fiches_kb.review import build_review_list, overdue_message, strict_requested
from fiches_kb.site import load_site_content
from helpers import EXAMPLE_SITE, copy_site, listed_items, make_repo, page, run_mkdocs, squash

PRACTICE = "pratiques-inspirantes/aidants-connect.md"  # en relecture, due 2020-08-01 in tests/site


def set_review_date(path: Path, when: date) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^prochaine_relecture: .*$", f"prochaine_relecture: {when.isoformat()}", text, flags=re.M), encoding="utf-8")


def add_copy(repo: Path, source: str, identifier: str, title: str, review: date) -> None:
    """A copy of a sheet of the example site with another id, title and review date."""
    text = (repo / source).read_text(encoding="utf-8")
    old_id = re.search(r"^id: (\S+)$", text, flags=re.M).group(1)
    text = text.replace(f"id: {old_id}", f"id: {identifier}", 1)
    text = re.sub(r"^titre: .*$", f"titre: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^liees: .*\n", "", text, flags=re.M)
    target = repo / Path(source).parent / f"{identifier.lower()}.md"
    target.write_text(text, encoding="utf-8")
    set_review_date(target, review)


def test_overdue_first_then_due_soon_each_by_date_archived_left_out(tmp_path):
    today = date(2026, 11, 23)
    repo = make_repo(tmp_path)
    add_copy(repo, PRACTICE, "PI-002", "Une pratique très en retard de relecture", date(2020, 3, 1))
    add_copy(repo, PRACTICE, "PI-003", "Une pratique à relire dans dix jours", today + timedelta(days=10))
    add_copy(repo, PRACTICE, "PI-004", "Une pratique à relire aujourd'hui même", today)
    add_copy(repo, PRACTICE, "PI-005", "Une pratique à relire dans soixante jours", today + timedelta(days=60))
    add_copy(repo, PRACTICE, "PI-006", "Une pratique à relire dans soixante et un jours", today + timedelta(days=61))
    review = build_review_list(load_site_content(repo, include_drafts=False, today=today))
    # FP-002 (archived, due 2019-01-01) is left out; PI-001 is due 2020-08-01.
    assert [s.id for s in review.overdue] == ["PI-002", "PI-001"]
    assert [s.id for s in review.due_soon] == ["PI-004", "PI-003", "PI-005"]


def test_overdue_message_names_the_file_the_sheet_and_the_date(tmp_path):
    repo = make_repo(tmp_path)
    review = build_review_list(load_site_content(repo, include_drafts=False, today=date(2026, 11, 23)))
    assert overdue_message(review.overdue[0]) == (
        "Relecture en retard : pratiques-inspirantes/aidants-connect.md (PI-001, « Aidants Connect, des "
        "démarches en ligne sécurisées pour autrui ») devait être relue le 1er août 2020. Relisez-la, puis "
        "mettez à jour « prochaine_relecture »."
    )


def test_strict_switch_values():
    assert strict_requested({"FICHES_RELECTURE_STRICTE": "1"})
    assert strict_requested({"FICHES_RELECTURE_STRICTE": "oui"})
    assert not strict_requested({"FICHES_RELECTURE_STRICTE": "0"})
    assert not strict_requested({})


def example_site_due_soon(tmp_path: Path) -> Path:
    """The example site plus a sheet due in 10 days (relative to the real date of the build)."""
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    add_copy(site, PRACTICE, "PI-002", "Une pratique à relire bientôt", date.today() + timedelta(days=10))
    return site


def test_build_logs_overdue_sheets_as_info_and_still_passes_strict(tmp_path):
    site = example_site_due_soon(tmp_path)
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "Relecture en retard" in line]
    assert lines == [
        "INFO    -  Relecture en retard : pratiques-inspirantes/aidants-connect.md (PI-001, « Aidants Connect, "
        "des démarches en ligne sécurisées pour autrui ») devait être relue le 1er août 2020. Relisez-la, "
        "puis mettez à jour « prochaine_relecture »."
    ]
    html = page(tmp_path / "html", "a-relire")
    assert squash(html.find("h1").text()).rstrip("¶") == "À relire"
    assert squash(html.find("h2", id="relecture-en-retard").text()) == "Relecture en retard (1)"
    assert squash(html.find("h2", id="relecture-prochaine").text()) == "À relire dans les 60 jours (1)"
    overdue = listed_items(html, "fiches-a-relire--retard")
    assert [(i["title"], i["status"], i["type"]) for i in overdue] == [
        ("Aidants Connect, des démarches en ligne sécurisées pour autrui", "En relecture", "Pratique inspirante")
    ]
    notes = [squash(n.text()) for n in html.find_all("p", cls="fiches-liste__note")]
    soon = french_date(date.today() + timedelta(days=10))
    assert notes == ["Relecture prévue le 1er août 2020, en retard.", f"Relecture prévue le {soon}. (relecture en retard)"]
    # That marker stays hidden until the reader's date passes the review date (pages/assets/relecture.js).
    assert [marker.attrs.get("hidden") for marker in html.find_all(cls="fiche-relecture-retard")] == [""]
    assert "Utiliser la messagerie professionnelle (ancienne version)" not in html.text()  # archived


def test_strict_switch_fails_the_build_on_an_overdue_sheet(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--site-dir", str(tmp_path / "html"), env={"FICHES_RELECTURE_STRICTE": "1"})
    assert result.returncode != 0
    assert "ERROR   -  Relecture en retard : pratiques-inspirantes/aidants-connect.md (PI-001" in result.stderr
    assert (
        "Relecture en retard : 1 fiche a dépassé sa date de relecture et FICHES_RELECTURE_STRICTE=1 est "
        "demandé : le site n'a pas été construit." in result.stderr
    )


def test_strict_switch_lets_a_site_without_overdue_sheet_build(tmp_path):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    set_review_date(site / PRACTICE, date.today() + timedelta(days=365))
    result = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "html"), env={"FICHES_RELECTURE_STRICTE": "1"})
    assert result.returncode == 0, result.stderr
    html = page(tmp_path / "html", "a-relire")
    assert "Aucune fiche n'a dépassé sa date de relecture." in html.text()
    assert "Aucune fiche n'est à relire dans les 60 prochains jours." in html.text()
