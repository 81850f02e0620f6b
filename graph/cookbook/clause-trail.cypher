// Where did each sentence of a 2021 measure go? Its clauses in order, each with the 2025
// clauses that carry it on (accepted clause links) and the tasks they belong to.
// params: {"measure": "gd2021-m06"}
MATCH (c:Clause)-[:IS_PART_OF]->(:Measure {id: $measure})
OPTIONAL MATCH (c)-[:CONTINUED_IN]->(tc:Clause)-[:IS_PART_OF]->(t:Task)
WITH c, tc, t ORDER BY tc.id
RETURN c.id AS clause, c.ordinal AS number, c.textSimplified AS text,
       collect(tc.id) AS continued_in, collect(DISTINCT t.id) AS tasks
ORDER BY number
