/* policykg explorer: a single page over the public REST API, no libraries, no build step.
 *
 * Views (hash routes):
 *   #/                      the documents and their outlines
 *   #/search?q=…&offset=…   full-text search (Simplified or Traditional)
 *   #/item/<id>             a measure or task, its responsible bodies, concepts and links
 *   #/graph/<id>            the item's neighbourhood, drawn as inline SVG
 *   #/agency/<id>           an agency: names, parent, items by role
 *   #/agencies              every agency with its role counts
 *   #/technology/<id>       a technology concept and the items naming it
 *   #/region/<id>           a place and the items naming it
 *   #/coverage              2021 measures without a successor, 2025 tasks without a predecessor
 *
 * Everything inserted into the page is built as DOM nodes (so text is never parsed as HTML),
 * except the API's search snippets, which are escaped text plus <mark>: those are parsed in an
 * inert <template> and only their text and <mark> elements are kept.
 */
"use strict";

(() => {
  const ROLES = ["lead", "shared", "implementing"];
  const ROLE_LABEL = { lead: "牵头", shared: "按职责分工负责", implementing: "结合实际落实" };
  const KIND_LABEL = { measure: "措施", task: "任务" };
  const SIGNAL_LABEL = {
    chars: "字符相似",
    words: "词语相似",
    agencies: "责任单位",
    places: "地区",
    programmes: "项目平台",
  };
  const SEARCH_PAGE = 20;
  const SVG_NS = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------------------------------
  // DOM helpers
  // ---------------------------------------------------------------------------------------

  function append(parent, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(parent, child);
      else if (child instanceof Node) parent.append(child);
      else parent.append(document.createTextNode(String(child)));
    }
  }

  function setAttrs(el, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else {
        el.setAttribute(key, value === true ? "" : String(value));
      }
    }
  }

  /** An HTML element: h("a", {href: "#/"}, "text", child, [more]). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  /** An SVG element. */
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  /** The API's snippet (escaped text with <mark>) as nodes: text and <mark> only. */
  function snippetNodes(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const out = document.createDocumentFragment();
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") out.append(h("mark", {}, node.textContent));
      else out.append(document.createTextNode(node.textContent));
    }
    return out;
  }

  function truncate(text, max) {
    const chars = Array.from(text);
    return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : text;
  }

  function score3(x) {
    return typeof x === "number" ? x.toFixed(3) : "—";
  }

  // ---------------------------------------------------------------------------------------
  // The API
  // ---------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, title, detail) {
      super(detail || title);
      this.status = status;
      this.title = title;
      this.detail = detail;
    }
  }

  const responses = new Map();

  /** GET a path of the API (relative to the page, so the explorer works behind a prefix). */
  function api(path) {
    if (!responses.has(path)) {
      const promise = fetch(path, { headers: { Accept: "application/json" } }).then(
        async (response) => {
          const body = await response.json().catch(() => null);
          if (!response.ok) {
            const title = (body && body.title) || response.statusText || "请求失败";
            const detail = (body && body.detail) || "";
            throw new ApiError(response.status, title, detail);
          }
          return body;
        },
        (error) => {
          throw new ApiError(0, "无法连接 API", String(error));
        },
      );
      promise.catch(() => responses.delete(path));
      responses.set(path, promise);
    }
    return responses.get(path);
  }

  const enc = encodeURIComponent;

  let knownDocuments = new Map();

  async function documentsById() {
    const docs = await api("documents");
    knownDocuments = new Map(docs.data.map((d) => [d.id, d]));
    return knownDocuments;
  }

  /** "2021" for gd2021 (after documentsById has run once), else the document id. */
  function docYear(docId) {
    const doc = knownDocuments.get(docId);
    return doc ? doc.date.slice(0, 4) : docId;
  }

  /** The kind of an item id ("measure" or "task"), from its document's kind. */
  async function kindOf(id) {
    const docs = await documentsById();
    const doc = docs.get(id.split("-")[0]);
    return doc ? doc.kind : null;
  }

  function itemPath(id, kind) {
    return `${kind === "measure" ? "measures" : "tasks"}/${enc(id)}`;
  }

  function linksPath(id, kind) {
    return kind === "measure" ? `measures/${enc(id)}/successors` : `tasks/${enc(id)}/predecessors`;
  }

  async function loadItem(id) {
    const kind = await kindOf(id);
    if (!kind) throw new ApiError(404, "找不到该条目", `没有编号为 ${id} 的措施或任务`);
    const [item, links] = await Promise.all([api(itemPath(id, kind)), api(linksPath(id, kind))]);
    return { kind, item, links: links.data };
  }

  // ---------------------------------------------------------------------------------------
  // Shared pieces of views
  // ---------------------------------------------------------------------------------------

  /** The script of an item summary: the API gives no script, but Traditional titles differ. */
  function summaryLang(summary) {
    return summary.title !== summary.title_simplified ? "zh-Hant" : "zh-Hans";
  }

  function itemLabel(summary) {
    return `${KIND_LABEL[summary.kind] || "条目"} ${summary.number}`;
  }

  function itemLink(summary, attrs) {
    return h(
      "a",
      { href: `#/item/${enc(summary.id)}`, class: "item-link", "data-item": summary.id, ...attrs },
      h("span", { class: "item-num" }, itemLabel(summary)),
      " ",
      h("span", { lang: summaryLang(summary) }, summary.title),
    );
  }

  function itemList(summaries, testid) {
    if (!summaries.length) return h("p", { class: "muted", "data-testid": testid }, "无");
    return h(
      "ul",
      { class: "item-list", "data-testid": testid },
      summaries.map((i) =>
        h("li", {}, itemLink(i), " ", h("span", { class: "doc-tag" }, docYear(i.document))),
      ),
    );
  }

  function chip(label, href, attrs) {
    return href
      ? h("a", { class: "chip", href, ...attrs }, label)
      : h("span", { class: "chip", ...attrs }, label);
  }

  function refChips(refs, route, testid) {
    if (!refs.length) return h("p", { class: "muted", "data-testid": testid }, "无");
    return h(
      "ul",
      { class: "chips", "data-testid": testid },
      refs.map((r) => h("li", {}, chip(r.name, route ? `#/${route}/${enc(r.id)}` : null))),
    );
  }

  function section(title, english, ...children) {
    return h(
      "section",
      { class: "panel" },
      h("h2", {}, title, english ? h("small", { lang: "en" }, english) : null),
      children,
    );
  }

  function definitionList(pairs) {
    return h(
      "dl",
      { class: "facts" },
      pairs
        .filter(([, value]) => value !== null && value !== undefined && value !== "")
        .map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
    );
  }

  function loadingView() {
    return h("p", { class: "loading", role: "status" }, "加载中…");
  }

  function errorView(error) {
    const notFound = error instanceof ApiError && error.status === 404;
    return {
      title: notFound ? "未找到" : "出错了",
      node: h(
        "div",
        { class: "error", role: "alert", "data-testid": "error" },
        h("h1", {}, notFound ? "未找到" : "出错了"),
        h("p", {}, error instanceof ApiError ? error.title : "页面出错"),
        error.detail ? h("p", { class: "muted" }, error.detail) : null,
        h("p", {}, h("a", { href: "#/" }, "返回首页")),
      ),
    };
  }

  // ---------------------------------------------------------------------------------------
  // Highlighting shared terms
  // ---------------------------------------------------------------------------------------

  /** Non-overlapping ranges of the terms' occurrences in `text`, longest terms first. */
  function termRanges(text, terms) {
    const owner = new Array(text.length).fill(-1);
    const order = terms
      .map((term, index) => ({ term, index }))
      .filter((t) => t.term)
      .sort((a, b) => b.term.length - a.term.length);
    const ranges = [];
    for (const { term, index } of order) {
      let at = text.indexOf(term);
      while (at !== -1) {
        const end = at + term.length;
        if (owner.slice(at, end).every((o) => o === -1)) {
          owner.fill(index, at, end);
          ranges.push({ start: at, end, index });
        }
        at = text.indexOf(term, at + 1);
      }
    }
    return ranges.sort((a, b) => a.start - b.start);
  }

  /**
   * `item`'s text with the shared terms marked. Terms are Simplified, so they are found in
   * the Simplified text; the original has the same length character for character, so the
   * same positions mark the original (falls back to the Simplified text if they differ).
   */
  function markedText(item, terms, weights) {
    const useOriginal = item.text.length === item.text_simplified.length;
    const shown = useOriginal ? item.text : item.text_simplified;
    const ranges = termRanges(item.text_simplified, terms);
    const maxWeight = Math.max(...weights, 1e-9);
    const out = h("p", {
      class: "item-text marked",
      lang: useOriginal ? item.script : "zh-Hans",
      "data-testid": "evidence-text",
      "data-item": item.id,
    });
    let pos = 0;
    for (const r of ranges) {
      if (r.start > pos) out.append(shown.slice(pos, r.start));
      const strength = 0.25 + 0.75 * (weights[r.index] / maxWeight);
      out.append(
        h(
          "mark",
          {
            "data-term": terms[r.index],
            title: `${terms[r.index]}（权重 ${weights[r.index]}）`,
            style: `--strength: ${strength.toFixed(2)}`,
          },
          shown.slice(r.start, r.end),
        ),
      );
      pos = r.end;
    }
    if (pos < shown.length) out.append(shown.slice(pos));
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Views
  // ---------------------------------------------------------------------------------------

  async function homeView() {
    const docs = await api("documents");
    const outlines = await Promise.all(
      docs.data.map(async (d) => {
        const plural = d.kind === "measure" ? "measures" : "tasks";
        const [detail, items] = await Promise.all([
          api(`documents/${enc(d.id)}`),
          api(`${plural}?doc=${enc(d.id)}&limit=500`),
        ]);
        return { detail, items: new Map(items.data.map((i) => [i.id, i])) };
      }),
    );
    const docCard = ({ detail, items }) => {
      const list = (ids) =>
        h(
          "ol",
          { class: "outline-items" },
          ids.filter((id) => items.has(id)).map((id) => h("li", {}, itemLink(items.get(id)))),
        );
      return h(
        "article",
        { class: "panel doc-card", "data-testid": "document", "data-doc": detail.id },
        h("h2", {}, detail.title),
        definitionList([
          ["文号", detail.number],
          ["日期", detail.date],
          [
            "发文单位",
            detail.issuer
              ? h("a", { href: `#/agency/${enc(detail.issuer.id)}` }, detail.issuer.name)
              : null,
          ],
          ["条目", `${detail.items} 项${KIND_LABEL[detail.kind] || ""}`],
        ]),
        detail.note ? h("p", { class: "note", lang: "en" }, detail.note) : null,
        detail.parts.map((part) => {
          const lang = part.title !== part.title_simplified ? "zh-Hant" : "zh-Hans";
          return h(
            "section",
            { class: "outline-part" },
            h("h3", {}, h("span", { class: "part-num" }, `第 ${part.number} 部分`), " ",
              h("span", { lang }, part.title)),
            part.items.length ? list(part.items) : null,
            part.groups.map((g) =>
              h(
                "div",
                { class: "outline-group" },
                h("h4", { lang }, g.title),
                list(g.items),
              ),
            ),
          );
        }),
      );
    };
    return {
      title: "文件",
      node: h(
        "div",
        { class: "home" },
        h("h1", {}, "广东省数字化发展政策"),
        h(
          "p",
          { class: "lead-text" },
          "2021 年《广东省人民政府关于加快数字化发展的意见》的措施、",
          "2025 年《数字广东建设工作要点》的任务，各项的责任单位、涉及的技术和地区，",
          "以及两份文件之间逐项的对应关系与证据。",
          "可在上方搜索（简体或繁体均可），或从下面的目录进入。",
        ),
        h("div", { class: "doc-grid" }, outlines.map(docCard)),
      ),
    };
  }

  async function searchView(params) {
    const q = (params.get("q") || "").trim();
    const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
    if (!q) {
      return {
        title: "搜索",
        node: h("div", {}, h("h1", {}, "搜索"), h("p", {}, "请在上方输入检索词。")),
      };
    }
    const result = await api(`search?q=${enc(q)}&limit=${SEARCH_PAGE}&offset=${offset}`);
    const docs = await documentsById();
    const pageLink = (to, label) =>
      h("a", { class: "button", href: `#/search?q=${enc(q)}&offset=${to}` }, label);
    const hits = result.data.map((hit) => {
      const lang = summaryLang(hit.item);
      const doc = docs.get(hit.item.document);
      return h(
        "li",
        { class: "hit", "data-testid": "search-result", "data-item": hit.item.id },
        h("h2", { class: "hit-title" }, itemLink(hit.item)),
        h(
          "p",
          { class: "hit-meta" },
          doc ? `${doc.date.slice(0, 4)} · ${doc.title}` : hit.item.document,
          ` · 相关度 ${hit.score.toFixed(1)}`,
        ),
        h(
          "p",
          { class: "snippet", lang, "data-testid": "search-snippet" },
          snippetNodes(hit.snippet_original),
        ),
        hit.snippet !== hit.snippet_original
          ? h(
              "p",
              { class: "snippet snippet-simplified", lang: "zh-Hans" },
              h("span", { class: "tag" }, "简体"),
              " ",
              snippetNodes(hit.snippet),
            )
          : null,
      );
    });
    return {
      title: `搜索：${q}`,
      node: h(
        "div",
        { class: "search" },
        h("h1", {}, `搜索：“${q}”`),
        h(
          "p",
          { class: "muted", "data-testid": "search-count" },
          `共 ${result.count} 条结果`,
          result.query_simplified !== result.query
            ? `（按简体“${result.query_simplified}”检索）`
            : "",
          result.count > SEARCH_PAGE
            ? `，第 ${offset + 1}–${Math.min(offset + SEARCH_PAGE, result.count)} 条`
            : "",
        ),
        hits.length
          ? h("ol", { class: "hits", "data-testid": "search-results" }, hits)
          : h("p", { "data-testid": "search-empty" }, "没有找到匹配的措施或任务。"),
        h(
          "nav",
          { class: "pager", "aria-label": "搜索结果分页" },
          offset > 0 ? pageLink(Math.max(0, offset - SEARCH_PAGE), "上一页") : null,
          offset + SEARCH_PAGE < result.count ? pageLink(offset + SEARCH_PAGE, "下一页") : null,
        ),
      ),
    };
  }

  /** "任务 1" for gd2025-t01 when the id ends in a number, else the id. */
  function inheritedLabel(id) {
    const match = /-[a-z]+0*(\d+)$/.exec(id);
    const kind = knownDocuments.get(id.split("-")[0]);
    return match && kind ? `${KIND_LABEL[kind.kind] || "条目"} ${match[1]}` : id;
  }

  function agencyEntry(a) {
    return h(
      "li",
      { class: "agency", "data-agency": a.id },
      h("a", { href: `#/agency/${enc(a.id)}` }, a.name),
      a.surface && a.surface !== a.name
        ? h(
            "span",
            { class: "surface" },
            "（原文作“",
            h("span", { lang: "zh-Hant" }, a.surface),
            "”）",
          )
        : null,
      a.inherited_from
        ? h(
            "span",
            { class: "tag inherited", "data-testid": "inherited" },
            "下同 · 承自 ",
            h("a", { href: `#/item/${enc(a.inherited_from)}` }, inheritedLabel(a.inherited_from)),
          )
        : null,
    );
  }

  function agenciesPanel(item) {
    const groups = ROLES.map((role) => ({
      role,
      agencies: item.agencies.filter((a) => a.role === role),
    })).filter((g) => g.agencies.length);
    return section(
      "责任单位",
      "responsible bodies",
      groups.length
        ? h(
            "div",
            { class: "roles" },
            groups.map((g) =>
              h(
                "div",
                { class: `role role-${g.role}`, "data-testid": `role-${g.role}` },
                h("h3", {}, ROLE_LABEL[g.role], h("small", { lang: "en" }, g.role)),
                h("ul", { class: "agency-list" }, g.agencies.map(agencyEntry)),
              ),
            ),
          )
        : h("p", { class: "muted" }, "原文未列明责任单位。"),
      item.open_ended
        ? h("p", { class: "muted small" }, "原文以“等”结尾：所列单位并非全部。")
        : null,
    );
  }

  function linkCard(link, kind, self, other, index) {
    const otherSummary = kind === "measure" ? link.target : link.source;
    const [source, target] = kind === "measure" ? [self, other] : [other, self];
    const evidence = link.evidence || {};
    const shared = (evidence.shared_terms || []).slice();
    const terms = shared.map((t) => t.term);
    const weights = shared.map((t) => Number(t.weight) || 0);
    const names = new Map(
      [...self.technologies, ...self.regions, ...self.programmes, ...other.technologies,
        ...other.regions, ...other.programmes].map((r) => [r.id, r.name]),
    );
    for (const a of [...self.agencies, ...other.agencies]) names.set(a.id, a.name);

    const texts = h(
      "div",
      { class: "evidence-texts" },
      [source, target].map((item) =>
        h(
          "figure",
          { class: "evidence-text" },
          h(
            "figcaption",
            {},
            item.id === self.id ? "本条" : "对应条目",
            " · ",
            `${docYear(item.document)} ${itemLabel(item)}`,
          ),
          markedText(item, terms, weights),
        ),
      ),
    );

    const focusTerm = (term) => {
      texts.classList.toggle("focused", term !== null);
      for (const m of texts.querySelectorAll("mark")) {
        m.classList.toggle("focus", m.dataset.term === term);
      }
      for (const b of termList.querySelectorAll("button")) {
        b.setAttribute("aria-pressed", String(b.dataset.term === term));
      }
    };
    let pinned = null;
    const termList = h(
      "ul",
      { class: "terms", "data-testid": "shared-terms", "aria-label": "共有词语" },
      shared.map((t) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "term",
              "data-term": t.term,
              "aria-pressed": "false",
              title: "突出显示这个词",
              onmouseenter: () => focusTerm(t.term),
              onmouseleave: () => focusTerm(pinned),
              onfocus: () => focusTerm(t.term),
              onblur: () => focusTerm(pinned),
              onclick: () => {
                pinned = pinned === t.term ? null : t.term;
                focusTerm(pinned);
              },
            },
            t.term,
            h("span", { class: "weight" }, Number(t.weight).toFixed(3)),
          ),
        ),
      ),
    );

    const contributions = Object.entries(evidence.contributions || {});
    const maxContribution = Math.max(...contributions.map(([, v]) => v), 1e-9);
    const signals = h(
      "table",
      { class: "signals" },
      h("caption", {}, "得分构成"),
      h(
        "tbody",
        {},
        contributions.map(([signal, value]) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, SIGNAL_LABEL[signal] || signal),
            h(
              "td",
              {},
              h("span", {
                class: "bar",
                style: `--w: ${((100 * value) / maxContribution).toFixed(1)}%`,
                "aria-hidden": "true",
              }),
            ),
            h("td", { class: "num" }, score3(value)),
          ),
        ),
        [
          ["相似度", evidence.similarity],
          ["来源集中度", evidence.source_hubness],
          ["目标集中度", evidence.target_hubness],
        ]
          .filter(([, v]) => typeof v === "number")
          .map(([label, v]) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, label),
              h("td", {}),
              h("td", { class: "num" }, score3(v)),
            ),
          ),
      ),
    );

    const sharedConcepts = [
      ["共同技术", evidence.technologies, "technology"],
      ["共同地区", evidence.places, "region"],
      ["共同项目", evidence.programmes, null],
      ["共同单位", evidence.agencies, "agency"],
    ]
      .filter(([, ids]) => Array.isArray(ids) && ids.length)
      .map(([label, ids, route]) =>
        h(
          "div",
          { class: "shared-concepts" },
          h("span", { class: "label" }, label),
          h(
            "ul",
            { class: "chips" },
            ids.map((id) =>
              h("li", {}, chip(names.get(id) || id, route ? `#/${route}/${enc(id)}` : null)),
            ),
          ),
        ),
      );

    return h(
      "li",
      {
        class: `link-card${link.accepted ? " accepted" : ""}`,
        "data-testid": "link-card",
        "data-item": otherSummary.id,
      },
      h(
        "div",
        { class: "link-head" },
        h("h3", {}, itemLink(otherSummary, { "data-testid": "link-item" })),
        h(
          "div",
          { class: "badges" },
          h(
            "span",
            { class: "badge score", "data-testid": "link-score" },
            `得分 ${score3(link.score)}`,
          ),
          h(
            "span",
            {
              class: "badge",
              "data-testid": "link-rank",
              title: `在${itemLabel(link.source)} 的候选后续任务中排第 ${link.rank} 位`,
            },
            `候选第 ${link.rank}`,
          ),
          h(
            "span",
            {
              class: `badge ${link.accepted ? "yes" : "no"}`,
              "data-testid": "link-accepted",
              "data-accepted": String(link.accepted),
            },
            link.accepted ? "已采纳" : "未采纳",
          ),
        ),
      ),
      h(
        "details",
        { class: "evidence", open: index === 0, "data-testid": "evidence" },
        h("summary", {}, "证据：共有词语与原文对照"),
        terms.length ? termList : h("p", { class: "muted" }, "没有共有词语。"),
        sharedConcepts,
        texts,
        contributions.length ? signals : null,
      ),
    );
  }

  async function itemView(id) {
    const { kind, item, links } = await loadItem(id);
    const docs = await documentsById();
    const doc = docs.get(item.document);
    const others = await Promise.all(
      links.map((l) => {
        const other = kind === "measure" ? l.target : l.source;
        return api(itemPath(other.id, other.kind));
      }),
    );
    const traditional = item.script !== "zh-Hans";
    const linkTitle =
      kind === "measure" ? ["后续任务", "successors"] : ["来源措施", "predecessors"];
    return {
      title: `${itemLabel(item)} ${item.title_simplified}`,
      node: h(
        "article",
        { class: "item", "data-testid": "item", "data-item": item.id },
        h(
          "nav",
          { class: "breadcrumb", "aria-label": "位置" },
          h("a", { href: "#/" }, doc ? doc.title : item.document),
          " › ",
          h("span", {}, item.part.name),
          item.group ? [" › ", h("span", {}, item.group.name)] : null,
        ),
        h(
          "header",
          { class: "item-header" },
          h(
            "h1",
            { "data-testid": "item-title" },
            h("span", { class: "item-num" }, itemLabel(item)),
            " ",
            h("span", { lang: item.script }, item.title),
          ),
          traditional && item.title !== item.title_simplified
            ? h("p", { class: "subtitle", lang: "zh-Hans" }, item.title_simplified)
            : null,
          h(
            "p",
            { class: "actions" },
            h(
              "a",
              { class: "button", href: `#/graph/${enc(item.id)}`, "data-testid": "graph-link" },
              "查看关系图",
            ),
          ),
        ),
        definitionList([
          ["编号", h("code", {}, item.id)],
          ["文件", doc ? `${doc.title}（${doc.date}）` : item.document],
          ["部分", item.part.name],
          ["分组", item.group ? item.group.name : null],
          ["原文", `${traditional ? "繁体" : "简体"} · 第 ${item.line} 行`],
        ]),
        section(
          "原文",
          traditional ? "original (Traditional)" : "original",
          h("p", { class: "item-text", lang: item.script, "data-testid": "item-text" }, item.text),
        ),
        traditional
          ? section(
              "简体",
              "Simplified",
              h(
                "p",
                { class: "item-text", lang: "zh-Hans", "data-testid": "item-text-simplified" },
                item.text_simplified,
              ),
            )
          : null,
        agenciesPanel(item),
        h(
          "div",
          { class: "concepts" },
          section(
            "技术",
            "technologies",
            refChips(item.technologies, "technology", "technologies"),
          ),
          section("地区", "regions", refChips(item.regions, "region", "regions")),
          section(
            "项目与平台",
            "programmes",
            item.programmes.length
              ? h(
                  "ul",
                  { class: "chips", "data-testid": "programmes" },
                  item.programmes.map((p) =>
                    h(
                      "li",
                      {},
                      chip(p.name, `#/search?q=${enc(p.name)}`, { title: "搜索提及它的条目" }),
                    ),
                  ),
                )
              : h("p", { class: "muted", "data-testid": "programmes" }, "无"),
          ),
        ),
        h(
          "section",
          {
            class: "panel links",
            "data-testid": kind === "measure" ? "successors" : "predecessors",
          },
          h("h2", {}, linkTitle[0], h("small", { lang: "en" }, linkTitle[1])),
          links.length
            ? [
                h(
                  "p",
                  { class: "muted small" },
                  "候选对应按得分排列；“已采纳”表示对齐结果接受了这一对应。",
                  "证据中的共有词语在两段原文中标出，悬停或点击词语可单独突出显示。",
                ),
                h(
                  "ol",
                  { class: "link-list" },
                  links.map((l, i) => linkCard(l, kind, item, others[i], i)),
                ),
              ]
            : h("p", { class: "muted" }, "没有候选对应。"),
        ),
      ),
    };
  }

  // The neighbourhood graph --------------------------------------------------------------

  const NODE_GROUPS = {
    successor: { label: "后续任务", className: "n-link" },
    predecessor: { label: "来源措施", className: "n-link" },
    agency: { label: "责任单位", className: "n-agency" },
    technology: { label: "技术", className: "n-technology" },
    region: { label: "地区", className: "n-region" },
    programme: { label: "项目与平台", className: "n-programme" },
  };

  function neighbourhood(kind, item, links) {
    const linkNodes = links.map((l) => {
      const other = kind === "measure" ? l.target : l.source;
      return {
        group: kind === "measure" ? "successor" : "predecessor",
        id: other.id,
        label: `${itemLabel(other)} ${other.title_simplified}`,
        extra: score3(l.score),
        full:
          `${other.id} ${other.title}（得分 ${score3(l.score)}，候选第 ${l.rank}，` +
          `${l.accepted ? "已采纳" : "未采纳"}）`,
        href: `#/graph/${enc(other.id)}`,
        weight: l.score,
        dashed: !l.accepted,
      };
    });
    const seen = new Set();
    const agencyNodes = [];
    for (const a of item.agencies) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      agencyNodes.push({
        group: "agency",
        id: a.id,
        role: a.role,
        label: a.name,
        full: `${a.name}（${ROLE_LABEL[a.role]}${a.inherited_from ? "，下同" : ""}）`,
        href: `#/agency/${enc(a.id)}`,
        dashed: Boolean(a.inherited_from),
      });
    }
    const refs = (list, group, route) =>
      list.map((r) => ({
        group,
        id: r.id,
        label: r.name,
        full: `${r.name}（${NODE_GROUPS[group].label}）`,
        href: route ? `#/${route}/${enc(r.id)}` : `#/search?q=${enc(r.name)}`,
      }));
    return {
      links: linkNodes,
      rest: [
        ...agencyNodes,
        ...refs(item.technologies, "technology", "technology"),
        ...refs(item.regions, "region", "region"),
        ...refs(item.programmes, "programme", null),
      ],
    };
  }

  function graphSvg(kind, item, links) {
    const { links: linkNodes, rest } = neighbourhood(kind, item, links);
    // Links on the side time flows to: successors right, predecessors left; the other
    // neighbours fill the other side first, then balance the two columns.
    const linkSide = kind === "measure" ? "right" : "left";
    const otherSide = linkSide === "right" ? "left" : "right";
    const sides = { left: [], right: [] };
    sides[linkSide].push(...linkNodes);
    const half = Math.ceil((linkNodes.length + rest.length) / 2);
    for (const node of rest) {
      (sides[otherSide].length < half ? sides[otherSide] : sides[linkSide]).push(node);
    }

    const WIDTH = 980;
    const ROW = 28;
    const GROUP_GAP = 26;
    const MARGIN = 36;
    const column = (nodes) => {
      let y = 0;
      let previous = null;
      for (const node of nodes) {
        if (node.group !== previous) {
          y += previous === null ? 0 : GROUP_GAP - ROW;
          node.heading = NODE_GROUPS[node.group].label;
          y += 18;
        }
        node.y = y;
        y += ROW;
        previous = node.group;
      }
      return Math.max(0, y - ROW);
    };
    const heights = [column(sides.left), column(sides.right)];
    const inner = Math.max(...heights, 160);
    const height = inner + 2 * MARGIN;
    const cy = height / 2;
    const cx = WIDTH / 2;
    const columnX = { left: 250, right: WIDTH - 250 };
    ["left", "right"].forEach((side, i) => {
      const offset = MARGIN + (inner - heights[i]) / 2;
      for (const node of sides[side]) node.y += offset;
    });

    const BOX_W = 230;
    const titleLines = (() => {
      const chars = Array.from(item.title_simplified);
      const lines = [];
      for (let i = 0; i < chars.length && lines.length < 3; i += 13) {
        lines.push(chars.slice(i, i + 13).join(""));
      }
      if (chars.length > 39) lines[2] = truncate(lines[2] + "…", 13);
      return lines;
    })();
    const BOX_H = 40 + titleLines.length * 20;

    const edges = [];
    const nodes = [];
    for (const side of ["left", "right"]) {
      const sign = side === "left" ? -1 : 1;
      const x = columnX[side];
      const x0 = cx + (sign * BOX_W) / 2;
      for (const node of sides[side]) {
        const group = NODE_GROUPS[node.group];
        const mid = (x0 + x) / 2;
        const roleClass = node.role ? ` role-${node.role}` : "";
        edges.push(
          s("path", {
            class: `edge ${group.className}${roleClass}${node.dashed ? " dashed" : ""}`,
            d: `M ${x0} ${cy} C ${mid} ${cy}, ${mid} ${node.y}, ${x} ${node.y}`,
            style:
              node.weight !== undefined
                ? `stroke-width: ${(1.5 + 8 * node.weight).toFixed(2)}`
                : null,
          }),
        );
        if (node.heading) {
          nodes.push(
            s(
              "text",
              {
                class: "col-heading",
                x: x + sign * 16,
                y: node.y - 14,
                "text-anchor": side === "left" ? "end" : "start",
              },
              node.heading,
            ),
          );
        }
        const label = truncate(node.label, node.weight !== undefined ? 17 : 15);
        nodes.push(
          s(
            "a",
            {
              href: node.href,
              class: `node ${group.className}${roleClass}`,
              "data-testid": "graph-node",
              "data-kind": node.group,
              "data-id": node.id,
              "aria-label": node.full,
            },
            s("title", {}, node.full),
            s("circle", { cx: x, cy: node.y, r: 7 }),
            s(
              "text",
              {
                x: x + sign * 14,
                y: node.y,
                dy: "0.35em",
                "text-anchor": side === "left" ? "end" : "start",
              },
              label,
              node.extra ? s("tspan", { class: "extra", dx: "6" }, node.extra) : null,
            ),
          ),
        );
      }
    }

    const centre = s(
      "a",
      {
        href: `#/item/${enc(item.id)}`,
        class: "node centre",
        "data-testid": "graph-centre",
        "data-id": item.id,
        "aria-label": `${itemLabel(item)} ${item.title}（打开条目）`,
      },
      s("title", {}, `${item.id} ${item.title}`),
      s("rect", { x: cx - BOX_W / 2, y: cy - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 10 }),
      s(
        "text",
        { class: "centre-num", x: cx, y: cy - BOX_H / 2 + 26, "text-anchor": "middle" },
        `${docYear(item.document)} ${itemLabel(item)}`,
      ),
      titleLines.map((line, i) =>
        s(
          "text",
          {
            class: "centre-title",
            x: cx,
            y: cy - BOX_H / 2 + 50 + i * 20,
            "text-anchor": "middle",
          },
          line,
        ),
      ),
    );

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
      centre,
    );
  }

  async function graphView(id) {
    const { kind, item, links } = await loadItem(id);
    const legend = h(
      "ul",
      { class: "legend", "aria-label": "图例" },
      h(
        "li",
        {},
        h("span", { class: "swatch n-link" }),
        `${kind === "measure" ? "后续任务" : "来源措施"}（线宽＝得分，虚线＝未采纳）`,
      ),
      ROLES.map((r) =>
        h("li", {}, h("span", { class: `swatch n-agency role-${r}` }), `${ROLE_LABEL[r]}单位`),
      ),
      h("li", {}, h("span", { class: "swatch n-technology" }), "技术"),
      h("li", {}, h("span", { class: "swatch n-region" }), "地区"),
      h("li", {}, h("span", { class: "swatch n-programme" }), "项目与平台（点击搜索）"),
    );
    return {
      title: `关系图 · ${itemLabel(item)}`,
      node: h(
        "div",
        { class: "graph-view", "data-testid": "graph-view", "data-item": item.id },
        h(
          "h1",
          {},
          "关系图：",
          h("span", { class: "item-num" }, itemLabel(item)),
          " ",
          h("span", { lang: item.script }, item.title),
        ),
        h(
          "p",
          { class: "muted" },
          "居中为本条；点击对应条目可继续浏览它的关系图，点击单位、技术或地区打开其页面。",
          h("a", { href: `#/item/${enc(item.id)}` }, "返回条目页"),
        ),
        legend,
        h("div", { class: "graph-frame" }, graphSvg(kind, item, links)),
      ),
    };
  }

  // Agencies, concepts, places, coverage -------------------------------------------------

  async function agencyView(id) {
    const [a] = await Promise.all([api(`agencies/${enc(id)}`), documentsById()]);
    const byRole = a.items || {};
    const roleSection = (role, label, english) =>
      section(
        `${label}（${(byRole[role] || []).length}）`,
        english,
        itemList(byRole[role] || [], `agency-items-${role}`),
      );
    return {
      title: a.name,
      node: h(
        "article",
        { class: "agency-page", "data-testid": "agency", "data-agency": a.id },
        h(
          "nav",
          { class: "breadcrumb", "aria-label": "位置" },
          h("a", { href: "#/agencies" }, "责任单位"),
          " › ",
          a.name,
        ),
        h("h1", { "data-testid": "agency-name" }, a.name),
        namesBlock(a),
        definitionList([
          ["类别", a.kind],
          [
            "上级",
            a.parent
              ? h(
                  "a",
                  { href: `#/agency/${enc(a.parent.id)}`, "data-testid": "agency-parent" },
                  a.parent.name,
                )
              : null,
          ],
          [
            "下属",
            a.sub_organizations.length
              ? a.sub_organizations.map((c, i) => [
                  i ? "、" : "",
                  h("a", { href: `#/agency/${enc(c.id)}` }, c.name),
                ])
              : null,
          ],
          ["曾用名", a.former_names.length ? a.former_names.join("、") : null],
          ["登记", a.resolved ? "已对应到机构名录" : "未对应到机构名录"],
        ]),
        section(
          "别名与原文写法",
          "aliases",
          a.aliases.length
            ? h(
                "ul",
                { class: "chips", "data-testid": "agency-aliases" },
                a.aliases.map((n) => h("li", {}, chip(n, null))),
              )
            : h("p", { class: "muted", "data-testid": "agency-aliases" }, "无"),
        ),
        h(
          "div",
          { class: "role-sections" },
          roleSection("lead", "牵头", "lead"),
          roleSection("shared", "按职责分工负责", "shared"),
          roleSection("implementing", "结合实际落实", "implementing"),
          roleSection("mentioned", "文中提及", "mentioned"),
        ),
      ),
    };
  }

  async function agenciesView() {
    const list = await api("agencies?limit=500");
    const rows = list.data
      .slice()
      .sort(
        (x, y) =>
          y.lead - x.lead || y.shared - x.shared || y.implementing - x.implementing ||
          x.name.localeCompare(y.name, "zh-Hans-CN"),
      );
    return {
      title: "责任单位",
      node: h(
        "div",
        { class: "agencies" },
        h("h1", {}, "责任单位"),
        h("p", { class: "muted" }, `共 ${list.count} 个单位，按牵头任务数排列。`),
        h(
          "table",
          { class: "table", "data-testid": "agency-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "单位"),
              h("th", { scope: "col" }, "上级"),
              h("th", { scope: "col", class: "num" }, "牵头"),
              h("th", { scope: "col", class: "num" }, "分工负责"),
              h("th", { scope: "col", class: "num" }, "落实"),
            ),
          ),
          h(
            "tbody",
            {},
            rows.map((a) =>
              h(
                "tr",
                {},
                h("td", {}, h("a", { href: `#/agency/${enc(a.id)}` }, a.name)),
                h(
                  "td",
                  {},
                  a.parent ? h("a", { href: `#/agency/${enc(a.parent.id)}` }, a.parent.name) : "—",
                ),
                h("td", { class: "num" }, a.lead),
                h("td", { class: "num" }, a.shared),
                h("td", { class: "num" }, a.implementing),
              ),
            ),
          ),
        ),
      ),
    };
  }

  function namesBlock(c) {
    return [
      c.name_hant && c.name_hant !== c.name
        ? h("p", { class: "subtitle", lang: "zh-Hant" }, c.name_hant)
        : null,
      c.name_en ? h("p", { class: "subtitle", lang: "en" }, c.name_en) : null,
    ];
  }

  async function technologyView(id) {
    const [t] = await Promise.all([api(`technologies/${enc(id)}`), documentsById()]);
    return {
      title: t.name,
      node: h(
        "article",
        { class: "concept", "data-testid": "technology" },
        h("h1", {}, h("span", { class: "item-num" }, "技术"), " ", t.name),
        namesBlock(t),
        definitionList([
          ["上位概念", t.broader.length ? refChips(t.broader, "technology") : null],
          ["下位概念", t.narrower.length ? refChips(t.narrower, "technology") : null],
          ["其他名称", t.alt_labels.length ? t.alt_labels.join("、") : null],
          ["直接提及", `${t.items} 项`],
        ]),
        section(
          `提及它（或下位概念）的条目（${t.item_list.length}）`,
          "items",
          itemList(t.item_list, "concept-items"),
        ),
      ),
    };
  }

  async function regionView(id) {
    const [r] = await Promise.all([api(`regions/${enc(id)}`), documentsById()]);
    return {
      title: r.name,
      node: h(
        "article",
        { class: "concept", "data-testid": "region" },
        h("h1", {}, h("span", { class: "item-num" }, "地区"), " ", r.name),
        namesBlock(r),
        definitionList([
          ["类别", r.kind],
          ["区划代码", r.code],
          ["所在", r.within.length ? refChips(r.within, "region") : null],
          ["包含", r.parts.length ? refChips(r.parts, "region") : null],
          ["直接提及", `${r.items} 项`],
        ]),
        section(
          `涉及它（或其中地方）的条目（${r.item_list.length}）`,
          "items",
          itemList(r.item_list, "concept-items"),
        ),
      ),
    };
  }

  async function coverageView() {
    const [c] = await Promise.all([api("coverage"), documentsById()]);
    const entries = (list, testid) =>
      list.length
        ? h(
            "ul",
            { class: "item-list", "data-testid": testid },
            list.map((e) =>
              h(
                "li",
                {},
                itemLink(e.item),
                e.best
                  ? h(
                      "span",
                      { class: "muted small" },
                      " · 最接近：",
                      itemLink(e.best),
                      `（${score3(e.score)}）`,
                    )
                  : null,
              ),
            ),
          )
        : h("p", { class: "muted", "data-testid": testid }, "无");
    return {
      title: "覆盖情况",
      node: h(
        "div",
        { class: "coverage" },
        h("h1", {}, "覆盖情况"),
        h("p", { class: "muted" }, "对齐结果中没有被采纳对应的条目，以及各自得分最高的候选。"),
        section(
          `${docYear(c.source)} 年未延续的措施（${c.dropped.length}）`,
          "dropped",
          entries(c.dropped, "coverage-dropped"),
        ),
        section(
          `${docYear(c.target)} 年新增的任务（${c.new.length}）`,
          "new",
          entries(c.new, "coverage-new"),
        ),
      ),
    };
  }

  // ---------------------------------------------------------------------------------------
  // Routing
  // ---------------------------------------------------------------------------------------

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

  function route({ segments, params }) {
    const [head, id, ...more] = segments;
    if (more.length) return null;
    if (head === undefined) return { nav: "home", run: homeView };
    if (head === "search" && id === undefined) return { nav: null, run: () => searchView(params) };
    if (head === "agencies" && id === undefined) return { nav: "agencies", run: agenciesView };
    if (head === "coverage" && id === undefined) return { nav: "coverage", run: coverageView };
    if (id === undefined) return null;
    const views = {
      item: itemView,
      graph: graphView,
      agency: agencyView,
      technology: technologyView,
      region: regionView,
    };
    const view = views[head];
    return view ? { nav: head === "agency" ? "agencies" : null, run: () => view(id) } : null;
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
      const hash = `#/search?q=${enc(q)}`;
      if (location.hash === hash) render(true);
      else location.hash = hash;
    });
    window.addEventListener("hashchange", () => {
      if (isRoute()) render(true);
    });
    render(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
