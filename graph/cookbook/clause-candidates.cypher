// Which sentences of the next document may carry a sentence on (a 2021 sentence, in 2025),
// and how likely? Every kept clause link of the clause, accepted or not, with the model's
// probability, best first.
// params: {"clause": "gd2021-m07-c07"}
MATCH (:Clause {id: $clause})<-[:SOURCE]-(ca:ClauseAlignment)-[:TARGET]->(tc:Clause)
      -[:IS_PART_OF]->(t:Item)
RETURN tc.id AS clause, t.id AS item, tc.textSimplified AS text, ca.score AS probability,
       ca.accepted AS accepted
ORDER BY probability DESC, clause
