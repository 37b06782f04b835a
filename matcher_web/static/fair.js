// Outcomes recorded in place on a fair plan: each row's form is sent as PUT to the outcomes API
// (the session's CSRF token in X-CSRF-Token); the page stays where it is and the row says it is saved.
(function () {
  "use strict";
  document.querySelectorAll("form.outcome-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector(".status");
      var outcome = form.elements.outcome.value;
      var note = form.elements.note.value.trim();
      if (!outcome) {
        status.textContent = status.dataset.choose;
        status.className = "status error";
        form.elements.outcome.focus();
        return;
      }
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.dataset.url, {
        method: "PUT", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json",
                  "X-CSRF-Token": form.elements.csrf.value},
        body: JSON.stringify({outcome: outcome, note: note || null})
      }).then(function (r) {
        return r.json().then(function (body) { return {ok: r.ok, body: body}; });
      }).then(function (res) {
        if (!res.ok) { throw new Error(res.body.message || ""); }
        status.textContent = "✓ " + status.dataset.saved;
        status.className = "status met";
      }).catch(function (err) {
        status.textContent = status.dataset.failed + (err.message ? " " + err.message : "");
        status.className = "status error";
      }).then(function () { button.disabled = false; });
    });
  });
})();
