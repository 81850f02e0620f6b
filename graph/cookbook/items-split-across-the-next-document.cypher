// Which items of one document went to several items of the next (2021 measures split across
// 2025 tasks), and which of their sentences went where? Each successor with the kind of
// succession (split: that successor takes only this item).
// params: {"source": "gd2021", "target": "gd2025"}
MATCH (i:Item {document: $source})-[:CONTINUED_BY]->(t:Item {document: $target})
MATCH (i)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t)
CALL (i, t) {
  MATCH (i)<-[:IS_PART_OF]-(c:Clause)-[:CONTINUED_IN]->(:Clause)-[:IS_PART_OF]->(t)
  WITH DISTINCT c ORDER BY c.ordinal
  RETURN collect(c.id) AS clauses
}
WITH i, t, clauses, head([(a)-[:SUCCESSION]->(s) | s.notation]) AS relation ORDER BY t.id
WITH i, collect({successor: t.id, relation: relation, clauses: clauses}) AS parts
WHERE size(parts) > 1
RETURN i.id AS item, i.titleSimplified AS title, size(parts) AS successors, parts
ORDER BY successors DESC, item
