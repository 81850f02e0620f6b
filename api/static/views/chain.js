/* View #/chain/<id> : what became of a measure (or any item) document by document through the
 * rest of its series: each step's accepted links, with the clause pairs behind each link.
 * Any number of documents: one section per step the API returns.
 */

import { api, enc } from "../lib/api.js";
import { loadDocuments } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { clauseHref } from "../lib/hrefs.js";
import { RELATION_LABEL } from "../lib/labels.js";
import { itemLink, nothing, yearLabel } from "../components/items.js";
import { section } from "../components/panels.js";

function clausePair(pair) {
  const clause = (c) =>
    h("a", { href: clauseHref(c.id), class: "chain-clause" }, `第 ${c.number} 句 `, c.text);
  return h(
    "li",
    { "data-testid": "chain-clause" },
    clause(pair.source),
    " → ",
    clause(pair.target),
    h("span", { class: "muted" }, ` (${pair.score.toFixed(2)})`),
  );
}

function link(mapping) {
  return h(
    "li",
    { class: "chain-link", "data-testid": "chain-step-link", "data-target": mapping.target.id },
    itemLink(mapping.source),
    " → ",
    itemLink(mapping.target),
    h(
      "span",
      { class: "muted" },
      ` ${RELATION_LABEL[mapping.relation] || ""} ${mapping.score.toFixed(2)}`,
    ),
    h("ul", { class: "chain-clauses" }, mapping.clauses.map(clausePair)),
  );
}

function step(s, index) {
  return h(
    "div",
    { "data-testid": "chain-step", "data-target-document": s.target_document },
    section(
      `第 ${index + 1} 步：${s.source_document} → ${s.target_document}`,
      `step ${index + 1}`,
      s.links.length
        ? h("ol", { class: "chain-links" }, s.links.map(link))
        : nothing("chain-ended"),
    ),
  );
}

export async function chainView(id) {
  const [chain] = await Promise.all([api(`chains/${enc(id)}`), loadDocuments()]);
  const title = `${yearLabel(chain.item)} 的延续`;
  return {
    title,
    node: h(
      "article",
      { class: "chain-page", "data-testid": "chain", "data-item": chain.item.id },
      h("h1", { "data-testid": "chain-title" }, title),
      h("p", {}, itemLink(chain.item)),
      chain.steps.length
        ? chain.steps.map(step)
        : h("p", { class: "muted", "data-testid": "chain-ended" }, "系列中此后没有文件"),
    ),
  };
}
