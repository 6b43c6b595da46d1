/* Search page (overrides/partials/recherche.html), with Pagefind.
 *
 * The Pagefind bundle (pagefind/pagefind.js and its index chunks) is loaded
 * only when a search is made, never on other pages. Results show the type
 * and status of each sheet (Pagefind metadata) and can be filtered by theme,
 * audience, type and status (Pagefind filters, OR within a facet, AND across
 * facets); each checkbox shows how many results it would give. The number of
 * results is announced in the aria-live status line, and the query and
 * filters are kept in the address (?q=...&theme=...). No inline script.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-recherche]");
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var filtersBox = form.querySelector("[data-recherche-filtres]");
  var status = document.querySelector("[data-recherche-etat]");
  var list = document.querySelector("[data-recherche-resultats]");
  var more = document.querySelector("[data-recherche-plus]");
  var facets = Array.prototype.map.call(form.querySelectorAll("[data-facette]"), function (fieldset) {
    return fieldset.getAttribute("data-facette");
  });
  var PAGE_SIZE = 10;
  var pagefind = null;
  var lastRequest = 0;
  var results = [];
  var shown = 0;
  var timer = null;

  function quoted(text) { return "«\u00a0" + text + "\u00a0»"; }
  function plural(n, one, many) { return n + "\u00a0" + (n < 2 ? one : many); }

  function loadPagefind() {
    if (!pagefind) {
      var bundle = new URL(form.getAttribute("data-pagefind"), document.baseURI).href;
      var root = new URL(form.getAttribute("data-racine"), document.baseURI).pathname;
      pagefind = import(bundle).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: root, excerptLength: 24 }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
    }
    return pagefind;
  }

  // The filter chunks are loaded only once the filters are opened (or
  // given in the address): without them Pagefind returns no counts, and a
  // plain query does not need them.
  var filtersLoaded = null;
  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = loadPagefind().then(function (pf) { return pf.filters(); });
    }
    return filtersLoaded;
  }

  function selection() {
    var chosen = {};
    facets.forEach(function (facet) {
      chosen[facet] = Array.prototype.map.call(
        form.querySelectorAll('input[name="' + facet + '"]:checked'),
        function (box) { return box.value; }
      );
    });
    return chosen;
  }

  function pagefindFilters(chosen, skipFacet) {
    var filters = {};
    facets.forEach(function (facet) {
      if (facet !== skipFacet && chosen[facet].length) filters[facet] = { any: chosen[facet] };
    });
    return filters;
  }

  function writeAddress(query, chosen) {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    facets.forEach(function (facet) {
      chosen[facet].forEach(function (key) { params.append(facet, key); });
    });
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  // Text of an excerpt: Pagefind marks the matched words with <mark>; keep
  // those and nothing else (the excerpt is parsed in an inert template).
  function excerptNode(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt || "";
    var paragraph = document.createElement("p");
    paragraph.className = "recherche-extrait";
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function resultNode(data) {
    var item = document.createElement("li");
    item.className = "fiches-liste__item recherche-resultat";
    var heading = document.createElement("h2");
    heading.className = "fiches-liste__titre";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "fiches-liste__meta";
    var type = document.createElement("span");
    type.className = "fiches-liste__type";
    type.textContent = data.meta.type || "Page";
    meta.appendChild(type);
    if (data.meta.statut) {
      meta.appendChild(document.createTextNode(" · "));
      var state = document.createElement("span");
      state.className = "fiches-statut fiches-statut--" + (data.meta.statut_cle || "");
      state.textContent = data.meta.statut;
      meta.appendChild(state);
    }
    item.appendChild(meta);
    item.appendChild(excerptNode(data.excerpt));
    return item;
  }

  function showMore(request) {
    var next = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (request !== lastRequest) return;
      pages.forEach(function (data) { list.appendChild(resultNode(data)); });
      shown += pages.length;
      more.hidden = shown >= results.length;
    });
  }

  function setCounts(facet, counts) {
    form.querySelectorAll('input[name="' + facet + '"]').forEach(function (box) {
      var count = (counts && counts[box.value]) || 0;
      var label = form.querySelector('label[for="' + box.id + '"] [data-compte]');
      if (label) label.textContent = "(" + count + ")";
      box.parentNode.classList.toggle("catalogue-choix--vide", count === 0 && !box.checked);
    });
  }

  function announce(query, count, filtered) {
    if (!query) {
      status.textContent = count === 0
        ? "Aucun contenu ne correspond aux filtres."
        : plural(count, "contenu correspond", "contenus correspondent") + " aux filtres.";
      return;
    }
    var suffix = filtered ? " avec les filtres choisis" : "";
    status.textContent = count === 0
      ? "Aucun résultat pour " + quoted(query) + suffix + ". Vérifiez l'orthographe, essayez un autre mot ou retirez des filtres."
      : plural(count, "résultat", "résultats") + " pour " + quoted(query) + suffix + ".";
  }

  function run() {
    var request = ++lastRequest;
    var query = input.value.trim();
    var chosen = selection();
    var filtered = facets.some(function (facet) { return chosen[facet].length > 0; });
    writeAddress(query, chosen);
    if (!query && !filtered) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    var started = window.performance.now();
    var ready = filtersBox.open ? loadFilters().then(loadPagefind) : loadPagefind();
    return ready.then(function (pf) {
      var term = query || null;
      var main = pf.search(term, { filters: pagefindFilters(chosen, null) });
      // Counts of a facet that has choices: results without that facet's
      // choices, so that each box tells what checking it would give.
      var perFacet = facets.map(function (facet) {
        return chosen[facet].length ? pf.search(term, { filters: pagefindFilters(chosen, facet) }) : main;
      });
      return Promise.all([main].concat(perFacet)).then(function (searches) {
        if (request !== lastRequest) return;
        var search = searches[0];
        if (filtersLoaded) {
          facets.forEach(function (facet, i) { setCounts(facet, searches[i + 1].filters[facet]); });
        }
        results = search.results;
        shown = 0;
        list.textContent = "";
        return showMore(request).then(function () {
          if (request !== lastRequest) return;
          list.setAttribute("data-duree-ms", String(Math.round(window.performance.now() - started)));
          announce(query, results.length, filtered);
        });
      });
    }).catch(function () {
      if (request !== lastRequest) return;
      status.textContent = "La recherche n'a pas pu se charger. Réessayez, ou parcourez le catalogue des fiches.";
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  facets.forEach(function (facet) {
    params.getAll(facet).forEach(function (key) {
      form.querySelectorAll('input[name="' + facet + '"]').forEach(function (box) {
        if (box.value === key) box.checked = true;
      });
    });
  });
  filtersBox.hidden = false;
  if (Object.keys(pagefindFilters(selection(), null)).length) filtersBox.open = true;
  filtersBox.addEventListener("toggle", function () {
    if (!filtersBox.open) return;
    if (input.value.trim() || Object.keys(pagefindFilters(selection(), null)).length) {
      run();
    } else {
      // No query yet: the counts of the whole site.
      loadFilters().then(function (totals) {
        facets.forEach(function (facet) { setCounts(facet, totals[facet]); });
      });
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); window.clearTimeout(timer); run(); });
  input.addEventListener("input", schedule);
  form.addEventListener("change", function (event) { if (event.target !== input) run(); });
  more.addEventListener("click", function () { showMore(lastRequest); });
  if (input.value || Object.keys(pagefindFilters(selection(), null)).length) run();
})();
