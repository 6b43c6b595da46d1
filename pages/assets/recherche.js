/* Search page (overrides/partials/recherche.html), with Pagefind.
 *
 * The Pagefind bundle (pagefind/pagefind.js and its index chunks) is loaded
 * only when a search is made, never on other pages. Results show the type
 * and status of each sheet (Pagefind metadata) and can be filtered by theme,
 * audience, type and status (OR within a facet, AND across facets); each
 * checkbox shows how many results it would give. The number of results is
 * announced in the aria-live status line, and the query and filters are
 * kept in the address (?q=...&theme=...). No inline script.
 *
 * Each result shows its title, type, status and summary, as in the
 * catalogue.
 *
 * Pagefind does the text search only, once per query. Filtering and counting
 * are done here with the facet table the build writes (pagefind/facettes.json,
 * see fiches_kb.search.write_facet_table): with Pagefind's filters, counts
 * took one more search per facet with a choice, and filters without a query
 * fetched Pagefind's whole index (docs-dev/decisions/0002-search-with-pagefind.md). Without a query, the
 * page gives the counts and a link to the catalogue, filtered the same way.
 *
 * Finding the answer, and saying when there is none (issue 21; details in
 * docs-dev/search.md, « Synonyms and honest results »):
 * - synonyms: the groups of referentiel.yml › synonymes (given by the form
 *   in data-synonymes) expand the query: a query word (or words) of a group
 *   is searched as each term of its group, and the results are merged;
 * - each query word (or group) is also searched alone: those that match no
 *   page are listed as « Mots absents », and the other words are searched;
 * - when the words match no sheet, the page says that the base has no sheet
 *   on this yet, and offers the issue form « Proposer une fiche » (with the
 *   query) and the themes ([data-recherche-rien]);
 * - sheets come before listing pages (theme pages…), each group in
 *   Pagefind's order: the facet table, which lists the listing pages, is
 *   loaded with Pagefind (a few kB).
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
  var toCatalogue = document.querySelector("[data-recherche-catalogue]");
  var nothingBox = document.querySelector("[data-recherche-rien]");
  var propose = document.querySelector("[data-recherche-proposer]");
  var facets = Array.prototype.map.call(form.querySelectorAll("[data-facette]"), function (fieldset) {
    return fieldset.getAttribute("data-facette");
  });
  var PAGE_SIZE = 10;
  var pagefind = null;
  var lastRequest = 0;
  var results = [];
  var shown = 0;
  var timer = null;
  var countsFollow = false;  // the last run computes the filters' counts

  // French function words and the elided articles and pronouns (l', d',
  // qu'...) are not in the index (fiches_kb.search.FUNCTION_WORDS, given
  // by the form): they are left out of what Pagefind is asked, never out of
  // what the page shows. A query of such words only is not searched.
  var FUNCTION_WORDS = {};
  (form.getAttribute("data-mots-vides") || "").split(" ").forEach(function (word) {
    if (word) FUNCTION_WORDS[word] = true;
  });

  function searchedWords(query) {
    var words = query.toLocaleLowerCase("fr").split(/[\s'\u2019]+/).filter(Boolean);
    return words.filter(function (word) { return !FUNCTION_WORDS[word]; }).join(" ");
  }

  // The words of a text as the search compares them: lower case, function
  // words left out, accents kept (Pagefind ranks an exact accent higher).
  function queryWords(text) {
    return text.toLocaleLowerCase("fr").split(/[\s'\u2019]+/).filter(function (word) {
      return word && !FUNCTION_WORDS[word];
    });
  }

  // Case and accents do not count when a query word is compared with a synonym.
  function fold(text) {
    return text.toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // Groups of synonyms (referentiel.yml › synonymes), each term as its words.
  var SYNONYMS = [];
  try {
    SYNONYMS = JSON.parse(form.getAttribute("data-synonymes") || "[]").map(function (group) {
      return group.map(queryWords).filter(function (words) { return words.length > 0; });
    });
  } catch (error) { SYNONYMS = []; }

  // The query as concepts: a word, or the words of a synonym term (the
  // longest term that matches there), with what to search for it.
  function concepts(words) {
    var folded = words.map(fold);
    var found = [];
    var i = 0;
    while (i < words.length) {
      var best = null;
      SYNONYMS.forEach(function (group) {
        group.forEach(function (term) {
          if (best && best.size >= term.length) return;
          for (var k = 0; k < term.length; k++) {
            if (fold(term[k]) !== folded[i + k]) return;
          }
          best = { group: group, size: term.length };
        });
      });
      var size = best ? best.size : 1;
      var typed = words.slice(i, i + size).join(" ");
      var alternatives = [typed];
      if (best) {
        best.group.forEach(function (term) {
          var text = term.join(" ");
          if (!alternatives.some(function (known) { return fold(known) === fold(text); })) alternatives.push(text);
        });
      }
      found.push({ typed: typed, alternatives: alternatives });
      i += size;
    }
    return found;
  }

  // The results of several Pagefind searches, each page once with its best score.
  function merged(lists) {
    var byId = {};
    var order = [];
    lists.forEach(function (found) {
      found.forEach(function (result) {
        if (!byId[result.id]) order.push(result.id);
        if (!byId[result.id] || result.score > byId[result.id].score) byId[result.id] = result;
      });
    });
    return order.map(function (id) { return byId[id]; });
  }

  function searchText(module, text) {
    return Promise.resolve(module.search(text)).then(function (answer) { return answer ? answer.results : []; });
  }

  // The concepts searched together, each synonym as a variant of the query, merged.
  function searchTogether(module, list) {
    var base = list.map(function (concept) { return concept.alternatives[0]; });
    var queries = [base.join(" ")];
    list.forEach(function (concept, i) {
      concept.alternatives.slice(1).forEach(function (alternative) {
        var variant = base.slice();
        variant[i] = alternative;
        queries.push(variant.join(" "));
      });
    });
    return Promise.all(queries.map(function (text) { return searchText(module, text); })).then(function (found) {
      return merged(found).sort(function (a, b) { return b.score - a.score; });
    });
  }

  // The concepts that match nothing, none of their terms alone: one search
  // per term. None to ask for one concept with no synonym.
  function absentConcepts(module, list) {
    if (list.length === 1 && list[0].alternatives.length === 1) return Promise.resolve([]);
    return Promise.all(list.map(function (concept) {
      return Promise.all(concept.alternatives.map(function (text) { return searchText(module, text); })).then(function (found) {
        return !found.some(function (results) { return results.length > 0; });
      });
    })).then(function (absent) {
      return list.filter(function (concept, i) { return absent[i]; });
    });
  }

  // Search the query's concepts. The concepts together are asked first (a
  // word the index does not have is left out by Pagefind), and their results
  // are shown as soon as they come: `results`. Which concepts match nothing
  // is asked after, one search per term: `answer()` ({results, absent, searched}).
  // When nothing matches every word together, the words the index has are
  // searched again without the others.
  function searchConcepts(module, list) {
    // One after the other: Pagefind's worker answers what it is asked in
    // turn, the data of the results shown too, so the per-term searches are
    // asked only once the results are on screen (`answer` is a function).
    return searchTogether(module, list).then(function (results) {
      function answer() {
        return absentConcepts(module, list).then(function (missing) {
          var present = list.filter(function (concept) { return missing.indexOf(concept) < 0; });
          var absent = missing.map(function (concept) { return concept.typed; });
          var searched = present.map(function (concept) { return concept.typed; });
          if (!present.length) return { results: [], absent: absent, searched: [] };
          if (results.length || !missing.length) return { results: results, absent: absent, searched: searched };
          return searchTogether(module, present).then(function (found) {
            return { results: found, absent: absent, searched: searched };
          });
        });
      }
      return { results: results, answer: answer };
    });
  }

  // Sheets first, listing pages (theme pages…) after them; Pagefind's order within each.
  function sheetsFirst(found, table) {
    var listings = {};
    (table.listings || []).forEach(function (id) { listings[id] = true; });
    return found.filter(function (result) { return !listings[result.id]; })
      .concat(found.filter(function (result) { return listings[result.id]; }));
  }

  function quoted(text) { return "«\u00a0" + text + "\u00a0»"; }
  function plural(n, one, many) { return n + "\u00a0" + (n < 2 ? one : many); }

  function loadPagefind() {
    if (!pagefind) {
      var bundle = new URL(form.getAttribute("data-pagefind"), document.baseURI).href;
      var root = new URL(form.getAttribute("data-racine"), document.baseURI).pathname;
      pagefind = import(bundle).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: root }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
    }
    return pagefind;
  }

  // The facet table is loaded only once the filters are opened (or given
  // in the address): a plain query needs only the listing pages' ids
  // (rubriques.json), to put the sheets first.
  var jsonFiles = {};
  function loadJson(attribute) {
    if (!jsonFiles[attribute]) {
      var address = new URL(form.getAttribute(attribute), document.baseURI).href;
      jsonFiles[attribute] = window.fetch(address).then(function (response) {
        if (!response.ok) throw new Error(address + ": " + response.status);
        return response.json();
      });
      jsonFiles[attribute].catch(function () { jsonFiles[attribute] = null; });  // a later try may succeed
    }
    return jsonFiles[attribute];
  }
  function loadFacets() { return loadJson("data-facettes"); }
  function loadListings() { return loadJson("data-rubriques"); }

  // For each facet of the form: where it is in the table's rows, its values,
  // and the positions of the values chosen.
  function facetChoices(table, chosen) {
    return facets.map(function (facet) {
      var position = -1;
      table.facets.forEach(function (entry, i) { if (entry.name === facet) position = i; });
      var values = position < 0 ? [] : table.facets[position].values;
      var wanted = {};
      chosen[facet].forEach(function (key) {
        var i = values.indexOf(key);
        if (i >= 0) wanted[i] = true;
      });
      return { facet: facet, position: position, values: values, wanted: wanted, active: chosen[facet].length > 0 };
    });
  }

  function valuesOf(row, choice) {
    return (row && choice.position >= 0 && row[choice.position]) || [];
  }

  // The results that match every facet's choices (OR within a facet, AND
  // across facets), in the order given, and the count of each value: how
  // many results match the choices of the other facets and have that value,
  // that is, what checking that box (alone in its facet) would give.
  function narrow(found, table, chosen) {
    var choices = facetChoices(table, chosen);
    var counts = {};
    choices.forEach(function (choice) { counts[choice.facet] = {}; });
    var kept = [];
    found.forEach(function (result) {
      var row = table.pages[result.id];
      var failed = choices.filter(function (choice) {
        return choice.active && !valuesOf(row, choice).some(function (i) { return choice.wanted[i]; });
      });
      if (failed.length > 1) return;
      var counted = failed.length ? failed : choices;
      counted.forEach(function (choice) {
        valuesOf(row, choice).forEach(function (i) {
          var key = choice.values[i];
          counts[choice.facet][key] = (counts[choice.facet][key] || 0) + 1;
        });
      });
      if (!failed.length) kept.push(result);
    });
    return { kept: kept, counts: counts };
  }

  // Every indexed page, as results without data: the counts of the whole site.
  function allPages(table) {
    return Object.keys(table.pages).map(function (id) { return { id: id }; });
  }

  // Sheets and inspiring practices, not the listing pages (theme pages…).
  function countContents(found, table) {
    var listings = {};
    table.listings.forEach(function (id) { listings[id] = true; });
    return found.filter(function (result) { return !listings[result.id]; }).length;
  }

  // No query: the counts of the whole site or of the filters chosen and,
  // with filters, a link to the catalogue with the same filters. Pagefind is
  // not asked: to list every page it fetches its whole index (6.8 MB at
  // 5,000 sheets).
  function countWithoutQuery(request, chosen, filtered, started) {
    return loadFacets().then(function (table) {
      if (request !== lastRequest) return;
      var narrowed = narrow(allPages(table), table, chosen);
      facets.forEach(function (facet) { setCounts(facet, narrowed.counts[facet]); });
      list.setAttribute("data-duree-ms", String(Math.round(window.performance.now() - started)));
      list.setAttribute("data-recherche-fin", "");
      if (!filtered) return;
      var count = countContents(narrowed.kept, table);
      var link = toCatalogue.querySelector("a");
      // Nothing matches: the whole catalogue rather than an empty list.
      link.search = count === 0 ? "" : filterParams(chosen).toString();
      link.textContent = count === 0
        ? "Ouvrir le catalogue des fiches"
        : "Voir " + (count < 2 ? "ce contenu" : "ces " + count + "\u00a0contenus") + " dans le catalogue";
      toCatalogue.hidden = false;
      announce("", count, true);
    });
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

  function anyChosen(chosen) {
    return facets.some(function (facet) { return chosen[facet].length > 0; });
  }

  // The choices as address parameters: ?theme=…&public=… (the catalogue reads the same).
  function filterParams(chosen) {
    var params = new URLSearchParams();
    facets.forEach(function (facet) {
      chosen[facet].forEach(function (key) { params.append(facet, key); });
    });
    return params;
  }

  function writeAddress(query, chosen) {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams();
    if (query) params.set("q", query);  // the query first: ?q=…&theme=…
    filterParams(chosen).forEach(function (value, key) { params.append(key, value); });
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
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
    // The summary, as in the catalogue: Pagefind's excerpts would come from
    // the indexed text, which has no function words.
    if (data.meta.resume) {
      var summary = document.createElement("p");
      summary.className = "fiches-liste__resume";
      summary.textContent = data.meta.resume;
      item.appendChild(summary);
    }
    // The first line of the sheet's « L'essentiel » (search.py: meta "essentiel").
    if (data.meta.essentiel) {
      var essential = document.createElement("p");
      essential.className = "fiches-liste__essentiel";
      var label = document.createElement("strong");
      label.textContent = "L'essentiel\u00a0: ";
      essential.appendChild(label);
      essential.appendChild(document.createTextNode(data.meta.essentiel));
      item.appendChild(essential);
    }
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

  function announce(query, count, filtered, answer, sheets) {
    if (!query) {
      status.textContent = count === 0
        ? "Aucun contenu ne correspond aux filtres. Décochez une case, ou saisissez des mots à rechercher."
        : plural(count, "contenu correspond", "contenus correspondent") + " aux filtres. Saisissez des mots pour chercher dans leur texte.";
      return;
    }
    var suffix = filtered ? " avec les filtres choisis" : "";
    var absent = answer && answer.absent.length ? " Mots absents\u00a0: " + answer.absent.join(", ") + "." : "";
    var nothing = answer && !filtered && (answer.absent.length || sheets === 0)
      ? " La base ne contient pas encore de fiche sur " + quoted(query) + "." : "";
    if (count === 0) {
      status.textContent = "Aucun résultat pour " + quoted(query) + suffix + "." + absent + nothing +
        (filtered ? " Vérifiez l'orthographe, essayez un autre mot ou retirez des filtres." : " Vérifiez l'orthographe ou essayez un autre mot.");
      return;
    }
    var searched = answer && answer.absent.length ? " (cherché\u00a0: " + answer.searched.join(" ") + ")" : "";
    status.textContent = plural(count, "résultat", "résultats") + " pour " + quoted(query) + searched + suffix + "." + absent + nothing;
  }

  // When no sheet matches every word (the status line says so): the issue
  // form « Proposer une fiche » with the query filled in, and the themes.
  function explain(query, answer, sheets, filtered) {
    var none = !filtered && (answer.absent.length > 0 || sheets === 0);
    nothingBox.hidden = !none;
    if (!none) return;
    if (propose) {
      var address = new URL(propose.getAttribute("data-adresse"));
      address.searchParams.set("title", "[Proposition de fiche] " + query);
      address.searchParams.set("situation", "Recherche sans fiche sur le site\u00a0: " + quoted(query) + ".");
      propose.href = address.href;
    }
  }

  function run() {
    var request = ++lastRequest;
    var query = input.value.trim();
    var chosen = selection();
    var filtered = anyChosen(chosen);
    writeAddress(query, chosen);
    countsFollow = filtered || filtersBox.open;
    list.removeAttribute("data-duree-ms");
    list.removeAttribute("data-recherche-fin");
    toCatalogue.hidden = true;
    nothingBox.hidden = true;
    if (!query) {
      results = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      if (!filtered && !filtersBox.open) return Promise.resolve();
    }
    var started = window.performance.now();
    if (!query) return countWithoutQuery(request, chosen, filtered, started).catch(failed(request));
    var words = searchedWords(query);
    if (!words) {
      results = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = quoted(query) + " ne contient que des petits mots (" + ["de", "la", "l'"].map(quoted).join(", ") +
        "…), qui ne sont pas cherchés. Ajoutez un mot plus précis.";
      return Promise.resolve();
    }
    return Promise.all([loadPagefind(), countsFollow ? loadFacets() : loadListings()]).then(function (loaded) {
      return Promise.all([searchConcepts(loaded[0], concepts(queryWords(query))), loaded[1]]);
    }).then(function (done) {
      if (request !== lastRequest) return;
      var first = done[0];
      var table = done[1];
      var sheets = 0;
      // The results on screen: data-duree-ms is the time from the query to them.
      function show(found) {
        // Without filters (closed, none chosen), nothing to narrow or count: `table` has the listings only.
        var narrowed = countsFollow ? narrow(sheetsFirst(found, table), table, chosen) : { kept: sheetsFirst(found, table) };
        if (countsFollow) facets.forEach(function (facet) { setCounts(facet, narrowed.counts[facet]); });
        results = narrowed.kept;
        shown = 0;
        list.textContent = "";
        sheets = countContents(results, table);
        return showMore(request).then(function () {
          if (request !== lastRequest) return;
          list.setAttribute("data-duree-ms", String(Math.round(window.performance.now() - started)));
        });
      }
      // The status line, once the words that match nothing are known: data-recherche-fin.
      function conclude(answer) {
        if (request !== lastRequest || !answer) return;
        explain(query, answer, sheets, filtered);
        announce(query, results.length, filtered, answer, sheets);
        list.setAttribute("data-recherche-fin", "");
      }
      if (first.results.length) {
        return show(first.results).then(function () { return request === lastRequest ? first.answer() : null; }).then(conclude);
      }
      return first.answer().then(function (answer) {
        if (request !== lastRequest) return;
        return show(answer.results).then(function () { conclude(answer); });
      });
    }).catch(failed(request));
  }

  function failed(request) {
    return function () {
      if (request !== lastRequest) return;
      status.textContent = "La recherche n'a pas pu se charger. Réessayez, ou parcourez le catalogue des fiches.";
    };
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
  if (anyChosen(selection())) filtersBox.open = true;
  // Opening the filters shows their counts: of the query's results, or of
  // the whole site (unless the last run already gives them: filters in the
  // address open the box before the first run).
  filtersBox.addEventListener("toggle", function () { if (filtersBox.open && !countsFollow) run(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); window.clearTimeout(timer); run(); });
  input.addEventListener("input", schedule);
  form.addEventListener("change", function (event) { if (event.target !== input) run(); });
  more.addEventListener("click", function () { showMore(lastRequest); });
  // The header's phone link leads here (#recherche-q): the cursor goes in the field.
  if (window.location.hash === "#recherche-q") input.focus();
  if (input.value || anyChosen(selection())) run();
})();
