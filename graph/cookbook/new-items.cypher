// Which items of a document carry no sentence of the one before it on (2025 tasks new since
// 2021), and which earlier item is closest anyway?
// params: {"source": "gd2021", "target": "gd2025"}
MATCH (:PolicyDocument {id: $source})<-[:SOURCE_DOCUMENT]-(cov:Coverage)
      -[:TARGET_DOCUMENT]->(:PolicyDocument {id: $target})
MATCH (cov)-[:NEW]->(t:Item)
CALL (t) {
  OPTIONAL MATCH (t)<-[:TARGET]-(a:Alignment)-[:SOURCE]->(s:Item {document: $source})
  RETURN s.id AS closest, a.score AS score ORDER BY score DESC, closest LIMIT 1
}
RETURN t.id AS item, t.titleSimplified AS title, closest, score
ORDER BY item
