// Ironbridge console: talks only to the HTTP API. The admin key lives in sessionStorage (this tab only).
"use strict";

const $ = (sel) => document.querySelector(sel);
const KEY = "ironbridge.adminKey";

async function api(path) {
  const key = sessionStorage.getItem(KEY);
  const res = await fetch(path, { headers: key ? { Authorization: "Bearer " + key } : {} });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.detail || res.statusText);
    err.status = res.status;
    err.code = body.code;
    throw err;
  }
  return body;
}

async function refreshHealth() {
  const pill = $("#health");
  try {
    await api("/health/ready");
    pill.textContent = "ready";
    pill.className = "pill ok";
    pill.title = "The database is reachable and the core services are active";
  } catch (e) {
    pill.textContent = "not ready";
    pill.className = "pill bad";
    pill.title = e.message;
  }
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function refreshConnectors() {
  const body = await api("/v1/admin/connectors");
  const tbody = $("#connectors tbody");
  tbody.replaceChildren();
  for (const c of body.data) {
    const tr = document.createElement("tr");
    tr.dataset.system = c.system;
    tr.append(
      cell(c.system),
      cell(c.name),
      cell(c.category),
      cell(c.version),
      cell(c.deployments.map((d) => `${d} (${c.credits[d]})`).join(", ")),
      cell(Object.keys(c.capabilities).join(", "))
    );
    tbody.append(tr);
  }
}

function showLoggedIn(yes) {
  $("#login-section").hidden = yes;
  $("#connectors-section").hidden = !yes;
  $("#logout").hidden = !yes;
}

async function tryLogin() {
  try {
    await refreshConnectors();
    showLoggedIn(true);
    $("#login-error").textContent = "";
  } catch (e) {
    sessionStorage.removeItem(KEY);
    showLoggedIn(false);
    if (e.status === 401) {
      $("#login-error").textContent = "That admin key was not accepted.";
    } else {
      $("#login-error").textContent = e.message;
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#login").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $("#key").value.trim());
    $("#key").value = "";
    tryLogin();
  });
  $("#logout").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    showLoggedIn(false);
  });
  refreshHealth();
  setInterval(refreshHealth, 5000);
  setInterval(() => { if (sessionStorage.getItem(KEY)) refreshConnectors().catch(() => {}); }, 3000);
  if (sessionStorage.getItem(KEY)) tryLogin();
});
