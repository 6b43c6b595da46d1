"""Keyboard use in Chromium: skip link, visible focus, menu, scrolling tables.

- The skip link is the first Tab stop, visible when focused, and moves the
  reading and focus position to the content.
- Tabbing through the home page, desktop and phone: every element that takes
  the focus shows an outline or a box-shadow, is on screen and has an
  accessible name.
- On a phone, the menu button is reachable with Tab and opens the drawer
  (Enter, Space); Escape closes it and gives the focus back.
- A table wider than a phone screen can be reached with Tab and scrolled
  with the arrow keys; not when it fits (tested on a small site with such a
  table, built for the test).
"""

from __future__ import annotations

import shutil

import pytest

from browser_support import AXE_JS, WIDTHS, format_violations, open_page, page_path, run_axe
from helpers import EXAMPLE_SITE, REPO, build_site, copy_site, serve

MAX_TAB_STOPS = 300

# Description of the focused element and of how it shows the focus.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  document.getAnimations().forEach(a => { try { a.finish() } catch (e) {} });
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const transparent = c => /rgba\\(.*,\\s*0\\)$/.test(c) || c === "transparent";
  let opacity = 1;
  for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
  axe.setup(document);
  let name = "";
  try { name = axe.commons.text.accessibleText(el).trim(); } finally { axe.teardown(); }
  const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).filter(c => c !== "focus-visible").join(".") : "";
  const href = el.getAttribute("href");
  return {
    element: `<${el.tagName.toLowerCase()}${id}${cls}>` + (href ? ` href="${href}"` : "") + (text ? ` « ${text} »` : ""),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent(style.outlineColor),
    shadow: style.boxShadow !== "none" && style.boxShadow !== "",
    onScreen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
      && rect.left < innerWidth && rect.top < innerHeight,
    visible: style.visibility === "visible" && opacity > 0.5,
    name,
    uncovered: (() => {
      const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      return !!top && (top === el || el.contains(top) || top.contains(el));
    })(),
    inDrawer: !!el.closest(".md-sidebar--primary"),
    inContent: !!el.closest(".md-content"),
    rect: [Math.round(rect.left), Math.round(rect.top), Math.round(rect.width), Math.round(rect.height)],
  };
}"""


def load_axe(page) -> None:
    if page.evaluate("() => typeof window.axe") != "object":
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def focused(page) -> dict | None:
    load_axe(page)
    return page.evaluate(FOCUSED)


def focus_problems(info: dict) -> list[str]:
    problems = []
    if not (info["outline"] or info["shadow"]):
        problems.append("aucun contour (outline) ni ombre (box-shadow) visible")
    if not info["onScreen"]:
        problems.append(f"hors de l'écran (rectangle {info['rect']})")
    if not info["visible"]:
        problems.append("invisible (visibility ou opacity)")
    elif info["onScreen"] and not info["uncovered"]:
        problems.append("caché sous un autre élément")
    if not info["name"]:
        problems.append("sans nom accessible")
    return problems


def tab_through(page, limit: int = MAX_TAB_STOPS) -> list[dict]:
    """Every Tab stop, from the top of the page to the end of the document."""
    stops: list[dict] = []
    seen = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None:
            break
        key = (info["element"], tuple(info["rect"]))
        if key in seen:  # back at the start
            break
        seen.add(key)
        stops.append(info)
    return stops


# --- Skip link ----------------------------------------------------------------


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("key", ["home", "fiche-pratique", "catalogue"])
def test_skip_link_is_first_visible_and_moves_to_the_content(repo_site_build, site_url, new_page, key, width):
    path = page_path(repo_site_build, key)
    page = open_page(new_page, site_url, path, key, width)
    page.keyboard.press("Tab")
    info = focused(page)
    assert info and ".md-skip" in info["element"], f"/{path} : le premier arrêt de Tab est {info}, pas le lien d'évitement"
    assert not focus_problems(info), f"/{path} : lien d'évitement : {', '.join(focus_problems(info))}"
    uncovered = page.evaluate(
        """() => { const el = document.activeElement, r = el.getBoundingClientRect();
                   const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return top === el || el.contains(top); }"""
    )
    assert uncovered, f"/{path} : le lien d'évitement est recouvert par un autre élément"
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert page.evaluate("() => location.hash") == href
    target = page.evaluate(
        """(href) => { const t = document.getElementById(decodeURIComponent(href.slice(1)));
                       if (!t) return null; const r = t.getBoundingClientRect();
                       return { top: r.top, inContent: !!t.closest('.md-content'), height: innerHeight }; }""",
        href,
    )
    assert target, f"/{path} : la cible {href} du lien d'évitement n'existe pas"
    assert target["inContent"], f"/{path} : la cible {href} n'est pas dans le contenu"
    assert 0 <= target["top"] < target["height"], f"/{path} : la cible {href} n'est pas à l'écran ({target})"
    page.keyboard.press("Tab")
    after = focused(page)
    assert after and after["inContent"], f"/{path} : après le lien d'évitement, Tab mène à {after}, hors du contenu"


# --- Visible focus ------------------------------------------------------------


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_tab_stop_of_the_home_page_shows_the_focus(repo_site_build, site_url, new_page, width):
    page = open_page(new_page, site_url, page_path(repo_site_build, "home"), "home", width)
    stops = tab_through(page)
    assert len(stops) > 5, f"trop peu d'arrêts de Tab : {stops}"
    problems = [f"- {stop['element']} : {', '.join(focus_problems(stop))}" for stop in stops if focus_problems(stop)]
    assert not problems, (
        f"page d'accueil à {WIDTHS[width]['width']} px, {len(problems)} arrêt(s) de Tab sur {len(stops)} en défaut :\n"
        + "\n".join(problems)
    )


def test_closed_drawer_is_out_of_the_tab_order_on_phones(repo_site_build, site_url, new_page):
    page = open_page(new_page, site_url, page_path(repo_site_build, "home"), "home", "mobile")
    in_drawer = [stop["element"] for stop in tab_through(page) if stop["inDrawer"]]
    assert not in_drawer, f"menu fermé, mais Tab passe par ses liens (invisibles) : {in_drawer}"


# --- Menu on phones -----------------------------------------------------------


def tab_to(page, selector: str, limit: int = 15) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} n'est pas atteint en {limit} appuis sur Tab")


def drawer_open(page) -> bool:
    return page.evaluate("() => document.getElementById('__drawer').checked")


@pytest.mark.parametrize("key_to_open", ["Enter", " "])
def test_menu_button_opens_and_closes_the_drawer_with_the_keyboard(repo_site_build, site_url, new_page, key_to_open):
    page = open_page(new_page, site_url, page_path(repo_site_build, "home"), "home", "mobile")
    tab_to(page, 'label[for="__drawer"]')
    info = focused(page)
    assert info["name"] == "Menu", f"nom du bouton de menu : {info['name']!r}"
    assert not focus_problems(info), f"bouton de menu : {', '.join(focus_problems(info))}"
    page.keyboard.press(key_to_open)
    page.wait_for_timeout(400)
    assert drawer_open(page), f"la touche {key_to_open!r} n'a pas ouvert le menu"

    # The drawer's links come next in the tab order, visible on screen.
    drawer_stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is not None and info["inDrawer"]:
            drawer_stops.append(info)
        elif drawer_stops:
            break  # past the drawer
        else:  # still in the header, after the menu button
            assert info is not None and not info["inContent"], f"menu ouvert, Tab mène à {info} sans passer par le menu"
    assert drawer_stops, "aucun lien du menu atteint avec Tab"
    problems = [f"- {s['element']} : {', '.join(focus_problems(s))}" for s in drawer_stops if focus_problems(s)]
    assert not problems, "menu ouvert :\n" + "\n".join(problems)

    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert not drawer_open(page), "Échap n'a pas fermé le menu"
    assert page.evaluate("() => document.activeElement.matches('label[for=\"__drawer\"]')"), (
        "après Échap, le focus n'est pas revenu sur le bouton de menu"
    )


@pytest.mark.parametrize(
    "opener, panel",
    [
        ('label.md-nav__link[for="__toc"]', "table des matières"),
        ('label.md-nav__link[for^="__nav_"]', "sous-pages"),
    ],
)
def test_drawer_panels_open_and_close_with_the_keyboard(repo_site_build, site_url, new_page, opener, panel):
    """On phones, the table of contents and a section's sub-pages open as a
    panel over the menu: reachable, focus inside, « Retour » brings it back."""
    page = open_page(new_page, site_url, page_path(repo_site_build, "home"), "home", "mobile")
    tab_to(page, 'label[for="__drawer"]')
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    tab_to(page, opener, limit=40)
    opener_info = focused(page)
    assert not focus_problems(opener_info), f"bouton du panneau ({panel}) : {', '.join(focus_problems(opener_info))}"
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    back = focused(page)
    assert back and back["name"].startswith("Retour"), f"panneau {panel} ouvert, le focus est sur {back}"
    assert not focus_problems(back), f"bouton Retour ({panel}) : {', '.join(focus_problems(back))}"
    page.keyboard.press("Tab")
    inside = focused(page)
    assert inside and inside["inDrawer"] and not focus_problems(inside), f"premier lien du panneau {panel} : {inside}"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    again = focused(page)
    assert again and again["element"] == opener_info["element"], f"panneau {panel} refermé, le focus est sur {again}"
    assert not focus_problems(again), f"bouton du panneau ({panel}) : {', '.join(focus_problems(again))}"


# --- Scrolling tables -----------------------------------------------------------

WIDE_TABLE_PAGE = """# Tableau large

