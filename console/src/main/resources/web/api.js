// Ironbridge console: the admin API client. The console talks to nothing else.
//
// Login creates a server-side console session (POST /v1/console/session, with an admin key or a console user's
// email and password): the server sets an HttpOnly, SameSite=Strict cookie, and answers a CSRF token that this page
// keeps in memory and sends as X-CSRF-Token on every unsafe request (after a reload, GET /v1/console/session gives it
// again). Neither the key nor the password is kept.
"use strict";

const Api = (() => {
  let csrf = null;
  let who = "";

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || "HTTP " + status);
      this.status = status;
      this.code = body && body.code;
      this.requestId = body && body.request_id;
      this.errors = (body && body.errors) || [];
    }
  }

  /** Calls the API; resolves to the parsed JSON body (or null for 204), rejects with an ApiError. */
  async function call(method, path, body, opts = {}) {
    const headers = { Accept: "application/json" };
    if (csrf && method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text }; }
    if (res.status === 403 && json && json.code === "csrf_token_invalid" && !opts.retried) {
      // the session was renewed elsewhere (another tab logged in again): take its token and retry once
      await session();
      return call(method, path, body, { ...opts, retried: true });
    }
    if (!res.ok) {
      const err = new ApiError(res.status, json);
      if (res.status === 401 && !opts.noLogout && Api.onUnauthorized) Api.onUnauthorized(err);
      throw err;
    }
    return json;
  }

  /** Every page of a cursor-paged list, up to a limit. */
  async function all(path, limit = 5000) {
    const out = [];
    let cursor = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page = await call("GET", path + sep + "page_size=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      out.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor && out.length < limit);
    return out;
  }

  function remember(s) {
    csrf = s.csrf_token;
    who = (s.user ? s.user.email : "admin key") + " · " + s.organization_id;
    return s;
  }

  async function login(credentials) {
    return remember(await call("POST", "/v1/console/session", credentials, { noLogout: true }));
  }

  async function session() {
    return remember(await call("GET", "/v1/console/session", undefined, { noLogout: true, retried: true }));
  }

  async function logout() {
    try { await call("DELETE", "/v1/console/session", undefined, { noLogout: true }); } catch (e) { /* already gone */ }
    csrf = null;
    who = "";
  }

  return {
    ApiError, call, all, login, logout, session,
    who: () => who,
    get: (p) => call("GET", p),
    post: (p, b) => call("POST", p, b === undefined ? {} : b),
    patch: (p, b) => call("PATCH", p, b),
    del: (p) => call("DELETE", p),
    onUnauthorized: null,
  };
})();
