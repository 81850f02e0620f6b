/* The page's building blocks: a titled panel, a list of facts, a concept's other names. */

import { h } from "../lib/dom.js";

/** A panel with an h2 (and its English in small type). */
export function section(title, english, ...children) {
  return h(
    "section",
    { class: "panel" },
    h("h2", {}, title, english ? h("small", { lang: "en" }, english) : null),
    children,
  );
}

/** A <dl> of [term, value] pairs, leaving out the empty values. */
export function definitionList(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

/** The Traditional and English names of an agency or concept, under its heading. */
export function namesBlock(c) {
  return [
    c.name_hant && c.name_hant !== c.name
      ? h("p", { class: "subtitle", lang: "zh-Hant" }, c.name_hant)
      : null,
    c.name_en ? h("p", { class: "subtitle", lang: "en" }, c.name_en) : null,
  ];
}

/** A view's {title, node}: a <div class=…> opening with its h1 (`heading`, else `title`). */
export function page({ title, heading = title, className }, ...children) {
  return { title, node: h("div", { class: className }, h("h1", {}, heading), children) };
}
