// /: a signed-in person goes to /team (admins) or /account, others to /login.
"use strict";

(async () => {
  if (!roster.signedIn()) {
    location.replace("/login");
    return;
  }
  const info = await roster.me();
  if (info) location.replace(roster.isAdmin(info) ? "/team" : "/account");
})().catch(roster.pageError);
