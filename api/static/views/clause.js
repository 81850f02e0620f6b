/* View #/clause/<id> : one sentence of a measure or task: its text (and the Simplified text
 * of a Traditional original), where it stands in its item and file, what it names, and every
 * kept clause link from or to it, each with the model's probability, whether it was accepted
 * and the signals the model weighed.
 */

import { api, enc } from "../lib/api.js";
import { h, score3 } from "../lib/dom.js";
import { itemHref } from "../lib/hrefs.js";
import { CLAUSE_SIGNAL_LABEL } from "../lib/labels.js";
import { clauseLink, clauseNumber, clauseText } from "../components/clauses.js";
import { conceptPanels } from "../components/concept-panels.js";
import { contentLines, instrumentsLine } from "../components/content.js";
import { itemLabel, itemLink, summaryLang } from "../components/items.js";
import { definitionList, section } from "../components/panels.js";

/** The signals behind one link, as a small table (the model's inputs, not its weights). */
function signalTable(signals) {
  const rows = Object.entries(signals || {});
  if (!rows.length) return null;
  return h(
    "table",
    { class: "signals clause-signals", "data-testid": "clause-signals" },
    h("caption", {}, "模型权衡的信号"),
    h(
      "tbody",
      {},
      rows.map(([name, value]) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, CLAUSE_SIGNAL_LABEL[name] || name),
          h("td", { class: "num" }, score3(value)),
        ),
      ),
    ),
  );
}

/** One kept link, from this clause's side: the other clause, its text and the verdict. */
function linkEntry(link, signals, testid) {
  return h(
    "li",
    {
      class: `clause-candidate${link.accepted ? " accepted" : ""}`,
      "data-testid": testid,
      "data-clause": link.clause.id,
    },
    h(
      "p",
      {},
      clauseLink(link.clause, link.item),
      " ",
      h(
        "span",
        { class: `badge ${link.accepted ? "yes" : "no"}`, "data-testid": "clause-accepted" },
        link.accepted ? "已采纳" : "未采纳",
      ),
      h("span", { class: "muted small" }, ` 概率 ${score3(link.score)}`),
    ),
    h("p", { class: "clause-quote" }, clauseText(link.clause, summaryLang(link.item))),
    h(
      "details",
      {},
      h("summary", {}, "信号"),
      signalTable(signals[link.clause.id]),
    ),
  );
}

function linksPanel(title, english, links, signals, testid, empty) {
  return section(
    title,
    english,
    links.length
      ? h("ol", { class: "clause-candidates", "data-testid": testid },
          links.map((l) => linkEntry(l, signals, `${testid}-entry`)))
      : h("p", { class: "muted", "data-testid": testid }, empty),
  );
}

export async function clauseView(id) {
  const c = await api(`clauses/${enc(id)}`);
  const item = c.item_summary;
  const traditional = c.script !== "zh-Hans";
  return {
    title: `${itemLabel(item)} ${clauseNumber(c)}`,
    node: h(
      "article",
      { class: "clause-page", "data-testid": "clause-page", "data-clause": c.id },
      h(
        "nav",
        { class: "breadcrumb", "aria-label": "位置" },
        itemLink(item),
        " › ",
        h("span", {}, clauseNumber(c)),
      ),
      h(
        "h1",
        { "data-testid": "clause-title" },
        h("a", { href: itemHref(item.id) }, itemLabel(item)),
        " ",
        clauseNumber(c),
      ),
      h("p", { class: "item-text clause-quote", lang: c.script, "data-testid": "clause-text" }, c.text),
      traditional && c.text !== c.text_simplified
        ? h("p", { class: "item-text", lang: "zh-Hans", "data-testid": "clause-text-simplified" },
            c.text_simplified)
        : null,
      definitionList([
        ["编号", h("code", {}, c.id)],
        ["所属", itemLink(item)],
        ["原文位置", `第 ${c.span.line} 行 · 字符 ${c.span.start}–${c.span.end}`],
        [
          "未延续于",
          c.not_continued_in.length
            ? h("span", { "data-testid": "clause-not-continued" }, c.not_continued_in.join("、"))
            : null,
        ],
      ]),
      conceptPanels(c),
      section("政策内容", "policy content",
        h("p", { "data-testid": "clause-instruments" }, instrumentsLine(c.content)),
        h("ul", { class: "content-lines", "data-testid": "clause-content" }, contentLines(c.content))),
      linksPanel("延续到", "continued in", c.candidates, c.signals, "clause-candidates",
        "没有后续文件中的候选句段。"),
      linksPanel("来源", "carried from", c.sources, c.signals, "clause-sources",
        "没有先前文件中的候选句段。"),
    ),
  };
}
