// Which sentences of a document does nothing in the next carry on (the 2021 opinion's, in the
// 2025 plan)? Each with its best candidate anyway (below the model's threshold), from the
// coverage of the two documents.
// params: {"source": "gd2021", "target": "gd2025"}
MATCH (:PolicyDocument {id: $source})<-[:SOURCE_DOCUMENT]-(cov:Coverage)
      -[:TARGET_DOCUMENT]->(:PolicyDocument {id: $target})
MATCH (cov)-[:NOT_CONTINUED]->(c:Clause)-[:IS_PART_OF]->(i:Item)
CALL (c) {
  OPTIONAL MATCH (c)<-[:SOURCE]-(ca:ClauseAlignment)-[:TARGET]->(tc:Clause)
  RETURN tc.id AS best, ca.score AS probability, ca.accepted AS accepted
  ORDER BY probability DESC LIMIT 1
}
RETURN i.id AS item, c.id AS clause, c.textSimplified AS text, best, probability, accepted
ORDER BY clause
