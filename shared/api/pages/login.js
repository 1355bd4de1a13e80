// /login: e-mail and password, then the MFA step when the account has it.
"use strict";

(() => {
  const { api, save, onSubmit } = roster;
  let session = null;
  let recovery = false;

  const passwordMessages = {
    UNAUTHENTICATED: "That e-mail and password don't match. Check both and try again, or reset your password.",
    RATE_LIMITED: "Too many attempts. Wait a few minutes and try again, or reset your password.",
    FORBIDDEN: "This account is disabled. Ask an admin of your team to turn it back on.",
  };
  const codeMessages = {
    UNAUTHENTICATED: "That code didn't work. Enter the newest code from your app or an unused recovery code. If it keeps failing, reload this page and sign in again.",
    RATE_LIMITED: "Too many attempts. Wait a few minutes, then sign in again.",
    FORBIDDEN: "This account is disabled. Ask an admin of your team to turn it back on.",
  };

  function signedIn(tokens) {
    save(tokens);
    const admin = tokens.user && (tokens.user.role === "owner" || tokens.user.role === "admin");
    location.assign(admin ? "/team" : "/account");
  }

  onSubmit(document.getElementById("login-form"), async (v) => {
    const res = await api("user/login", { email: v.email.trim(), password: v.password });
    if (res.challenge === "MFA") {
      session = res.session;
      document.getElementById("password-step").hidden = true;
      document.getElementById("mfa-step").hidden = false;
      document.getElementById("code").focus();
      return null;
    }
    signedIn(res);
    return null;
  }, passwordMessages);

  const toggle = document.getElementById("use-recovery");
  toggle.addEventListener("click", () => {
    recovery = !recovery;
    document.getElementById("totp-field").hidden = recovery;
    document.getElementById("recovery-field").hidden = !recovery;
    toggle.textContent = recovery ? "Use a code from the app" : "Use a recovery code";
    roster.clear(document.getElementById("mfa-form"));
    document.getElementById(recovery ? "recovery" : "code").focus();
  });

  onSubmit(document.getElementById("mfa-form"), async (v) => {
    const code = recovery ? v.recovery.trim() : v.code.replace(/\s/g, "");
    signedIn(await api("user/login", { session, code }));
    return null;
  }, codeMessages);
})();
