// Which 2025 tasks take in several 2021 measures? Each measure with the kind of succession
// (merged: that measure goes to this task only).
MATCH (m:Measure)-[:CONTINUED_BY]->(t:Task)
MATCH (m)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t)
WITH t, m, head([(a)-[:SUCCESSION]->(s) | s.notation]) AS relation ORDER BY m.id
WITH t, collect({measure: m.id, relation: relation}) AS sources
WHERE size(sources) > 1
RETURN t.id AS task, t.titleSimplified AS title, size(sources) AS measures, sources
ORDER BY measures DESC, task
