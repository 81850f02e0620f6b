/* An item's text with a link's shared terms marked, each mark as strong as its term's weight. */

import { h } from "../lib/dom.js";

/** Non-overlapping ranges of the terms' occurrences in `text`, longest terms first. */
function termRanges(text, terms) {
  const owner = new Array(text.length).fill(-1);
  const order = terms
    .map((term, index) => ({ term, index }))
    .filter((t) => t.term)
    .sort((a, b) => b.term.length - a.term.length);
  const ranges = [];
  for (const { term, index } of order) {
    let at = text.indexOf(term);
    while (at !== -1) {
      const end = at + term.length;
      if (owner.slice(at, end).every((o) => o === -1)) {
        owner.fill(index, at, end);
        ranges.push({ start: at, end, index });
      }
      at = text.indexOf(term, at + 1);
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * `item`'s text with the shared terms marked. Terms are Simplified, so they are found in
 * the Simplified text; the original has the same length character for character, so the
 * same positions mark the original (falls back to the Simplified text if they differ).
 */
export function markedText(item, terms, weights) {
  const useOriginal = item.text.length === item.text_simplified.length;
  const shown = useOriginal ? item.text : item.text_simplified;
  const maxWeight = Math.max(...weights, 1e-9);
  const out = h("p", {
    class: "item-text marked",
    lang: useOriginal ? item.script : "zh-Hans",
    "data-testid": "evidence-text",
    "data-item": item.id,
  });
  let pos = 0;
  for (const r of termRanges(item.text_simplified, terms)) {
    if (r.start > pos) out.append(shown.slice(pos, r.start));
    const strength = 0.25 + 0.75 * (weights[r.index] / maxWeight);
    out.append(
      h(
        "mark",
        {
          "data-term": terms[r.index],
          title: `${terms[r.index]}（权重 ${weights[r.index]}）`,
          style: `--strength: ${strength.toFixed(2)}`,
        },
        shown.slice(r.start, r.end),
      ),
    );
    pos = r.end;
  }
  if (pos < shown.length) out.append(shown.slice(pos));
  return out;
}
