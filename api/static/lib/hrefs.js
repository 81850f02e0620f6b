/* The explorer's own addresses (hash routes), built in one place. */

import { enc } from "./api.js";

/** #/<route>/<id>: route is item, graph, chain, agency, clause, technology or region. */
export function to(route, id) {
  return `#/${route}/${enc(id)}`;
}

export const itemHref = (id) => to("item", id);
export const graphHref = (id) => to("graph", id);
export const chainHref = (id) => to("chain", id);
export const agencyHref = (id) => to("agency", id);
export const clauseHref = (id) => to("clause", id);

/** #/search?q=…, with &offset=… when given. */
export function searchHref(q, offset) {
  return `#/search?q=${enc(q)}${offset === undefined ? "" : `&offset=${offset}`}`;
}
