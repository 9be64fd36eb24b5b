// Ironbridge console: the pages. Each page is an async function (params) → element, rendered by app.js; a page may
// return {el, refresh, every} to be refreshed while it is shown (live sync progress, delivery attempts).
"use strict";

const Pages = (() => {
  const { h, table, time, ago, pill, progress, kv, toast, errorBox, lineChart, confirmThen } = Ui;
  const enc = encodeURIComponent;
  const ms = (v) => (v === undefined || v === null ? "" : Number(v).toFixed(1) + " ms");
  const HOUR = 3600 * 1000;

  // ------------------------------------------------------------------ statistics helpers

  /** Minute rows of a stats answer → chart series over the last hours, a point per minute (gaps are zero). */
  function series(rows, hours, pick) {
    const byMinute = new Map(rows.map((r) => [Math.floor(new Date(r.at).getTime() / 60000), r]));
    const end = Math.floor(Date.now() / 60000);
    const out = [];
    for (let m = end - hours * 60 + 1; m <= end; m++) {
      const r = byMinute.get(m);
      out.push({ x: new Date(m * 60000), y: r ? pick(r) : (pick.gap === undefined ? 0 : pick.gap) });
    }
    return out;
  }
  const nullGap = (f) => Object.assign(f, { gap: null });

  function trafficCharts(rows, hours) {
    return h("div", { class: "charts" },
      lineChart("Requests per minute", [
        { label: "requests", data: series(rows, hours, (r) => r.api_requests) },
        { label: "errors", data: series(rows, hours, (r) => r.api_errors) },
      ]),
      lineChart("Error rate", [{ label: "error rate %", data: series(rows, hours, nullGap((r) => (r.api_requests ? (100 * r.api_errors) / r.api_requests : null))) }], { unit: "%" }),
      lineChart("Latency", [
        { label: "p50", data: series(rows, hours, nullGap((r) => r.api_latency_p50_ms)) },
        { label: "p99", data: series(rows, hours, nullGap((r) => r.api_latency_p99_ms)) },
      ], { unit: "ms" }));
  }

  function runningSyncs(connections) {
    const rows = [];
    for (const c of connections) {
      for (const [entity, s] of Object.entries(c.last_sync || {})) {
        if (s.status === "running" || s.status === "queued") rows.push({ c, entity, s });
      }
    }
    return table([
      { title: "Connection", value: (r) => h("a", { href: "#/connections/" + enc(r.c.id) }, r.c.name) },
      { title: "Entity", value: (r) => r.entity },
      { title: "Kind", value: (r) => r.s.kind },
      { title: "Status", value: (r) => pill(r.s.status) },
      { title: "Records", value: (r) => String(r.s.records_seen) },
      { title: "Progress", value: (r) => progress(r.s.progress) },
    ], rows, { id: "running-syncs", empty: "No sync is running." });
  }

  // ------------------------------------------------------------------ overview

  async function overview() {
    const el = h("section", { id: "overview" }, h("h2", {}, "Overview"));
    const counts = h("div", { class: "cards", id: "status-counts" });
    const charts = h("div", {});
    const syncs = h("div", {});
    el.append(counts, h("h3", {}, "Syncs running"), syncs, h("h3", {}, "Traffic, last 6 hours"), charts);
    async function refresh(first) {
      const connections = await Api.all("/v1/admin/connections");
      const by = { active: 0, degraded: 0, reauthorization_required: 0, disconnected: 0 };
      connections.forEach((c) => { by[c.status] = (by[c.status] || 0) + 1; });
      counts.replaceChildren(...Object.entries(by).map(([s, n]) =>
        h("a", { class: "card", href: "#/connections?status=" + s, dataset: { status: s } },
          h("span", { class: "big" }, String(n)), pill(s))));
      syncs.replaceChildren(runningSyncs(connections));
      if (first) {
        const since = new Date(Date.now() - 6 * HOUR).toISOString();
        try {
          const stats = await Api.get("/v1/admin/stats?since=" + enc(since));
          Ui.clearCharts();
          charts.replaceChildren(trafficCharts(stats.data, 6));
        } catch (e) {
          charts.replaceChildren(errorBox(e));
        }
      }
    }
    await refresh(true);
    return { el, refresh: () => refresh(false), every: 3000 };
  }

  // ------------------------------------------------------------------ connections

  async function connections(params) {
    const q = new URLSearchParams(params.query || "");
    const form = h("form", { class: "filters", id: "connection-filters" },
      h("label", {}, "Status ",
        h("select", { name: "status" }, ["", "active", "degraded", "reauthorization_required", "disconnected"].map((s) =>
          h("option", { value: s, selected: q.get("status") === s }, s || "any")))),
      h("label", {}, "System ", h("input", { name: "system", value: q.get("system") || "", size: 12 })),
      h("label", {}, "Customer ", h("input", { name: "customer_id", value: q.get("customer_id") || "", size: 12 })),
      h("button", { type: "submit" }, "Filter"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
      location.hash = "#/connections" + (p.toString() ? "?" + p : "");
    });
    const filter = new URLSearchParams();
    for (const k of ["status", "system", "customer_id"]) if (q.get(k)) filter.set(k, q.get(k));
    const list = await Api.all("/v1/admin/connections" + (filter.toString() ? "?" + filter : ""));
    return h("section", { id: "connections" }, h("h2", {}, "Connections"), form,
      table([
        { title: "Name", value: (c) => h("a", { href: "#/connections/" + enc(c.id) }, c.name) },
        { title: "System", value: (c) => c.system },
        { title: "Customer", value: (c) => c.customer_id },
        { title: "Status", value: (c) => pill(c.status) },
        { title: "Errors (1 h)", value: (c) => c.health ? Math.round(100 * (c.health.error_rate_1h || 0)) + "% of " + c.health.requests_1h : "—" },
        { title: "Created", value: (c) => time(c.created_at) },
      ], list, { id: "connection-list", empty: "No connection matches.", rowData: (c) => ({ id: c.id }) }));
  }

  async function connection(params) {
    const id = params.id;
    const el = h("section", { id: "connection" });
    const head = h("div", {});
    const actions = h("div", { class: "actions" });
    const syncs = h("div", {});
    const timeline = h("div", {});
    const charts = h("div", {});
    const reconnect = h("div", {});
    el.append(head, actions, reconnect, h("h3", {}, "Syncs"), syncs, h("h3", {}, "Status timeline"), timeline,
      h("h3", {}, "Requests and errors, last 24 hours"), charts);
    let c;

    async function refresh(first) {
      c = await Api.get("/v1/admin/connections/" + enc(id));
      const health = c.health || {};
      head.replaceChildren(h("h2", {}, c.name, " ", pill(c.status)),
        h("p", { class: c.status !== "active" && c.status_reason ? "reason" : "muted", id: "status-reason" }, c.status_reason || ""),
        kv([["Id", c.id], ["System", c.system], ["Customer", c.customer_id], ["Deployment", c.deployment],
          ["Created", time(c.created_at)], ["Disconnected", c.disconnected_at ? time(c.disconnected_at) : null],
          ["Credits", String(c.credits)],
          ["Requests (1 h)", health.requests_1h === undefined ? null : String(health.requests_1h)],
          ["Error rate (1 h)", health.error_rate_1h === undefined ? null : (100 * health.error_rate_1h).toFixed(1) + "%"],
          ["Last success", health.last_success_at ? ago(health.last_success_at) : null],
          ["Circuit", health.circuit ? pill(health.circuit) : null]]));
      const runs = await Api.get("/v1/admin/connections/" + enc(id) + "/syncs");
      syncs.replaceChildren(table([
        { title: "Entity", value: (s) => s.entity },
        { title: "Kind", value: (s) => s.kind },
        { title: "Status", value: (s) => pill(s.status) },
        { title: "Progress", value: (s) => s.status === "running" ? progress(s.progress) : (s.status === "succeeded" ? "done" : "") },
        { title: "Seen / changed / deleted", value: (s) => s.records_seen + " / " + s.records_changed + " / " + s.records_deleted },
        { title: "Started", value: (s) => time(s.started_at) },
        { title: "Finished", value: (s) => time(s.finished_at) },
        { title: "Error", value: (s) => s.error ? (s.error.code || "") + " " + (s.error.message || "") : "" },
      ], runs.data, { id: "sync-history", empty: "No sync yet.", rowData: (s) => ({ id: s.id, status: s.status }) }));
      const history = await Api.get("/v1/admin/connections/" + enc(id) + "/status-history");
      timeline.replaceChildren(h("ol", { class: "timeline", id: "status-timeline" }, history.data.slice().reverse().map((e) =>
        h("li", {}, pill(e.status), " ", h("span", { class: "muted" }, time(e.at)), " ", e.reason || ""))));
      renderActions();
      if (first) {
        try {
          const stats = await Api.get("/v1/admin/connections/" + enc(id) + "/stats?since=" + enc(new Date(Date.now() - 24 * HOUR).toISOString()));
          charts.replaceChildren(h("div", { class: "charts" },
            lineChart("Requests per minute", [
              { label: "requests", data: series(stats.data, 24, (r) => r.api_requests) },
              { label: "errors", data: series(stats.data, 24, (r) => r.api_errors) }]),
            lineChart("Error rate", [{ label: "error rate %", data: series(stats.data, 24, nullGap((r) => (r.api_requests ? (100 * r.api_errors) / r.api_requests : null))) }], { unit: "%" }),
            lineChart("Source calls", [
              { label: "calls", data: series(stats.data, 24, (r) => r.source_calls || 0) },
              { label: "failed", data: series(stats.data, 24, (r) => r.source_errors || 0) }])));
        } catch (e) {
          charts.replaceChildren(errorBox(e));
        }
      }
    }

    function renderActions() {
      const disconnected = c.status === "disconnected";
      actions.replaceChildren(...[
        disconnected ? null : h("button", { id: "sync-now", onclick: () => confirmThen("Start a sync of every entity now?", async () => {
          await Api.post("/v1/admin/connections/" + enc(id) + "/syncs", {});
          toast("Sync queued");
          refresh(false);
        }) }, "Sync now"),
        disconnected ? null : h("button", { id: "disconnect", class: "danger", onclick: () => confirmThen(
          "Disconnect " + c.name + "? Its token stops working at once; its data is kept.", async () => {
            await Api.del("/v1/admin/connections/" + enc(id));
            toast("Disconnected");
            refresh(false);
          }) }, "Disconnect"),
        h("button", { id: "reconnect", class: "secondary", onclick: () => showReconnect() }, "Reconnect…"),
        disconnected ? h("button", { id: "purge", class: "danger", onclick: () => confirmThen(
          "Delete every stored record of this connection? This cannot be undone.", async () => {
            await Api.post("/v1/admin/connections/" + enc(id) + "/purge");
            toast("Stored records deleted");
          }) }, "Purge data") : null].filter(Boolean));
    }

    async function showReconnect() {
      const connectors = await Api.get("/v1/admin/connectors");
      const connector = connectors.data.find((x) => x.system === c.system);
      if (!connector) {
        reconnect.replaceChildren(h("p", { class: "error" }, "The connector for " + c.system + " is not installed."));
        return;
      }
      const form = h("form", { class: "stack", id: "reconnect-form" }, h("h3", {}, "Reconnect with new credentials"),
        connector.credential_fields.map((f) => credentialInput(f)),
        h("div", {}, h("button", { type: "submit" }, "Reconnect"), " ",
          h("button", { type: "button", class: "secondary", onclick: () => reconnect.replaceChildren() }, "Cancel")));
      const result = h("div", {});
      form.append(result);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const credentials = {};
        for (const [k, v] of new FormData(form)) if (v !== "") credentials[k] = v;
        try {
          const created = await Api.post("/v1/admin/connections/" + enc(id) + "/reconnect", { credentials });
          reconnect.replaceChildren(h("div", { class: "secret-once" },
            h("p", {}, "New connection created. Its token is shown once — copy it now:"),
            h("code", { id: "new-token" }, created.token),
            h("p", {}, h("a", { href: "#/connections/" + enc(created.connection.id) }, "Open the new connection"))));
        } catch (e) {
          result.replaceChildren(errorBox(e));
        }
      });
      reconnect.replaceChildren(form);
    }

    await refresh(true);
    return { el, refresh: () => refresh(false), every: 2000 };
  }

  function credentialInput(f) {
    const id = "cred-" + f.name;
    let input;
    if (f.type === "select" && f.options && f.options.length) {
      input = h("select", { id, name: f.name }, f.options.map((o) => h("option", { value: o, selected: o === f.default_value }, o)));
    } else {
      input = h("input", { id, name: f.name, type: f.secret ? "password" : f.type === "number" ? "number" : "text",
        required: f.required, placeholder: f.default_value || "", autocomplete: "off" });
    }
    return h("div", { class: "field" }, h("label", { for: id }, f.label, f.required ? " *" : ""), input,
      f.help ? h("small", { class: "muted" }, f.help) : null);
  }

  // ------------------------------------------------------------------ request logs

  async function logs(params) {
    const q = new URLSearchParams(params.query || "");
    const form = h("form", { class: "filters", id: "log-filters" },
      h("label", {}, "Search ", h("input", { name: "q", value: q.get("q") || "", placeholder: "request id, path, code", size: 24 })),
      h("label", {}, "Connection ", h("input", { name: "connection_id", value: q.get("connection_id") || "", size: 14 })),
      h("label", {}, "Status ", h("input", { name: "status", value: q.get("status") || "", size: 4 })),
      h("label", {}, "Code ", h("input", { name: "code", value: q.get("code") || "", size: 14 })),
      h("button", { type: "submit" }, "Search"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) p.set(k, v.trim());
      const hash = "#/logs" + (p.toString() ? "?" + p : "");
      if (location.hash === hash) App.render(); else location.hash = hash;
    });
    const filter = new URLSearchParams();
    for (const k of ["q", "connection_id", "status", "code", "since", "until"]) if (q.get(k)) filter.set(k, q.get(k));
    const body = h("div", {});
    const more = h("div", {});
    const rows = [];
    async function load(cursor) {
      const p = new URLSearchParams(filter);
      p.set("page_size", "50");
      if (cursor) p.set("cursor", cursor);
      const page = await Api.get("/v1/admin/logs?" + p);
      rows.push(...page.data);
      body.replaceChildren(table([
        { title: "Time", value: (e) => time(e.time || e.at || e.started_at) },
        { title: "Request id", value: (e) => h("a", { href: "#/logs/" + enc(e.request_id) }, e.request_id) },
        { title: "Method", value: (e) => e.method },
        { title: "Path", value: (e) => e.path + (e.query ? "?" + e.query : ""), class: "path" },
        { title: "Status", value: (e) => h("span", { class: e.status >= 400 ? "bad-text" : "" }, String(e.status)) },
        { title: "Code", value: (e) => e.error_code || "" },
        { title: "Duration", value: (e) => ms(e.duration_ms) },
      ], rows, { id: "log-list", empty: "No request matches.", rowData: (e) => ({ requestId: e.request_id }) }));
      more.replaceChildren(page.next_cursor ? h("button", { class: "secondary", onclick: () => load(page.next_cursor) }, "Older…") : "");
    }
    await load(null);
    return h("section", { id: "logs" }, h("h2", {}, "Request logs"), form, body, more);
  }

  function headersTable(headers) {
    const rows = Object.entries(headers || {}).map(([k, v]) => ({ k, v: Array.isArray(v) ? v.join(", ") : String(v) }));
    return table([{ title: "Header", value: (r) => r.k }, { title: "Value", value: (r) => r.v }], rows, { class: "compact", empty: "No headers." });
  }

  function bodyBlock(text, truncated) {
    if (text === null || text === undefined || text === "") return h("p", { class: "muted" }, "No body.");
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    return h("div", {}, h("pre", {}, shown), truncated ? h("p", { class: "muted" }, "(cut at the size limit)") : null);
  }

  async function logEntry(params) {
    const e = await Api.get("/v1/admin/logs/" + enc(params.id));
    const req = e.request || {};
    const res = e.response || {};
    const calls = e.source_calls || [];
    return h("section", { id: "log-entry" },
      h("p", {}, h("a", { href: "#/logs" }, "← Request logs")),
      h("h2", {}, e.method, " ", e.path, " ", h("span", { class: e.status >= 400 ? "pill bad" : "pill ok" }, String(e.status))),
      kv([["Request id", h("code", { id: "entry-request-id" }, e.request_id)], ["Time", time(e.time || e.at || e.started_at)],
        ["Duration", ms(e.duration_ms) || null], ["Error code", e.error_code],
        ["Connection", e.connection_id ? h("a", { href: "#/connections/" + enc(e.connection_id) }, e.connection_id) : null],
        ["Query", e.query]]),
      h("h3", {}, "Calls to the source system"),
      table([
        { title: "Method", value: (s) => s.method },
        { title: "URL", value: (s) => s.url, class: "path" },
        { title: "Status", value: (s) => h("span", { class: s.status >= 400 || !s.status ? "bad-text" : "" }, s.status ? String(s.status) : (s.error || "no answer")) },
        { title: "Duration", value: (s) => ms(s.duration_ms) },
      ], calls, { id: "source-calls", empty: "This request made no call to the source." }),
      h("div", { class: "two" },
        h("div", {}, h("h3", {}, "Request headers"), headersTable(req.headers), h("h3", {}, "Request body"), bodyBlock(req.body, req.body_truncated)),
        h("div", {}, h("h3", {}, "Response headers"), headersTable(res.headers), h("h3", {}, "Response body"), bodyBlock(res.body, res.body_truncated))));
  }

  // ------------------------------------------------------------------ webhooks

  const EVENTS = ["connection.created", "connection.status_changed", "connection.reauthorization_required",
    "connection.disconnected", "sync.completed", "sync.failed", "record.created", "record.updated", "record.deleted"];

  async function webhooks() {
    const list = await Api.all("/v1/admin/webhooks");
    const created = h("div", {});
    const form = h("form", { class: "stack", id: "webhook-form" },
      h("h3", {}, "Add an endpoint"),
      h("div", { class: "field" }, h("label", { for: "webhook-url" }, "URL"), h("input", { id: "webhook-url", name: "url", type: "url", required: true, placeholder: "https://example.com/hooks/ironbridge", size: 50 })),
      h("fieldset", {}, h("legend", {}, "Events"), EVENTS.map((ev) =>
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "events", value: ev, checked: !ev.startsWith("record.") }), ev))),
      h("button", { type: "submit" }, "Add endpoint"), created);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const fd = new FormData(form);
      try {
        const r = await Api.post("/v1/admin/webhooks", { url: fd.get("url"), events: fd.getAll("events") });
        const again = await webhooks();
        again.querySelector("#webhook-created").replaceChildren(h("div", { class: "secret-once" },
          h("p", {}, "Endpoint added. Its signing secret is shown once — copy it now:"), h("code", { id: "webhook-secret" }, r.secret)));
        App.show(again);
      } catch (e) {
        created.replaceChildren(errorBox(e));
      }
    });
    return h("section", { id: "webhooks" }, h("h2", {}, "Webhooks"), h("div", { id: "webhook-created" }),
      table([
        { title: "URL", value: (w) => h("a", { href: "#/webhooks/" + enc(w.id) }, w.url), class: "path" },
        { title: "Events", value: (w) => (w.events || []).join(", ") },
        { title: "Enabled", value: (w) => (w.enabled === false ? "no" : "yes") },
        { title: "Created", value: (w) => time(w.created_at) },
      ], list, { id: "webhook-list", empty: "No endpoint yet.", rowData: (w) => ({ id: w.id }) }), form);
  }

  async function webhook(params) {
    const id = params.id;
    const el = h("section", { id: "webhook" });
    const head = h("div", {});
    const deliveries = h("div", {});
    el.append(head, h("h3", {}, "Deliveries"), deliveries);
    async function refresh() {
      const w = await Api.get("/v1/admin/webhooks/" + enc(id));
      head.replaceChildren(h("p", {}, h("a", { href: "#/webhooks" }, "← Webhooks")), h("h2", {}, w.url),
        kv([["Id", w.id], ["Events", (w.events || []).join(", ")], ["Enabled", w.enabled === false ? "no" : "yes"], ["Created", time(w.created_at)]]),
        h("div", { class: "actions" }, h("button", { class: "danger", onclick: () => confirmThen("Delete this endpoint?", async () => {
          await Api.del("/v1/admin/webhooks/" + enc(id));
          location.hash = "#/webhooks";
        }) }, "Delete endpoint")));
      const page = await Api.get("/v1/admin/webhooks/" + enc(id) + "/deliveries?page_size=50");
      deliveries.replaceChildren(table([
        { title: "Event", value: (d) => (d.event_type || d.type || "") + " " },
        { title: "Status", value: (d) => pill(d.status) },
        { title: "Attempts", value: (d) => h("ol", { class: "attempts" }, (d.attempts || []).map((a) =>
          h("li", {}, time(a.at || a.attempted_at), " → ", a.response_status || a.status_code || a.error || "no answer",
            a.latency_ms === undefined ? "" : " (" + a.latency_ms + " ms)"))) },
        { title: "Next retry", value: (d) => time(d.next_attempt_at || d.next_retry_at) },
        { title: "", value: (d) => h("button", { class: "secondary replay", onclick: async () => {
          try {
            await Api.post("/v1/admin/webhook-deliveries/" + enc(d.id) + "/replay");
            toast("Replay queued");
            refresh();
          } catch (e) { toast(e.message, "bad"); }
        } }, "Replay") },
      ], page.data, { id: "delivery-list", empty: "No delivery yet.", rowData: (d) => ({ id: d.id, status: d.status }) }));
    }
    await refresh();
    return { el, refresh, every: 3000 };
  }

  // ------------------------------------------------------------------ connectors

  const OPS = ["list", "get", "create", "update", "delete", "incremental", "deletes"];

  async function connectors() {
    const list = await Api.get("/v1/admin/connectors");
    const upload = h("form", { class: "stack", id: "upload-form" },
      h("h3", {}, "Install a connector"),
      h("p", { class: "muted" }, "Upload a connector bundle (.jar). It is installed while the server runs and kept in deploy/."),
      h("input", { type: "file", name: "bundle", id: "bundle-file", accept: ".jar", required: true }),
      h("button", { type: "submit", id: "upload-button" }, "Upload and install"),
      h("div", { id: "upload-result" }));
    upload.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const result = upload.querySelector("#upload-result");
      result.replaceChildren(h("p", { class: "muted" }, "Installing…"));
      try {
        const r = await Api.call("POST", "/v1/admin/connectors", new FormData(upload));
        toast("Installed " + r.data.map((c) => c.name).join(", "));
        App.render();
      } catch (e) {
        result.replaceChildren(errorBox(e));
      }
    });
    return h("section", { id: "connectors" }, h("h2", {}, "Connectors"),
      table([
        { title: "System", value: (c) => c.system },
        { title: "Name", value: (c) => c.name },
        { title: "Version", value: (c) => c.version },
        { title: "Category", value: (c) => c.category },
        { title: "Credits", value: (c) => c.deployments.map((d) => d + ": " + c.credits[d]).join(", ") },
        { title: "", value: (c) => h("button", { class: "danger remove", onclick: () => confirmThen(
          "Remove the " + c.name + " connector? Its connections answer connector_unavailable until it is installed again.", async () => {
            await Api.del("/v1/admin/connectors/" + enc(c.system));
            toast("Removed " + c.name);
            App.render();
          }) }, "Remove") },
      ], list.data, { id: "connector-list", empty: "No connector is installed.", rowData: (c) => ({ system: c.system }) }),
      h("h3", {}, "Capabilities"),
      list.data.map((c) => h("details", { class: "caps" }, h("summary", {}, c.name + " (" + c.system + ")"),
        table([{ title: "Entity", value: (r) => r[0] }, ...OPS.map((op) => ({ title: op, value: (r) => (r[1][op] ? "✓" : "–"), class: "c" }))],
          Object.entries(c.capabilities), { class: "compact" }))),
      upload);
  }

  // ------------------------------------------------------------------ credits

  async function credits() {
    const [c, list] = await Promise.all([Api.get("/v1/admin/credits"), Api.all("/v1/admin/connections")]);
    const used = list.filter((x) => x.status !== "disconnected" && x.credits > 0);
    return h("section", { id: "credits" }, h("h2", {}, "Credits"),
      h("div", { class: "cards" },
        h("div", { class: "card" }, h("span", { class: "big", id: "credits-pool" }, String(c.pool)), "pool"),
        h("div", { class: "card" }, h("span", { class: "big", id: "credits-used" }, String(c.used)), "used"),
        h("div", { class: "card" }, h("span", { class: "big", id: "credits-available" }, String(c.available)), "available")),
      h("h3", {}, "Connections using credits"),
      table([
        { title: "Connection", value: (x) => h("a", { href: "#/connections/" + enc(x.id) }, x.name) },
        { title: "System", value: (x) => x.system },
        { title: "Deployment", value: (x) => x.deployment },
        { title: "Credits", value: (x) => String(x.credits) },
      ], used, { empty: "No connection uses credits." }));
  }

  return { overview, connections, connection, logs, logEntry, webhooks, webhook, connectors, credits };
})();
