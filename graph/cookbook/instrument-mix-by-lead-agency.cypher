// Which policy instruments do the tasks each agency leads (牵头) use: codes by Rothwell-Zegveld type, and each agency's main sub-tool?
MATCH (a:Agency)-[:LEADS]->(t:Task)<-[:IS_PART_OF]-(c:Clause)-[:USES_INSTRUMENT]->(u:InstrumentUse)
WITH a, u.instrumentType AS type, u.instrumentTool AS tool, count(*) AS codes
WITH a, type, sum(codes) AS codes, collect({tool: tool, codes: codes}) AS tools
WITH a, type, codes, reduce(best = head(tools), x IN tools |
       CASE WHEN x.codes > best.codes OR (x.codes = best.codes AND x.tool < best.tool) THEN x ELSE best END).tool AS main_tool
RETURN a.id AS agency, a.prefLabel_zh_Hans AS name, type, codes, main_tool
ORDER BY name, type
