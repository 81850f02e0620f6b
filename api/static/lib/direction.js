/* The two directions of a link, as one descriptor per kind of item: a measure's links lead to
 * its successors (the link's target; drawn to the right, where time flows), a task's come from
 * its predecessors (the link's source; drawn to the left). Everything that differs between the
 * two lives here, so the link section, the link card and the graph are written once.
 */

import { enc } from "./api.js";
import { KIND_PLURAL, LINK_LABEL } from "./labels.js";

function direction(kind, name, group, side, otherEnd) {
  return {
    /** "successors" or "predecessors": the API's sub-path, the section's test id and English. */
    name,
    label: LINK_LABEL[name],
    /** The graph's node group (data-kind) of the linked items. */
    group,
    /** The side of the graph the linked items are drawn on. */
    side,
    path: (id) => `${KIND_PLURAL[kind]}/${enc(id)}/${name}`,
    /** The linked item of a link: the end that is not this item. */
    other: (link) => link[otherEnd],
    /** [source, target] of a link between this item and the other. */
    ends: (self, other) => (otherEnd === "target" ? [self, other] : [other, self]),
  };
}

export const DIRECTIONS = {
  measure: direction("measure", "successors", "successor", "right", "target"),
  task: direction("task", "predecessors", "predecessor", "left", "source"),
};
