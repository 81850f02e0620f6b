/* View #/ : the documents, each with its facts and its outline (parts, groups, items). */

import { api, enc } from "../lib/api.js";
import { documentItems } from "../lib/catalogue.js";
import { h } from "../lib/dom.js";
import { agencyHref } from "../lib/hrefs.js";
import { KIND_LABEL } from "../lib/labels.js";
import { itemLink, titleLang } from "../components/items.js";
import { definitionList, page } from "../components/panels.js";

/** A numbered list of the outline's items (by id, from the document's item summaries). */
function outlineItems(ids, items) {
  return h(
    "ol",
    { class: "outline-items" },
    ids.filter((id) => items.has(id)).map((id) => h("li", {}, itemLink(items.get(id)))),
  );
}

function outlinePart(part, items) {
  const lang = titleLang(part.title, part.title_simplified);
  return h(
    "section",
    { class: "outline-part" },
    h(
      "h3",
      {},
      h("span", { class: "part-num" }, `第 ${part.number} 部分`),
      " ",
      h("span", { lang }, part.title),
    ),
    part.items.length ? outlineItems(part.items, items) : null,
    part.groups.map((g) =>
      h(
        "div",
        { class: "outline-group" },
        h("h4", { lang }, g.title),
        outlineItems(g.items, items),
      ),
    ),
  );
}

function docCard({ detail, items }) {
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
          ? h("a", { href: agencyHref(detail.issuer.id) }, detail.issuer.name)
          : null,
      ],
      ["条目", `${detail.items} 项${KIND_LABEL[detail.kind] || ""}`],
    ]),
    detail.note ? h("p", { class: "note", lang: "en" }, detail.note) : null,
    detail.parts.map((part) => outlinePart(part, items)),
  );
}

export async function homeView() {
  const docs = await api("documents");
  const outlines = await Promise.all(
    docs.data.map(async (d) => {
      const [detail, items] = await Promise.all([api(`documents/${enc(d.id)}`), documentItems(d)]);
      return { detail, items: new Map(items.map((i) => [i.id, i])) };
    }),
  );
  return page(
    { title: "文件", heading: "广东省数字化发展政策", className: "home" },
    h(
      "p",
      { class: "lead-text" },
      "2021 年《广东省人民政府关于加快数字化发展的意见》的措施、",
      "2025 年《数字广东建设工作要点》的任务，各项的责任单位、涉及的技术和地区，",
      "以及两份文件之间逐项的对应关系与证据。",
      "可在上方搜索（简体或繁体均可），或从下面的目录进入。",
    ),
    h("div", { class: "doc-grid" }, outlines.map(docCard)),
  );
}
