// /account: one's name, password, two-step sign-in (MFA) and sessions.
"use strict";

(() => {
  const { api, onSubmit, el } = roster;
  const $ = (id) => document.getElementById(id);
  let info = null;
  let codes = [];

  const codeMessages = {
    UNAUTHENTICATED: "That code didn't work. Enter the newest code from your app.",
    INVALID: "That code didn't work. Enter the newest code from your app.",
  };

  function mfaView(which) {
    for (const id of ["mfa-off", "mfa-enrol", "mfa-codes", "mfa-on"]) $(id).hidden = id !== which;
  }

  function showMfa() {
    if (info.mfa) {
      const left = info.recoveryCodesLeft;
      $("codes-left").textContent = left === 1 ? "1 recovery code left." : left + " recovery codes left.";
      mfaView("mfa-on");
    } else {
      mfaView("mfa-off");
    }
  }

  function showCodes(list) {
    codes = list;
    $("codes-list").replaceChildren(...list.map((c) => el("li", { text: c })));
    $("codes-status").textContent = "";
    mfaView("mfa-codes");
    $("mfa-title").focus();
  }

  async function start() {
    info = await roster.me();
    if (!info) return;
    $("email").textContent = info.email;
    $("account-name").textContent = info.accountName;
    $("role").textContent = info.role;
    $("first").value = info.first;
    $("last").value = info.last;
    showMfa();
    $("content").hidden = false;
  }

  onSubmit($("profile-form"), async (v) => {
    const user = await api("user/update", { first: v.first.trim(), last: v.last.trim() });
    info.first = user.first;
    info.last = user.last;
    return "Your name is saved.";
  });

  onSubmit($("password-form"), async (v, form) => {
    await api("user/changePassword", { currentPassword: v.currentPassword, password: v.password });
    form.reset();
    return "Your password is changed.";
  }, { UNAUTHENTICATED: "Your current password is not right." });

  $("mfa-start").addEventListener("click", async () => {
    try {
      const s = await api("user/mfaSecret");
      const svg = new DOMParser().parseFromString(s.qrSvg, "image/svg+xml").documentElement;
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "QR code to add roster to your authenticator app");
      $("mfa-qr").replaceChildren(document.importNode(svg, true));
      $("mfa-secret").textContent = s.secret.replace(/(.{4})/g, "$1 ").trim();
      mfaView("mfa-enrol");
      $("enable-code").focus();
    } catch (e) {
      roster.pageError(e);
    }
  });

  $("mfa-cancel").addEventListener("click", () => {
    showMfa();
    $("mfa-start").focus();
  });

  onSubmit($("mfa-enable-form"), async (v, form) => {
    const res = await api("user/setMfa", { enabled: true, code: v.code.replace(/\s/g, "") });
    form.reset();
    info.mfa = true;
    info.recoveryCodesLeft = res.recoveryCodes.length;
    showCodes(res.recoveryCodes);
    return null;
  }, codeMessages);

  onSubmit($("mfa-regenerate-form"), async (v, form) => {
    const res = await api("user/regenerateRecoveryCodes", { code: v.code.replace(/\s/g, "") });
    form.reset();
    info.recoveryCodesLeft = res.recoveryCodes.length;
    showCodes(res.recoveryCodes);
    return null;
  }, codeMessages);

  onSubmit($("mfa-disable-form"), async (v, form) => {
    await api("user/setMfa", { enabled: false, code: v.code.replace(/\s/g, "") });
    form.reset();
    info.mfa = false;
    showMfa();
    $("mfa-title").focus();
    return null;
  }, codeMessages);

  $("codes-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      $("codes-status").textContent = "Copied.";
    } catch (_) {
      const range = document.createRange();
      range.selectNodeContents($("codes-list"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      $("codes-status").textContent = "Your browser didn't let the page copy: the codes are selected, press Ctrl+C (or ⌘C) to copy them.";
    }
  });

  $("codes-download").addEventListener("click", () => {
    const text = "roster recovery codes for " + info.email + "\nEach code works once.\n\n" + codes.join("\n") + "\n";
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = el("a", { href: url, download: "roster-recovery-codes.txt" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    $("codes-status").textContent = "Downloaded roster-recovery-codes.txt.";
  });

  $("codes-done").addEventListener("click", () => {
    codes = [];
    $("codes-list").replaceChildren();
    showMfa();
    $("mfa-title").focus();
  });

  $("logout-here").addEventListener("click", () => roster.signOut(false));
  $("logout-all").addEventListener("click", () => roster.signOut(true));

  start().catch(roster.pageError);
})();
