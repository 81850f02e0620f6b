/* DOM builders: every node of the explorer is made here, so text is never parsed as HTML.
 *
 * The one exception is snippetNodes: the API's search snippets are escaped text plus <mark>,
 * parsed in an inert <template> of which only the text and the <mark> elements are kept.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

/** Append children: nodes, text (anything else, as a string), nested arrays; skips null/false. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.append(child);
    else parent.append(document.createTextNode(String(child)));
  }
}

/** Set attributes (true → empty, null/undefined/false → absent); on* functions are listeners. */
export function setAttrs(el, attrs) {
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
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element, built like h. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The API's snippet (escaped text with <mark>) as nodes: text and <mark> only. */
export function snippetNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") out.append(h("mark", {}, node.textContent));
    else out.append(document.createTextNode(node.textContent));
  }
  return out;
}

/** At most `max` characters (code points), the last one an ellipsis when cut. */
export function truncate(text, max) {
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : text;
}

/** A score with three decimals, or a dash when there is none. */
export function score3(x) {
  return typeof x === "number" ? x.toFixed(3) : "—";
}
