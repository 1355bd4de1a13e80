// /team: the account's people, groups, seats and audit log. Admins manage;
// everyone else sees the team read-only (what the API lets members read).
"use strict";

(() => {
  const { api, el, onSubmit, when } = roster;
  const $ = (id) => document.getElementById(id);
  const PAGE = 20;
  let me = null;
  let admin = false;
  let query = "";
  let cursor = {};
  let shown = [];
  let groups = [];
  let managed = null;

  const name = (u) => [u.first, u.last].filter(Boolean).join(" ") || "—";

  // Roles an admin may hand out: never above its own, never owner.
  function roles() {
    return me.role === "owner" ? ["admin", "user", "viewer"] : me.role === "admin" ? ["admin", "user", "viewer"] : [];
  }

  async function seats() {
    const u = await api("account/usage");
    $("plan").textContent = "Plan: " + u.plan;
    const rows = [["Admins", u.seats.admin], ["Users", u.seats.user], ["Viewers", u.seats.viewer], ["Groups", u.groups]];
    $("seats").replaceChildren(...rows.map(([k, s]) => el("tr", {}, el("th", { scope: "row", text: k }), el("td", { text: s.used }), el("td", { text: s.limit }), el("td", { text: s.remaining }))));
  }

  async function people(c) {
    cursor = c || {};
    const page = await api("user/find", query ? { query, details: true } : { details: true }, { limit: PAGE, ...cursor });
    shown = page.data;
    $("people").replaceChildren(...page.data.map(row));
    if (!page.data.length) $("people").append(el("tr", {}, el("td", { colspan: admin ? 7 : 6, text: query ? "Nobody matches “" + query + "”." : "Nobody yet." })));
    $("people-caption").textContent = query ? "People matching “" + query + "”" : "Everyone in the team, by e-mail";
    $("people-prev").hidden = !page.prev;
    $("people-next").hidden = !page.next;
    $("people-prev").onclick = () => people({ prev: page.prev }).catch(roster.pageError);
    $("people-next").onclick = () => people({ next: page.next }).catch(roster.pageError);
  }

  function row(u) {
    const state = el("span", { class: "tag " + u.state, text: u.state });
    const tags = (u.groups || []).map((g) => el("span", { class: "tag", text: g.name }));
    const cells = [
      el("td", { text: name(u) }),
      el("td", { text: u.email }),
      el("td", { text: u.role }),
      el("td", {}, state),
      el("td", { text: u.mfa ? "on" : "off" }),
      el("td", {}, tags.length ? tags : "—"),
    ];
    if (admin) {
      const label = "Manage " + (name(u) === "—" ? u.email : name(u));
      cells.push(el("td", {}, u.id === me.id ? el("span", { class: "muted", text: "you" }) : el("button", { type: "button", class: "secondary", "aria-label": label, onclick: () => manage(u), text: "Manage" })));
    }
    return el("tr", {}, cells);
  }

  async function loadGroups() {
    const page = await api("group/find", {}, { limit: 100 });
    groups = page.data;
    $("groups").replaceChildren(...groups.map((g) => {
      const acts = [el("button", { type: "button", class: "secondary", onclick: () => members(g), text: "Members", "aria-label": "Members of " + g.name })];
      if (admin) acts.push(el("button", { type: "button", class: "danger", onclick: () => removeGroup(g), text: "Delete", "aria-label": "Delete group " + g.name }));
      return el("tr", {}, el("td", { text: g.name }), el("td", { class: "hide-narrow", text: g.description || "—" }), el("td", { text: g.members }), el("td", {}, el("div", { class: "actions" }, acts)));
    }));
    if (!groups.length) $("groups").append(el("tr", {}, el("td", { colspan: 4, text: "No groups yet." })));
  }

  async function members(g) {
    const page = await api("group/members", { groupId: g.id }, { limit: 100 });
    $("members-title").textContent = "Members of " + g.name + (page.next ? " (first 100)" : "");
    $("members-list").replaceChildren(...page.data.map((u) => el("li", {}, name(u) + " <" + u.email + "> ", admin ? el("button", { type: "button", class: "link", "aria-label": "Take " + u.email + " out of " + g.name, onclick: () => unassign(u.id, g).then(() => members(g)).catch(roster.pageError), text: "take out" }) : null)));
    if (!page.data.length) $("members-list").append(el("li", { text: "No members yet." }));
    $("members").hidden = false;
    $("members-title").focus();
  }

  async function removeGroup(g) {
    if (!confirm("Delete the group " + g.name + "? Its members stay in the team.")) return;
    await api("group/remove", { id: g.id });
    $("members").hidden = true;
    await Promise.all([loadGroups(), people(cursor), seats()]);
  }

  async function unassign(userId, g) {
    await api("group/unassign", { userId, groupId: g.id });
    await Promise.all([loadGroups(), people(cursor)]);
  }

  async function audit(next) {
    const page = await api("account/audit", {}, next ? { limit: PAGE, next } : { limit: PAGE });
    const rows = page.data.map((e) => el("tr", {}, el("td", { text: when(e.at) }), el("td", { text: e.actor.email }), el("td", { text: e.action }), el("td", { text: e.target ? e.target.label : "" })));
    if (next) $("audit").append(...rows);
    else $("audit").replaceChildren(...rows);
    $("audit-more").hidden = !page.next;
    $("audit-more").onclick = () => audit(page.next).catch(roster.pageError);
  }

  // The manage dialog, for one user.
  function manage(u) {
    managed = u;
    $("manage-status").hidden = true;
    $("confirm-remove").hidden = true;
    roster.clear($("role-form"));
    roster.clear($("assign-form"));
    fillManage();
    $("manage").showModal();
    $("manage-role").focus();
  }

  function fillManage() {
    const u = managed;
    $("manage-title").textContent = "Manage " + (name(u) === "—" ? u.email : name(u));
    $("manage-email").textContent = u.email;
    $("manage-state").textContent = u.state;
    $("manage-mfa").textContent = u.mfa ? "on" : "off";
    // The owner's role, state and membership of the team are nobody's to change.
    $("manage-role").value = u.role;
    $("role-form").hidden = u.role === "owner";
    const mine = u.groups || [];
    $("manage-groups").replaceChildren(...mine.map((g) => el("li", {}, g.name + " ", el("button", { type: "button", class: "link", "aria-label": "Take out of " + g.name, onclick: () => act(() => unassign(u.id, g), "Taken out of " + g.name + "."), text: "take out" }))));
    if (!mine.length) $("manage-groups").append(el("li", { text: "In no group." }));
    const ids = new Set(mine.map((g) => g.id));
    $("assign-group").replaceChildren(el("option", { value: "", text: "Choose a group" }), ...groups.filter((g) => !ids.has(g.id)).map((g) => el("option", { value: g.id, text: g.name })));
    const acts = [];
    if (u.state === "pending") acts.push(["Resend invite", "secondary", () => api("user/resendInvite", { id: u.id }), "A new invite is on its way; the old link no longer works."]);
    if (u.state === "active" && u.role !== "owner") acts.push(["Disable", "secondary", () => api("user/update", { id: u.id, state: "disabled" }), "Disabled and signed out everywhere."]);
    if (u.state === "disabled") acts.push(["Enable", "secondary", () => api("user/update", { id: u.id, state: "active" }), "Enabled: they can sign in again."]);
    if (u.mfa) acts.push(["Reset two-step sign-in", "secondary", () => api("user/resetMfa", { id: u.id }), "Two-step sign-in is off for them, and they were signed out."]);
    if (u.role !== "owner") acts.push(["Remove from team…", "danger", null, null]);
    $("manage-actions").replaceChildren(...acts.map(([text, cls, run, done]) => el("button", { type: "button", class: cls, text, onclick: () => (run ? act(run, done) : askRemove()) })));
  }

  function status(kind, text) {
    const s = $("manage-status");
    s.className = "notice " + kind;
    s.setAttribute("role", kind === "bad" ? "alert" : "status");
    s.textContent = text;
    s.hidden = false;
    s.focus();
  }

  // Runs an action on the managed user, then shows it again as it now is.
  async function act(run, done) {
    try {
      await run();
      await Promise.all([people(cursor), loadGroups(), seats()]);
      const fresh = shown.find((x) => x.id === managed.id);
      if (fresh) managed = fresh;
      fillManage();
      status("good", done);
    } catch (e) {
      if (!(e instanceof roster.ApiError)) throw e;
      status("bad", e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".");
    }
  }

  function askRemove() {
    $("confirm-text").textContent = "Remove " + managed.email + " from the team? They are signed out at once, their seat is freed and they leave every group. This can't be undone.";
    $("confirm-remove").hidden = false;
    $("remove-no").focus();
  }

  $("remove-no").addEventListener("click", () => {
    $("confirm-remove").hidden = true;
    $("manage-title").focus();
  });

  $("remove-yes").addEventListener("click", async () => {
    try {
      await api("user/remove", { id: managed.id });
      $("manage").close();
      await Promise.all([people(cursor), loadGroups(), seats(), audit()]);
      $("people-title").focus();
    } catch (e) {
      if (!(e instanceof roster.ApiError)) throw e;
      $("confirm-remove").hidden = true;
      status("bad", e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".");
    }
  });

  $("manage-close").addEventListener("click", () => $("manage").close());
  $("manage").addEventListener("close", () => audit().catch(roster.pageError));

  onSubmit($("role-form"), async (v) => {
    await act(() => api("user/updateRole", { id: managed.id, role: v.role }), "Role changed to " + v.role + ".");
    return null;
  });

  onSubmit($("assign-form"), async (v) => {
    const g = groups.find((x) => x.id === v.groupId);
    await act(() => api("group/assign", { assignments: [{ userId: managed.id, groupId: v.groupId }] }), "Added to " + (g ? g.name : "the group") + ".");
    return null;
  });

  onSubmit($("invite-form"), async (v, form) => {
    const body = { email: v.email.trim(), role: v.role };
    if (v.first.trim()) body.first = v.first.trim();
    if (v.last.trim()) body.last = v.last.trim();
    const user = await api("user/invite", body);
    form.reset();
    $("invite-url").value = user.inviteUrl;
    $("invite-link").hidden = false;
    await Promise.all([people(cursor), seats(), audit()]);
    return "Invited " + user.email + ". They'll get an e-mail with a link to join.";
  }, { LIMIT_REACHED: "Your plan has no seat left for this role. Remove someone or choose another role." });

  onSubmit($("search-form"), async (v) => {
    query = v.query.trim();
    await people({});
    return null;
  });

  onSubmit($("group-form"), async (v, form) => {
    const body = { name: v.name.trim() };
    if (v.description.trim()) body.description = v.description.trim();
    const g = await api("group/create", body);
    form.reset();
    await Promise.all([loadGroups(), seats()]);
    return "Created the group " + g.name + ".";
  });

  async function start() {
    me = await roster.me();
    if (!me) return;
    admin = roster.isAdmin(me);
    $("title").textContent = "Team: " + me.accountName;
    for (const s of document.querySelectorAll(".role-select")) s.replaceChildren(...roles().map((r) => el("option", { value: r, text: r })));
    $("manage-role").append(el("option", { value: "owner", text: "owner", disabled: true }));
    for (const a of document.querySelectorAll(".admin-only")) a.hidden = !admin;
    $("read-only").hidden = admin;
    await Promise.all([seats(), people({}), loadGroups(), admin ? audit() : null]);
    $("content").hidden = false;
  }

  start().catch(roster.pageError);
})();
