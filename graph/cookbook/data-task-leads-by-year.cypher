// Which body led the data tasks (数据 in the title) in each year's plan, under the name it had that year? Each name in a plan resolves to the body in force on the plan's date, so a reorganised agency shows as its predecessor in the earlier years and as itself later.
// params: {"term": "数据"}
MATCH (t:Task)<-[:LEADS]-(a:Agency)
WHERE t.titleSimplified CONTAINS $term
MATCH (d:PolicyDocument {id: t.document})
OPTIONAL MATCH (a)-[:CHANGED_BY]->(:ChangeEvent)-[:RESULTING_ORGANIZATION]->(successor:Agency)
WITH d, a, successor, collect(t.id) AS tasks
RETURN d.date.year AS year, d.id AS document, a.id AS agency, a.prefLabel_zh_Hans AS name,
       size(tasks) AS tasks_led, tasks, successor.id AS became
ORDER BY year, tasks_led DESC, agency
