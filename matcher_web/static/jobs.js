// Follows the background job of a page (#job): updates its progress bar, keeps the buttons that
// would start another such job disabled, and reloads the page (or opens the fair plan) when it ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    });
  });
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") { return; }
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.progress;
        percent.textContent = job.progress + "%";
        if (job.state === "done" || job.state === "failed") {
          if (job.state === "done" && job.result && job.result.plan_id) {
            window.location.assign(box.dataset.planUrl.replace("PLAN", encodeURIComponent(job.result.plan_id)));
          } else {
            window.location.assign(box.dataset.doneUrl);
          }
          return;
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
