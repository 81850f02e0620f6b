/* policykg explorer: a single page over the public REST API, no libraries, no build step;
 * native ES modules, one per view (views/) and component (components/), over lib/.
 * This module starts the page: the hash router, the render loop and the search form.
 *
 * Views (hash routes):
 *   #/                      the documents and their outlines
 *   #/search?q=…&offset=…   full-text search (Simplified or Traditional)
 *   #/item/<id>             a measure or task, its responsible bodies, concepts and links
 *   #/clause/<id>           a sentence of an item: its text, what it names, its clause links
 *   #/graph/<id>            the item's neighbourhood, drawn as inline SVG
 *   #/chain/<id>            the item through the rest of its series, step by step
 *   #/agency/<id>           an agency: names, parent, items by role
 *   #/agencies              every agency with its role counts
 *   #/technology/<id>       a technology concept and the items naming it
 *   #/region/<id>           a place and the items naming it
 *   #/coverage              measures none of whose clauses is carried on, tasks carrying none,
 *                           and every clause not carried on
 *   #/instruments?by=…      the policy-instrument mix of each document, by type and sub-tool
 *
 * Everything inserted into the page is built as DOM nodes (lib/dom.js), so text is never
 * parsed as HTML, except the API's search snippets, which are escaped text plus <mark>: those
 * are parsed in an inert <template> and only their text and <mark> elements are kept.
 */

import { ApiError } from "./lib/api.js";
import { searchHref } from "./lib/hrefs.js";
import { errorView, loadingView } from "./components/status.js";
import { agenciesView } from "./views/agencies.js";
import { agencyView } from "./views/agency.js";
import { chainView } from "./views/chain.js";
import { clauseView } from "./views/clause.js";
import { conceptView, REGION, TECHNOLOGY } from "./views/concept.js";
import { coverageView } from "./views/coverage.js";
import { graphView } from "./views/graph.js";
import { homeView } from "./views/home.js";
import { instrumentsView } from "./views/instruments.js";
import { itemView } from "./views/item.js";
import { searchView } from "./views/search.js";

/**
 * The routes by their first segment: whether they take an id, the main navigation's entry
 * they belong to (data-nav), and the view, called with (id, query parameters).
 */
const ROUTES = new Map([
  ["", { id: false, nav: "home", view: homeView }],
  ["search", { id: false, nav: null, view: (_, params) => searchView(params) }],
  ["agencies", { id: false, nav: "agencies", view: agenciesView }],
  ["coverage", { id: false, nav: "coverage", view: coverageView }],
  ["instruments", { id: false, nav: "instruments", view: (_, params) => instrumentsView(_, params) }],
  ["item", { id: true, nav: null, view: itemView }],
  ["clause", { id: true, nav: null, view: clauseView }],
  ["graph", { id: true, nav: null, view: graphView }],
  ["chain", { id: true, nav: null, view: chainView }],
  ["agency", { id: true, nav: "agencies", view: agencyView }],
  ["technology", { id: true, nav: null, view: (id) => conceptView(TECHNOLOGY, id) }],
  ["region", { id: true, nav: null, view: (id) => conceptView(REGION, id) }],
]);

/** Whether the hash is a route (#/…), not an in-page anchor such as the skip link's. */
function isRoute() {
  return location.hash === "" || location.hash.startsWith("#/");
}

function parseHash() {
  const raw = isRoute() ? location.hash.replace(/^#\/?/, "") : "";
  const cut = raw.indexOf("?");
  const path = cut === -1 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut === -1 ? "" : raw.slice(cut + 1));
  let segments;
  try {
    segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = ["?"];
  }
  return { segments, params };
}

/** {nav, run} of the parsed hash, or null when it names no view. */
function route({ segments, params }) {
  const [head = "", id, ...more] = segments;
  const found = ROUTES.get(head);
  if (!found || more.length || found.id !== (id !== undefined)) return null;
  return { nav: found.nav, run: () => found.view(id, params) };
}

let renderToken = 0;

async function render(moveFocus) {
  const main = document.getElementById("main");
  const token = ++renderToken;
  const parsed = parseHash();
  const target = route(parsed);
  const input = document.getElementById("search-input");
  if (parsed.segments[0] === "search") input.value = parsed.params.get("q") || "";
  for (const link of document.querySelectorAll(".site-nav a")) {
    if (target && link.dataset.nav === target.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(loadingView());
  let view;
  try {
    if (!target) throw new ApiError(404, "没有这个页面", `地址 ${location.hash} 不对应任何视图`);
    view = await target.run();
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error); // a bug: let it show
    view = errorView(error);
  }
  if (token !== renderToken) return; // a later navigation won
  main.replaceChildren(view.node);
  main.removeAttribute("aria-busy");
  document.title = `${view.title} · policykg`;
  if (moveFocus) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
}

function start() {
  const form = document.querySelector(".search-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = form.elements.q.value.trim();
    if (!q) return;
    const hash = searchHref(q);
    if (location.hash === hash) render(true);
    else location.hash = hash;
  });
  window.addEventListener("hashchange", () => {
    if (isRoute()) render(true);
  });
  render(false);
}

// A module runs once the document is parsed (modules are deferred), so the page is there.
start();
