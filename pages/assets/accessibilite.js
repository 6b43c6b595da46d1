/* Keyboard and screen-reader fixes on top of Material for MkDocs (issue 5),
 * checked by tests/browser. Loaded from extra_javascript, after Material's
 * bundle; no inline script anywhere (Content-Security-Policy).
 *
 * 1. A table wider than the screen scrolls inside Material's
 *    .md-typeset__scrollwrap. Such a wrapper becomes a focusable region,
 *    named after its section, so that it can be scrolled with the arrow
 *    keys (WCAG 2.1.1; axe rule scrollable-region-focusable), and stops
 *    being one when the table fits again (wider window, zoom out).
 * 2. The header's menu button, the buttons that open a section's sub-pages
 *    or the table of contents in the navigation, and the « back » buttons
 *    of those panels on phones are <label>s of Material's hidden
 *    checkboxes. They all get a name (visually hidden text where they are
 *    only an icon), a place in the tab order, and work with Enter and
 *    Space. No role or aria-expanded: ARIA allows neither on <label>.
 *    Closed panels are out of the tab order (fiches.css), so the focus
 *    follows the panel that opens or closes. Escape closes the drawer and
 *    gives the focus back to the menu button.
 */
(function () {
  "use strict";

  var MENU_LABEL = "Menu";
  var MARK = "data-fiches-a11y"; // set on the elements this script changed

  // 1. Scrolling tables.
  function headingText(heading) {
    return Array.prototype.filter.call(heading.childNodes, function (node) {
      return !(node.classList && node.classList.contains("headerlink"));
    }).map(function (node) { return node.textContent; }).join("").trim();
  }

  // A distinct name for each table region (axe: landmark-unique): the
  // heading of its section, numbered when a section has several tables.
  function nameScrollwraps(wraps) {
    var headings = document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4");
    var names = wraps.map(function (wrap) {
      var previous = null;
      Array.prototype.forEach.call(headings, function (heading) {
        if (heading.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING) previous = heading;
      });
      var title = previous && headingText(previous);
      return title ? "Tableau de la section « " + title + " »" : "Tableau";
    });
    wraps.forEach(function (wrap, i) {
      var same = names.filter(function (name) { return name === names[i]; }).length;
      var rank = names.slice(0, i + 1).filter(function (name) { return name === names[i]; }).length;
      var name = same > 1 ? names[i] + " (" + rank + " sur " + same + ")" : names[i];
      wrap.setAttribute("data-fiches-a11y-nom", name + ", défilement horizontal");
    });
  }

  function updateScrollwrap(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var ours = wrap.getAttribute(MARK) === "defilant";
    if (scrolls && !ours && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", wrap.getAttribute("data-fiches-a11y-nom") || "Tableau, défilement horizontal");
      wrap.setAttribute(MARK, "defilant");
    } else if (!scrolls && ours) {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
      wrap.removeAttribute(MARK);
    }
  }

  var observed = typeof WeakSet === "function" ? new WeakSet() : null;
  var resizeObserver = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var wrap = entry.target.closest(".md-typeset__scrollwrap");
          if (wrap) updateScrollwrap(wrap);
        });
      })
    : null;

  function watchScrollwraps() {
    var wraps = Array.prototype.slice.call(document.querySelectorAll(".md-typeset__scrollwrap"));
    nameScrollwraps(wraps);
    wraps.forEach(function (wrap) {
      updateScrollwrap(wrap);
      if (!resizeObserver || !observed || observed.has(wrap)) return;
      observed.add(wrap);
      resizeObserver.observe(wrap);
      var table = wrap.querySelector("table");
      if (table) resizeObserver.observe(table);
    });
  }
  if (!resizeObserver) {
    window.addEventListener("resize", watchScrollwraps);
  }

  // 2. Labels that act as buttons.
  function hiddenText(text) {
    var span = document.createElement("span");
    span.className = "fiches-a11y-cache";
    span.textContent = text;
    return span;
  }

  // name: the text of a label that has none (an icon); prefix, suffix: said
  // before or after its visible text. after(label, checkbox): run after a
  // keyboard activation (to move the focus).
  function makeButton(label, options) {
    var checkbox = document.getElementById(label.htmlFor);
    if (!checkbox || label.hasAttribute(MARK)) return;
    label.setAttribute(MARK, "bouton");
    if (!label.hasAttribute("tabindex")) label.setAttribute("tabindex", "0");
    if (options.name && !label.textContent.trim()) label.appendChild(hiddenText(options.name));
    if (options.prefix) label.insertBefore(hiddenText(options.prefix), label.firstChild);
    if (options.suffix) label.appendChild(hiddenText(options.suffix));
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      // Handled here only: Material's own Enter handler would click again.
      event.preventDefault();
      event.stopPropagation();
      label.click();
      if (options.after) options.after(label, checkbox);
    });
  }

  // In the drawer on phones, a section's sub-pages and the table of contents
  // open as a panel over the menu: the focus goes to the panel's « Retour »
  // button, and back to the opening button when the panel closes.
  function focusPanel(label, checkbox) {
    if (!checkbox.checked) return;
    var back = document.querySelector('label.md-nav__title[for="' + checkbox.id + '"][' + MARK + "]");
    if (back && back.getClientRects().length) back.focus({ preventScroll: true }); // it slides in
  }
  function focusOpener(label, checkbox) {
    if (checkbox.checked) return;
    var opener = document.querySelector('label.md-nav__link[for="' + checkbox.id + '"][' + MARK + "]");
    if (opener && opener.getClientRects().length) opener.focus({ preventScroll: true });
  }

  function setUpButtons() {
    document.querySelectorAll('.md-header label[for="__drawer"]').forEach(function (label) {
      makeButton(label, { name: MENU_LABEL });
    });
    document.querySelectorAll('.md-nav--primary label.md-nav__link[for]:not([for="__drawer"])').forEach(function (label) {
      if (label.htmlFor === "__toc") {
        makeButton(label, { suffix: " : table des matières", after: focusPanel });
        return;
      }
      var container = label.closest(".md-nav__container");
      var link = container && container.querySelector("a");
      makeButton(label, {
        name: "Sous-pages de « " + (link ? link.textContent.trim() : "cette section") + " »",
        after: focusPanel,
      });
    });
    document.querySelectorAll('.md-nav--primary label.md-nav__title[for]:not([for="__drawer"])').forEach(function (label) {
      makeButton(label, { prefix: "Retour : ", after: focusOpener });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var drawer = document.getElementById("__drawer");
    if (!drawer || !drawer.checked) return;
    drawer.checked = false;
    drawer.dispatchEvent(new Event("change"));
    var button = document.querySelector('.md-header label[for="__drawer"]');
    if (button) button.focus();
  });

  function setUp() {
    watchScrollwraps();
    setUpButtons();
  }
  // Material wraps the tables when it mounts the page (document$); the load
  // event is a fallback. Both calls are idempotent.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  }
  window.addEventListener("load", setUp);
})();
