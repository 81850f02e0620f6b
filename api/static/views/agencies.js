/* View #/agencies : every agency with its parent and role counts, most lead roles first. */

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { agencyHref } from "../lib/hrefs.js";
import { ROLES, ROLE_SHORT } from "../lib/labels.js";
import { page } from "../components/panels.js";

function byRoles(x, y) {
  for (const role of ROLES) if (y[role] !== x[role]) return y[role] - x[role];
  return x.name.localeCompare(y.name, "zh-Hans-CN");
}

function row(a) {
  return h(
    "tr",
    {},
    h(
      "td",
      {},
      h("a", { href: agencyHref(a.id) }, a.name),
      a.generic ? [" ", h("span", { class: "tag", title: "泛指一类单位，而非某一单位" }, "泛指")] : null,
    ),
    h("td", {}, a.parent ? h("a", { href: agencyHref(a.parent.id) }, a.parent.name) : "—"),
    ROLES.map((role) => h("td", { class: "num" }, a[role])),
  );
}

export async function agenciesView() {
  const list = await api("agencies?limit=500");
  const head = [
    h("th", { scope: "col" }, "单位"),
    h("th", { scope: "col" }, "上级"),
    ROLES.map((role) => h("th", { scope: "col", class: "num" }, ROLE_SHORT[role])),
  ];
  return page(
    { title: "责任单位", className: "agencies" },
    h("p", { class: "muted" }, `共 ${list.count} 个单位，按牵头任务数排列。`),
    h(
      "table",
      { class: "table", "data-testid": "agency-table" },
      h("thead", {}, h("tr", {}, head)),
      h("tbody", {}, list.data.slice().sort(byRoles).map(row)),
    ),
  );
}
