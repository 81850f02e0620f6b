/* What the explorer knows of the corpus as a whole: the documents (/documents: each one's
 * title, date and kind of item) and an index of every item summary (each document's item
 * list), which tells what a bare id from the address is, its kind and its document, without
 * taking the id apart.
 */

import { api, ApiError, enc } from "./api.js";
import { DIRECTIONS, MAIN_DIRECTION, PREDECESSORS, SUCCESSORS } from "./direction.js";
import { KIND_PLURAL } from "./labels.js";

/** The largest page the item lists serve. */
const LIST_PAGE = 500;

let known = new Map();

/** The documents by id (remembered for docYear). */
export async function loadDocuments() {
  const docs = await api("documents");
  known = new Map(docs.data.map((d) => [d.id, d]));
  return known;
}

/** The year of an ISO date ("2021-03-30" → "2021"). */
export function yearOf(date) {
  return date.slice(0, 4);
}

/** "2021" for the document gd2021 (once loadDocuments has run), else the document id. */
export function docYear(docId) {
  const doc = known.get(docId);
  return doc ? yearOf(doc.date) : docId;
}

/** The API path of one page of a document's items. */
function documentItemsPath(doc, offset = 0) {
  const page = `limit=${LIST_PAGE}${offset ? `&offset=${offset}` : ""}`;
  return `${KIND_PLURAL[doc.kind]}?doc=${enc(doc.id)}&${page}`;
}

/** Every item summary of a document, in the API's order. */
export async function documentItems(doc) {
  if (!KIND_PLURAL[doc.kind]) return [];
  const items = [];
  for (;;) {
    const page = await api(documentItemsPath(doc, items.length));
    items.push(...page.data);
    if (!page.data.length || items.length >= page.count) return items;
  }
}

/** Every item summary of the corpus, by id. */
async function loadItemIndex() {
  const docs = await loadDocuments();
  const lists = await Promise.all([...docs.values()].map(documentItems));
  return new Map(lists.flat().map((i) => [i.id, i]));
}

/** The API path of an item (a summary or detail: its kind picks the collection). */
export function itemPath(item) {
  return `${KIND_PLURAL[item.kind]}/${enc(item.id)}`;
}

/**
 * An id no document lists: the item endpoints have the last word (an item the lists missed is
 * still found; otherwise both answer 404, and the page says so).
 */
async function askEachKind(id) {
  const kinds = Object.keys(KIND_PLURAL);
  const answers = await Promise.allSettled(kinds.map((kind) => api(itemPath({ kind, id }))));
  const found = answers.find((a) => a.status === "fulfilled");
  if (found) return found.value;
  const failure = answers.find((a) => !(a.reason instanceof ApiError && a.reason.status === 404));
  if (failure) throw failure.reason;
  throw new ApiError(404, "找不到该条目", `没有编号为 ${id} 的措施或任务`);
}

/**
 * Which directions an item of the document has links in: predecessors when a document comes
 * before it, successors when one comes after, in its series. Without any series every pair of
 * documents is aligned, so by date; a document outside the series there are is aligned with
 * none.
 */
async function neighbours(docId) {
  const series = await api("series");
  const docs = known; // read by loadItemIndex just before
  const mine = series.data.find((x) => x.documents.some((d) => d.id === docId));
  if (mine) {
    const { position } = mine.documents.find((d) => d.id === docId);
    return { predecessors: position > 1, successors: position < mine.documents.length };
  }
  if (series.data.length) return { predecessors: false, successors: false };
  const date = docs.get(docId)?.date;
  const dates = [...docs.values()].map((d) => d.date);
  return { predecessors: dates.some((d) => d < date), successors: dates.some((d) => d > date) };
}

/**
 * An item's detail, its links in each direction it has (`sides`: predecessors, then
 * successors), the side it is first read in (`direction` and its `links`: a measure's
 * successors, a task's predecessors, unless only the other side has links) and the item index.
 */
export async function loadItem(id) {
  const index = await loadItemIndex();
  const summary = index.get(id) || (await askEachKind(id));
  const [item, before, after, near] = await Promise.all([
    api(itemPath(summary)),
    api(PREDECESSORS.path(id)),
    api(SUCCESSORS.path(id)),
    neighbours(summary.document),
  ]);
  const found = { predecessors: before.data, successors: after.data };
  const sides = DIRECTIONS.filter((d) => near[d.name] || found[d.name].length).map((d) => ({
    direction: d,
    links: found[d.name],
  }));
  const usual = MAIN_DIRECTION[item.kind];
  const main =
    sides.find((x) => x.direction === usual && x.links.length) ||
    sides.find((x) => x.links.length) ||
    sides.find((x) => x.direction === usual) ||
    sides[0] || { direction: usual, links: [] };
  return { item, sides, direction: main.direction, links: main.links, index };
}
