// The live page of a run: it draws each "state" event it receives from
// "events" (Server-Sent Events). No framework; text goes in with
// textContent only, so nothing from the run is ever parsed as HTML.
"use strict";

(function () {
  var $ = function (id) { return document.getElementById(id); };
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var outcomes = ["ok", "rejected", "failed", "unknown", "unsent", "dropped"];

  function num(n, digits) {
    if (n === undefined || n === null) { return ""; }
    return Number(n).toLocaleString("en-US", { maximumFractionDigits: digits || 0 });
  }
  function secs(s) {
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return (h ? h + "h" : "") + (h || m ? m + "m" : "") + r + "s";
  }
  function badge(el, text, cls) {
    el.textContent = text;
    el.className = "badge " + (cls || text);
  }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }

  function drawChart(id, points, key) {
    var svg = $(id);
    var top = 0;
    points.forEach(function (p) { top = Math.max(top, p[key]); });
    $(id + "-max").textContent = points.length ? "(max " + num(top, 1) + ")" : "";
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    if (points.length < 2) { return; }
    var t0 = points[0].t, t1 = points[points.length - 1].t || 1;
    var span = Math.max(t1 - t0, 1), scale = top > 0 ? top : 1;
    var coords = points.map(function (p) {
      return ((p.t - t0) / span * 300).toFixed(1) + "," + (78 - p[key] / scale * 74).toFixed(1);
    });
    var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", coords.join(" "));
    svg.appendChild(line);
  }

  function drawTargets(targets) {
    var body = $("targets").tBodies[0];
    var rows = targets.map(function (t) {
      var tr = document.createElement("tr");
      tr.dataset.target = t.name;
      cell(tr, t.name, "text name");
      var h = cell(tr, "", "text");
      var b = document.createElement("span");
      badge(b, t.enabled ? t.health : "disabled", t.enabled ? t.health : "bad");
      b.classList.add("health");
      h.appendChild(b);
      cell(tr, num(t.rate, 1), "rate");
      cell(tr, num(t.visits), "visits");
      cell(tr, num(t.hits), "hits");
      outcomes.forEach(function (o) { cell(tr, num(t.outcomes[o]), o); });
      cell(tr, num(t.p50_ms, 1), "p50");
      cell(tr, num(t.p95_ms, 1), "p95");
      cell(tr, t.disabled || "", "reason");
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  function drawPolicies(policies) {
    var body = $("policies").tBodies[0];
    $("no-policies").hidden = policies.length > 0;
    var rows = policies.map(function (p) {
      var tr = document.createElement("tr");
      tr.dataset.policy = p.policy;
      tr.dataset.target = p.target || "";
      cell(tr, p.policy, "name");
      cell(tr, p.target || "run");
      var s = cell(tr, "");
      var b = document.createElement("span");
      badge(b, p.state);
      b.classList.add("state");
      s.appendChild(b);
      cell(tr, p.action);
      cell(tr, p.when, "when");
      var values = Object.keys(p.values || {}).sort().map(function (k) { return k + "=" + num(p.values[k], 3); });
      cell(tr, values.join("  "), "values");
      cell(tr, p.fired, "fired");
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  function drawProgress(v) {
    var p = v.progress;
    var bar = $("progress");
    if (p.fraction >= 0) { bar.value = p.fraction; } else { bar.removeAttribute("value"); }
    var plan = p.planned_s > 0 ? " of " + secs(p.planned_s) : "";
    if (p.max_visits > 0) { plan += (plan ? ", " : " of ") + num(p.max_visits) + " visits"; }
    $("progress-text").textContent = secs(p.elapsed_s) + plan + " · rate " + num(p.rate, 1) + "/s · visits " +
      num(p.visits) + " · dropped " + num(p.dropped) + " · hits " + num(p.hits) + " · errors " + num(p.errors) +
      " · p95 " + num(p.p95_ms) + " ms · in flight " + num(p.in_flight);
    var bf = v.backfill;
    $("backfill").hidden = !bf;
    if (bf) {
      var text = "backfill: " + bf.days_done + " of " + bf.days + " days done, " + bf.days_left + " left";
      if (bf.auto_limit) { text += " · rps auto: limit " + bf.auto_limit; }
      if (bf.settled_rps) { text += ", settled at " + num(bf.settled_rps, 1) + " visits/s"; }
      $("backfill").textContent = text;
    }
  }

  function drawFinal(r) {
    $("final").hidden = !r;
    if (!r) { return; }
    $("final").className = r.outcome;
    $("outcome").textContent = r.outcome;
    $("exit-code").textContent = r.exit_code;
    $("stop-reason").textContent = r.stop_reason;
    $("duration").textContent = secs(r.duration_s || 0);
    $("final-error").textContent = r.error || "";
    var items = r.fired.map(function (f) { var li = document.createElement("li"); li.textContent = f; return li; });
    $("fired").replaceChildren.apply($("fired"), items);
  }

  function draw(v) {
    $("scenario").textContent = v.scenario;
    $("run-id").textContent = v.run_id || "…";
    document.title = v.scenario + " · " + v.phase + " · Trafficinator";
    badge($("phase"), v.phase);
    drawProgress(v);
    drawChart("chart-rate", v.series, "rate");
    drawChart("chart-errors", v.series, "errors");
    drawChart("chart-p95", v.series, "p95_ms");
    drawTargets(v.targets);
    drawPolicies(v.policies);
    $("logs").textContent = v.logs.join("\n");
    drawFinal(v.report);
    var done = v.phase === "done";
    $("report-link").hidden = !(done && v.report && v.report.outcome !== "not run");
    $("stop").disabled = done || v.stopping;
    $("stop").textContent = v.stopping && !done ? "Stopping…" : "Stop";
  }

  function connect() {
    var es = new EventSource("events");
    es.addEventListener("state", function (e) { draw(JSON.parse(e.data)); });
    es.onopen = function () { $("conn").className = "conn live"; };
    es.onerror = function () { $("conn").className = "conn"; };
  }

  function stop() {
    $("stop").disabled = true;
    fetch("stop", { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { $("stop").disabled = false; } })
      .catch(function () { $("stop").disabled = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("stop").addEventListener("click", stop);
    connect();
  });
})();
