/* The REST API: GET a path relative to the page (so the explorer works behind a prefix),
 * errors as ApiError (from the API's problem details), each response memoised for the page's
 * lifetime (a failed one is forgotten, so it is asked again next time).
 */

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

const responses = new Map();

/** The JSON body of GET `path`; rejects with an ApiError. */
export function api(path) {
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

/** A path segment or query value, encoded. */
export const enc = encodeURIComponent;
