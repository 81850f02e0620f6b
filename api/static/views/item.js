/* View #/item/<id> : a measure or task: where it stands, its text (and the Simplified text of
 * a Traditional original), its clauses and where each went, what each clause commits to
 * (deliverables, targets, citations, policy instruments), its agencies by role, its
 * concepts, and its candidate links with their evidence: its predecessors in the document
 * before it and its successors in the one after (a 2021 measure has only successors, a task
 * of a yearly plan between two others both).
 */

import { api } from "../lib/api.js";
import { itemPath, loadDocuments, loadItem } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { chainHref, graphHref } from "../lib/hrefs.js";
import { agenciesPanel } from "../components/agencies-panel.js";
import { clausesPanel } from "../components/clauses.js";
import { conceptPanels } from "../components/concept-panels.js";
import { contentPanel } from "../components/content.js";
import { itemLabel } from "../components/items.js";
import { linkCard } from "../components/link-card.js";
import { definitionList, section } from "../components/panels.js";

function header(item, traditional) {
  return h(
    "header",
    { class: "item-header" },
    h(
      "h1",
      { "data-testid": "item-title" },
      h("span", { class: "item-num" }, itemLabel(item)),
      " ",
      h("span", { lang: item.script }, item.title),
    ),
    traditional && item.title !== item.title_simplified
      ? h("p", { class: "subtitle", lang: "zh-Hans" }, item.title_simplified)
      : null,
    h(
      "p",
      { class: "actions" },
      h("a", { class: "button", href: graphHref(item.id), "data-testid": "graph-link" }, "查看关系图"),
      " ",
      h("a", { class: "button", href: chainHref(item.id), "data-testid": "chain-link" }, "逐年延续"),
    ),
  );
}

function breadcrumb(item, doc) {
  return h(
    "nav",
    { class: "breadcrumb", "aria-label": "位置" },
    h("a", { href: "#/" }, doc ? doc.title : item.document),
    " › ",
    h("span", {}, item.part.name),
    item.group ? [" › ", h("span", {}, item.group.name)] : null,
  );
}

function texts(item, traditional) {
  return [
    section(
      "原文",
      traditional ? "original (Traditional)" : "original",
      h("p", { class: "item-text", lang: item.script, "data-testid": "item-text" }, item.text),
    ),
    traditional
      ? section(
          "简体",
          "Simplified",
          h(
            "p",
            { class: "item-text", lang: "zh-Hans", "data-testid": "item-text-simplified" },
            item.text_simplified,
          ),
        )
      : null,
  ];
}

/** The candidate links, in the item's direction; `others` are the linked items' details. */
function linksSection(item, direction, links, others) {
  return h(
    "section",
    { class: "panel links", "data-testid": direction.name },
    h("h2", {}, direction.labelFor(links), h("small", { lang: "en" }, direction.name)),
    links.length
      ? [
          h(
            "p",
            { class: "muted small" },
            "候选对应按得分排列；“已采纳”表示对齐结果接受了这一对应。",
            "证据中的共有词语在两段原文中标出，悬停或点击词语可单独突出显示。",
          ),
          h(
            "ol",
            { class: "link-list" },
            links.map((l, i) => linkCard(l, direction, item, others[i], i)),
          ),
        ]
      : h("p", { class: "muted" }, "没有候选对应。"),
  );
}

export async function itemView(id) {
  const { item, sides, index } = await loadItem(id);
  const doc = (await loadDocuments()).get(item.document);
  const others = await Promise.all(
    sides.map(({ direction, links }) =>
      Promise.all(links.map((l) => api(itemPath(direction.other(l))))),
    ),
  );
  const traditional = item.script !== "zh-Hans";
  return {
    title: `${itemLabel(item)} ${item.title_simplified}`,
    node: h(
      "article",
      { class: "item", "data-testid": "item", "data-item": item.id },
      breadcrumb(item, doc),
      header(item, traditional),
      definitionList([
        ["编号", h("code", {}, item.id)],
        ["文件", doc ? `${doc.title}（${doc.date}）` : item.document],
        ["部分", item.part.name],
        ["分组", item.group ? item.group.name : null],
        ["原文", `${traditional ? "繁体" : "简体"} · 第 ${item.line} 行`],
      ]),
      texts(item, traditional),
      clausesPanel(item),
      contentPanel(item),
      agenciesPanel(item, index),
      conceptPanels(item),
      sides.map(({ direction, links }, n) => linksSection(item, direction, links, others[n])),
    ),
  };
}
