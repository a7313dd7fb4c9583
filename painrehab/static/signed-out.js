/* On the sign-in pages: nothing from a previous session may stay in this tab.
   Clear-Site-Data at sign-out clears cookies, caches and local storage, but Chromium
   leaves the tab's sessionStorage, so it is cleared here too. */
(function () {
  "use strict";
  try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage disabled */ }
}());
