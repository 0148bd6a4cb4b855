// searchlib web UI: small enhancements; every page works without this file.
(function () {
  "use strict";

  // "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && box && !typing) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Histogram: a click on a bar follows its link (one month or day); a drag across several
  // bars narrows to the range they cover.
  var histogram = document.querySelector(".histogram");
  if (histogram) {
    var bars = Array.prototype.slice.call(histogram.querySelectorAll(".bar"));
    var start = null;
    var end = null;
    var paint = function () {
      var lo = Math.min(start, end), hi = Math.max(start, end);
      bars.forEach(function (bar, i) { bar.classList.toggle("picked", start !== null && i >= lo && i <= hi); });
    };
    bars.forEach(function (bar, i) {
      bar.addEventListener("mousedown", function (event) { event.preventDefault(); start = end = i; paint(); });
      bar.addEventListener("mouseenter", function () { if (start !== null) { end = i; paint(); } });
      bar.addEventListener("click", function (event) { if (dragged) { event.preventDefault(); } });
    });
    var dragged = false;
    document.addEventListener("mouseup", function () {
      if (start === null) { return; }
      dragged = start !== end;
      if (!dragged) { start = null; return; }  // a plain click: the bar's link does the rest
      var lo = bars[Math.min(start, end)].dataset.key, hi = bars[Math.max(start, end)].dataset.key;
      start = end = null;
      window.location.href = histogram.dataset.rangeUrl.replace("__FROM__", encodeURIComponent(lo)).replace("__TO__", encodeURIComponent(hi));
    });
  }

  // Article page: "n" (or the "next" link) steps through the marked matches.
  var marks = document.querySelectorAll(".doc mark");
  if (marks.length) {
    var current = -1;
    var next = function () {
      if (current >= 0) { marks[current].classList.remove("current"); }
      current = (current + 1) % marks.length;
      marks[current].classList.add("current");
      marks[current].scrollIntoView({ block: "center" });
    };
    document.addEventListener("keydown", function (event) {
      if (event.key === "n" && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) { next(); }
    });
    var link = document.querySelector(".next-match");
    if (link) { link.addEventListener("click", function (event) { event.preventDefault(); next(); }); }
  }
})();
