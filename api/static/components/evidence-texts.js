/* A link's two texts side by side, source then target, with the shared terms marked. */

import { h } from "../lib/dom.js";
import { yearLabel } from "./items.js";
import { markedText } from "./marked-text.js";

/** `ends` is [source, target] (item details); `selfId` is the item whose page this is. */
export function evidenceTexts(ends, selfId, terms, weights) {
  return h(
    "div",
    { class: "evidence-texts" },
    ends.map((item) =>
      h(
        "figure",
        { class: "evidence-text" },
        h("figcaption", {}, item.id === selfId ? "本条" : "对应条目", " · ", yearLabel(item)),
        markedText(item, terms, weights),
      ),
    ),
  );
}
