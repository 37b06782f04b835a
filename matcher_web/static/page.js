// What every page shares: focus moves to what a submission produced (results, errors: [data-focus]),
// so a phone shows it first and a screen reader reads it.
(function () {
  "use strict";
  var target = document.querySelector("[data-focus]");
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    target.scrollIntoView({block: "start"});
  }
})();
