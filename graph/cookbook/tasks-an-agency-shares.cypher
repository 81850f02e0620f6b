// Which tasks does an agency share (按职责分工负责), and who leads each of them?
// params: {"agency": "省科技厅"}
MATCH (a:Agency)
WHERE $agency IN [a.id, a.prefLabel_zh_Hans, a.prefLabel_zh_Hant] + coalesce(a.altLabel_zh_Hans, []) + coalesce(a.altLabel_zh_Hant, [])
MATCH (a)-[:SHARES]->(t:Task)
OPTIONAL MATCH (lead:Agency)-[:LEADS]->(t)
RETURN t.id AS task, t.titleSimplified AS title, collect(lead.prefLabel_zh_Hans) AS led_by
ORDER BY task
