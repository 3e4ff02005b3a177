// fedprune report: one line per run on each chart, from the JSON the report carries.
"use strict";
(function () {
  const runs = JSON.parse(document.getElementById("report-data").textContent);
  const colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"];
  const chart = (canvas, xTitle, xIndex) => new Chart(document.getElementById(canvas), {
    type: "line",
    data: {
      datasets: runs.map((r, i) => ({
        label: r.label, data: r.points.map(p => ({ x: p[xIndex], y: p[1] })),
        borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length],
        borderDash: i >= colours.length ? [6, 3] : [], pointRadius: 0, borderWidth: 2
      }))
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      interaction: { mode: "nearest", intersect: false },
      scales: { x: { type: "linear", title: { display: true, text: xTitle } },
                y: { title: { display: true, text: "test accuracy" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
  chart("by-time", "virtual time (s)", 0);
  chart("by-bytes", "bytes up + down (MB)", 2);
})();
