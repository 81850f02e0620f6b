// Which items of a document take in several items of the one before (2025 tasks merging 2021
// measures)? Each earlier item with the kind of succession (merged: that earlier item goes to
// this one alone).
// params: {"source": "gd2021", "target": "gd2025"}
MATCH (s:Item {document: $source})-[:CONTINUED_BY]->(t:Item {document: $target})
MATCH (s)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t)
WITH t, s, head([(a)-[:SUCCESSION]->(r) | r.notation]) AS relation ORDER BY s.id
WITH t, collect({item: s.id, relation: relation}) AS sources
WHERE size(sources) > 1
RETURN t.id AS item, t.titleSimplified AS title, size(sources) AS earlier, sources
ORDER BY earlier DESC, item