Une page de test avec un tableau plus large qu'un écran de téléphone.

## Un tableau large

| Première colonne | Deuxième colonne | Troisième colonne | Quatrième colonne |
|---|---|---|---|
| valeur | valeur | valeur | valeur |
| valeur | valeur | valeur | valeur |
"""


@pytest.fixture(scope="module")
def wide_table_site(tmp_path_factory):
    """The example site with the repository's assets and a page holding a
    table wider than a phone screen, built and served."""
    content = tmp_path_factory.mktemp("wide-table-content")
    shutil.copytree(EXAMPLE_SITE, content, dirs_exist_ok=True)
    shutil.copytree(REPO / "pages" / "assets", content / "pages" / "assets", dirs_exist_ok=True)
    (content / "pages" / "tableau-large.md").write_text(WIDE_TABLE_PAGE, encoding="utf-8")
    site = copy_site(tmp_path_factory.mktemp("wide-table-site"), content)
    built = build_site(site, tmp_path_factory.mktemp("wide-table-html"))
    server, url = serve(built)
    yield url
    server.shutdown()


def scrollwrap(page) -> dict:
    return page.evaluate(
        """() => { const w = document.querySelector('.md-typeset__scrollwrap');
                   return w && { tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'),
                                 label: w.getAttribute('aria-label'), scrolls: w.scrollWidth > w.clientWidth,
                                 scrollLeft: w.scrollLeft }; }"""
    )


def test_wide_table_can_be_reached_and_scrolled_with_the_keyboard(wide_table_site, new_page):
    page = open_page(new_page, wide_table_site, "tableau-large/", "table", "mobile")
    wrap = scrollwrap(page)
    assert wrap and wrap["scrolls"], f"le tableau de test devrait déborder à 375 px : {wrap}"
    assert wrap["tabindex"] == "0" and wrap["role"] == "region", f"tableau défilant non focalisable : {wrap}"
    assert "Un tableau large" in (wrap["label"] or ""), f"nom de la région : {wrap['label']!r}"
    violations = run_axe(page)
    assert not violations, format_violations(violations, "/tableau-large/ à 375 px")

    page.focus(".md-typeset__scrollwrap")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info and "md-typeset__scrollwrap" in info["element"], f"Tab n'atteint pas le tableau : {info}"
    assert not focus_problems(info), f"tableau focalisé : {', '.join(focus_problems(info))}"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert scrollwrap(page)["scrollLeft"] > 0, "les flèches ne font pas défiler le tableau"

    # Wider window: the table fits, the wrapper is no longer a tab stop.
    page.set_viewport_size(WIDTHS["desktop"])
    page.wait_for_function("() => !document.querySelector('.md-typeset__scrollwrap').hasAttribute('tabindex')", timeout=5_000)
    assert not scrollwrap(page)["scrolls"]
