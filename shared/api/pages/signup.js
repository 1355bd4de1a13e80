// /signup?token=…: reads the invite (user/signupInfo never spends it, so a
// mail scanner opening the link harms nothing), then signs up and in at once
// (user/login {invite, …}). Finishes an open registration the same way.
"use strict";

(() => {
  const { api, save, onSubmit, param, when } = roster;
  const token = param("token");
  const $ = (id) => document.getElementById(id);

  // What a link that doesn't work says, by the API's error code.
  function linkState(code, message) {
    $("loading").hidden = true;
    $("join").hidden = true;
    const titles = {
      TOKEN_EXPIRED: "This link has expired",
      TOKEN_INVALID: "This link can't be used",
      MISSING: "This page needs the link from your e-mail",
    };
    $("state-title").textContent = titles[code] || "This link can't be used right now";
    $("state-text").textContent = message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");
    const next = $("state-next");
    next.replaceChildren();
    if (code === "TOKEN_EXPIRED") next.textContent = "Ask an admin of your team to send you a new invite.";
    if (code === "TOKEN_INVALID") next.append("Already joined? ", roster.el("a", { href: "/login", text: "Sign in" }), ".");
    $("link-state").hidden = false;
    $("state-title").focus();
  }

  async function start() {
    if (!token) {
      linkState("MISSING", "open the link from your invite e-mail; it carries the code this page needs");
      return;
    }
    let info;
    try {
      info = await api("user/signupInfo", { token });
    } catch (e) {
      linkState(e.code, e.message);
      return;
    }
    const owner = info.role === "owner";
    $("title").textContent = owner ? "Create " + info.accountName : "Join " + info.accountName;
    document.title = $("title").textContent + " · roster";
    $("account-label").textContent = owner ? "New account" : "Team";
    $("account-name").textContent = info.accountName;
    $("invite-email").textContent = info.email;
    $("invite-role").textContent = info.role;
    $("invite-expires").textContent = when(info.expires);
    $("first").value = info.first || "";
    $("last").value = info.last || "";
    $("join-button").textContent = owner ? "Create account and sign in" : "Join and sign in";
    $("loading").hidden = true;
    $("join").hidden = false;
    $("first").focus();
  }

  onSubmit($("signup-form"), async (v) => {
    let tokens;
    try {
      tokens = await api("user/login", { invite: token, password: v.password, first: v.first.trim(), last: v.last.trim() });
    } catch (e) {
      if (e.code === "TOKEN_EXPIRED" || e.code === "TOKEN_INVALID") {
        linkState(e.code, e.message);
        return null;
      }
      throw e;
    }
    save(tokens);
    location.assign("/account");
    return null;
  }, { LIMIT_REACHED: "Your team has no seat left for this role. Ask an admin of your team to free one or change your role." });

  start().catch(roster.pageError);
})();
