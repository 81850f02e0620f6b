/* The two directions of a link: an item's successors are in the document after it (the link's
 * target; drawn to the right, where time flows), its predecessors in the document before it
 * (the link's source; drawn to the left). In a series a yearly plan's task has both; a 2021
 * measure has only successors, the last plan's task only predecessors. Everything that differs
 * between the two lives here, so the link section, the link card and the graph are written
 * once.
 */

import { enc } from "./api.js";
import { ITEM_LABEL, KIND_LABEL, LINK_LABEL } from "./labels.js";

function direction(name, group, side, otherEnd, prefix) {
  return {
    /** "successors" or "predecessors": the API's sub-path, the section's test id and English. */
    name,
    /** The section's heading: 后续任务, 来源措施 … by the linked items' kind. */
    label: LINK_LABEL[name],
    labelFor: (links) => {
      const kinds = new Set(links.map((l) => l[otherEnd].kind));
      return kinds.size === 1 ? prefix + KIND_LABEL[[...kinds][0]] : prefix + ITEM_LABEL;
    },
    /** The graph's node group (data-kind) of the linked items. */
    group,
    /** The side of the graph the linked items are drawn on. */
    side,
    path: (id) => `items/${enc(id)}/${name}`,
    /** The linked item of a link: the end that is not this item. */
    other: (link) => link[otherEnd],
    /** [source, target] of a link between this item and the other. */
    ends: (self, other) => (otherEnd === "target" ? [self, other] : [other, self]),
  };
}

export const PREDECESSORS = direction("predecessors", "predecessor", "left", "source", "来源");
export const SUCCESSORS = direction("successors", "successor", "right", "target", "后续");

/** Both directions, in the order of time: predecessors first. */
export const DIRECTIONS = [PREDECESSORS, SUCCESSORS];

/** The direction an item of each kind is first read in, when it has links both ways or none. */
export const MAIN_DIRECTION = { measure: SUCCESSORS, task: PREDECESSORS };
