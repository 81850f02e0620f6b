// Which 2025 tasks carry no 2021 sentence on (new in 2025), and which measure is closest anyway?
// params: {"source": "gd2021", "target": "gd2025"}
MATCH (:PolicyDocument {id: $source})<-[:SOURCE_DOCUMENT]-(cov:Coverage)
      -[:TARGET_DOCUMENT]->(:PolicyDocument {id: $target})
MATCH (cov)-[:NEW]->(t:Task)
CALL (t) {
  OPTIONAL MATCH (t)<-[:TARGET]-(a:Alignment)-[:SOURCE]->(m:Measure)
  RETURN m.id AS closest, a.score AS score ORDER BY score DESC, closest LIMIT 1
}
RETURN t.id AS task, t.titleSimplified AS title, closest, score
ORDER BY task
