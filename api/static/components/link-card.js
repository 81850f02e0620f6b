/* One candidate link of an item: the linked item with its score, rank and whether the
 * alignment accepted it (and as what kind of succession, with the clause links behind it),
 * and the evidence (shared terms, shared concepts, both texts marked,
 * how the score is made), open for the best candidate.
 */

import { h, score3 } from "../lib/dom.js";
import { RELATION_HINT, RELATION_LABEL } from "../lib/labels.js";
import { clauseLink, clauseText } from "./clauses.js";
import { evidenceTexts } from "./evidence-texts.js";
import { termButtons } from "./evidence-terms.js";
import { itemLabel, itemLink, summaryLang } from "./items.js";
import { scoreBreakdown } from "./score-breakdown.js";
import { sharedConcepts } from "./shared-concepts.js";

function badges(link) {
  return h(
    "div",
    { class: "badges" },
    h("span", { class: "badge score", "data-testid": "link-score" }, `得分 ${score3(link.score)}`),
    h(
      "span",
      {
        class: "badge",
        "data-testid": "link-rank",
        title: `在${itemLabel(link.source)} 的候选后续任务中排第 ${link.rank} 位`,
      },
      `候选第 ${link.rank}`,
    ),
    h(
      "span",
      {
        class: `badge ${link.accepted ? "yes" : "no"}`,
        "data-testid": "link-accepted",
        "data-accepted": String(link.accepted),
      },
      link.accepted ? "已采纳" : "未采纳",
    ),
    link.relation
      ? h(
          "span",
          {
            class: `badge relation ${link.relation}`,
            "data-testid": "link-relation",
            "data-relation": link.relation,
            title: `${RELATION_HINT[link.relation]}（${link.predicate}）`,
          },
          RELATION_LABEL[link.relation],
        )
      : null,
    link.share !== null && link.share !== undefined
      ? h(
          "span",
          { class: "badge", title: "该措施的句段中由这一任务延续的期望份额" },
          `句段份额 ${score3(link.share)}`,
        )
      : null,
  );
}

/** The accepted clause links behind an item link: which sentence went where. */
function clausePairs(link) {
  if (!link.clauses || !link.clauses.length) return null;
  return h(
    "ul",
    { class: "clause-pairs", "data-testid": "clause-pairs" },
    link.clauses.map((pair) =>
      h(
        "li",
        { "data-testid": "clause-pair" },
        clauseLink(pair.source, link.source),
        " ",
        clauseText(pair.source, summaryLang(link.source), 40),
        h("span", { class: "arrow", "aria-hidden": "true" }, " → "),
        clauseLink(pair.target, link.target),
        " ",
        clauseText(pair.target, summaryLang(link.target), 40),
        h("span", { class: "muted small" }, ` （${score3(pair.score)}）`),
      ),
    ),
  );
}

function evidenceDetails(link, direction, self, other, open) {
  const evidence = link.evidence || {};
  const shared = evidence.shared_terms || [];
  const terms = shared.map((t) => t.term);
  const weights = shared.map((t) => Number(t.weight) || 0);
  const texts = evidenceTexts(direction.ends(self, other), self.id, terms, weights);
  return h(
    "details",
    { class: "evidence", open, "data-testid": "evidence" },
    h("summary", {}, "证据：共有词语与原文对照"),
    terms.length ? termButtons(shared, texts) : h("p", { class: "muted" }, "没有共有词语。"),
    sharedConcepts(evidence, [self, other]),
    texts,
    scoreBreakdown(evidence),
  );
}

/**
 * The card of `link` on `self`'s page (`direction` is self's, `other` the linked item's
 * detail); the first card (index 0) has its evidence open.
 */
export function linkCard(link, direction, self, other, index) {
  const linked = direction.other(link);
  return h(
    "li",
    {
      class: `link-card${link.accepted ? " accepted" : ""}`,
      "data-testid": "link-card",
      "data-item": linked.id,
    },
    h(
      "div",
      { class: "link-head" },
      h("h3", {}, itemLink(linked, { "data-testid": "link-item" })),
      badges(link),
    ),
    clausePairs(link),
    evidenceDetails(link, direction, self, other, index === 0),
  );
}
