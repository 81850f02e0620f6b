// How does an item carry on in the next document of its series (a 2021 measure in 2025, a
// yearly plan's task in the next plan)? Its candidate successors, best first, with the
// item-level score, whether a clause link between them was accepted, the kind of succession
// and the expected share of the item's sentences each carries on.
// params: {"item": "gd2021-m07"}
MATCH (i:Item {id: $item})<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item)
RETURN t.document AS document, t.id AS successor, t.titleSimplified AS title,
       a.score AS score, a.rank AS rank, a.accepted AS accepted,
       head([(a)-[:SUCCESSION]->(s) | s.notation]) AS relation, a.share AS share
ORDER BY document, rank
