/* View #/agency/<id> : an agency: its names, parent and sub-organisations, and its items by
 * role (and those that merely mention it).
 */

import { api, enc } from "../lib/api.js";
import { loadDocuments } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { agencyHref } from "../lib/hrefs.js";
import { AGENCY_ITEM_GROUPS, AGENCY_ITEM_LABEL, ROLE_SHORT } from "../lib/labels.js";
import { chip, chips } from "../components/chips.js";
import { itemLink, itemList } from "../components/items.js";
import { definitionList, namesBlock, section } from "../components/panels.js";

function facts(a) {
  const link = (ref, attrs) => h("a", { href: agencyHref(ref.id), ...attrs }, ref.name);
  return definitionList([
    ["类别", a.kind],
    ["上级", a.parent ? link(a.parent, { "data-testid": "agency-parent" }) : null],
    [
      "下属",
      a.sub_organizations.length
        ? a.sub_organizations.map((c, i) => [i ? "、" : "", link(c)])
        : null,
    ],
    ["曾用名", a.former_names.length ? a.former_names.join("、") : null],
    ["登记", a.resolved ? "已对应到机构名录" : "未对应到机构名录"],
  ]);
}

/** Its names in force over time: each body of its lineage with the period of its name. */
function namesOverTime(a) {
  const names = a.names_over_time || [];
  if (names.length < 2) return null;
  return section(
    "名称沿革",
    "names over time",
    h(
      "ol",
      { "data-testid": "agency-names-over-time" },
      names.map((n) =>
        h(
          "li",
          { "data-agency": n.id },
          n.id === a.id ? n.name : h("a", { href: agencyHref(n.id) }, n.name),
          h("span", { class: "muted" }, ` ${n.since || "…"} – ${n.until || "今"}`),
        ),
      ),
    ),
  );
}

/** Its roles document by document, under the name in force then. */
function rolesByDocument(a) {
  const rows = a.roles_by_document || [];
  if (!rows.length) return null;
  const byDoc = new Map();
  for (const r of rows) {
    if (!byDoc.has(r.document)) byDoc.set(r.document, []);
    byDoc.get(r.document).push(r);
  }
  return section(
    "各文件中的职责",
    "roles per document",
    h(
      "ul",
      { "data-testid": "agency-roles-by-document" },
      [...byDoc].map(([doc, list]) =>
        h(
          "li",
          { "data-document": doc },
          `${doc}：`,
          list.map((r, i) => [i ? "、" : "", `${ROLE_SHORT[r.role] || r.role} `, itemLink(r.item)]),
        ),
      ),
    ),
  );
}

function itemGroup(byRole, group) {
  const items = byRole[group] || [];
  return section(
    `${AGENCY_ITEM_LABEL[group]}（${items.length}）`,
    group,
    itemList(items, `agency-items-${group}`),
  );
}

export async function agencyView(id) {
  const [a] = await Promise.all([api(`agencies/${enc(id)}`), loadDocuments()]);
  const byRole = a.items || {};
  return {
    title: a.name,
    node: h(
      "article",
      { class: "agency-page", "data-testid": "agency", "data-agency": a.id },
      h(
        "nav",
        { class: "breadcrumb", "aria-label": "位置" },
        h("a", { href: "#/agencies" }, "责任单位"),
        " › ",
        a.name,
      ),
      h("h1", { "data-testid": "agency-name" }, a.name),
      namesBlock(a),
      facts(a),
      section("别名与原文写法", "aliases", chips(a.aliases, (n) => chip(n, null), "agency-aliases")),
      namesOverTime(a),
      rolesByDocument(a),
      h("div", { class: "role-sections" }, AGENCY_ITEM_GROUPS.map((g) => itemGroup(byRole, g))),
    ),
  };
}
