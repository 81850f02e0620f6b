"""Every Cypher statement the API runs, as named constants with ``$parameters``.

Names follow the graph's mapping (``graph/names.toml``): labels such as ``:Task``,
relationship types such as ``:LEADS``, property keys such as ``titleSimplified`` and
``prefLabel_zh_Hans``.
"""

from __future__ import annotations

# An item as the API summarises it.
ITEM_FIELDS = (
    "{id: {v}.id, iri: {v}.uri, kind: CASE WHEN {v}:Measure THEN 'measure' ELSE 'task' END, "
    "document: split({v}.id, '-')[0], number: {v}.ordinal, "
    "title: coalesce({v}.title_zh_Hans, {v}.title_zh_Hant), title_simplified: {v}.titleSimplified}"
)


def item_map(var: str) -> str:
    """The Cypher map projection of an item bound to ``var``."""
    return ITEM_FIELDS.replace("{v}", var)


META_VERSION = """
MATCH (m:_GraphMeta {key: 'graph'})
RETURN m.version AS version, m.loadedAt AS loaded_at, m.nodes AS nodes,
       m.relationships AS relationships
"""

DOCUMENTS = """
MATCH (d:PolicyDocument)
OPTIONAL MATCH (d)-[:PASSED_BY]->(a:Agency)
OPTIONAL MATCH (d)-[:DOCUMENT_TYPE]->(dt)
CALL (d) {
  OPTIONAL MATCH (i:Item)-[:IS_PART_OF]->(d)
  RETURN count(i) AS items,
         head(collect(CASE WHEN i:Measure THEN 'measure' WHEN i:Task THEN 'task' END)) AS kind
}
RETURN d {.*} AS d, a {.id, .uri, .prefLabel_zh_Hans} AS issuer, dt.prefLabel_en AS type,
       items, kind
ORDER BY d.date, d.id
"""

DOCUMENT = """
MATCH (d:PolicyDocument {id: $id})
OPTIONAL MATCH (d)-[:PASSED_BY]->(a:Agency)
OPTIONAL MATCH (d)-[:DOCUMENT_TYPE]->(dt)
CALL (d) {
  OPTIONAL MATCH (i:Item)-[:IS_PART_OF]->(d)
  RETURN count(i) AS items,
         head(collect(CASE WHEN i:Measure THEN 'measure' WHEN i:Task THEN 'task' END)) AS kind
}
RETURN d {.*} AS d, a {.id, .uri, .prefLabel_zh_Hans} AS issuer, dt.prefLabel_en AS type,
       items, kind
"""

OUTLINE_PARTS = """
MATCH (p:Part)-[:IS_PART_OF]->(:PolicyDocument {id: $id})
RETURN p.id AS id, p.uri AS iri, p.ordinal AS number,
       coalesce(p.title_zh_Hans, p.title_zh_Hant) AS title, p.titleSimplified AS title_simplified
ORDER BY number
"""

OUTLINE_GROUPS = """
MATCH (g:Group)-[:IS_PART_OF]->(:PolicyDocument {id: $id})
MATCH (g)-[:IS_PART_OF]->(p:Part)
RETURN g.id AS id, g.uri AS iri, g.ordinal AS number, p.id AS part,
       coalesce(g.title_zh_Hans, g.title_zh_Hant) AS title, g.titleSimplified AS title_simplified
ORDER BY number
"""

OUTLINE_ITEMS = """
MATCH (i:Item)-[:IS_PART_OF]->(:PolicyDocument {id: $id})
MATCH (i)-[:IS_PART_OF]->(p:Part)
OPTIONAL MATCH (i)-[:IS_PART_OF]->(g:Group)
RETURN i.id AS id, p.id AS part, g.id AS group
ORDER BY i.ordinal
"""

