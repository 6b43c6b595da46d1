"""French typography when pages render: a narrow no-break space before
« : ; ! ? » and inside « », a no-break space in numbers and before units;
never in code, links' addresses or URLs written in the text."""

from __future__ import annotations

import markdown
import pytest

from fiches_kb.rules.rendering import load_markdown_settings
from fiches_kb.typography import french_spaces
from helpers import REPO, page

NARROW, NO_BREAK = "\u202f", "\u00a0"


def render(body: str) -> str:
    """A body rendered with the site's own Markdown settings (mkdocs.yml)."""
    settings = load_markdown_settings(REPO)
    return markdown.markdown(body, extensions=list(settings.extensions), extension_configs=dict(settings.options))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Note : voir ; oui ! Pourquoi ?", f"Note{NARROW}: voir{NARROW}; oui{NARROW}! Pourquoi{NARROW}?"),
        ("Pourquoi? Oui!", f"Pourquoi{NARROW}? Oui{NARROW}!"),
        ("« Usage du numérique »", f"«{NARROW}Usage du numérique{NARROW}»"),
        ("«mot»", f"«{NARROW}mot{NARROW}»"),
        ("2 000 personnes, 1 000 000 €", f"2{NO_BREAK}000 personnes, 1{NO_BREAK}000{NO_BREAK}000{NO_BREAK}€"),
        ("15 % des cas, 3 Mo, 20 km", f"15{NO_BREAK}% des cas, 3{NO_BREAK}Mo, 20{NO_BREAK}km"),
    ],
    ids=["before : ; ! ?", "glued ? !", "inside « »", "glued « »", "thousands", "units"],
)
def test_french_spaces_are_added(typed, expected):
    assert french_spaces(typed) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Rendez-vous à 10:30 ou 14:00.",
        "Le site https://www.service-public.fr/particuliers/vosdroits?lang=fr&x=1 explique.",
        "Écrire à contact@exemple.fr ou www.exemple.fr/page?x=1;y=2",
        "Tél. 01 23 45 67 89, en 2019 2020",
        f"Déjà bien : «{NARROW}mot{NARROW}»{NARROW}!".replace(" :", f"{NARROW}:"),
    ],
    ids=["times", "URL with ?", "e-mail and www address", "phone and years", "already right"],
)
def test_what_must_stay_as_written_stays(text):
    assert french_spaces(french_spaces(text)) == french_spaces(text)
    for address in ("https://www.service-public.fr/particuliers/vosdroits?lang=fr&x=1", "www.exemple.fr/page?x=1;y=2", "10:30", "01 23 45 67 89", "2019 2020"):
        if address in text:
            assert address in french_spaces(text)


def test_a_url_between_guillemets_keeps_its_question_mark():
    assert french_spaces("« https://exemple.fr/?q=1 » : voir") == f"«{NARROW}https://exemple.fr/?q=1{NARROW}»{NARROW}: voir"


def test_rendering_never_touches_code_links_or_attributes():
    html = render(
        "## Titre : sous-titre\n\n"
        "Texte `code : ici ?` et [lien : x](https://a.fr/?b=1 \"titre : y\") ; <https://x.fr/?y> !\n\n"
        "<kbd>Ctrl : C</kbd> puis : ok\n\n"
        "    bloc : code ?\n"
    )
    assert f"Titre{NARROW}: sous-titre" in html
    assert 'id="titre-sous-titre"' in html  # the anchor does not change
    assert "<code>code : ici ?</code>" in html
    assert 'href="https://a.fr/?b=1"' in html and 'title="titre : y"' in html
    assert f"lien{NARROW}: x</a>{NARROW};" in html
    assert '<a href="https://x.fr/?y">https://x.fr/?y</a>' in html
    assert "<kbd>Ctrl : C</kbd>" in html and f"puis{NARROW}: ok" in html
    assert "bloc : code ?" in html


def test_an_obfuscated_e_mail_link_stays_a_link():
    """Python-Markdown writes <a@b.fr> as character references: none gets a space."""
    html = render("Écrire à <a@b.fr> ; merci.\n")
    assert f"{NARROW};" in html and f"{NARROW}#" not in html and "&#" in html


def test_the_built_site_has_french_spacing_in_sheets(repo_site_build):
    """Every « word : » of a sheet's Markdown paragraphs reaches the page with a narrow no-break space."""
    source = (REPO / "fiches" / "sms-reseaux-sociaux-disponibilite.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    words = {line.split(" : ")[0].split()[-1].strip("*_") for line in source.splitlines()
             if " : " in line and "`" not in line and not line.startswith(("#", "|"))}
    words = {word for word in words if word.isalpha()}
    assert words
    text = page(repo_site_build, "fiches/sms-reseaux-sociaux-disponibilite").find("article").text()
    for word in words:
        assert f"{word}{NARROW}:" in text, word


def test_a_sheet_title_shown_as_its_heading_has_french_spacing(repo_site_build):
    """Front-matter text is not Markdown: the sheet's template spaces its title and summary (filter « typographie »)."""
    html = page(repo_site_build, "fiches/sms-reseaux-sociaux-disponibilite")
    assert html.find("h1").text() == f"SMS, réseaux sociaux et disponibilité{NARROW}: poser des limites"
    assert html.find("title").text().startswith("SMS, réseaux sociaux et disponibilité : poser des limites")  # as written


def test_escaped_markup_in_generated_pages_stays_as_written():
    """Listing pages escape the labels of referentiel.yml: « &amp;lt; » and
    « &lt;/title&gt; » must come out as they went in (no space before their « ; »)."""
    body = "# Thème : a &amp;lt;/title&amp;gt;&amp;lt;b&amp;gt; c &lt;/title&gt;&lt;script&gt;\n"
    html = render(body)
    assert f"{NARROW};" not in html
    settings = load_markdown_settings(REPO)
    plain = [name for name in settings.extensions if name != "fiches_kb.typography"]
    assert html.replace(f"Thème{NARROW}:", "Thème :") == markdown.markdown(body, extensions=plain, extension_configs=dict(settings.options))


def test_text_holding_the_private_marks_or_too_many_addresses_is_left_as_written():
    """Addresses are hidden behind private-use marks while spacing is applied: a text
    that already holds one, or more addresses than there are marks, is kept as written."""
    assert french_spaces("://\U000f0000 : oui") == "://\U000f0000 : oui"
    many = " a@b.fr :" * 70_000
    assert french_spaces(many) == many
    assert french_spaces("voir https://a.fr : oui") == "voir https://a.fr\u202f: oui"
