/* The domain's constants and their labels, in one place: the four roles an agency can hold,
 * the two kinds of item, the two directions of a link, the groups of the neighbourhood graph
 * and the signals of a link's score.
 */

/** The roles of an agency in an item, in the order the page shows them. */
export const ROLES = ["lead", "shared", "implementing", "supporting"];

export const ROLE_LABEL = {
  lead: "牵头",
  shared: "按职责分工负责",
  implementing: "结合实际落实",
  supporting: "配合",
};

/** The roles' short forms, for the column heads of the agency table. */
export const ROLE_SHORT = { lead: "牵头", shared: "分工负责", implementing: "落实", supporting: "配合" };

/** The agency page's groups of items: the roles, then the items that merely name it. */
export const AGENCY_ITEM_GROUPS = [...ROLES, "mentioned"];

export const AGENCY_ITEM_LABEL = { ...ROLE_LABEL, mentioned: "文中提及" };

export const KIND_LABEL = { measure: "措施", task: "任务" };

/** The label of an item whose kind is unknown. */
export const ITEM_LABEL = "条目";

/** The API's collection of each kind of item. */
export const KIND_PLURAL = { measure: "measures", task: "tasks" };

/** An item's links, by direction: to the items after it, from the items before it. */
export const LINK_LABEL = { successors: "后续条目", predecessors: "来源条目" };

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

/** What kind of succession an accepted link is (the API's `relation`). */
export const RELATION_LABEL = {
  continued: "延续",
  split: "拆分",
  merged: "合并",
  partial: "部分延续",
};

export const RELATION_HINT = {
  continued: "一对一：该措施只延续为这一任务，且至少一半的实质句段得到延续",
  split: "该措施拆分到多个任务，这是其中之一",
  merged: "该任务合并了多个措施，这是其中之一",
  partial: "只延续了部分句段，或多对多",
};

/** The signals the clause model weighs, as the clause page names them. */
export const CLAUSE_SIGNAL_LABEL = {
  chars: "字符相似",
  chars_rank: "字符相似名次",
  reverse_rank: "反向名次",
  words: "词语覆盖（本句）",
  contained: "词语覆盖（对方句）",
  contained_chars: "字符覆盖（对方句）",
  rare_word: "共有最稀有词",
  shared_words: "共有词语总量",
  concepts: "共有技术概念",
  programmes: "共有项目平台",
  item_prior: "条目整体相似名次",
  title: "标题句",
  title_prior: "标题句 × 条目名次",
  body_rank: "正文句 × 名次 × 覆盖",
};
