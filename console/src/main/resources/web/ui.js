// Ironbridge console: small DOM helpers shared by the pages. No framework: every element is built with h().
"use strict";

const Ui = (() => {
  /** h("a", {href: "#/x", class: "c", onclick: fn}, "text", child…) → element. Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** A table: columns [{title, value: row → text|Node}], rows; an empty text when there are none. */
  function table(columns, rows, opts = {}) {
    if (!rows.length) return h("p", { class: "empty" }, opts.empty || "Nothing here yet.");
    return h("table", { id: opts.id, class: opts.class },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c.title)))),
      h("tbody", {}, rows.map((r) => h("tr", { dataset: opts.rowData ? opts.rowData(r) : {} },
        columns.map((c) => h("td", { class: c.class }, c.value(r)))))));
  }

  function time(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  function ago(iso) {
    if (!iso) return "never";
    const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }

  function pill(status) {
    const kind = { active: "ok", succeeded: "ok", delivered: "ok", closed: "ok", ready: "ok",
      degraded: "warn", running: "info", queued: "info", pending: "info", half_open: "warn",
      reauthorization_required: "bad", failed: "bad", disconnected: "muted", open: "bad" }[status] || "muted";
    return h("span", { class: "pill " + kind, dataset: { status: status || "" } }, (status || "unknown").replaceAll("_", " "));
  }

  function progress(fraction) {
    if (fraction === null || fraction === undefined) return h("span", { class: "muted" }, "…");
    const pct = Math.round(fraction * 100);
    return h("span", { class: "progress", title: pct + "%" },
      h("progress", { max: 100, value: pct }), h("span", { class: "muted" }, " " + pct + "%"));
  }

  function kv(pairs) {
    return h("dl", { class: "kv" }, pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v === null || v === undefined || v === "" ? "—" : v)]));
  }

  /** A transient message at the top of the page. */
  function toast(text, kind = "ok") {
    const el = h("div", { class: "toast " + kind, role: "status" }, text);
    document.body.append(el);
    setTimeout(() => el.remove(), kind === "bad" ? 8000 : 4000);
  }

  function errorBox(e) {
    const box = h("div", { class: "error-box", role: "alert" },
      h("strong", {}, e.code ? e.code + ": " : ""), e.message,
      e.requestId ? h("span", { class: "muted" }, " (request " + e.requestId + ")") : null);
    if (e.errors && e.errors.length) box.append(h("ul", {}, e.errors.map((x) => h("li", {}, x.field + ": " + x.message))));
    return box;
  }

  const charts = new Set();

  /** A line chart (Chart.js) of minute series: series [{label, data: [{x: Date, y}]}]. */
  function lineChart(title, series, opts = {}) {
    const canvas = h("canvas", { role: "img", "aria-label": title });
    const box = h("div", { class: "chart" }, h("h3", {}, title), h("div", { class: "chart-body" }, canvas));
    if (typeof Chart === "undefined") {
      box.append(h("p", { class: "muted" }, "Charts are not available."));
      return box;
    }
    const palette = ["#2257a8", "#c0392b", "#1f8a4c", "#b9770e", "#6c3483"];
    const labels = (series[0] ? series[0].data : []).map((p) => p.x);
    const chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: labels.map((d) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })),
        datasets: series.map((s, i) => ({
          label: s.label, data: s.data.map((p) => p.y), borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length], pointRadius: 0, borderWidth: 2, tension: 0.2, spanGaps: true,
        })),
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: !!opts.unit, text: opts.unit } }, x: { ticks: { maxTicksLimit: 8 } } },
        plugins: { legend: { display: series.length > 1 } },
      },
    });
    charts.add(chart);
    return box;
  }

  /** Destroys the charts of the page being left. */
  function clearCharts() {
    for (const c of charts) c.destroy();
    charts.clear();
  }

  async function confirmThen(question, action) {
    if (!window.confirm(question)) return;
    try {
      await action();
    } catch (e) {
      toast(e.message, "bad");
    }
  }

  return { h, table, time, ago, pill, progress, kv, toast, errorBox, lineChart, clearCharts, confirmThen };
})();
