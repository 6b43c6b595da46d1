/* Material for MkDocs 9.8's partials/javascripts/content.html, moved out of
 * the page so that the Content-Security-Policy can forbid inline scripts
 * (overrides/partials/javascripts/content.html loads it, after the content,
 * before Material's bundle). Same code, unminified: open the content tab
 * named in the address, and with the `content.tabs.link` feature (the
 * script's data-tabs-link attribute) the tabs chosen on earlier pages.
 */
/* eslint-disable no-underscore-dangle */
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && script.hasAttribute("data-tabs-link")) {
    var tabs = window.__md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        for (var t = 0; t < tabs.length; t++) {
          var found = Array.prototype.find.call(labels.getElementsByTagName("label"), function (label) {
            return label.innerText.trim() === tabs[t];
          });
          if (found) {
            document.getElementById(found.htmlFor).checked = true;
            return;
          }
        }
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
