/* Material for MkDocs 9.8's partials/javascripts/base.html, moved out of
 * the page so that the Content-Security-Policy can forbid inline scripts
 * (overrides/partials/javascripts/base.html loads it, in <head>, before
 * Material's bundle, which uses these globals). Same code, unminified; the
 * scope (Material's `config.extra.scope | d(base_url)`) comes from the
 * script's data-scope attribute.
 */
/* eslint-disable no-underscore-dangle */
(function () {
  "use strict";
  var script = document.currentScript;
  window.__md_scope = new URL((script && script.getAttribute("data-scope")) || ".", location);
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, character) {
      return (hash << 5) - hash + character.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    storage = storage === undefined ? localStorage : storage;
    scope = scope === undefined ? window.__md_scope : scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    storage = storage === undefined ? localStorage : storage;
    scope = scope === undefined ? window.__md_scope : scope;
    try {
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled: Material works without it */
    }
  };
})();
