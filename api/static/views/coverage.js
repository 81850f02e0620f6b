/* View #/coverage : the source document's items with no accepted successor and the target's
 * with no accepted predecessor, each with its best candidate.
 */

import { api } from "../lib/api.js";
import { docYear, loadDocuments } from "../lib/catalogue.js";
import { h, score3 } from "../lib/dom.js";
import { itemLink, nothing } from "../components/items.js";
import { page, section } from "../components/panels.js";

function entries(list, testid) {
  if (!list.length) return nothing(testid);
  return h(
    "ul",
    { class: "item-list", "data-testid": testid },
    list.map((e) =>
      h(
        "li",
        {},
        itemLink(e.item),
        e.best
          ? h("span", { class: "muted small" }, " · 最接近：", itemLink(e.best), `（${score3(e.score)}）`)
          : null,
      ),
    ),
  );
}

export async function coverageView() {
  const [c] = await Promise.all([api("coverage"), loadDocuments()]);
  return page(
    { title: "覆盖情况", className: "coverage" },
    h("p", { class: "muted" }, "对齐结果中没有被采纳对应的条目，以及各自得分最高的候选。"),
    section(
      `${docYear(c.source)} 年未延续的措施（${c.dropped.length}）`,
      "dropped",
      entries(c.dropped, "coverage-dropped"),
    ),
    section(`${docYear(c.target)} 年新增的任务（${c.new.length}）`, "new", entries(c.new, "coverage-new")),
  );
}
