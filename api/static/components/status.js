/* What the main area shows while a view loads, and when it fails. */

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";

export function loadingView() {
  return h("p", { class: "loading", role: "status" }, "加载中…");
}

/** The view of an error: "未找到" for a 404, else "出错了". */
export function errorView(error) {
  const notFound = error instanceof ApiError && error.status === 404;
  const heading = notFound ? "未找到" : "出错了";
  return {
    title: heading,
    node: h(
      "div",
      { class: "error", role: "alert", "data-testid": "error" },
      h("h1", {}, heading),
      h("p", {}, error instanceof ApiError ? error.title : "页面出错"),
      error.detail ? h("p", { class: "muted" }, error.detail) : null,
      h("p", {}, h("a", { href: "#/" }, "返回首页")),
    ),
  };
}
