// roster's pages: what every page shares. Calls roster's JSON API on this
// origin, keeps the session, shows errors. No framework, no build step.
//
// Where the session lives: the access and refresh tokens are kept in this
// tab's sessionStorage (gone when the tab closes, never sent anywhere but
// roster's own API in an Authorization header, never in a URL). The pages'
// Content-Security-Policy lets only roster's own scripts run, so nothing else
// can read them. The access token is refreshed a minute before it expires;
// signing out ends the session on the server too.
"use strict";

const roster = (() => {
  const KEY = "roster.session";
  let refreshing = null;
  let timer = null;

  class ApiError extends Error {
    constructor(status, code, message, field) {
      super(message);
      this.status = status;
      this.code = code;
      this.field = field;
    }
  }

  function load() {
    try {
      const s = JSON.parse(sessionStorage.getItem(KEY) || "null");
      return s && s.accessToken && s.refreshToken ? s : null;
    } catch (_) {
      return null;
    }
  }

  function save(tokens) {
    const s = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: Date.now() + (tokens.expiresIn || 900) * 1000,
    };
    sessionStorage.setItem(KEY, JSON.stringify(s));
    schedule(s);
  }

  function forget() {
    sessionStorage.removeItem(KEY);
    clearTimeout(timer);
  }

  // Refreshes a minute before the access token expires.
  function schedule(s) {
    clearTimeout(timer);
    if (!s) return;
    const wait = Math.max(5000, s.expiresAt - Date.now() - 60000);
    timer = setTimeout(() => refresh(), wait);
  }

  // One refresh at a time: a refresh token is good once.
  function refresh() {
    if (refreshing) return refreshing;
    const s = load();
    if (!s) return Promise.resolve(false);
    refreshing = send("user/refresh", { refreshToken: s.refreshToken }, null, false)
      .then(async (res) => {
        if (res.ok) {
          save(await res.json());
          return true;
        }
        if (res.status === 400 || res.status === 401) forget();
        return false;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  function send(path, body, query, auth) {
    const headers = { "Content-Type": "application/json" };
    const s = auth ? load() : null;
    if (s) headers.Authorization = "Bearer " + s.accessToken;
    const qs = query ? "?" + new URLSearchParams(query).toString() : "";
    return fetch("/" + path + qs, {
      method: "POST",
      headers,
      body: JSON.stringify(body || {}),
      credentials: "omit",
      cache: "no-store",
    });
  }

  // Operations anyone may call: sent without the session's token, and a
  // refusal is never retried (a wrong password must count once).
  const PUBLIC = new Set(["user/login", "user/refresh", "user/signupInfo", "user/signup", "user/forgotPassword", "user/resetPassword"]);

  // Calls one operation; answers its JSON or throws an ApiError.
  async function api(path, body, query) {
    const auth = !PUBLIC.has(path);
    const s = auth ? load() : null;
    if (s && s.expiresAt - Date.now() < 30000) await refresh();
    let res;
    try {
      res = await send(path, body, query, auth);
      if (auth && res.status === 401 && load() && (await refresh())) {
        res = await send(path, body, query, auth);
      }
    } catch (_) {
      throw new ApiError(0, "NETWORK", "roster can't be reached. Check your connection, then try again.");
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code || "INTERNAL", e.message || "Something went wrong. Try again in a moment.", e.field);
    }
    return data;
  }

  async function signOut(all) {
    try {
      await api("user/logout", all ? { all: true } : {});
    } catch (_) {
      // Signed out here whatever the server said.
    }
    forget();
    location.assign("/login");
  }

  // The signed-in person (user/info), or off to /login.
  async function me() {
    if (!load()) {
      location.replace("/login");
      return null;
    }
    try {
      const info = await api("user/info");
      showNav(info);
      return info;
    } catch (e) {
      if (e.status === 401) {
        forget();
        location.replace("/login");
        return null;
      }
      throw e;
    }
  }

  function isAdmin(info) {
    return info && (info.role === "owner" || info.role === "admin");
  }

  function showNav(info) {
    const nav = document.getElementById("nav");
    if (!nav) return;
    nav.hidden = false;
    const who = document.getElementById("who");
    if (who) who.textContent = info.email;
    for (const a of nav.querySelectorAll("a")) {
      if (a.getAttribute("href") === location.pathname) a.setAttribute("aria-current", "page");
    }
    const out = document.getElementById("sign-out");
    if (out) out.addEventListener("click", () => signOut(false));
  }

  // el("p", {class: "x"}, "text", child): builds DOM without innerHTML.
  function el(tag, props, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else if (v === true) node.setAttribute(k, "");
      else node.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }

  function when(iso) {
    if (!iso) return "never";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  function labelOf(input) {
    const l = input.labels && input.labels[0];
    return l ? l.textContent.trim().replace(/\s*\(.*\)$/, "").toLowerCase() : input.name;
  }

  function fieldError(input, message) {
    const id = input.id + "-error";
    let p = document.getElementById(id);
    if (!p) {
      p = el("p", { id, class: "error" });
      input.insertAdjacentElement("afterend", p);
    }
    p.textContent = message;
    p.hidden = false;
    input.setAttribute("aria-invalid", "true");
    const by = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!by.includes(id)) input.setAttribute("aria-describedby", [id, ...by].join(" "));
  }

  // A form's notice area: where form-wide messages go.
  function notice(form, kind, message) {
    let n = form.querySelector(":scope > .notice");
    if (!n) {
      n = el("div", { class: "notice", tabindex: "-1" });
      form.prepend(n);
    }
    n.className = "notice " + kind;
    n.setAttribute("role", kind === "bad" ? "alert" : "status");
    n.textContent = message;
    n.hidden = false;
    return n;
  }

  function clear(form) {
    for (const p of form.querySelectorAll(".error")) p.hidden = true;
    for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
    const n = form.querySelector(":scope > .notice");
    if (n) n.hidden = true;
  }

  // Checks what the browser can check before sending; shows each problem by
  // its field and focuses the first. Answers whether the form is good.
  function check(form) {
    clear(form);
    let first = null;
    for (const input of form.querySelectorAll("input, select, textarea")) {
      if (input.disabled || input.type === "hidden" || input.closest("[hidden]")) continue;
      const v = input.validity;
      let message = null;
      if (v.valueMissing) message = input.dataset.missing || "Enter your " + labelOf(input) + ".";
      else if (v.typeMismatch && input.type === "email") message = "Enter an e-mail address like name@example.com.";
      else if (v.tooShort) message = "Use at least " + input.minLength + " characters.";
      else if (v.tooLong) message = "Use at most " + input.maxLength + " characters.";
      else if (v.patternMismatch) message = input.dataset.pattern || "Check the format.";
      if (message) {
        fieldError(input, message);
        first = first || input;
      }
    }
    if (first) first.focus();
    return !first;
  }

  // Shows an API error: on its field when the form has it, else at the top.
  function fail(form, err, messages) {
    const text = (messages && messages[err.code]) || err.message;
    const input = err.field && form.querySelector('[name="' + CSS.escape(err.field) + '"]');
    if (input && !input.closest("[hidden]")) {
      fieldError(input, text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : "."));
      input.focus();
    } else {
      notice(form, "bad", text.charAt(0).toUpperCase() + text.slice(1)).focus();
    }
  }

  // Wires a form: checks it, runs `work(values)` with the button disabled,
  // shows what fails. `work` answers a success message, or nothing.
  function onSubmit(form, work, messages) {
    form.noValidate = true;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!check(form)) return;
      const values = Object.fromEntries(new FormData(form).entries());
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => (b.disabled = true));
      try {
        const ok = await work(values, form);
        if (ok) notice(form, "good", ok);
      } catch (e) {
        if (e instanceof ApiError) fail(form, e, messages);
        else throw e;
      } finally {
        buttons.forEach((b) => (b.disabled = false));
      }
    });
  }

  // The page's one alert outside forms (load failures, link states).
  function pageError(e) {
    const box = document.getElementById("page-error");
    if (!box) return;
    box.textContent = e.message || String(e);
    box.hidden = false;
    box.focus();
  }

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  return { ApiError, api, save, forget, signedIn: () => !!load(), refresh, signOut, me, isAdmin, el, when, check, fail, notice, clear, onSubmit, pageError, param, schedule: () => schedule(load()) };
})();

roster.schedule();
