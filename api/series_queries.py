"""Cypher for series, chains and agencies through time (named constants, ``$parameters``).

Names follow ``graph/names.toml``: a series is ``:Series`` with documents ``-[:IN_SERIES]->``
it and their ``seriesPosition``; a reorganisation is ``:ChangeEvent`` with
``-[:ORIGINAL_ORGANIZATION]->`` / ``-[:RESULTING_ORGANIZATION]->`` bodies, each body
``-[:CHANGED_BY]->`` the event that ended it and ``-[:RESULTED_FROM]->`` the one that began it.
"""

from __future__ import annotations

from api.queries import ANY_ROLE, MAPPING_ROW, item_map

_DOCUMENT = (
    "{id: d.id, iri: d.uri, title: coalesce(d.title_zh_Hans, d.title_zh_Hant), "
    "date: d.date, position: d.seriesPosition}"
)

SERIES = f"""
MATCH (s:Series)
CALL (s) {{
  MATCH (d:PolicyDocument)-[:IN_SERIES]->(s)
  WITH d ORDER BY d.seriesPosition
  RETURN collect({_DOCUMENT}) AS documents
}}
RETURN s.id AS id, s.uri AS iri, s.prefLabel_zh_Hans AS title, documents
ORDER BY id
"""

# An item, its document's series, and the documents after it in the series, in order.
ITEM_IN_SERIES = f"""
MATCH (i:Item {{id: $id}})
MATCH (here:PolicyDocument {{id: i.document}})
OPTIONAL MATCH (here)-[:IN_SERIES]->(s:Series)
CALL (s, here) {{
  OPTIONAL MATCH (d:PolicyDocument)-[:IN_SERIES]->(s)
  WHERE d.seriesPosition > here.seriesPosition
  WITH d ORDER BY d.seriesPosition
  RETURN collect(d.id) AS later
}}
RETURN {item_map("i")} AS item, s.id AS series, later
"""

# The accepted links from any of $ids into the document $target, best first.
CHAIN_STEP = f"""
MATCH (s:Item)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item {{document: $target}})
WHERE s.id IN $ids AND a.accepted
WITH a, s, t ORDER BY s.id, a.rank, t.id
RETURN {MAPPING_ROW} AS row
"""

_CHANGE = "[:RESULTED_FROM|ORIGINAL_ORGANIZATION|CHANGED_BY|RESULTING_ORGANIZATION*0..12]"

# Every body of the agency's lineage (through change events), with the period its name held,
# and the roles each body played in each document.
AGENCY_HISTORY = f"""
MATCH (a:Agency {{id: $id}})
MATCH (a)-{_CHANGE}-(b:Agency)
WITH DISTINCT b
OPTIONAL MATCH (b)-[:RESULTED_FROM]->(began:ChangeEvent)
OPTIONAL MATCH (b)-[:CHANGED_BY]->(ended:ChangeEvent)
CALL (b) {{
  OPTIONAL MATCH (b)-[rel:{ANY_ROLE}]->(i:Item)
  OPTIONAL MATCH (d:PolicyDocument {{id: i.document}})
  WITH rel, i, d ORDER BY d.date, i.id
  RETURN collect(CASE WHEN i IS NULL THEN NULL ELSE {{
    document: d.id, date: d.date, role: type(rel), item: {item_map("i")}
  }} END) AS roles
}}
RETURN b.id AS id, b.uri AS iri, b.prefLabel_zh_Hans AS name,
       began.changeDate AS since, ended.changeDate AS until,
       coalesce(ended.citation, began.citation) AS source, roles
ORDER BY coalesce(since, date('0001-01-01')), id
"""
