// /reset: asks for a link (the same answer for every address), and
// /reset?token=…: chooses a new password from that link.
"use strict";

(() => {
  const { api, onSubmit, param } = roster;
  const token = param("token");
  const $ = (id) => document.getElementById(id);

  function done(title, text) {
    $("request").hidden = true;
    $("choose").hidden = true;
    $("done-title").textContent = title;
    $("done-text").textContent = text;
    $("done").hidden = false;
    $("done-title").focus();
  }

  if (token) {
    $("title").textContent = "Choose a new password";
    $("choose").hidden = false;
    $("password").focus();
  } else {
    $("request").hidden = false;
  }

  onSubmit($("request-form"), async (v) => {
    await api("user/forgotPassword", { email: v.email.trim() });
    done("Check your e-mail", "If an account uses " + v.email.trim() + ", a link to choose a new password is on its way. It works for one hour. Nothing arrived? Check the spam folder, or ask again in a few minutes.");
    return null;
  }, { RATE_LIMITED: "Too many requests. Wait a few minutes and try again." });

  onSubmit($("choose-form"), async (v) => {
    try {
      await api("user/resetPassword", { token, password: v.password });
    } catch (e) {
      if (e.code === "TOKEN_EXPIRED" || e.code === "TOKEN_INVALID") {
        const m = e.message;
        done(e.code === "TOKEN_EXPIRED" ? "This link has expired" : "This link can't be used", m.charAt(0).toUpperCase() + m.slice(1) + ". You can ask for a new link on the reset page.");
        $("done").querySelector("a").replaceWith(roster.el("a", { href: "/reset", class: "button", text: "Ask for a new link" }));
        return null;
      }
      throw e;
    }
    roster.forget();
    done("Your password is changed", "Every session of your account was signed out. Sign in with the new password.");
    return null;
  });
})();