# Items filtered by kind, document, agency (with a role), technology (or narrower) and
# region (or any place inside it), with the total before paging.
ITEMS = f"""
MATCH (i:Item)
WHERE ($kind IS NULL OR $kind IN labels(i))
  AND ($doc IS NULL OR EXISTS {{ (i)-[:IS_PART_OF]->(:PolicyDocument {{id: $doc}}) }})
  AND ($agency IS NULL OR EXISTS {{
        MATCH (a:Agency {{id: $agency}})-[r]->(i)
        WHERE type(r) IN $role_types }})
  AND ($agency IS NOT NULL OR $role IS NULL OR EXISTS {{
        MATCH (:Agency)-[r]->(i) WHERE type(r) IN $role_types }})
  AND ($technology IS NULL OR EXISTS {{
        (i)-[:MENTIONS]->(:Technology)-[:BROADER*0..]->(:Technology {{id: $technology}}) }})
  AND ($region IS NULL OR EXISTS {{
        (i)-[:CONCERNS]->(:Place)-[:WITHIN*0..]->(:Place {{id: $region}}) }})
WITH i ORDER BY i.id
WITH collect({item_map("i")}) AS rows
RETURN size(rows) AS count, rows[$offset..$offset + $limit] AS data
"""

ITEM = f"""
MATCH (i:Item {{id: $id}})
WHERE $kind IS NULL OR $kind IN labels(i)
MATCH (i)-[:IS_PART_OF]->(p:Part)
OPTIONAL MATCH (i)-[:IS_PART_OF]->(g:Group)
CALL (i) {{
  OPTIONAL MATCH (i)-[:RESPONSIBILITY]->(r:Responsibility)-[:AGENT]->(a:Agency)
  OPTIONAL MATCH (r)-[:HAD_ROLE]->(role)
  OPTIONAL MATCH (r)-[:INHERITED_FROM]->(src:Item)
  WITH r, a, role, src ORDER BY r.spanStart
  RETURN collect(CASE WHEN a IS NULL THEN NULL ELSE {{
    id: a.id, iri: a.uri, name: a.prefLabel_zh_Hans, role: role.prefLabel_en,
    surface: coalesce(r.surfaceForm_zh_Hant, r.surfaceForm_zh_Hans), inherited_from: src.id
  }} END) AS agencies
}}
CALL (i) {{
  OPTIONAL MATCH (i)-[:MENTIONS]->(t:Technology)
  WITH t ORDER BY t.id
  RETURN collect(t {{.id, iri: t.uri, name: t.prefLabel_zh_Hans}}) AS technologies
}}
CALL (i) {{
  OPTIONAL MATCH (i)-[:MENTIONS]->(pr:Programme)
  WITH pr ORDER BY pr.id
  RETURN collect(pr {{.id, iri: pr.uri, name: pr.prefLabel_zh_Hans}}) AS programmes
}}
CALL (i) {{
  OPTIONAL MATCH (i)-[:CONCERNS]->(pl:Place)
  WITH pl ORDER BY pl.id
  RETURN collect(pl {{.id, iri: pl.uri, name: pl.prefLabel_zh_Hans}}) AS regions
}}
RETURN {item_map("i")} AS item,
       coalesce(i.originalText_zh_Hans, i.originalText_zh_Hant) AS text,
       i.textSimplified AS text_simplified,
       CASE WHEN i.originalText_zh_Hant IS NULL THEN 'zh-Hans' ELSE 'zh-Hant' END AS script,
       p {{.id, iri: p.uri, name: p.titleSimplified}} AS part,
       g {{.id, iri: g.uri, name: g.titleSimplified}} AS group,
       agencies, technologies, programmes, regions, i.openEnded AS open_ended,
       i.spanStart AS span_start, i.spanEnd AS span_end, i.sourceLine AS line
"""

AGENCY_FIELDS = """
  a.id AS id, a.uri AS iri, a.prefLabel_zh_Hans AS name, a.prefLabel_zh_Hant AS name_hant,
  a.prefLabel_en AS name_en, k.notation AS kind, a.resolved AS resolved,
  parent {.id, iri: parent.uri, name: parent.prefLabel_zh_Hans} AS parent,
  COUNT { (a)-[:LEADS]->() } AS lead, COUNT { (a)-[:SHARES]->() } AS shared,
  COUNT { (a)-[:IMPLEMENTS]->() } AS implementing
"""

AGENCIES = f"""
MATCH (a:Agency)
OPTIONAL MATCH (a)-[:PART_OF_BODY]->(parent:Agency)
OPTIONAL MATCH (a)-[:KIND]->(k)
WITH a, parent, k ORDER BY a.id
RETURN {AGENCY_FIELDS}
"""

