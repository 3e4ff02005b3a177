// The live page: one EventSource on /api/events; each "state" event carries the versions evaluated
// since the previous one and the whole client table; "end" follows the run's final state.
"use strict";
(function () {
  const $ = id => document.getElementById(id);
  const mb = b => (b / 1e6).toFixed(2);
  const line = (canvas, xTitle) => new Chart($(canvas), {
    type: "line",
    data: { datasets: [{ label: "test accuracy", data: [], borderColor: "#1f6fb2", pointRadius: 0, borderWidth: 2 }] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      scales: { x: { type: "linear", title: { display: true, text: xTitle } },
                y: { min: 0, max: 1, title: { display: true, text: "test accuracy" } } },
      plugins: { legend: { display: false } }
    }
  });
  const byTime = line("by-time", "virtual time (s)");
  const byBytes = line("by-bytes", "bytes up + down (MB)");
  let best = null;
  let lastVersion = -1; // a reconnected stream starts from the first version again: skip what is drawn

  fetch("api/config").then(r => r.text()).then(t => { $("config").textContent = t; });

  function cell(text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  }

  function render(s) {
    $("title").textContent = `${s.name} — ${s.algorithm} on ${s.dataset}, ${s.clientCount} clients`;
    for (const p of s.rounds) {
      if (p.version <= lastVersion) continue;
      lastVersion = p.version;
      byTime.data.datasets[0].data.push({ x: p.virtualTimeS, y: p.accuracy });
      byBytes.data.datasets[0].data.push({ x: (p.bytesUp + p.bytesDown) / 1e6, y: p.accuracy });
      best = best === null ? p.accuracy : Math.max(best, p.accuracy);
    }
    if (s.rounds.length) {
      const last = s.rounds[s.rounds.length - 1];
      $("version").textContent = last.version;
      $("accuracy").textContent = last.accuracy.toFixed(4);
      $("best").textContent = best.toFixed(4);
      byTime.update("none");
      byBytes.update("none");
    }
    if (s.finalAccuracy !== null) {
      $("accuracy").textContent = s.finalAccuracy.toFixed(4);
      $("best").textContent = s.bestAccuracy.toFixed(4);
    }
    $("virtual-time").textContent = s.virtualTimeS.toFixed(1);
    $("wall-time").textContent = s.wallTimeS.toFixed(1);
    $("bytes-up").textContent = mb(s.bytesUp);
    $("bytes-down").textContent = mb(s.bytesDown);
    $("status").textContent = s.finished ? `finished (${s.finished})` : "running";
    $("status").className = s.finished ? "finished" : "";
    $("phases").textContent = Object.entries(s.phases).map(([p, n]) => `${p} ${n}`).join(" · ");

    const rows = s.clients.map(c => {
      const tr = document.createElement("tr");
      tr.append(cell(c.id), cell(c.phase, "phase " + c.phase), cell(c.version < 0 ? "—" : c.version),
        cell(c.density === null ? "—" : c.density.toFixed(3)), cell(c.updatesSent),
        cell(c.staleness === null ? "—" : c.staleness));
      return tr;
    });
    $("clients").replaceChildren(...rows);
    $("clients-note").textContent = s.clients.length < s.clientCount
      ? `the first ${s.clients.length} of ${s.clientCount} clients; the counts above cover all` : "";

    const kinds = [];
    for (const [dir, byKind] of Object.entries(s.bytesByKind)) {
      for (const [kind, bytes] of Object.entries(byKind)) {
        const tr = document.createElement("tr");
        tr.append(cell(dir, "phase"), cell(kind, "phase"), cell(mb(bytes)));
        kinds.push(tr);
      }
    }
    $("kinds").replaceChildren(...kinds);
    $("kinds-note").textContent = s.bytesSource === "server"
      ? "the server's count of every message sent"
      : "as the clients received and sent them, until the server's final count arrives";
  }

  const events = new EventSource("api/events");
  events.addEventListener("state", e => render(JSON.parse(e.data)));
  events.addEventListener("end", () => events.close());
  events.onerror = () => {
    if (!$("status").classList.contains("finished")) {
      $("status").textContent = "disconnected (retrying)";
    }
  };
})();
