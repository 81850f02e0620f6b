/* View #/search?q=…&offset=… : full-text search, Simplified or Traditional, a page at a time;
 * each hit's snippet in its own script (and in Simplified when that differs), matches marked.
 */

import { api, enc } from "../lib/api.js";
import { loadDocuments, yearOf } from "../lib/catalogue.js";
import { h, snippetNodes } from "../lib/dom.js";
import { searchHref } from "../lib/hrefs.js";
import { itemLink, summaryLang } from "../components/items.js";
import { page } from "../components/panels.js";

const SEARCH_PAGE = 20;

function hit(result, docs) {
  const doc = docs.get(result.item.document);
  return h(
    "li",
    { class: "hit", "data-testid": "search-result", "data-item": result.item.id },
    h("h2", { class: "hit-title" }, itemLink(result.item)),
    h(
      "p",
      { class: "hit-meta" },
      doc ? `${yearOf(doc.date)} · ${doc.title}` : result.item.document,
      ` · 相关度 ${result.score.toFixed(1)}`,
    ),
    h(
      "p",
      { class: "snippet", lang: summaryLang(result.item), "data-testid": "search-snippet" },
      snippetNodes(result.snippet_original),
    ),
    result.snippet !== result.snippet_original
      ? h(
          "p",
          { class: "snippet snippet-simplified", lang: "zh-Hans" },
          h("span", { class: "tag" }, "简体"),
          " ",
          snippetNodes(result.snippet),
        )
      : null,
  );
}

function countLine(result, offset) {
  return h(
    "p",
    { class: "muted", "data-testid": "search-count" },
    `共 ${result.count} 条结果`,
    result.query_simplified !== result.query ? `（按简体“${result.query_simplified}”检索）` : "",
    result.count > SEARCH_PAGE
      ? `，第 ${offset + 1}–${Math.min(offset + SEARCH_PAGE, result.count)} 条`
      : "",
  );
}

function pager(q, offset, count) {
  const pageLink = (to, label) => h("a", { class: "button", href: searchHref(q, to) }, label);
  return h(
    "nav",
    { class: "pager", "aria-label": "搜索结果分页" },
    offset > 0 ? pageLink(Math.max(0, offset - SEARCH_PAGE), "上一页") : null,
    offset + SEARCH_PAGE < count ? pageLink(offset + SEARCH_PAGE, "下一页") : null,
  );
}

export async function searchView(params) {
  const q = (params.get("q") || "").trim();
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  if (!q) {
    return page({ title: "搜索" }, h("p", {}, "请在上方输入检索词。"));
  }
  const result = await api(`search?q=${enc(q)}&limit=${SEARCH_PAGE}&offset=${offset}`);
  const docs = await loadDocuments();
  const hits = result.data.map((r) => hit(r, docs));
  return page(
    { title: `搜索：${q}`, heading: `搜索：“${q}”`, className: "search" },
    countLine(result, offset),
    hits.length
      ? h("ol", { class: "hits", "data-testid": "search-results" }, hits)
      : h("p", { "data-testid": "search-empty" }, "没有找到匹配的措施或任务。"),
    pager(q, offset, result.count),
  );
}
