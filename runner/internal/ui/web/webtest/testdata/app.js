"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var es = new EventSource("events");
  es.addEventListener("state", function (e) {
    document.getElementById("state").textContent = JSON.parse(e.data).n;
  });
});
