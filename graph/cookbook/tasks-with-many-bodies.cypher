// Which tasks have more than N responsible bodies (any role, including those carried by 下同)?
// params: {"n": 5}
MATCH (t:Task)-[:RESPONSIBILITY]->(r:Responsibility)-[:AGENT]->(a:Agency)
WITH t, collect(DISTINCT a.prefLabel_zh_Hans) AS bodies
WHERE size(bodies) > $n
RETURN t.id AS task, t.titleSimplified AS title, size(bodies) AS bodies_count, bodies
ORDER BY bodies_count DESC, task