AGENCY = f"""
MATCH (a:Agency {{id: $id}})
OPTIONAL MATCH (a)-[:PART_OF_BODY]->(parent:Agency)
OPTIONAL MATCH (a)-[:KIND]->(k)
CALL (a) {{
  OPTIONAL MATCH (child:Agency)-[:PART_OF_BODY]->(a)
  WITH child ORDER BY child.id
  RETURN collect(child {{.id, iri: child.uri, name: child.prefLabel_zh_Hans}}) AS children
}}
CALL (a) {{
  OPTIONAL MATCH (r:Responsibility)-[:AGENT]->(a)
  RETURN collect(DISTINCT coalesce(r.surfaceForm_zh_Hant, r.surfaceForm_zh_Hans)) AS written
}}
CALL (a) {{
  OPTIONAL MATCH (a)-[rel:LEADS|SHARES|IMPLEMENTS]->(i:Item)
  WITH rel, i ORDER BY i.id
  RETURN collect(CASE WHEN i IS NULL THEN NULL
                 ELSE {{role: type(rel), item: {item_map("i")}}} END) AS roles
}}
CALL (a) {{
  OPTIONAL MATCH (i:Item)-[:MENTIONS]->(a)
  WITH i ORDER BY i.id
  RETURN collect({item_map("i")}) AS mentioned
}}
RETURN {AGENCY_FIELDS},
  coalesce(a.altLabel_zh_Hans, []) + coalesce(a.altLabel_zh_Hant, []) AS alt,
  coalesce(a.formerName_zh_Hans, []) AS former, children, written, roles, mentioned
"""

TECHNOLOGIES = """
MATCH (c:Technology)
WITH c ORDER BY c.id
RETURN c.id AS id, c.uri AS iri, c.prefLabel_zh_Hans AS name, c.prefLabel_zh_Hant AS name_hant,
       c.prefLabel_en AS name_en, COUNT { (:Item)-[:MENTIONS]->(c) } AS items
"""

TECHNOLOGY = f"""
MATCH (c:Technology {{id: $id}})
CALL (c) {{
  OPTIONAL MATCH (c)-[:BROADER]->(b:Technology)
  WITH b ORDER BY b.id
  RETURN collect(b {{.id, iri: b.uri, name: b.prefLabel_zh_Hans}}) AS broader
}}
CALL (c) {{
  OPTIONAL MATCH (n:Technology)-[:BROADER]->(c)
  WITH n ORDER BY n.id
  RETURN collect(n {{.id, iri: n.uri, name: n.prefLabel_zh_Hans}}) AS narrower
}}
CALL (c) {{
  OPTIONAL MATCH (i:Item)-[:MENTIONS]->(:Technology)-[:BROADER*0..]->(c)
  WITH DISTINCT i ORDER BY i.id
  RETURN collect({item_map("i")}) AS items
}}
RETURN c.id AS id, c.uri AS iri, c.prefLabel_zh_Hans AS name, c.prefLabel_zh_Hant AS name_hant,
       c.prefLabel_en AS name_en, COUNT {{ (:Item)-[:MENTIONS]->(c) }} AS direct,
       coalesce(c.altLabel_zh_Hans, []) + coalesce(c.altLabel_zh_Hant, []) AS alt,
       broader, narrower, items
"""

REGIONS = """
MATCH (p:Place)
WITH p ORDER BY p.id
RETURN p.id AS id, p.uri AS iri, p.prefLabel_zh_Hans AS name, p.prefLabel_zh_Hant AS name_hant,
       p.prefLabel_en AS name_en, p.placeKind AS kind, p.divisionCode AS code,
       COUNT { (:Item)-[:CONCERNS]->(p) } AS items
"""

