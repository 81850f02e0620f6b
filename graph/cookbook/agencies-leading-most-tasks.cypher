// Which agencies lead the most tasks? (牵头单位 by number of tasks led)
// params: {"limit": 10}
MATCH (a:Agency)-[:LEADS]->(t:Task)
RETURN a.id AS agency, a.prefLabel_zh_Hans AS name, count(t) AS tasks_led,
       collect(t.id)[..5] AS examples
ORDER BY tasks_led DESC, agency
LIMIT $limit
