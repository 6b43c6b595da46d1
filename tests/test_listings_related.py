"""Related content: `SiteContent.related` (sheets a sheet lists in `liees`)
and `SiteContent.backlinks` (sheets that list it), and the « À lire aussi »
list of the built sheet pages."""

from __future__ import annotations

import re
from pathlib import Path

from fiches_kb.site import load_site_content
from helpers import TODAY, make_repo, page, published, squash

BASE = Path(__file__).resolve().parent / "site" / "fiches" / "proteger-les-donnees.md"


def add_sheet(repo: Path, identifier: str, title: str, related: list[str], status: str = "en-relecture") -> None:
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("id: FP-001", f"id: {identifier}")
    text = text.replace("titre: Protéger les données des personnes lors des démarches en ligne", f"titre: {title}")
    text = re.sub(r"^liees: .*$", f"liees: [{', '.join(related)}]" if related else "", text, flags=re.M)
    if status != "validee":
        text = re.sub(r"^validation:\n(  .*\n)+", "", text, flags=re.M)
        text = text.replace("statut: validee", f"statut: {status}")
    (repo / "fiches" / f"{identifier.lower()}.md").write_text(text, encoding="utf-8")


def content(repo: Path, include_drafts: bool = False):
    return load_site_content(repo, include_drafts=include_drafts, today=TODAY)


def ids(sheets) -> list[str]:
    return [s.id for s in sheets]


def test_related_follows_liees_in_order_and_backlinks_the_other_way(tmp_path):
    repo = make_repo(tmp_path)
    add_sheet(repo, "FP-010", "Une fiche qui en cite deux autres", ["PI-001", "FP-001"])
    site = content(repo)
    fp010, fp001, pi001 = site.by_id("FP-010"), site.by_id("FP-001"), site.by_id("PI-001")
    assert ids(site.related(fp010)) == ["PI-001", "FP-001"]
    assert ids(site.related(fp001)) == ["PI-001"]
    # PI-001 lists nothing; FP-001 and FP-010 list it.
    assert ids(site.related(pi001)) == []
    assert sorted(ids(site.backlinks(pi001))) == ["FP-001", "FP-010"]
    assert ids(site.backlinks(fp001)) == ["FP-010"]
    assert ids(site.backlinks(fp010)) == []


def test_a_backlink_already_in_liees_is_not_listed_twice(tmp_path):
    repo = make_repo(tmp_path)
    add_sheet(repo, "FP-010", "Première fiche qui cite la seconde", ["FP-011"])
    add_sheet(repo, "FP-011", "Seconde fiche qui cite la première", ["FP-010"])
    site = content(repo)
    assert ids(site.related(site.by_id("FP-010"))) == ["FP-011"]
    assert ids(site.backlinks(site.by_id("FP-010"))) == []
    assert ids(site.backlinks(site.by_id("FP-011"))) == []


def test_drafts_are_neither_related_nor_backlinks_on_the_public_site(tmp_path):
    repo = make_repo(tmp_path)
    add_sheet(repo, "FP-010", "Un brouillon qui cite une fiche publiée", ["FP-001"], status="brouillon")
    add_sheet(repo, "FP-011", "Une fiche publiée qui cite un brouillon", ["FP-010", "PI-001"])
    public = content(repo)
    assert public.by_id("FP-010") is None
    assert ids(public.related(public.by_id("FP-011"))) == ["PI-001"]
    assert ids(public.backlinks(public.by_id("FP-001"))) == []
    preview = content(repo, include_drafts=True)
    assert ids(preview.related(preview.by_id("FP-011"))) == ["FP-010", "PI-001"]
    assert ids(preview.backlinks(preview.by_id("FP-001"))) == ["FP-010"]


def test_archived_sheets_keep_their_links(tmp_path):
    repo = make_repo(tmp_path)
    add_sheet(repo, "FP-010", "Une fiche qui cite la fiche archivée", ["FP-002"])
    site = content(repo)
    assert ids(site.backlinks(site.by_id("FP-002"))) == ["FP-010"]


def test_every_real_sheet_page_lists_its_related_sheets_then_its_backlinks(repo_site_build):
    """« À lire aussi » on each built page, against the front matter of the real sheets."""
    from helpers import REPO

    sheets = published(REPO)
    by_id = {s["id"]: s for s in sheets}
    for sheet in sheets:
        related = [by_id[i]["titre"] for i in sheet.get("liees") or [] if i in by_id]
        backlinks = [s["titre"] for s in sheets if sheet["id"] in (s.get("liees") or []) and s["id"] not in (sheet.get("liees") or [])]
        html = page(repo_site_build, sheet["_url"])
        block = html.find("ul", cls="fiche-liens")
        shown = [squash(li.find("a").text()) for li in block.find_all("li")] if block else []
        assert shown[: len(related)] == related, sheet["id"]
        assert sorted(shown[len(related):]) == sorted(backlinks), sheet["id"]