REGION = f"""
MATCH (p:Place {{id: $id}})
CALL (p) {{
  OPTIONAL MATCH (p)-[:WITHIN]->(w:Place)
  WITH w ORDER BY w.id
  RETURN collect(w {{.id, iri: w.uri, name: w.prefLabel_zh_Hans}}) AS within
}}
CALL (p) {{
  OPTIONAL MATCH (c:Place)-[:WITHIN]->(p)
  WITH c ORDER BY c.id
  RETURN collect(c {{.id, iri: c.uri, name: c.prefLabel_zh_Hans}}) AS parts
}}
CALL (p) {{
  OPTIONAL MATCH (i:Item)-[:CONCERNS]->(:Place)-[:WITHIN*0..]->(p)
  WITH DISTINCT i ORDER BY i.id
  RETURN collect({item_map("i")}) AS items
}}
RETURN p.id AS id, p.uri AS iri, p.prefLabel_zh_Hans AS name, p.prefLabel_zh_Hant AS name_hant,
       p.prefLabel_en AS name_en, p.placeKind AS kind, p.divisionCode AS code,
       COUNT {{ (:Item)-[:CONCERNS]->(p) }} AS direct, within, parts, items
"""

_MAPPING_ROW = f"""{{source: {item_map("s")}, target: {item_map("t")},
  score: a.score, rank: a.rank, accepted: a.accepted, evidence: a.evidence}}"""

MAPPINGS = f"""
MATCH (a:Alignment)-[:SOURCE]->(s:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $source}})
MATCH (a)-[:TARGET]->(t:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $target}})
WHERE a.score >= $min_score AND (NOT $accepted_only OR a.accepted)
  AND ($item IS NULL OR s.id = $item)
WITH a, s, t ORDER BY s.id, a.rank
WITH collect({_MAPPING_ROW}) AS rows
RETURN size(rows) AS count, rows[$offset..$offset + $limit] AS data
"""

SUCCESSORS = f"""
MATCH (s:Item {{id: $id}})<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item)
WHERE a.score >= $min_score AND (NOT $accepted_only OR a.accepted)
WITH a, s, t ORDER BY a.rank, t.id
RETURN {_MAPPING_ROW} AS row
"""

PREDECESSORS = f"""
MATCH (t:Item {{id: $id}})<-[:TARGET]-(a:Alignment)-[:SOURCE]->(s:Item)
WHERE a.score >= $min_score AND (NOT $accepted_only OR a.accepted)
WITH a, s, t ORDER BY a.score DESC, s.id
RETURN {_MAPPING_ROW} AS row
"""

ITEM_EXISTS = "MATCH (i:Item {id: $id}) WHERE $kind IS NULL OR $kind IN labels(i) RETURN i.id AS id"
DOCUMENT_EXISTS = "MATCH (d:PolicyDocument {id: $id}) RETURN d.id AS id"

COVERAGE_DROPPED = f"""
MATCH (s:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $source}})
WHERE NOT EXISTS {{
  MATCH (s)-[:CONTINUED_BY]->(:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $target}}) }}
CALL (s) {{
  OPTIONAL MATCH (s)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item)
                 -[:IS_PART_OF]->(:PolicyDocument {{id: $target}})
  WITH a, t ORDER BY a.rank LIMIT 1
  RETURN CASE WHEN t IS NULL THEN NULL ELSE {item_map("t")} END AS best, a.score AS score
}}
WITH s, best, score ORDER BY s.id
RETURN {item_map("s")} AS item, best, score
"""

COVERAGE_NEW = f"""
MATCH (t:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $target}})
WHERE NOT EXISTS {{
  MATCH (t)<-[:CONTINUED_BY]-(:Item)-[:IS_PART_OF]->(:PolicyDocument {{id: $source}}) }}
CALL (t) {{
  OPTIONAL MATCH (t)<-[:TARGET]-(a:Alignment)-[:SOURCE]->(s:Item)
                 -[:IS_PART_OF]->(:PolicyDocument {{id: $source}})
  WITH a, s ORDER BY a.score DESC, s.id LIMIT 1
  RETURN CASE WHEN s IS NULL THEN NULL ELSE {item_map("s")} END AS best, a.score AS score
}}
WITH t, best, score ORDER BY t.id
RETURN {item_map("t")} AS item, best, score
"""

SEARCH = f"""
CALL db.index.fulltext.queryNodes('item_text', $lucene) YIELD node, score
WITH node AS i, score ORDER BY score DESC, i.id
WITH collect({{item: {item_map("i")}, score: score, text: i.textSimplified,
  original: coalesce(i.originalText_zh_Hans, i.originalText_zh_Hant)}}) AS rows
RETURN size(rows) AS count, rows[$offset..$offset + $limit] AS data
"""
