// Which policy instruments do the tasks each agency leads (牵头) use: codes by Rothwell-Zegveld type, and each agency's main sub-tool of that type?
MATCH (a:Agency)-[:LEADS]->(t:Task)<-[:IS_PART_OF]-(c:Clause)-[:USES_INSTRUMENT]->(u:InstrumentUse)
WITH a, u.instrumentType AS type, u.instrumentTool AS tool, count(*) AS codes
ORDER BY codes DESC, tool
WITH a, type, sum(codes) AS codes, collect(tool)[0] AS main_tool
RETURN a.id AS agency, a.prefLabel_zh_Hans AS name, type, codes, main_tool
ORDER BY name, type
