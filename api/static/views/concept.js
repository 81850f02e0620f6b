/* Views #/technology/<id> and #/region/<id> : one concept view, told by a descriptor what the
 * concept is called, where the API keeps it and which facts it has; then the items naming it
 * (or a narrower concept, or a place inside it).
 */

import { api, enc } from "../lib/api.js";
import { loadDocuments } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { NODE_LABEL } from "../lib/labels.js";
import { refChips } from "../components/chips.js";
import { itemList } from "../components/items.js";
import { definitionList, namesBlock, section } from "../components/panels.js";

/**
 * A kind of concept: `route` (its pages' route and test id), `path` (its API collection),
 * `label` (before its name), `itemsTitle` (of the item list), and `facts(concept, refs)`, the
 * [term, value] pairs particular to it (`refs(list)` shows related concepts as chips).
 */
function kind(route, path, label, itemsTitle, facts) {
  return { route, path, label, itemsTitle, facts };
}

export const TECHNOLOGY = kind("technology", "technologies", NODE_LABEL.technology, "提及它（或下位概念）的条目",
  (t, refs) => [
    ["上位概念", refs(t.broader)],
    ["下位概念", refs(t.narrower)],
    ["其他名称", t.alt_labels.length ? t.alt_labels.join("、") : null],
  ],
);

export const REGION = kind("region", "regions", NODE_LABEL.region, "涉及它（或其中地方）的条目",
  (r, refs) => [
    ["类别", r.kind],
    ["区划代码", r.code],
    ["所在", refs(r.within)],
    ["包含", refs(r.parts)],
  ],
);

export async function conceptView(concept, id) {
  const [c] = await Promise.all([api(`${concept.path}/${enc(id)}`), loadDocuments()]);
  const refs = (list) => (list.length ? refChips(list, concept.route) : null);
  return {
    title: c.name,
    node: h(
      "article",
      { class: "concept", "data-testid": concept.route },
      h("h1", {}, h("span", { class: "item-num" }, concept.label), " ", c.name),
      namesBlock(c),
      definitionList([...concept.facts(c, refs), ["直接提及", `${c.items} 项`]]),
      section(
        `${concept.itemsTitle}（${c.item_list.length}）`,
        "items",
        itemList(c.item_list, "concept-items"),
      ),
    ),
  };
}
