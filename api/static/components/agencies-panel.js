/* An item's responsible bodies, grouped by role, each with the name as the text writes it
 * and, for a role carried over by 下同, the item it is inherited from.
 */

import { h } from "../lib/dom.js";
import { agencyHref, itemHref } from "../lib/hrefs.js";
import { NODE_LABEL, ROLES, ROLE_LABEL } from "../lib/labels.js";
import { itemLabel } from "./items.js";
import { section } from "./panels.js";

/** One agency of the item; `index` (id → item summary) names the item a role came from. */
function agencyEntry(a, index) {
  const from = a.inherited_from && index.get(a.inherited_from);
  return h(
    "li",
    { class: "agency", "data-agency": a.id },
    h("a", { href: agencyHref(a.id) }, a.name),
    a.surface && a.surface !== a.name
      ? h("span", { class: "surface" }, "（原文作“", h("span", { lang: "zh-Hant" }, a.surface), "”）")
      : null,
    a.inherited_from
      ? h(
          "span",
          { class: "tag inherited", "data-testid": "inherited" },
          "下同 · 承自 ",
          h("a", { href: itemHref(a.inherited_from) }, from ? itemLabel(from) : a.inherited_from),
        )
      : null,
  );
}

function roleGroup(role, agencies, index) {
  return h(
    "div",
    { class: `role role-${role}`, "data-testid": `role-${role}` },
    h("h3", {}, ROLE_LABEL[role], h("small", { lang: "en" }, role)),
    h("ul", { class: "agency-list" }, agencies.map((a) => agencyEntry(a, index))),
  );
}

export function agenciesPanel(item, index) {
  const groups = ROLES.map((role) => [role, item.agencies.filter((a) => a.role === role)]).filter(
    ([, agencies]) => agencies.length,
  );
  return section(
    NODE_LABEL.agency,
    "responsible bodies",
    groups.length
      ? h(
          "div",
          { class: "roles" },
          groups.map(([role, agencies]) => roleGroup(role, agencies, index)),
        )
      : h("p", { class: "muted" }, "原文未列明责任单位。"),
    item.open_ended
      ? h("p", { class: "muted small" }, "原文列举未尽（“等”“有关单位”）：所列单位并非全部。")
      : null,
  );
}
