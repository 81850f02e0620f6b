/* Clauses: an item's sentences, each with where it went (or came from), and a clause as a
 * link ("任务 3 第 2 句"). Used by the item page, the link cards and the coverage page.
 */

import { h, score3 } from "../lib/dom.js";
import { clauseHref } from "../lib/hrefs.js";
import { itemLabel, summaryLang } from "./items.js";
import { section } from "./panels.js";

/** "第 2 句". */
export function clauseNumber(clause) {
  return `第 ${clause.number} 句`;
}

/** A link to a clause of `item` (a summary): "任务 3 第 2 句". */
export function clauseLink(clause, item, attrs) {
  return h(
    "a",
    { href: clauseHref(clause.id), class: "clause-link", "data-clause": clause.id, ...attrs },
    item ? `${itemLabel(item)} ` : "",
    clauseNumber(clause),
  );
}

/** A clause's text in its own script, short of `max` characters. */
export function clauseText(clause, lang, max) {
  const chars = Array.from(clause.text);
  const text = max && chars.length > max ? chars.slice(0, max - 1).join("") + "…" : clause.text;
  return h("span", { class: "clause-text", lang }, text);
}

/** One end of a clause link, as a line: the other clause, its text and the probability. */
function linkLine(link, arrow, testid) {
  return h(
    "li",
    { "data-testid": testid, "data-clause": link.clause.id },
    h("span", { class: "arrow", "aria-hidden": "true" }, arrow, " "),
    clauseLink(link.clause, link.item),
    " ",
    clauseText(link.clause, summaryLang(link.item), 48),
    h("span", { class: "muted small" }, ` （${score3(link.score)}）`),
  );
}

function destinations(clause) {
  const out = [];
  if (clause.continued_in.length) {
    out.push(
      h("ul", { class: "clause-links" },
        clause.continued_in.map((l) => linkLine(l, "→", "clause-continued-in"))),
    );
  }
  if (clause.carried_from.length) {
    out.push(
      h("ul", { class: "clause-links" },
        clause.carried_from.map((l) => linkLine(l, "←", "clause-carried-from"))),
    );
  }
  if (clause.not_continued_in.length) {
    out.push(
      h("p", { class: "badge no", "data-testid": "clause-not-continued" },
        `未延续（${clause.not_continued_in.join("、")}）`),
    );
  }
  return out;
}

/** The item page's panel of clauses: each sentence and where it went. */
export function clausesPanel(item) {
  return section(
    "句段",
    "clauses",
    h(
      "p",
      { class: "muted small" },
      "每句（以“。”或“；”结尾，标题句单列）及其去向：箭头指向延续它的后续句段或它延续的来源句段，括号内为模型给出的概率。",
    ),
    h(
      "ol",
      { class: "clauses", "data-testid": "clauses" },
      item.clauses.map((c) =>
        h(
          "li",
          { class: "clause", "data-testid": "clause", "data-clause": c.id },
          h("a", { href: clauseHref(c.id), class: "clause-num" }, clauseNumber(c)),
          " ",
          clauseText(c, item.script),
          h("span", { class: "muted small" }, ` · 第 ${c.span.line} 行`),
          destinations(c),
        ),
      ),
    ),
  );
}
