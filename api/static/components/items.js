/* Items (measures and tasks) as the page names them: "任务 3", a link to the item, a list. */

import { docYear } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { itemHref } from "../lib/hrefs.js";
import { ITEM_LABEL, KIND_LABEL } from "../lib/labels.js";

/** The script of a title: the API gives summaries no script, but Traditional titles differ. */
export function titleLang(title, simplified) {
  return title !== simplified ? "zh-Hant" : "zh-Hans";
}

export function summaryLang(summary) {
  return titleLang(summary.title, summary.title_simplified);
}

/** "措施 7", "任务 3". */
export function itemLabel(summary) {
  return `${KIND_LABEL[summary.kind] || ITEM_LABEL} ${summary.number}`;
}

/** "2021 措施 7" (once the documents are loaded). */
export function yearLabel(summary) {
  return `${docYear(summary.document)} ${itemLabel(summary)}`;
}

/** The muted "无" that stands for an empty list. */
export function nothing(testid) {
  return h("p", { class: "muted", "data-testid": testid }, "无");
}

export function itemLink(summary, attrs) {
  return h(
    "a",
    { href: itemHref(summary.id), class: "item-link", "data-item": summary.id, ...attrs },
    h("span", { class: "item-num" }, itemLabel(summary)),
    " ",
    h("span", { lang: summaryLang(summary) }, summary.title),
  );
}

/** Item links, each tagged with its document's year (once the documents are loaded). */
export function itemList(summaries, testid) {
  if (!summaries.length) return nothing(testid);
  return h(
    "ul",
    { class: "item-list", "data-testid": testid },
    summaries.map((i) =>
      h("li", {}, itemLink(i), " ", h("span", { class: "doc-tag" }, docYear(i.document))),
    ),
  );
}
