/* The domain's constants and their labels, in one place: the three roles an agency can hold,
 * the two kinds of item, the two directions of a link, the groups of the neighbourhood graph
 * and the signals of a link's score.
 */

/** The roles of an agency in an item, in the order the page shows them. */
export const ROLES = ["lead", "shared", "implementing"];

export const ROLE_LABEL = { lead: "牵头", shared: "按职责分工负责", implementing: "结合实际落实" };

/** The roles' short forms, for the column heads of the agency table. */
export const ROLE_SHORT = { lead: "牵头", shared: "分工负责", implementing: "落实" };

/** The agency page's groups of items: the roles, then the items that merely name it. */
export const AGENCY_ITEM_GROUPS = [...ROLES, "mentioned"];

export const AGENCY_ITEM_LABEL = { ...ROLE_LABEL, mentioned: "文中提及" };

export const KIND_LABEL = { measure: "措施", task: "任务" };

/** The label of an item whose kind is unknown. */
export const ITEM_LABEL = "条目";

/** The API's collection of each kind of item. */
export const KIND_PLURAL = { measure: "measures", task: "tasks" };

/** A measure's links go to its successors, a task's come from its predecessors. */
export const LINK_LABEL = { successors: "后续任务", predecessors: "来源措施" };

/** The kinds of an item's neighbours: the graph's groups (the linked items take their
 * direction's label), the item page's sections and the concept pages' headings. */
export const NODE_LABEL = {
  successor: LINK_LABEL.successors,
  predecessor: LINK_LABEL.predecessors,
  agency: "责任单位",
  technology: "技术",
  region: "地区",
  programme: "项目与平台",
};

export const SIGNAL_LABEL = {
  chars: "字符相似",
  words: "词语相似",
  agencies: "责任单位",
  places: "地区",
  programmes: "项目平台",
};

/** The evidence's overall measures, shown under the signals. */
export const MEASURE_LABEL = {
  similarity: "相似度",
  source_hubness: "来源集中度",
  target_hubness: "目标集中度",
};
