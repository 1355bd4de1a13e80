// /docs: the OpenAPI document (/openapi.json) as a person reads it: the
// operations grouped by resource, who may call each, its parameters, body
// and answers with their examples, the error codes, and the objects. Built
// with the shared `el` (no innerHTML): the document is data, never markup.
"use strict";

(async () => {
  const { el } = roster;
  const $ = (id) => document.getElementById(id);
  let doc;
  try {
    const answer = await fetch("/openapi.json", { headers: { accept: "application/json" } });
    if (!answer.ok) throw new Error(`the document answered ${answer.status}`);
    doc = await answer.json();
  } catch (e) {
    $("loading").hidden = true;
    roster.pageError(e);
    return;
  }
  const schemas = (doc.components && doc.components.schemas) || {};
  const name = (ref) => ref.replace("#/components/schemas/", "");
  const resolve = (s) => (s && s.$ref ? schemas[name(s.$ref)] || {} : s || {});
  const anchor = (kind, id) => `${kind}-${id.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const code = (text) => el("code", { text });

  // "`code` and text" → text with <code>; "- item" lines → a list.
  function prose(text) {
    const out = [];
    let list = null;
    for (const line of String(text || "").split("\n")) {
      const item = line.match(/^- (.*)$/);
      if (item) {
        if (!list) out.push((list = el("ul")));
        list.append(el("li", {}, inline(item[1])));
        continue;
      }
      list = null;
      if (line.trim()) out.push(el("p", {}, inline(line)));
    }
    return out;
  }

  function inline(text) {
    return String(text).split(/(`[^`]*`)/).map((part) =>
      part.startsWith("`") && part.endsWith("`") && part.length > 1 ? code(part.slice(1, -1)) : part,
    );
  }

  // What a schema is, in a few words, with links to the named objects.
  function kind(s) {
    if (!s || typeof s !== "object") return ["anything"];
    if (s.$ref) {
      const n = name(s.$ref);
      const target = schemas[n] || {};
      if (!target.properties && !target.anyOf && !target.oneOf) return kind({ ...target, $ref: undefined });
      return [el("a", { href: `#${anchor("schema", n)}`, text: n })];
    }
    const alternatives = s.anyOf || s.oneOf;
    if (alternatives) {
      const parts = alternatives.filter((a) => a.type !== "null");
      const out = [];
      parts.forEach((a, i) => out.push(...(i ? [" or "] : []), ...kind(a)));
      if (parts.length < alternatives.length) out.push(" or null");
      return out.length ? out : ["anything"];
    }
    if (s.allOf && s.allOf.length === 1) return kind(s.allOf[0]);
    if ("const" in s) return [code(JSON.stringify(s.const))];
    if (s.enum) return ["one of ", ...s.enum.flatMap((v, i) => [i ? ", " : "", code(JSON.stringify(v))])];
    const type = Array.isArray(s.type) ? s.type.filter((t) => t !== "null").join(" or ") : s.type;
    if (type === "array") return ["a list of ", ...kind(s.items)];
    if (!type) return s.description ? ["anything (see its description)"] : ["anything"];
    return [type + (s.format ? ` (${s.format})` : "")];
  }

  // Bounds and patterns, as a reader wants them.
  function limits(s) {
    s = resolve(s);
    const out = [];
    if (s.minLength !== undefined) out.push(`at least ${s.minLength} characters`);
    if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
    if (s.minimum !== undefined) out.push(`from ${s.minimum}`);
    if (s.maximum !== undefined) out.push(`to ${s.maximum}`);
    if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
    if (s.maxProperties !== undefined) out.push(`at most ${s.maxProperties} entries`);
    return out.join(", ");
  }

  function fieldsTable(s, caption) {
    s = resolve(s);
    const props = s.properties;
    if (!props) return null;
    const required = new Set(s.required || []);
    const rows = Object.entries(props).map(([field, p]) => {
      const about = resolve(p);
      const note = [p.description || about.description, limits(p)].filter(Boolean).join(" — ");
      return el("tr", {},
        el("th", { scope: "row" }, code(field)),
        el("td", {}, kind(p)),
        el("td", { text: required.has(field) ? "yes" : "no" }),
        el("td", {}, note ? inline(note) : ""),
      );
    });
    return el("div", { class: "table-wrap" }, el("table", {},
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, el("tr", {}, ["Field", "Type", "Required", "Notes"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, rows),
    ));
  }

  // A body or answer: its object's fields (each form's, for a choice of
  // forms), and its example.
  function body(content, caption) {
    const out = [];
    for (const [media, c] of Object.entries(content || {})) {
      const s = resolve(c.schema);
      const forms = s.anyOf && s.anyOf.every((f) => resolve(f).type === "object") ? s.anyOf : null;
      out.push(el("p", {}, media, ": ", kind(c.schema)));
      if (forms) {
        out.push(el("p", { text: "One of these forms:" }));
        forms.forEach((f) => {
          out.push(el("h5", {}, kind(f)));
          out.push(fieldsTable(f) || el("p", { text: "{}: no fields." }));
        });
      } else {
        out.push(fieldsTable(c.schema, caption));
      }
      if (c.example !== undefined) {
        out.push(el("p", { class: "label", text: "Example" }));
        out.push(el("pre", { tabindex: "0" }, el("code", { text: typeof c.example === "string" ? c.example : JSON.stringify(c.example, null, 2) })));
      }
    }
    return out;
  }

  // Which codes an error answer carries (its schema holds `code` to them).
  function errorCodes(response) {
    const s = response.content && response.content["application/json"] && response.content["application/json"].schema;
    if (!s || !s.properties) return [];
    const inner = s.properties.error ? s.properties.error.properties.code : s.properties.errorCode;
    return (inner && inner.enum) || [];
  }

  function security(op) {
    const req = op.security || doc.security || [];
    if (!req.length) return "none: anyone may call";
    return req.map((r) => Object.keys(r).map((k) => (k === "bearer" ? "Authorization: Bearer <access token>" : "?token=<access token>")).join(" and ")).join(", or ");
  }

  function operation(path, method, op) {
    const id = op.operationId || `${method}-${path}`;
    const section = el("section", { class: "card op", id: anchor("op", id), "aria-labelledby": anchor("h", id) });
    section.append(el("h3", { id: anchor("h", id) }, el("span", { class: "method", text: method.toUpperCase() }), code(path)));
    section.append(el("p", { text: op.summary || "" }));
    section.append(el("dl", { class: "facts" },
      el("dt", { text: "Who may call" }), el("dd", { text: op["x-roster-access"] || (op["x-roster-uses"] ? `as roster's ${op["x-roster-uses"]}` : "") }),
      el("dt", { text: "Credentials" }), el("dd", { text: security(op) }),
    ));
    section.append(...prose(op.description));
    if (op.parameters && op.parameters.length) {
      section.append(el("h4", { text: "Query parameters" }));
      section.append(fieldsTable({
        properties: Object.fromEntries(op.parameters.map((p) => [p.name, { ...p.schema, description: p.description }])),
        required: op.parameters.filter((p) => p.required).map((p) => p.name),
      }));
    }
    if (op.requestBody) {
      section.append(el("h4", { text: op.requestBody.required ? "Body" : "Body (may be left out)" }));
      section.append(...body(op.requestBody.content));
    }
    section.append(el("h4", { text: "Answers" }));
    const errors = el("ul");
    for (const [status, response] of Object.entries(op.responses || {})) {
      if (status.startsWith("2")) {
        section.append(el("h5", { text: `${status}: ${response.description || ""}` }));
        section.append(...(response.content ? body(response.content) : [el("p", { text: "No body." })]));
      } else {
        const codes = errorCodes(response);
        errors.append(el("li", {}, el("strong", { text: status }), " ", codes.flatMap((c, i) => [i ? ", " : "", code(c)]), codes.length ? " — " : "", inline(response.description || "")));
      }
    }
    if (errors.children.length) section.append(el("p", { class: "label", text: "Errors" }), errors);
    return section;
  }

  $("about").append(...prose(doc.info.description));
  $("version").textContent = doc.info.version;
  for (const [id, scheme] of Object.entries(doc.components.securitySchemes || {})) {
    $("schemes").append(el("dt", {}, code(id)), el("dd", {}, inline(scheme.description || "")));
  }
  for (const [schema, title] of [["ErrorCode", "roster's codes"], ["CompatErrorCode", "The replaced APIs' codes"]]) {
    const codes = (schemas[schema] || {})["x-roster-codes"] || [];
    $("errors").append(el("h3", { text: title }), el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["Code", "Status", "Meaning"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, codes.map((c) => el("tr", {}, el("th", { scope: "row" }, code(c.code)), el("td", { text: String(c.status) }), el("td", {}, inline(c.meaning))))),
    )));
  }
  $("errors").prepend(...prose("An error is its HTTP status and `{\"error\": {\"code\", \"message\", \"field\"}}` (`field` when one input is at fault). The replaced APIs answer `{\"errorCode\", \"message\", \"errors\"}`, and a refused rule there is status 499 with its code in the `error-code` header. Each operation lists the codes it can answer."));

  // Operations by tag, in the document's tag order.
  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const t = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(t)) byTag.set(t, { tag: { name: t }, ops: [] });
      byTag.get(t).ops.push([path, method, op]);
    }
  }
  for (const { tag, ops } of byTag.values()) {
    if (!ops.length) continue;
    const group = el("section", { "aria-labelledby": anchor("tag", tag.name) },
      el("h2", { id: anchor("tag", tag.name), text: tag.name }), ...prose(tag.description));
    $("toc").append(el("h3", {}, el("a", { href: `#${anchor("tag", tag.name)}`, text: tag.name })),
      el("ul", {}, ops.map(([path, method, op]) => el("li", {},
        el("a", { href: `#${anchor("op", op.operationId || `${method}-${path}`)}` }, method.toUpperCase(), " ", path)))));
    for (const [path, method, op] of ops) group.append(operation(path, method, op));
    $("operations").append(group);
  }

  for (const [n, s] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
    if (!s.properties && !s.anyOf && !s.oneOf) continue;
    $("schemas").append(el("h3", { id: anchor("schema", n), text: n }), ...prose(s.description));
    const table = fieldsTable(s);
    $("schemas").append(table || el("p", {}, kind({ ...s, description: undefined })));
  }

  $("loading").hidden = true;
  $("content").hidden = false;
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
})();
