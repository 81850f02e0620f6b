// Where did each sentence of an item go (a 2021 measure's, in 2025)? Its clauses in order,
// each with the clauses of the next document that carry it on (accepted clause links) and the
// items they belong to.
// params: {"item": "gd2021-m06"}
MATCH (c:Clause)-[:IS_PART_OF]->(:Item {id: $item})
OPTIONAL MATCH (c)-[:CONTINUED_IN]->(tc:Clause)-[:IS_PART_OF]->(t:Item)
WITH c, tc, t ORDER BY tc.id
RETURN c.id AS clause, c.ordinal AS number, c.textSimplified AS text,
       collect(tc.id) AS continued_in, collect(DISTINCT t.id) AS items
ORDER BY number
