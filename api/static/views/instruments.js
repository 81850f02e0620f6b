/* View #/instruments?by=document|part|agency : the policy-instrument mix of each document
 * (Rothwell-Zegveld types and sub-tools), its shares side by side, year by year; per part
 * or per lead agency (牵头) on request.
 */

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { TYPE_NAMES } from "../components/content.js";
import { page, section } from "../components/panels.js";

const GROUPINGS = [
  ["document", "按文件"],
  ["part", "按部分"],
  ["agency", "按牵头单位"],
];
const TYPES = ["supply", "environment", "demand"];

function percent(x) {
  return `${(100 * x).toFixed(1)}%`;
}

/** One bar per set of rows (a document, or a document's part or agency), split by type. */
function bar(rows) {
  return h(
    "div",
    { class: "mix-bar", role: "img",
      "aria-label": rows.map((r) => `${TYPE_NAMES[r.type]} ${percent(r.share)}`).join("，") },
    rows.map((r) =>
      h("span", { class: `mix-${r.type}`, style: `width: ${100 * r.share}%` }, percent(r.share))),
  );
}

function groupKey(r) {
  return `${r.document}|${r.group ? r.group.id : ""}`;
}

function typeTable(rows, by) {
  const sets = new Map();
  for (const r of rows) {
    if (!sets.has(groupKey(r))) sets.set(groupKey(r), []);
    sets.get(groupKey(r)).push(r);
  }
  return h(
    "table",
    { class: "mix-table", "data-testid": "mix-types" },
    h("thead", {}, h("tr", {},
      h("th", {}, "年份"), by === "document" ? null : h("th", {}, by === "part" ? "部分" : "牵头单位"),
      TYPES.map((t) => h("th", {}, TYPE_NAMES[t])), h("th", {}, "无工具的句"), h("th", {}, "构成"))),
    h("tbody", {}, [...sets.values()].map((set) => {
      const first = set[0];
      const coded = TYPES.map((t) => set.find((r) => r.type === t));
      const none = set.find((r) => r.type === "none");
      return h("tr", { "data-testid": "mix-row", "data-document": first.document,
                       "data-group": first.group ? first.group.id : "" },
        h("td", {}, `${first.year}`),
        by === "document" ? null : h("td", {}, first.group ? first.group.name : "—"),
        coded.map((r) => h("td", { class: "num" }, r ? `${r.codes}（${percent(r.share)}）` : "0")),
        h("td", { class: "num" }, none ? String(none.clauses) : "0"),
        h("td", {}, bar(coded.filter(Boolean))));
    })),
  );
}

function toolTable(rows) {
  const years = [...new Set(rows.map((r) => r.year))].sort();
  const tools = new Map();
  for (const r of rows) {
    if (r.type === "none") continue;
    const key = `${r.type}|${r.tool}`;
    if (!tools.has(key)) tools.set(key, { type: r.type, tool: r.tool, byYear: new Map() });
    tools.get(key).byYear.set(r.year, r);
  }
  const ordered = [...tools.values()].sort(
    (a, b) => TYPES.indexOf(a.type) - TYPES.indexOf(b.type) || a.tool.localeCompare(b.tool));
  return h(
    "table",
    { class: "mix-table", "data-testid": "mix-tools" },
    h("thead", {}, h("tr", {}, h("th", {}, "类型"), h("th", {}, "工具"),
      years.map((y) => h("th", {}, `${y}`)), years.length > 1 ? h("th", {}, "变化") : null)),
    h("tbody", {}, ordered.map((t) => {
      const shares = years.map((y) => (t.byYear.get(y) || { share: 0 }).share);
      const delta = shares.length > 1 ? shares[shares.length - 1] - shares[0] : null;
      return h("tr", { "data-testid": "mix-tool", "data-tool": t.tool },
        h("td", {}, TYPE_NAMES[t.type]), h("td", {}, t.tool),
        years.map((y, k) => h("td", { class: "num" },
          t.byYear.get(y) ? `${t.byYear.get(y).codes}（${percent(shares[k])}）` : "0")),
        delta === null ? null : h("td", { class: "num" },
          `${delta >= 0 ? "+" : "−"}${(100 * Math.abs(delta)).toFixed(1)} 个百分点`));
    })),
  );
}

export async function instrumentsView(_, params) {
  const by = GROUPINGS.some(([k]) => k === params.get("by")) ? params.get("by") : "document";
  const [types, tools] = await Promise.all([
    api(`instruments/mix?by=${by}&level=type`),
    api("instruments/mix?by=document&level=tool"),
  ]);
  return page(
    { title: "政策工具构成", className: "instruments" },
    h("p", { class: "muted" },
      "各句按 Rothwell–Zegveld 政策工具分类编码（供给型、环境型、需求型及其子工具，编码表见 data/vocab/instruments.toml）；",
      "比例为该文件（或部分、牵头单位）全部工具编码中的份额。2021 年意见未列牵头单位，按牵头单位只见 2025 年任务。"),
    h("nav", { class: "chips", "aria-label": "分组" }, GROUPINGS.map(([k, label]) =>
      h("a", { class: "chip", href: `#/instruments?by=${k}`, "aria-current": k === by ? "page" : null,
               "data-testid": `mix-by-${k}` }, label))),
    section("按类型", "by type", typeTable(types.data, by)),
    section("按子工具（全文件）", "by sub-tool, whole documents", toolTable(tools.data)),
  );
}
