/* Policy content: what each clause of an item promises (deliverables), the targets it sets,
 * the documents it cites and the policy instruments it uses (Rothwell-Zegveld), each with
 * its evidence. Used by the item page and the clause page.
 */

import { h } from "../lib/dom.js";
import { clauseLink } from "./clauses.js";
import { section } from "./panels.js";

export const TYPE_NAMES = { supply: "供给型", environment: "环境型", demand: "需求型", none: "无" };
const COMPARATORS = { at_least: "不少于", at_most: "不超过", reach: "达到" };

function number(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** One instrument as a chip: 供给型 · 资金投入, the cue on hover. */
export function instrumentChip(i) {
  return h(
    "span",
    {
      class: `chip instrument instrument-${i.type}`,
      title: `依据：${i.cue}（第 ${i.span.line} 行）`,
      "data-testid": "instrument",
      "data-type": i.type,
      "data-tool": i.tool,
    },
    `${TYPE_NAMES[i.type]} · ${i.tool_name}`,
  );
}

/** The lines of one clause's content (empty when it commits to nothing at all). */
export function contentLines(content) {
  const lines = [];
  for (const d of content.deliverables) {
    lines.push(
      h("li", { "data-testid": "deliverable", "data-kind": d.kind },
        h("span", { class: "content-tag" }, "承诺出台"), " ", `${d.verb}《${d.name}》`,
        h("span", { class: "muted small" }, `（${d.kind}）`)),
    );
  }
  for (const t of content.targets) {
    lines.push(
      h("li", { "data-testid": "target" },
        h("span", { class: "content-tag" }, "量化目标"), " ",
        `${t.object || "—"}：${COMPARATORS[t.comparator]} ${number(t.value)}${t.unit}`,
        t.year ? `（${t.year} 年）` : null),
    );
  }
  for (const c of content.citations) {
    lines.push(
      h("li", { "data-testid": "citation" },
        h("span", { class: "content-tag" }, "引用"), " ",
        c.document ? h("a", { href: `#/` }, `《${c.title}》`) : `《${c.title}》`,
        h("span", { class: "muted small" }, c.document ? "" : "（语料外文件）")),
    );
  }
  return lines;
}

/** The instruments of one clause, or a word saying it uses none. */
export function instrumentsLine(content) {
  return content.instruments.length
    ? h("span", { class: "chips" }, content.instruments.map(instrumentChip))
    : h("span", { class: "muted small", "data-testid": "no-instrument" }, "未使用政策工具");
}

/** The item page's panel: per clause, its instruments and what it commits to. */
export function contentPanel(item) {
  return section(
    "政策内容",
    "deliverables, targets, citations, instruments",
    h("p", { class: "muted small" },
      "每句的政策工具（供给型、环境型、需求型，悬停可见判定依据）及其承诺出台的文件、量化目标和引用的文件。"),
    h(
      "ol",
      { class: "content-list", "data-testid": "content" },
      item.clauses.map((c) =>
        h("li", { "data-clause": c.id, "data-testid": "clause-content" },
          clauseLink(c, null), " ", instrumentsLine(c.content),
          h("ul", { class: "content-lines" }, contentLines(c.content))),
      ),
    ),
  );
}
