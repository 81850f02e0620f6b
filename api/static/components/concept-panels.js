/* What an item or a clause names: its technologies, places and programmes, each as chips. */

import { searchHref } from "../lib/hrefs.js";
import { NODE_LABEL } from "../lib/labels.js";
import { h } from "../lib/dom.js";
import { chip, chips, refChips } from "./chips.js";
import { section } from "./panels.js";

/** The three panels of `named` (an item or a clause): technologies, regions, programmes. */
export function conceptPanels(named) {
  const programme = (p) => chip(p.name, searchHref(p.name), { title: "搜索提及它的条目" });
  return h(
    "div",
    { class: "concepts" },
    section(
      NODE_LABEL.technology,
      "technologies",
      refChips(named.technologies, "technology", "technologies"),
    ),
    section(NODE_LABEL.region, "regions", refChips(named.regions, "region", "regions")),
    section(NODE_LABEL.programme, "programmes", chips(named.programmes, programme, "programmes")),
  );
}
