// Which tasks promise a given kind of document (方案 plan, 办法 measures, 标准 standard …), and which agencies lead them (牵头)?
// params: {"kind": "方案"}
MATCH (t:Task)<-[:IS_PART_OF]-(c:Clause)-[:PROMISES]->(d:Deliverable {documentKind: $kind})
OPTIONAL MATCH (a:Agency)-[:LEADS]->(t)
WITH t, c, d, a ORDER BY a.id
RETURN t.id AS task, c.id AS clause, d.issuingVerb AS verb, d.titleSimplified AS document,
       collect(DISTINCT a.prefLabel_zh_Hans) AS lead_agencies
ORDER BY task, clause, document
