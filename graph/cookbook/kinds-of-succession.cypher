// How did each document carry on the one before it (the 2021 measures in 2025)? The accepted
// item links of each aligned pair by kind of succession: continued one to one
// (skos:closeMatch), split across several items (skos:narrowMatch), merged into an item with
// others (skos:broadMatch), partly (skos:relatedMatch).
MATCH (s:Item)-[r:CLOSE_MATCH|NARROW_MATCH|BROAD_MATCH|RELATED_MATCH]->(t:Item)
WITH s.document AS source, t.document AS target, type(r) AS predicate, s, t
  ORDER BY s.id, t.id
RETURN source, target, predicate, count(*) AS links,
       collect(s.id + ' → ' + t.id)[..5] AS examples
ORDER BY source, target, links DESC, predicate
