/* The neighbourhood graph as inline SVG: the item in a box at the centre, its neighbours in
 * two columns, grouped under headings, each joined to the centre by a curve. The linked items
 * sit on the side their direction gives (successors right, predecessors left); the other
 * neighbours fill the other side first, then balance the two columns. Every node is a link.
 */

import { s, truncate } from "../lib/dom.js";
import { itemHref } from "../lib/hrefs.js";
import { NODE_LABEL } from "../lib/labels.js";
import { itemLabel, yearLabel } from "./items.js";
import { NODE_CLASS, neighbourhood } from "./neighbourhood.js";

const WIDTH = 980;
const ROW = 28;
const GROUP_GAP = 26;
const MARGIN = 36;
const COLUMN_X = { left: 250, right: WIDTH - 250 };
const BOX_W = 230;
const TITLE_LINE = 13;
const MIDDLE = { "text-anchor": "middle" };

/** The nodes of each side. */
function sides(direction, linkNodes, rest) {
  const out = { left: [], right: [] };
  const linkSide = direction.side;
  const otherSide = linkSide === "right" ? "left" : "right";
  out[linkSide].push(...linkNodes);
  const half = Math.ceil((linkNodes.length + rest.length) / 2);
  for (const node of rest) {
    (out[otherSide].length < half ? out[otherSide] : out[linkSide]).push(node);
  }
  return out;
}

/** Give a column's nodes their y (and a heading to each group's first); returns its height. */
function layColumn(nodes) {
  let y = 0;
  let previous = null;
  for (const node of nodes) {
    if (node.group !== previous) {
      y += previous === null ? 0 : GROUP_GAP - ROW;
      node.heading = NODE_LABEL[node.group];
      y += 18;
    }
    node.y = y;
    y += ROW;
    previous = node.group;
  }
  return Math.max(0, y - ROW);
}

/** The centre's title in at most three lines of 13 characters. */
function titleLines(title) {
  const chars = Array.from(title);
  const lines = [];
  for (let i = 0; i < chars.length && lines.length < 3; i += TITLE_LINE) {
    lines.push(chars.slice(i, i + TITLE_LINE).join(""));
  }
  if (chars.length > 3 * TITLE_LINE) lines[2] = truncate(lines[2] + "…", TITLE_LINE);
  return lines;
}

/** One neighbour: its edge from the centre's side (x0, cy), heading if any, and node. */
function drawNode(node, side, x0, cy, edges, nodes) {
  const sign = side === "left" ? -1 : 1;
  const anchor = side === "left" ? "end" : "start";
  const x = COLUMN_X[side];
  const mid = (x0 + x) / 2;
  const cls = `${NODE_CLASS[node.group]}${node.role ? ` role-${node.role}` : ""}`;
  edges.push(
    s("path", {
      class: `edge ${cls}${node.dashed ? " dashed" : ""}`,
      d: `M ${x0} ${cy} C ${mid} ${cy}, ${mid} ${node.y}, ${x} ${node.y}`,
      style:
        node.weight !== undefined ? `stroke-width: ${(1.5 + 8 * node.weight).toFixed(2)}` : null,
    }),
  );
  if (node.heading) {
    const at = { x: x + sign * 16, y: node.y - 14, "text-anchor": anchor };
    nodes.push(s("text", { class: "col-heading", ...at }, node.heading));
  }
  const label = truncate(node.label, node.weight !== undefined ? 17 : 15);
  nodes.push(
    s(
      "a",
      {
        href: node.href,
        class: `node ${cls}`,
        "data-testid": "graph-node",
        "data-kind": node.group,
        "data-id": node.id,
        "aria-label": node.full,
      },
      s("title", {}, node.full),
      s("circle", { cx: x, cy: node.y, r: 7 }),
      s(
        "text",
        { x: x + sign * 14, y: node.y, dy: "0.35em", "text-anchor": anchor },
        label,
        node.extra ? s("tspan", { class: "extra", dx: "6" }, node.extra) : null,
      ),
    ),
  );
}

/** The item's box at (cx, cy), linking to its page. */
function drawCentre(item, cx, cy) {
  const lines = titleLines(item.title_simplified);
  const boxH = 40 + lines.length * 20;
  const top = cy - boxH / 2;
  return s(
    "a",
    {
      href: itemHref(item.id),
      class: "node centre",
      "data-testid": "graph-centre",
      "data-id": item.id,
      "aria-label": `${itemLabel(item)} ${item.title}（打开条目）`,
    },
    s("title", {}, `${item.id} ${item.title}`),
    s("rect", { x: cx - BOX_W / 2, y: top, width: BOX_W, height: boxH, rx: 10 }),
    s("text", { class: "centre-num", x: cx, y: top + 26, ...MIDDLE }, yearLabel(item)),
    lines.map((line, i) =>
      s("text", { class: "centre-title", x: cx, y: top + 50 + i * 20, ...MIDDLE }, line),
    ),
  );
}

/** The graph of `item` (a detail) and its `links`, in its `direction`. */
export function graphSvg(direction, item, links) {
  const { links: linkNodes, rest } = neighbourhood(direction, item, links);
  const columns = sides(direction, linkNodes, rest);
  const heights = { left: layColumn(columns.left), right: layColumn(columns.right) };
  const inner = Math.max(heights.left, heights.right, 160);
  const height = inner + 2 * MARGIN;
  const cx = WIDTH / 2;
  const cy = height / 2;
  const edges = [];
  const nodes = [];
  for (const side of ["left", "right"]) {
    const offset = MARGIN + (inner - heights[side]) / 2;
    const x0 = cx + ((side === "left" ? -1 : 1) * BOX_W) / 2;
    for (const node of columns[side]) {
      node.y += offset;
      drawNode(node, side, x0, cy, edges, nodes);
    }
  }
  return s(
    "svg",
    {
      class: "graph",
      viewBox: `0 0 ${WIDTH} ${height}`,
      width: WIDTH,
      height,
      role: "group",
      "aria-label":
        `${itemLabel(item)} 的关系图：${linkNodes.length} 个对应条目，` +
        `${rest.length} 个相关单位、技术、地区和项目`,
      "data-testid": "graph",
    },
    s("g", { class: "edges" }, edges),
    s("g", { class: "nodes" }, nodes),
    drawCentre(item, cx, cy),
  );
}
