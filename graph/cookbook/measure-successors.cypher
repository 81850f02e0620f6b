// How does a 2021 measure carry on in 2025? Its candidate successors, best first, with the
// item-level score, whether a clause link between them was accepted, the kind of succession
// and the expected share of the measure's sentences each carries on.
// params: {"measure": "gd2021-m07"}
MATCH (m:Measure {id: $measure})<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Task)
RETURN t.id AS task, t.titleSimplified AS title, a.score AS score, a.rank AS rank,
       a.accepted AS accepted, head([(a)-[:SUCCESSION]->(s) | s.notation]) AS relation,
       a.share AS share
ORDER BY rank
