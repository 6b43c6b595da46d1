/* Catalogue: filter the list of sheets in the browser.
 *
 * Progressive enhancement of overrides/partials/catalogue.html: without
 * JavaScript the whole list and the links to the generated pages of each
 * theme, audience, type and status are shown. With it, this script shows the
 * checkbox form, hides the links, and on every change:
 * - keeps the items that match (OR within a facet, AND across facets),
 * - updates each checkbox's count: how many items would match if it were
 *   checked as well, given the other facets' choices,
 * - announces the number of results in the aria-live status line,
 * - writes the choices in the address (?theme=...&public=...), so that a
 *   filtered catalogue can be shared; the same address restores them.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-catalogue]");
  if (!root) return;
  var form = root.querySelector("[data-catalogue-form]");
  var status = root.querySelector("[data-catalogue-resultat]");
  var empty = root.querySelector("[data-catalogue-vide]");
  var items = Array.prototype.slice.call(root.querySelectorAll(".catalogue-liste > li"));
  var facets = Array.prototype.map.call(form.querySelectorAll("[data-facette]"), function (fieldset) {
    return fieldset.getAttribute("data-facette");
  });
  var total = items.length;

  function keysOf(item, facet) {
    return (item.getAttribute("data-" + facet) || "").split(" ").filter(Boolean);
  }

  function selection() {
    var chosen = {};
    facets.forEach(function (facet) {
      chosen[facet] = Array.prototype.map.call(
        form.querySelectorAll('input[name="' + facet + '"]:checked'),
        function (input) { return input.value; }
      );
    });
    return chosen;
  }

  function matches(item, chosen, skipFacet) {
    return facets.every(function (facet) {
      if (facet === skipFacet || chosen[facet].length === 0) return true;
      var keys = keysOf(item, facet);
      return chosen[facet].some(function (key) { return keys.indexOf(key) >= 0; });
    });
  }

  function plural(n, one, many) {
    return n + "\u00a0" + (n < 2 ? one : many);
  }

  function announce(shown, filtered) {
    if (!filtered) {
      status.textContent = plural(total, "contenu publié", "contenus publiés") + ".";
    } else if (shown === 0) {
      status.textContent = "Aucun contenu ne correspond aux filtres.";
    } else {
      status.textContent = plural(shown, "contenu correspond", "contenus correspondent") + " aux filtres, sur " + total + ".";
    }
  }

  function update(writeAddress) {
    var chosen = selection();
    var filtered = facets.some(function (facet) { return chosen[facet].length > 0; });
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, chosen, null);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    facets.forEach(function (facet) {
      var candidates = items.filter(function (item) { return matches(item, chosen, facet); });
      form.querySelectorAll('input[name="' + facet + '"]').forEach(function (input) {
        var count = candidates.filter(function (item) { return keysOf(item, facet).indexOf(input.value) >= 0; }).length;
        var label = form.querySelector('label[for="' + input.id + '"] [data-compte]');
        if (label) label.textContent = "(" + count + ")";
        input.parentNode.classList.toggle("catalogue-choix--vide", count === 0 && !input.checked);
      });
    });
    empty.hidden = shown !== 0;
    announce(shown, filtered);
    if (writeAddress && window.history && window.history.replaceState) {
      var params = new URLSearchParams();
      facets.forEach(function (facet) {
        chosen[facet].forEach(function (key) { params.append(facet, key); });
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
  }

  // Restore the choices from the address (a shared link, or the GET form).
  var params = new URLSearchParams(window.location.search);
  facets.forEach(function (facet) {
    params.getAll(facet).forEach(function (key) {
      form.querySelectorAll('input[name="' + facet + '"]').forEach(function (input) {
        if (input.value === key) input.checked = true;
      });
    });
  });

  form.hidden = false;
  var links = root.querySelector("[data-catalogue-sans-js]");
  if (links) links.hidden = true;
  form.addEventListener("change", function () { update(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  form.addEventListener("reset", function () { window.setTimeout(function () { update(true); }, 0); });
  update(false);
})();
