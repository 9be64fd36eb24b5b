// Ironbridge console: login, the hash router and page refresh. Routes:
//   #/  #/connections[?status=…]  #/connections/{id}  #/logs[?q=…]  #/logs/{request_id}
//   #/webhooks  #/webhooks/{id}  #/connectors  #/credits
"use strict";

const App = (() => {
  const { h } = Ui;
  const $ = (sel) => document.querySelector(sel);

  const ROUTES = [
    [/^\/?$/, "overview", Pages.overview],
    [/^\/connections$/, "connections", Pages.connections],
    [/^\/connections\/([^/]+)$/, "connections", Pages.connection],
    [/^\/logs$/, "logs", Pages.logs],
    [/^\/logs\/([^/]+)$/, "logs", Pages.logEntry],
    [/^\/webhooks$/, "webhooks", Pages.webhooks],
    [/^\/webhooks\/([^/]+)$/, "webhooks", Pages.webhook],
    [/^\/connectors$/, "connectors", Pages.connectors],
    [/^\/credits$/, "credits", Pages.credits],
  ];

  let timer = null;
  let generation = 0;

  function show(el) {
    $("#page").replaceChildren(el);
  }

  /** Renders the page of the current hash; a page that asks for it is refreshed every few seconds. */
  async function render() {
    const mine = ++generation;
    if (timer) clearInterval(timer);
    timer = null;
    const raw = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
    const [path, query] = raw.split("?", 2);
    const route = ROUTES.find(([re]) => re.test(path));
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("current", !!route && a.dataset.page === route[1]);
    if (!route) {
      show(h("section", {}, h("h2", {}, "Not found"), h("p", {}, "There is no page ", h("code", {}, raw), ".")));
      return;
    }
    const id = path.match(route[0])[1];
    show(h("p", { class: "muted loading" }, "Loading…"));
    Ui.clearCharts();
    try {
      const page = await route[2]({ id, query });
      if (mine !== generation) return; // the user went elsewhere meanwhile
      const el = page instanceof Node ? page : page.el;
      show(el);
      if (page.refresh) {
        timer = setInterval(async () => {
          try { await page.refresh(); } catch (e) { /* shown on the next full render */ }
        }, page.every || 3000);
      }
    } catch (e) {
      if (mine !== generation) return;
      if (e.status === 401) return; // onUnauthorized shows the login form
      show(h("section", {}, h("h2", {}, e.status === 404 ? "Not found" : "Something went wrong"), Ui.errorBox(e)));
    }
  }

  function loggedIn(yes) {
    $("#login-section").hidden = yes;
    $("#page").hidden = !yes;
    $("#nav").hidden = !yes;
    $("#logout").hidden = !yes;
    $("#who").textContent = yes ? Api.who() : "";
    if (!yes && timer) clearInterval(timer);
  }

  async function refreshHealth() {
    const pill = $("#health");
    try {
      const res = await fetch("/health/ready");
      pill.textContent = res.ok ? "ready" : "not ready";
      pill.className = "pill " + (res.ok ? "ok" : "bad");
    } catch (e) {
      pill.textContent = "unreachable";
      pill.className = "pill bad";
    }
  }

  function setupLogin() {
    let mode = "key";
    for (const tab of document.querySelectorAll(".tab")) {
      tab.addEventListener("click", () => {
        mode = tab.dataset.tab;
        for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t === tab);
        for (const d of document.querySelectorAll("#login [data-for]")) d.hidden = d.dataset.for !== mode;
      });
    }
    $("#login").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const err = $("#login-error");
      err.textContent = "";
      const credentials = mode === "key"
        ? { admin_key: $("#key").value.trim() }
        : { email: $("#email").value.trim(), password: $("#password").value };
      $("#login-button").disabled = true;
      try {
        await Api.login(credentials);
        $("#key").value = "";
        $("#password").value = "";
        loggedIn(true);
        render();
      } catch (e) {
        err.textContent = e.status === 401
          ? (mode === "key" ? "That admin key was not accepted." : "That email and password were not accepted.")
          : e.message;
      } finally {
        $("#login-button").disabled = false;
      }
    });
    $("#logout").addEventListener("click", async () => {
      await Api.logout();
      loggedIn(false);
    });
  }

  async function start() {
    Api.onUnauthorized = () => loggedIn(false);
    setupLogin();
    refreshHealth();
    setInterval(refreshHealth, 10000);
    window.addEventListener("hashchange", () => { if (!$("#page").hidden) render(); });
    try {
      await Api.session();
      loggedIn(true);
      render();
    } catch (e) {
      loggedIn(false);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
  return { render, show };
})();
