// Which items concern a city or any place inside it? (广州 also finds items naming 南沙)
// params: {"place": "广州市"}
MATCH (p:Place)
WHERE $place IN [p.id, p.prefLabel_zh_Hans, p.prefLabel_zh_Hant, p.prefLabel_en, p.divisionCode]
MATCH (inside:Place)-[:WITHIN*0..]->(p)
MATCH (i:Item)-[:CONCERNS]->(inside)
RETURN i.id AS item, i.titleSimplified AS title,
       collect(DISTINCT inside.prefLabel_zh_Hans) AS places
ORDER BY item
