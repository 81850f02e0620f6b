/* View #/graph/<id> : the item's neighbourhood drawn as SVG, with its legend. */

import { loadItem } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { itemHref } from "../lib/hrefs.js";
import { NODE_LABEL, ROLES, ROLE_LABEL } from "../lib/labels.js";
import { graphSvg } from "../components/graph-svg.js";
import { itemLabel } from "../components/items.js";

function legend(direction, links) {
  const entry = (swatch, label) => h("li", {}, h("span", { class: `swatch ${swatch}` }), label);
  return h(
    "ul",
    { class: "legend", "aria-label": "图例" },
    entry("n-link", `${direction.labelFor(links)}（线宽＝得分，虚线＝未采纳）`),
    ROLES.map((r) => entry(`n-agency role-${r}`, `${ROLE_LABEL[r]}单位`)),
    entry("n-technology", NODE_LABEL.technology),
    entry("n-region", NODE_LABEL.region),
    entry("n-programme", `${NODE_LABEL.programme}（点击搜索）`),
  );
}

export async function graphView(id) {
  const { item, links, direction } = await loadItem(id);
  return {
    title: `关系图 · ${itemLabel(item)}`,
    node: h(
      "div",
      { class: "graph-view", "data-testid": "graph-view", "data-item": item.id },
      h(
        "h1",
        {},
        "关系图：",
        h("span", { class: "item-num" }, itemLabel(item)),
        " ",
        h("span", { lang: item.script }, item.title),
      ),
      h(
        "p",
        { class: "muted" },
        "居中为本条；点击对应条目可继续浏览它的关系图，点击单位、技术或地区打开其页面。",
        h("a", { href: itemHref(item.id) }, "返回条目页"),
      ),
      legend(direction, links),
      h("div", { class: "graph-frame" }, graphSvg(direction, item, links)),
    ),
  };
}
