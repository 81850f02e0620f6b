// How did the 2021 measures carry on in 2025? The accepted measure → task links by kind of
// succession: continued one to one (skos:closeMatch), split across several tasks
// (skos:narrowMatch), merged into a task with others (skos:broadMatch), partly (skos:relatedMatch).
MATCH (m:Measure)-[r:CLOSE_MATCH|NARROW_MATCH|BROAD_MATCH|RELATED_MATCH]->(t:Task)
WITH type(r) AS predicate, m, t ORDER BY m.id, t.id
RETURN predicate, count(*) AS links, collect(m.id + ' → ' + t.id)[..5] AS examples
ORDER BY links DESC, predicate
