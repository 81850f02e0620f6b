/* View #/coverage : the source document's items none of whose clauses is carried on
 * (dropped), the target's items that carry no source clause on (new), each with its clauses
 * and their best candidates, and every source clause nothing carries on.
 */

import { api } from "../lib/api.js";
import { docYear, loadDocuments } from "../lib/catalogue.js";
import { h, score3 } from "../lib/dom.js";
import { clauseLink, clauseText } from "../components/clauses.js";
import { itemLink, nothing, summaryLang } from "../components/items.js";
import { page, section } from "../components/panels.js";

/** A clause behind a verdict, with its best match anyway. */
function verdictLine(v, lang) {
  return h(
    "li",
    { "data-testid": "verdict-clause", "data-clause": v.clause.id },
    clauseLink(v.clause, v.item),
    " ",
    clauseText(v.clause, lang, 60),
    v.best
      ? h(
          "span",
          { class: "muted small" },
          " · 最接近：",
          clauseLink(v.best, v.best_item),
          `（${score3(v.score)}）`,
        )
      : null,
  );
}

function entries(list, testid) {
  if (!list.length) return nothing(testid);
  return h(
    "ul",
    { class: "item-list coverage-entries", "data-testid": testid },
    list.map((e) =>
      h(
        "li",
        { "data-item": e.item.id },
        itemLink(e.item),
        e.best
          ? h("span", { class: "muted small" }, " · 最接近：", itemLink(e.best), `（${score3(e.score)}）`)
          : null,
        h(
          "details",
          { class: "verdict-clauses" },
          h("summary", {}, `各句段（${e.clauses.length}）`),
          h("ul", {}, e.clauses.map((v) => verdictLine(v, summaryLang(e.item)))),
        ),
      ),
    ),
  );
}

function notContinued(list) {
  if (!list.length) return nothing("coverage-not-continued");
  return h(
    "ul",
    { class: "clause-list", "data-testid": "coverage-not-continued" },
    list.map((v) =>
      h(
        "li",
        { "data-testid": "verdict-clause", "data-clause": v.clause.id },
        clauseLink(v.clause, v.item),
        " ",
        clauseText(v.clause, summaryLang(v.item), 60),
        v.best
          ? h("span", { class: "muted small" }, " · 最接近：", clauseLink(v.best, v.best_item),
              `（${score3(v.score)}）`)
          : null,
      ),
    ),
  );
}

export async function coverageView() {
  const [c] = await Promise.all([api("coverage"), loadDocuments()]);
  return page(
    { title: "覆盖情况", className: "coverage" },
    h(
      "p",
      { class: "muted" },
      "按句段判断：一条措施的实质句段都没有被任何任务延续，即为未延续；一项任务的句段都不延续任何措施句段，即为新增。",
      "每句列出得分最高的候选，即使它没有达到采纳门槛。",
    ),
    h(
      "p",
      { class: "muted small", "data-testid": "coverage-caveat" },
      "请谨慎引用：判断来自比较字词的模型，它会把只是用词相近的句段算作延续，",
      "因此“未延续的措施”往往被漏判。在未参与拟合的人工标注上，它没有找回标注为未延续的措施，",
      "新增任务也只找回了一部分（见 README 中“How good it is”一节）。逐句核对下方的句段及其最接近的候选。",
    ),
    section(
      `${docYear(c.source)} 年未延续的措施（${c.dropped.length}）`,
      "dropped",
      entries(c.dropped, "coverage-dropped"),
    ),
    section(`${docYear(c.target)} 年新增的任务（${c.new.length}）`, "new", entries(c.new, "coverage-new")),
    section(
      `${docYear(c.source)} 年未延续的句段（${c.not_continued.length}）`,
      "clauses not continued",
      notContinued(c.not_continued),
    ),
  );
}
