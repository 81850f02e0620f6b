/* Chips: short labels, linked or not, in a list. */

import { h } from "../lib/dom.js";
import { to } from "../lib/hrefs.js";
import { nothing } from "./items.js";

/** A chip: a link when there is an href, else a plain label. */
export function chip(label, href, attrs) {
  return href
    ? h("a", { class: "chip", href, ...attrs }, label)
    : h("span", { class: "chip", ...attrs }, label);
}

/** A list of chips, one per value, or "无". */
export function chips(values, toChip, testid) {
  if (!values.length) return nothing(testid);
  return h(
    "ul",
    { class: "chips", "data-testid": testid },
    values.map((v) => h("li", {}, toChip(v))),
  );
}

/** References ({id, name}) as chips linking to their route's page (or unlinked, no route). */
export function refChips(refs, route, testid) {
  return chips(refs, (r) => chip(r.name, route ? to(route, r.id) : null), testid);
}
