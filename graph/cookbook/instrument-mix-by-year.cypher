// How did the policy-instrument mix move between the documents' years: codes and their share by Rothwell-Zegveld type (供给型 supply, 环境型 environment, 需求型 demand) and sub-tool?
MATCH (d:PolicyDocument)<-[:IS_PART_OF]-(:Item)<-[:IS_PART_OF]-(c:Clause)-[:USES_INSTRUMENT]->(u:InstrumentUse)-[:TOOL]->(tool:InstrumentTool)
WITH d, u.instrumentType AS type, u.instrumentTool AS tool, tool.prefLabel_zh_Hans AS tool_name, count(*) AS codes
CALL (d) {
  MATCH (d)<-[:IS_PART_OF]-(:Item)<-[:IS_PART_OF]-(:Clause)-[:USES_INSTRUMENT]->(every:InstrumentUse)
  RETURN count(every) AS total
}
RETURN d.id AS document, d.date.year AS year, type, tool, tool_name, codes,
       round(toFloat(codes) / total, 4) AS share
ORDER BY year, type, codes DESC, tool
