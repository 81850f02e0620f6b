/* How a link's score is made: each signal's contribution as a bar, then the overall
 * similarity and the two hubness corrections.
 */

import { h, score3 } from "../lib/dom.js";
import { MEASURE_LABEL, SIGNAL_LABEL } from "../lib/labels.js";

function row(label, bar, value) {
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, label),
    h("td", {}, bar),
    h("td", { class: "num" }, score3(value)),
  );
}

/** The table of `evidence`'s contributions, or null when it has none. */
export function scoreBreakdown(evidence) {
  const contributions = Object.entries(evidence.contributions || {});
  if (!contributions.length) return null;
  const most = Math.max(...contributions.map(([, v]) => v), 1e-9);
  const bar = (value) =>
    h("span", {
      class: "bar",
      style: `--w: ${((100 * value) / most).toFixed(1)}%`,
      "aria-hidden": "true",
    });
  return h(
    "table",
    { class: "signals" },
    h("caption", {}, "得分构成"),
    h(
      "tbody",
      {},
      contributions.map(([signal, v]) => row(SIGNAL_LABEL[signal] || signal, bar(v), v)),
      Object.entries(MEASURE_LABEL)
        .filter(([key]) => typeof evidence[key] === "number")
        .map(([key, label]) => row(label, null, evidence[key])),
    ),
  );
}
