// Which 2021 measures went to several 2025 tasks, and which of their sentences went where?
// Each task with the kind of succession (split: that task takes only this measure).
MATCH (m:Measure)-[:CONTINUED_BY]->(t:Task)
MATCH (m)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t)
CALL (m, t) {
  MATCH (m)<-[:IS_PART_OF]-(c:Clause)-[:CONTINUED_IN]->(:Clause)-[:IS_PART_OF]->(t)
  WITH DISTINCT c ORDER BY c.ordinal
  RETURN collect(c.id) AS clauses
}
WITH m, t, clauses, head([(a)-[:SUCCESSION]->(s) | s.notation]) AS relation ORDER BY t.id
WITH m, collect({task: t.id, relation: relation, clauses: clauses}) AS parts
WHERE size(parts) > 1
RETURN m.id AS measure, m.titleSimplified AS title, size(parts) AS tasks, parts
ORDER BY tasks DESC, measure
