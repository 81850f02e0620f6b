// How does a 2021 measure carry on in 2025? Its accepted successors, best first, with the score.
// params: {"measure": "gd2021-m07"}
MATCH (m:Measure {id: $measure})<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Task)
RETURN t.id AS task, t.titleSimplified AS title, a.score AS score, a.rank AS rank,
       a.accepted AS accepted
ORDER BY rank
