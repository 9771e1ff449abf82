// The clerk's page: sends the report to /v1/reports/parse and draws the answer.
// Plain JavaScript, no build step; every label of the tables comes from the server.
"use strict";

const SEVERITIES = [
  { key: "error", name: "错误" },
  { key: "warning", name: "警告" },
  { key: "info", name: "提示" },
];
const TEMPLATE_NAMES = { "2021": "2021 年格式（国办公开办函〔2021〕30号）",
  "2019": "2019 年试行格式（〔2019〕60号）", unknown: "未能识别的格式" };
let labelsPromise = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function labels() {
  labelsPromise = labelsPromise || fetch("/static/labels.json").then((r) => r.json());
  return labelsPromise;
}

function cellId(table, row, column) {
  return ["cell", table, row, column].filter((x) => x).join("--");
}

// ---------------------------------------------------------------- request
async function reportPart(form) {
  const file = form.querySelector("#report-file").files[0];
  if (file) return { blob: file, name: file.name, text: await textOf(file) };
  const text = form.querySelector("#report-text").value;
  if (!text.trim()) return null;
  return { blob: new Blob([text], { type: "text/plain;charset=utf-8" }), name: "report.txt", text };
}

async function textOf(file) {
  // Only plain text is shown with line numbers; other files are read by the server.
  if (!/\.(txt|text|md)$/i.test(file.name) && file.type !== "text/plain") return null;
  try { return await file.text(); } catch (e) { return null; }
}

async function send(form) {
  const report = await reportPart(form);
  if (!report) throw new Error("请粘贴报告全文，或选择一个报告文件。");
  const body = new FormData();
  body.append("file", report.blob, report.name);
  const previous = form.querySelector("#previous-file").files[0];
  if (previous) body.append("previous", previous, previous.name);
  const headers = {};
  const key = form.querySelector("#api-key").value.trim();
  if (key) headers["X-API-Key"] = key;
  const response = await fetch("/v1/reports/parse", { method: "POST", body, headers });
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const what = answer && (answer.title + (answer.detail ? "：" + answer.detail : ""));
    throw new Error(what || "服务返回错误 " + response.status);
  }
  return { answer, text: report.text };
}

// ---------------------------------------------------------------- verdict
function verdict(answer) {
  const s = answer.summary;
  const m = answer.meta || {};
  const box = document.getElementById("verdict");
  box.className = s.valid ? "verdict valid" : "verdict invalid";
  box.replaceChildren(
    el("p", { class: "verdict-line", text: s.valid ? "✓ 通过：未发现错误" : `✗ 不通过：发现 ${s.errors} 个错误` }),
    el("p", { text: `${s.warnings} 个警告，${s.infos} 个提示。` +
      [m.agency, m.year ? m.year + " 年度" : null].filter((x) => x).join(" ") +
      "，" + (TEMPLATE_NAMES[answer.template] || answer.template) + "。" }),
  );
}

// ---------------------------------------------------------------- tables
function columnGroups(rows) {
  // Consecutive rows with the same columns share one header (表二 has four such groups).
  const groups = [];
  for (const row of rows) {
    const keys = Object.keys(row.values);
    const last = groups[groups.length - 1];
    if (last && last.keys.join() === keys.join()) last.rows.push(row);
    else groups.push({ keys, rows: [row] });
  }
  return groups;
}

function drawTable(key, name, table, columns, byPlace) {
  const t = el("table", { id: "table-" + key, tabindex: -1 });
  t.append(el("caption", { text: name }));
  const width = Math.max(...table.rows.map((r) => Object.keys(r.values).length)) + 1;
  for (const group of columnGroups(table.rows)) {
    const head = el("tr", { class: "head" }, el("th", { scope: "col", text: "项目" }));
    for (const k of group.keys) head.append(el("th", { scope: "col", text: (columns || {})[k] || k }));
    for (let k = group.keys.length + 1; k < width; k++) head.append(el("td", { class: "pad", "aria-hidden": "true" }));
    t.append(el("thead", {}, head));
    const body = el("tbody");
    for (const row of group.rows) drawRow(body, key, row, group.keys, width, byPlace);
    t.append(body);
  }
  return el("section", { class: "table-wrap", "aria-label": name }, t);
}

function drawRow(body, table, row, keys, width, byPlace) {
  const rowIssues = byPlace.get(cellId(table, row.key)) || [];
  const th = el("th", { scope: "row", id: cellId(table, row.key), tabindex: -1, text: row.label });
  const tr = el("tr", {}, th);
  const notes = [...rowIssues];
  mark(th, rowIssues);
  for (const k of keys) {
    const v = row.values[k];
    const id = cellId(table, row.key, k);
    const td = el("td", { id, tabindex: -1, class: v === null ? "blank" : null, text: v === null ? "空白" : String(v) });
    const here = byPlace.get(id) || [];
    mark(td, here);
    notes.push(...here);
    tr.append(td);
  }
  // Rows with fewer columns than the table's widest group keep the grid closed.
  for (let k = keys.length + 1; k < width; k++) tr.append(el("td", { class: "pad", "aria-hidden": "true" }));
  body.append(tr);
  if (notes.length) body.append(noteRow(notes, width));
}

