/* What a link's two items have in common besides words: technologies, places, programmes and
 * agencies, as chips named from the two items' own details.
 */

import { h } from "../lib/dom.js";
import { to } from "../lib/hrefs.js";
import { chip } from "./chips.js";

const SHARED = [
  ["共同技术", "technologies", "technology"],
  ["共同地区", "places", "region"],
  ["共同项目", "programmes", null],
  ["共同单位", "agencies", "agency"],
];

/** The names of everything the items refer to, by id. */
function namesOf(items) {
  const names = new Map();
  for (const item of items) {
    for (const r of [...item.technologies, ...item.regions, ...item.programmes]) {
      names.set(r.id, r.name);
    }
  }
  for (const item of items) for (const a of item.agencies) names.set(a.id, a.name);
  return names;
}

/** A block per kind of shared concept in `evidence`, for the link between `items`. */
export function sharedConcepts(evidence, items) {
  const names = namesOf(items);
  return SHARED.filter(([, key]) => Array.isArray(evidence[key]) && evidence[key].length).map(
    ([label, key, route]) =>
      h(
        "div",
        { class: "shared-concepts" },
        h("span", { class: "label" }, label),
        h(
          "ul",
          { class: "chips" },
          evidence[key].map((id) =>
            h("li", {}, chip(names.get(id) || id, route ? to(route, id) : null)),
          ),
        ),
      ),
  );
}
