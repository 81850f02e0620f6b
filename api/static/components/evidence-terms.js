/* A link's shared terms as buttons: hovering or focusing one singles out its marks in the
 * texts, clicking pins it (clicking again unpins).
 */

import { h } from "../lib/dom.js";

/** The buttons of `shared` ({term, weight}), acting on the marks inside `texts`. */
export function termButtons(shared, texts) {
  let pinned = null;
  const focusTerm = (term) => {
    texts.classList.toggle("focused", term !== null);
    for (const m of texts.querySelectorAll("mark")) {
      m.classList.toggle("focus", m.dataset.term === term);
    }
    for (const b of list.querySelectorAll("button")) {
      b.setAttribute("aria-pressed", String(b.dataset.term === term));
    }
  };
  const button = ({ term, weight }) =>
    h(
      "button",
      {
        type: "button",
        class: "term",
        "data-term": term,
        "aria-pressed": "false",
        title: "突出显示这个词",
        onmouseenter: () => focusTerm(term),
        onmouseleave: () => focusTerm(pinned),
        onfocus: () => focusTerm(term),
        onblur: () => focusTerm(pinned),
        onclick: () => {
          pinned = pinned === term ? null : term;
          focusTerm(pinned);
        },
      },
      term,
      h("span", { class: "weight" }, Number(weight).toFixed(3)),
    );
  const list = h(
    "ul",
    { class: "terms", "data-testid": "shared-terms", "aria-label": "共有词语" },
    shared.map((t) => h("li", {}, button(t))),
  );
  return list;
}
