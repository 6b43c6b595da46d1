"""One fixture file per front-matter rule; each test pins the exact French message.

Each fixture in tests/fixtures/invalid/ is a valid sheet with one defect,
checked inside a small repository (tests/site's sheets give references
something to point at).
"""

from __future__ import annotations

import pytest

from helpers import add_fixture, make_repo, problems_for

EXPECTED = {
    'Nom_Non_Conforme.md': [
        (
            'fiches/Nom_Non_Conforme.md : erreur : nom de fichier non conforme.' "\n"
            '    attendu : des minuscules sans accents, des chiffres et des tirets, terminé par « .md »' "\n"
            '    trouvé : « Nom_Non_Conforme.md »' "\n"
            '    suggestion : renommez le fichier en « nom-non-conforme.md »' "\n"
            '    aide : pages/contribuer/guide.md#nommer-le-fichier'
        ),
    ],
    'ancre-yaml.md': [
        (
            'fiches/ancre-yaml.md:6 : erreur : les ancres et alias YAML (« & » et « * ») ne sont pas acceptés.' "\n"
            '    suggestion : écrivez la valeur en entier à chaque endroit'
        ),
    ],
    'archivee-sans-remplacante.md': [
        (
            'fiches/archivee-sans-remplacante.md:5 : erreur : champ « statut » : une fiche archivée doit indiquer la fiche qui la remplace.' "\n"
            "    attendu : un champ « remplacee_par » avec l'identifiant de la nouvelle fiche" "\n"
            '    suggestion : ajoutez : remplacee_par: FP-014' "\n"
            '    aide : pages/contribuer/guide.md#champ-remplacee-par'
        ),
    ],
    'caractere-invisible.md': [
        (
            'fiches/caractere-invisible.md:3 : erreur : caractère invisible interdit (U+000C).' "\n"
            '    attendu : du texte sans caractère de contrôle' "\n"
            '    suggestion : supprimez ce caractère (souvent collé depuis un traitement de texte ou un PDF)'
        ),
    ],
    'champ-inconnu.md': [
        (
            'fiches/champ-inconnu.md:1 : erreur : champ obligatoire « publics » manquant.' "\n"
            "    attendu : À qui la fiche s'adresse." "\n"
            '    suggestion : ajoutez par exemple : « publics: [travailleurs-sociaux, encadrement] »' "\n"
            '    aide : pages/contribuer/guide.md#champ-publics'
        ),
        (
            'fiches/champ-inconnu.md:7 : erreur : champ « public » : champ inconnu.' "\n"
            "    attendu : l'un des champs id, titre, resume, essentiel, statut, themes, publics, validation, date_creation, date_mise_a_jour, prochaine_relecture, auteurs, sources, consultations, liees, remplacee_par" "\n"
            '    suggestion : vouliez-vous dire « publics » ?' "\n"
            '    aide : pages/contribuer/guide.md#les-champs'
        ),
    ],
    'champ-obligatoire-manquant.md': [
        (
            'fiches/champ-obligatoire-manquant.md:1 : erreur : champ obligatoire « resume » manquant.' "\n"
            "    attendu : Une ou deux phrases qui disent à qui la fiche sert et ce qu'elle apporte. Il apparaît dans les listes et les résultats de recherche." "\n"
            '    suggestion : ajoutez par exemple : « resume: Ce que le travailleur social peut faire, et ne doit pas faire, quand une personne lui confie ses identifiants pour une démarche en ligne. »' "\n"
            '    aide : pages/contribuer/guide.md#champ-resume'
        ),
    ],
    'champ-reserve-aux-pratiques.md': [
        (
            "fiches/champ-reserve-aux-pratiques.md:17 : erreur : champ « territoire » : ce champ n'existe que pour les pratiques inspirantes." "\n"
            '    suggestion : retirez cette ligne, ou déplacez le fichier dans le bon dossier' "\n"
            '    aide : pages/contribuer/guide.md#champ-territoire'
        ),
    ],
    'cle-en-double.md': [
        (
            'fiches/cle-en-double.md:6 : erreur : champ « statut » : la clé apparaît deux fois (déjà ligne 5).' "\n"
            '    suggestion : gardez une seule de ces lignes'
        ),
    ],
    'date-a-la-francaise.md': [
        (
            'fiches/date-a-la-francaise.md:8 : erreur : champ « date_creation » : date mal écrite.' "\n"
            '    attendu : une date réelle au format AAAA-MM-JJ' "\n"
            '    trouvé : le texte « 10/01/2020 »' "\n"
            '    suggestion : écrivez « 2020-01-10 »' "\n"
            '    aide : pages/contribuer/guide.md#champ-date-creation'
        ),
    ],
    'date-future.md': [
        (
            'fiches/date-future.md:9 : erreur : champ « date_mise_a_jour » : la date est dans le futur.' "\n"
            "    attendu : au plus tard aujourd'hui (2026-11-23)" "\n"
            '    trouvé : « 2999-02-10 »' "\n"
            '    aide : pages/contribuer/guide.md#champ-date-mise-a-jour'
        ),
        (
            'fiches/date-future.md:10 : erreur : champ « prochaine_relecture » : la prochaine relecture doit venir après la dernière mise à jour.' "\n"
            '    attendu : une date après le 2999-02-10' "\n"
            '    trouvé : « 2099-01-01 »' "\n"
            '    suggestion : prévoyez la relecture six mois après la mise à jour, au rythme des validations du HCTS' "\n"
            '    aide : pages/contribuer/guide.md#champ-prochaine-relecture'
        ),
    ],
    'date-impossible.md': [
        (
            'fiches/date-impossible.md:8 : erreur : champ « date_creation » : date invalide.' "\n"
            '    attendu : une date réelle au format AAAA-MM-JJ' "\n"
            '    trouvé : le texte « 2020-02-30 »' "\n"
            "    suggestion : vérifiez le jour et le mois : cette date n'existe pas" "\n"
            '    aide : pages/contribuer/guide.md#champ-date-creation'
        ),
    ],
    'en-tete-liste.md': [
        (
            "fiches/en-tete-liste.md:2 : erreur : l'en-tête n'est pas une liste de champs « clé: valeur »." "\n"
            '    attendu : une ligne par champ, par exemple « titre: Mon titre »' "\n"
            '    trouvé : une liste'
        ),
    ],
    'en-tete-non-ferme.md': [
        (
            "fiches/en-tete-non-ferme.md:1 : erreur : l'en-tête ouvert à la ligne 1 n'est jamais fermé." "\n"
            '    attendu : une ligne « --- » seule après le dernier champ' "\n"
            "    suggestion : ajoutez une ligne « --- » entre l'en-tête et le texte"
        ),
    ],
    'en-tete-vide.md': [
        (
            "fiches/en-tete-vide.md:1 : erreur : l'en-tête est vide." "\n"
            '    attendu : des champs « clé: valeur » entre les deux lignes « --- »' "\n"
            "    suggestion : copiez l'en-tête du modèle fiches/MODELE.md"
        ),
    ],
    'fichier-vide.md': [
        (
            'fiches/fichier-vide.md:1 : erreur : le fichier est vide.' "\n"
            '    attendu : un en-tête entre deux lignes « --- », puis le texte de la fiche' "\n"
            '    suggestion : partez du modèle fiches/MODELE.md ou lancez « fiches nouvelle »'
        ),
    ],
    'guillemets-non-fermes.md': [
        (
            "fiches/guillemets-non-fermes.md:18 : erreur : erreur de syntaxe dans l'en-tête : des guillemets ouverts ne sont jamais fermés." "\n"
            '    trouvé : message technique YAML : while scanning a quoted scalar found unexpected end of stream' "\n"
            '    suggestion : fermez les guillemets à la fin de la valeur'
        ),
    ],
    'identifiant-en-double.md': [
        (
            'fiches/identifiant-en-double.md:2 : erreur : champ « id » : identifiant « FP-001 » également utilisé par fiches/proteger-les-donnees.md (ligne 2).' "\n"
            '    attendu : un identifiant propre à chaque fiche, qui ne change jamais' "\n"
            "    suggestion : gardez l'identifiant de la fiche la plus ancienne ; donnez à l'autre un numéro libre, par exemple « FP-004 »" "\n"
            '    aide : pages/contribuer/guide.md#champ-id'
        ),
    ],
    'identifiant-mal-forme.md': [
        (
            'fiches/identifiant-mal-forme.md:2 : erreur : champ « id » : identifiant mal formé.' "\n"
            "    attendu : « FP- » suivi d'au moins trois chiffres, par exemple FP-012" "\n"
            '    trouvé : le texte « fp 100 »' "\n"
            '    suggestion : écrivez « FP-100 »' "\n"
            '    aide : pages/contribuer/guide.md#champ-id'
        ),
    ],
    'identifiant-mauvais-prefixe.md': [
        (
            'fiches/identifiant-mauvais-prefixe.md:2 : erreur : champ « id » : un fichier du dossier « fiches/ » doit avoir un identifiant en « FP- ».' "\n"
            "    attendu : « FP- » suivi d'au moins trois chiffres, par exemple FP-012" "\n"
            '    trouvé : « PI-100 »' "\n"
            '    suggestion : écrivez « FP-100 » (si ce numéro est libre), ou déplacez le fichier' "\n"
            '    aide : pages/contribuer/guide.md#champ-id'
        ),
    ],
    'latin-1.md': [
        (
            "fiches/latin-1.md:3 : erreur : le fichier n'est pas encodé en UTF-8 (octet 0xE8 illisible)." "\n"
            '    attendu : un fichier enregistré en UTF-8' "\n"
            "    suggestion : ouvrez le fichier dans votre éditeur et enregistrez-le avec l'encodage « UTF-8 » (il est sans doute en Windows-1252 ou ISO-8859-1)"
        ),
    ],
    'liee-a-soi-meme.md': [
        (
            'fiches/liee-a-soi-meme.md:16 : erreur : champ « liees[1] » : une fiche ne peut pas se citer elle-même.' "\n"
            '    trouvé : « FP-100 »' "\n"
            '    aide : pages/contribuer/guide.md#champ-liees'
        ),
    ],
    'liee-inexistante.md': [
        (
            "fiches/liee-inexistante.md:16 : erreur : champ « liees[1] » : aucune fiche ne porte l'identifiant « FP-010 »." "\n"
            "    attendu : l'identifiant d'une fiche ou d'une pratique existante" "\n"
            '    suggestion : vouliez-vous dire « FP-100 » ?' "\n"
            '    aide : pages/contribuer/guide.md#champ-liees'
        ),
    ],
    'lien-http.md': [
        (
            'fiches/lien-http.md:14 : erreur : champ « sources[1].lien » : lien non sécurisé (http).' "\n"
            '    attendu : une adresse en https://' "\n"
            '    trouvé : « http://www.example.org/mandat »' "\n"
            "    suggestion : écrivez « https://www.example.org/mandat » après avoir vérifié qu'elle fonctionne" "\n"
            '    aide : pages/contribuer/guide.md#champ-sources'
        ),
    ],
    'mise-a-jour-avant-creation.md': [
        (
            'fiches/mise-a-jour-avant-creation.md:9 : erreur : champ « date_mise_a_jour » : la mise à jour est antérieure à la création.' "\n"
            '    attendu : une date à partir du 2020-01-10' "\n"
            '    trouvé : « 2019-02-10 »' "\n"
            '    aide : pages/contribuer/guide.md#champ-date-mise-a-jour'
        ),
    ],
    'relecture-avant-mise-a-jour.md': [
        (
            'fiches/relecture-avant-mise-a-jour.md:10 : erreur : champ « prochaine_relecture » : la prochaine relecture doit venir après la dernière mise à jour.' "\n"
            '    attendu : une date après le 2020-02-10' "\n"
            '    trouvé : « 2020-01-01 »' "\n"
            '    suggestion : prévoyez la relecture six mois après la mise à jour, au rythme des validations du HCTS' "\n"
            '    aide : pages/contribuer/guide.md#champ-prochaine-relecture'
        ),
    ],
    'remplacante-inexistante.md': [
        (
            "fiches/remplacante-inexistante.md:6 : erreur : champ « remplacee_par » : aucune fiche ne porte l'identifiant « FP-999 »." "\n"
            "    attendu : l'identifiant d'une fiche ou d'une pratique existante" "\n"
            "    suggestion : vérifiez l'identifiant dans l'en-tête de la fiche visée" "\n"
            '    aide : pages/contribuer/guide.md#champ-remplacee-par'
        ),
    ],
    'sans-en-tete.md': [
        (
            'fiches/sans-en-tete.md:1 : erreur : le fichier ne commence pas par un en-tête.' "\n"
            '    attendu : une première ligne « --- », les champs, puis une ligne « --- »' "\n"
            '    trouvé : « ## Ce qui est en jeu »' "\n"
            "    suggestion : ajoutez l'en-tête du modèle fiches/MODELE.md en haut du fichier"
        ),
    ],
    'seance-dans-le-futur.md': [
        (
            'fiches/seance-dans-le-futur.md:8 : erreur : champ « validation.seance » : la date de séance est dans le futur.' "\n"
            '    attendu : une séance déjà tenue (au plus tard le 2026-11-23)' "\n"
            '    trouvé : « 2999-06-14 »' "\n"
            "    suggestion : gardez le statut « soumise » jusqu'à la séance" "\n"
            '    aide : pages/contribuer/guide.md#champ-validation'
        ),
    ],
    'section-manquante.md': [
        (
            'fiches/section-manquante.md:19 : erreur : section manquante : « ## Points de vigilance ».' "\n"
            "    attendu : les sections d'une fiche pratique : « Ce qui est en jeu », « Ce que disent le droit et l'éthique », « Que faire », « Points de vigilance », « Ressources »" "\n"
            "    suggestion : ajoutez ces titres « ## » (le texte peut dire « Sans objet. » quand une section ne s'applique pas)" "\n"
            '    aide : pages/contribuer/guide.md#structure-fiche'
        ),
    ],
    'source-sans-titre.md': [
        (
            'fiches/source-sans-titre.md:13 : erreur : champ « sources[1].titre » : champ obligatoire manquant.' "\n"
            '    attendu : Titre du document, avec son auteur ou éditeur et sa date quand on les connaît.' "\n"
            "    suggestion : ajoutez par exemple : « titre: HCTS, mandat du groupe de travail « L'usage du numérique dans le travail social », 2017 »" "\n"
            '    aide : pages/contribuer/guide.md#champ-sources'
        ),
    ],
    'sous-champ-inconnu.md': [
        (
            'fiches/sous-champ-inconnu.md:14 : erreur : champ « sources[1].editeur » : champ inconnu.' "\n"
            "    attendu : l'un des champs titre, lien, date" "\n"
            '    suggestion : retirez cette ligne' "\n"
            '    aide : pages/contribuer/guide.md#champ-sources'
        ),
    ],
    'statut-inconnu.md': [
        (
            'fiches/statut-inconnu.md:5 : erreur : champ « statut » : valeur non autorisée.' "\n"
            "    attendu : l'une des valeurs brouillon, en-relecture, soumise, validee, archivee" "\n"
            '    trouvé : le texte « validé »' "\n"
            '    suggestion : écrivez « validee »' "\n"
            '    aide : pages/contribuer/guide.md#champ-statut'
        ),
    ],
    'syntaxe-apostrophe.md': [
        (
            "fiches/syntaxe-apostrophe.md:3 : erreur : erreur de syntaxe dans l'en-tête : une apostrophe ferme trop tôt la valeur écrite entre apostrophes (guillemets simples)." "\n"
            "    trouvé : « titre: 'Utiliser la visio : l'essentiel' » (détail technique, message YAML : while parsing a block mapping expected <block end>, but found '<scalar>')" "\n"
            '    suggestion : entourez la valeur de guillemets doubles ("…l\'essentiel"), ou doublez chaque apostrophe intérieure (l\'\'essentiel)'
        ),
    ],
    'syntaxe-guillemets.md': [
        (
            "fiches/syntaxe-guillemets.md:3 : erreur : erreur de syntaxe dans l'en-tête : des guillemets à l'intérieur ferment trop tôt la valeur écrite entre guillemets." "\n"
            '    trouvé : « titre: "Le "bon" usage de la visio" » (détail technique, message YAML : while parsing a block mapping expected <block end>, but found \'<scalar>\')' "\n"
            "    suggestion : utilisez les guillemets français « » à l'intérieur de la valeur, ou entourez-la d'apostrophes"
        ),
    ],
    'syntaxe-deux-points.md': [
        (
            "fiches/syntaxe-deux-points.md:3 : erreur : erreur de syntaxe dans l'en-tête : un « : » est mal placé (souvent un deux-points dans une valeur)." "\n"
            '    trouvé : message technique YAML : mapping values are not allowed here' "\n"
            '    suggestion : mettez la valeur entre guillemets, par exemple titre: "Secret : ce qu\'il faut savoir"'
        ),
    ],
    'tabulation.md': [
        (
            "fiches/tabulation.md:13 : erreur : tabulation dans l'indentation de l'en-tête." "\n"
            '    attendu : des espaces pour indenter (YAML refuse les tabulations)' "\n"
            '    suggestion : remplacez chaque tabulation par deux espaces'
        ),
    ],
    'theme-inconnu.md': [
        (
            'fiches/theme-inconnu.md:6 : erreur : champ « themes[1] » : valeur non autorisée.' "\n"
            "    attendu : l'une des valeurs acces-aux-droits, fracture-numerique, autonomie-numerique, donnees-personnelles, messageries-et-reseaux, risques-en-ligne, pratiques-professionnelles, formation-et-competences" "\n"
            '    trouvé : le texte « donnees-personelles »' "\n"
            '    suggestion : écrivez « donnees-personnelles »' "\n"
            '    aide : pages/contribuer/guide.md#champ-themes'
        ),
    ],
    'themes-pas-une-liste.md': [
        (
            'fiches/themes-pas-une-liste.md:6 : erreur : champ « themes » : une liste est attendue.' "\n"
            '    attendu : une liste entre crochets, par exemple [donnees-personnelles, acces-aux-droits]' "\n"
            '    trouvé : le texte « donnees-personnelles »' "\n"
            '    suggestion : écrivez themes: [donnees-personnelles]' "\n"
            '    aide : pages/contribuer/guide.md#champ-themes'
        ),
    ],
    'titre-niveau-un.md': [
        (
            'fiches/titre-niveau-un.md:20 : erreur : titre de niveau 1 (« # ») dans le texte.' "\n"
            "    attendu : aucun titre « # » : le titre vient du champ « titre » de l'en-tête" "\n"
            '    trouvé : « # Mon titre »' "\n"
            '    suggestion : supprimez cette ligne, ou transformez-la en section « ## »' "\n"
            '    aide : pages/contribuer/guide.md#structure-fiche'
        ),
    ],
    'titre-nombre.md': [
        (
            'fiches/titre-nombre.md:3 : erreur : champ « titre » : du texte est attendu.' "\n"
            '    attendu : du texte' "\n"
            '    trouvé : un nombre « 2019 »' "\n"
            '    suggestion : mettez la valeur entre guillemets : titre: "2019"' "\n"
            '    aide : pages/contribuer/guide.md#champ-titre'
        ),
    ],
    'titre-trop-long.md': [
        (
            'fiches/titre-trop-long.md:3 : erreur : champ « titre » : texte trop long.' "\n"
            '    attendu : au plus 120 caractères' "\n"
            '    trouvé : 151 caractères' "\n"
            "    suggestion : raccourcissez : les listes et les résultats de recherche n'affichent pas plus" "\n"
            '    aide : pages/contribuer/guide.md#champ-titre'
        ),
    ],
    'trop-de-themes.md': [
        (
            "fiches/trop-de-themes.md:6 : erreur : champ « themes » : trop d'éléments." "\n"
            '    attendu : au plus 3' "\n"
            '    trouvé : 4' "\n"
            '    suggestion : gardez les plus importants, en premier' "\n"
            '    aide : pages/contribuer/guide.md#champ-themes'
        ),
    ],
    'valeur-vide.md': [
        (
            'fiches/valeur-vide.md:11 : erreur : champ « auteurs » : valeur vide.' "\n"
            '    attendu : Le groupe de travail ou les structures qui ont rédigé la fiche. Pas de nom de personne privée.' "\n"
            '    suggestion : complétez, par exemple : « auteurs: [Groupe de travail « Usage du numérique dans le travail social » du HCTS] »' "\n"
            '    aide : pages/contribuer/guide.md#champ-auteurs'
        ),
    ],
    'validation-sans-validee.md': [
        (
            "fiches/validation-sans-validee.md:6 : erreur : champ « validation » : une fiche au statut « soumise » (Soumise au HCTS) n'a pas encore été validée." "\n"
            "    suggestion : retirez le champ « validation », ou passez le statut à « validee » si le HCTS l'a validée" "\n"
            '    aide : pages/contribuer/guide.md#champ-validation'
        ),
    ],
    'validee-sans-seance.md': [
        (
            'fiches/validee-sans-seance.md:5 : erreur : champ « statut » : une fiche validée doit indiquer sa séance de validation.' "\n"
            "    attendu : un champ « validation » avec l'instance et la date de la séance" "\n"
            '    suggestion : ajoutez : « validation: » puis, indenté : instance: Haut Conseil du travail social, séance plénière ; seance: 2025-06-12' "\n"
            '    aide : pages/contribuer/guide.md#champ-validation'
        ),
    ],
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_each_rule_reports_its_exact_message(tmp_path, fixture):
    repo = make_repo(tmp_path)
    path = add_fixture(repo, f"invalid/{fixture}")
    assert problems_for(repo, path) == EXPECTED[fixture]


@pytest.mark.parametrize("fixture", ["fiche-complete.md", "bom-crlf.md", "accents-decomposes.md"])
def test_benign_variations_are_accepted(tmp_path, fixture):
    """UTF-8 BOM, CRLF line endings and decomposed accents are not errors."""
    repo = make_repo(tmp_path)
    path = add_fixture(repo, f"valid/{fixture}")
    assert problems_for(repo, path) == []
