// What became of an item document by document (a 2021 measure through each yearly plan of
// its series)? Every path of accepted links from it, one step per document, with the
// documents each path passes through and the kind of succession at each step.
// params: {"item": "gd2021-m07"}
MATCH p = (:Item {id: $item})-[:CONTINUED_BY*1..]->(:Item)
WITH p, [n IN nodes(p) | n.id] AS path
RETURN path, [n IN nodes(p) | n.document] AS documents, length(p) AS steps,
       [k IN range(0, length(p) - 1) |
         head([(s:Item {id: path[k]})<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item {id: path[k + 1]})
               | head([(a)-[:SUCCESSION]->(r) | r.notation])])] AS relations
ORDER BY steps, path
