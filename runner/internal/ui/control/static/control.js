// The control page has no framework and needs none: while a run starts,
// runs or stops, this reloads the page when the run's state changes (its
// live page is up, it ended), asking /state.json every two seconds.
"use strict";
(function () {
  var run = document.getElementById("run");
  if (!run || run.dataset.watch !== "1") {
    return;
  }
  var shown = run.dataset.state;
  function poll() {
    fetch("state.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        var now = s && s.run ? [s.run.Running, s.run.Live].join(",") : "";
        if (now !== shown) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
