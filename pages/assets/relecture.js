/* Review dates that do not go stale. Whether a sheet's review is overdue
 * is written at build time; a page built in January would still say « up
 * to date » in July. This script decides again from the reader's date, as
 * GOV.UK's tech-docs page expiry does:
 *
 * - each <time datetime="YYYY-MM-DD" data-fiches-relecture> is compared
 *   with today's date in the reader's time zone; the marker next to it
 *   ([data-fiches-relecture-retard], « (relecture en retard) ») is shown
 *   when the date has passed and hidden otherwise (the decision is also
 *   written in data-fiches-relecture-etat: « en-retard » or « a-jour »);
 * - on « À relire », the sheets of the « 60 jours » list that are now
 *   overdue are counted in the « Relecture en retard » heading and a
 *   sentence says where they are (the list is not reordered).
 *
 * Without JavaScript the build-time text stays. Loaded from
 * extra_javascript: no inline script (Content-Security-Policy).
 */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Today's calendar date where the reader is, as YYYY-MM-DD.
  function localToday() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function update() {
    var today = localToday();
    Array.prototype.forEach.call(document.querySelectorAll("time[data-fiches-relecture]"), function (time) {
      var written = time.getAttribute("datetime") || "";
      var marker = time.parentNode.querySelector("[data-fiches-relecture-retard]");
      if (!marker || !/^\d{4}-\d{2}-\d{2}$/.test(written)) return;
      // ISO dates compare as strings; overdue once the date is past, as in Sheet.review_is_overdue.
      var overdue = written < today;
      marker.hidden = !overdue;
      time.setAttribute("data-fiches-relecture-etat", overdue ? "en-retard" : "a-jour"); // what was decided
    });
    updateReviewPage();
  }

  function updateReviewPage() {
    var count = document.querySelector("[data-fiches-relecture-compte]");
    var sentence = document.querySelector("[data-fiches-relecture-depuis]");
    if (!count || !sentence) return;
    if (!count.hasAttribute("data-construction")) count.setAttribute("data-construction", count.textContent);
    var atBuild = parseInt(count.getAttribute("data-construction"), 10) || 0;
    var since = document.querySelectorAll(".fiches-a-relire [data-fiches-relecture-retard]:not([hidden])").length;
    count.textContent = String(atBuild + since);
    sentence.hidden = since === 0;
    sentence.textContent = since === 0 ? "" : since === 1
      ? "1\u00a0fiche de la liste «\u00a0À relire dans les 60\u00a0jours\u00a0» ci-dessous a dépassé sa date de relecture depuis la mise en ligne de cette page\u00a0: elle y est signalée «\u00a0(relecture en retard)\u00a0»."
      : since + "\u00a0fiches de la liste «\u00a0À relire dans les 60\u00a0jours\u00a0» ci-dessous ont dépassé leur date de relecture depuis la mise en ligne de cette page\u00a0: elles y sont signalées «\u00a0(relecture en retard)\u00a0».";
    var none = document.querySelector("[data-fiches-relecture-aucune]");
    if (none) none.hidden = since > 0;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
