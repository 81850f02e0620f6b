// How much of one document does the next carry on? For each pair of documents aligned: the
// items dropped (none of their sentences carried on; the 2021 measures not continued), the
// items new (carrying none on), the sentences not continued, and the dropped items' ids.
MATCH (s:PolicyDocument)<-[:SOURCE_DOCUMENT]-(cov:Coverage)-[:TARGET_DOCUMENT]->(t:PolicyDocument)
RETURN s.id AS source, t.id AS target,
       [(cov)-[:DROPPED]->(m) | m.id] AS dropped,
       COUNT { (cov)-[:NEW]->() } AS new,
       COUNT { (cov)-[:NOT_CONTINUED]->() } AS not_continued,
       COUNT { (:Clause)-[:IS_PART_OF]->(:Item)-[:IS_PART_OF]->(s) } AS source_clauses
ORDER BY source, target
