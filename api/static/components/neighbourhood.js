/* An item's neighbours, as the nodes of its graph: the linked items (with score and
 * acceptance), then its agencies (once each, with their role), technologies, regions and
 * programmes. Each node knows its group, label, long description and where it leads.
 */

import { score3 } from "../lib/dom.js";
import { agencyHref, graphHref, searchHref, to } from "../lib/hrefs.js";
import { NODE_LABEL, ROLE_LABEL } from "../lib/labels.js";
import { itemLabel } from "./items.js";

/** The node groups' CSS classes (n-link for both directions of link). */
export const NODE_CLASS = {
  successor: "n-link",
  predecessor: "n-link",
  agency: "n-agency",
  technology: "n-technology",
  region: "n-region",
  programme: "n-programme",
};

function linkNode(link, direction) {
  const other = direction.other(link);
  return {
    group: direction.group,
    id: other.id,
    label: `${itemLabel(other)} ${other.title_simplified}`,
    extra: score3(link.score),
    full:
      `${other.id} ${other.title}（得分 ${score3(link.score)}，候选第 ${link.rank}，` +
      `${link.accepted ? "已采纳" : "未采纳"}）`,
    href: graphHref(other.id),
    weight: link.score,
    dashed: !link.accepted,
  };
}

/** The item's agencies, each once (at its first role). */
function agencyNodes(agencies) {
  const seen = new Set();
  return agencies
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .map((a) => ({
      group: "agency",
      id: a.id,
      role: a.role,
      label: a.name,
      full: `${a.name}（${ROLE_LABEL[a.role]}${a.inherited_from ? "，下同" : ""}）`,
      href: agencyHref(a.id),
      dashed: Boolean(a.inherited_from),
    }));
}

/** Concept nodes; a programme has no page, so its node searches for its name. */
function refNodes(refs, group, route) {
  return refs.map((r) => ({
    group,
    id: r.id,
    label: r.name,
    full: `${r.name}（${NODE_LABEL[group]}）`,
    href: route ? to(route, r.id) : searchHref(r.name),
  }));
}

/** {links, rest}: the linked items' nodes, and every other neighbour's. */
export function neighbourhood(direction, item, links) {
  return {
    links: links.map((l) => linkNode(l, direction)),
    rest: [
      ...agencyNodes(item.agencies),
      ...refNodes(item.technologies, "technology", "technology"),
      ...refNodes(item.regions, "region", "region"),
      ...refNodes(item.programmes, "programme", null),
    ],
  };
}