function mark(cell, issues) {
  if (!issues.length) return;
  const worst = SEVERITIES.find((s) => issues.some((i) => i.severity === s.key)).key;
  cell.classList.add("flag", "flag-" + worst);
  cell.setAttribute("aria-describedby", issues.map((i) => "note-" + i.n).join(" "));
  for (const i of issues) cell.append(el("sup", { class: "badge", text: i.n }));
}

function noteRow(issues, width) {
  const td = el("td", { colspan: width });
  for (const i of issues) {
    td.append(el("p", { id: "note-" + i.n, class: "note note-" + i.severity },
      el("span", { class: "badge", text: i.n }), " " + i.message));
  }
  return el("tr", { class: "notes" }, td);
}

// ---------------------------------------------------------------- findings
function place(issue) {
  const l = issue.location || {};
  if (l.table && l.row) {
    const cell = document.getElementById(cellId(l.table, l.row, l.column));
    if (cell) return cell;
    const row = document.getElementById(cellId(l.table, l.row));
    if (row) return row;
  }
  if (l.table && document.getElementById("table-" + l.table)) return document.getElementById("table-" + l.table);
  if (l.line) return document.getElementById("line-" + l.line);
  return null;
}

function where(issue) {
  const l = issue.location || {};
  return [l.page ? `第${l.page}页` : null, l.line ? `第${l.line}行` : null, l.cell].filter((x) => x).join(" ");
}

function findingsList(issues) {
  const box = document.getElementById("findings-list");
  box.replaceChildren();
  if (!issues.length) box.append(el("p", { text: "没有发现问题。" }));
  for (const sev of SEVERITIES) {
    const mine = issues.filter((i) => i.severity === sev.key);
    if (!mine.length) continue;
    const list = el("ol", { class: "findings" });
    for (const issue of mine) list.append(el("li", {}, findingButton(issue)));
    box.append(el("section", { class: "group group-" + sev.key, "aria-label": sev.name },
      el("h4", { text: `${sev.name}（${mine.length}）` }), list));
  }
}

function findingButton(issue) {
  const target = place(issue);
  const button = el("button", { type: "button", class: "finding", "data-code": issue.code,
    "aria-disabled": target ? null : "true" },
  el("span", { class: "badge", text: issue.n }),
  el("span", { class: "code", text: issue.code + (where(issue) ? " · " + where(issue) : "") }),
  el("span", { class: "message", text: issue.message }));
  button.addEventListener("click", () => reach(target));
  return button;
}

function reach(target) {
  if (!target) return;
  for (const old of document.querySelectorAll(".reached")) old.classList.remove("reached");
  target.classList.add("reached");
  target.scrollIntoView({ block: "center", behavior: "smooth" });
  target.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- source lines
function drawSource(text, issues) {
  const section = document.getElementById("source");
  const list = document.getElementById("source-lines");
  list.replaceChildren();
  section.hidden = !text;
  if (!text) return;
  const flagged = new Map();
  for (const i of issues) if (i.location && i.location.line) flagged.set(i.location.line, i.severity);
  text.split("\n").forEach((line, n) => {
    const sev = flagged.get(n + 1);
    list.append(el("li", { id: "line-" + (n + 1), tabindex: -1, class: sev ? "flag flag-" + sev : null, text: line || " " }));
  });
}

// ---------------------------------------------------------------- wiring
async function show(answer, text) {
  const { tables, columns } = await labels();
  const issues = answer.issues.map((issue, k) => ({ ...issue, n: k + 1 }));
  const byPlace = new Map();
  for (const i of issues) {
    const l = i.location || {};
    if (!l.table || !l.row) continue;
    const id = cellId(l.table, l.row, l.column);
    byPlace.set(id, [...(byPlace.get(id) || []), i]);
  }
  verdict(answer);
  const box = document.getElementById("tables");
  box.replaceChildren();
  for (const { key, name } of tables) {
    const table = answer.tables && answer.tables[key];
    if (table && table.rows.length) box.append(drawTable(key, name, table, (columns[answer.template] || columns["2021"])[key], byPlace));
    else box.append(el("p", { class: "missing", text: name + "：报告中未找到这张表。" }));
  }
  drawSource(text, issues);
  findingsList(issues);
  const results = document.getElementById("results");
  results.hidden = false;
  results.focus();
}

function setBusy(busy, message) {
  document.getElementById("submit").disabled = busy;
  document.getElementById("status").textContent = message || "";
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("report-form");
  labels();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    setBusy(true, "正在校验……");
    try {
      const { answer, text } = await send(form);
      await show(answer, text);
      setBusy(false, answer.summary.valid ? "校验完成：通过。" : "校验完成：发现错误。");
    } catch (e) {
      setBusy(false, "");
      showError(e.message);
    }
  });
  form.addEventListener("reset", () => {
    document.getElementById("results").hidden = true;
    showError("");
  });
});
