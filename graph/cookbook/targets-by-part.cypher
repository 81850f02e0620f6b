// What quantified targets does each part of each document set (value, unit, comparator, what is measured)?
MATCH (d:PolicyDocument)<-[:IS_PART_OF]-(p:Part)<-[:IS_PART_OF]-(i:Item)<-[:IS_PART_OF]-(c:Clause)-[:SETS]->(x:Target)
RETURN d.id AS document, p.id AS part, p.titleSimplified AS part_title, i.id AS item,
       c.id AS clause, x.targetValue AS value, x.unit AS unit, x.comparator AS comparator,
       x.measuredObject AS object, properties(x).targetYear AS year
ORDER BY document, part, clause, x.ordinal
