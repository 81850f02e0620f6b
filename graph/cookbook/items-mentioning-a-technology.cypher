// Which measures and tasks mention a technology or anything narrower than it?
// (人工智能 also finds items that only say 大模型 or 具身智能)
// params: {"technology": "人工智能"}
MATCH (c:Technology)
WHERE $technology IN [c.id, c.prefLabel_zh_Hans, c.prefLabel_zh_Hant, c.prefLabel_en]
MATCH (narrower:Technology)-[:BROADER*0..]->(c)
MATCH (i:Item)-[:MENTIONS]->(narrower)
RETURN i.id AS item, i.titleSimplified AS title,
       collect(DISTINCT narrower.prefLabel_zh_Hans) AS via
ORDER BY item
