"""Every Cypher statement the API runs, as named constants and small builders with
``$parameters``; values are never formatted into a statement.

Names follow the graph's mapping (``graph/names.toml``): labels such as ``:Task``,
relationship types such as ``:LEADS``, property keys such as ``titleSimplified`` and
``prefLabel_zh_Hans``. Builders insert only names from closed sets defined here (a concept
kind's label and relationship types), never a caller's text.

Every list is paged the same way, in Cypher (:func:`paged`): the matching rows are
collected in order, and the statement returns their number and the requested slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from api.content_queries import content_map
from graph.queries import READ_VERSION, ROLE_RELATIONSHIPS

# An item as the API summarises it. Its document and kind are properties of the node.
ITEM_FIELDS = (
    "{id: {v}.id, iri: {v}.uri, kind: {v}.kind, document: {v}.document, "
    "number: {v}.ordinal, title: coalesce({v}.title_zh_Hans, {v}.title_zh_Hant), "
    "title_simplified: {v}.titleSimplified}"
)


def item_map(var: str) -> str:
    """The Cypher map projection of an item bound to ``var``."""
    return ITEM_FIELDS.replace("{v}", var)


def ref_map(var: str) -> str:
    """A reference to a labelled node bound to ``var``: ``{id, iri, name}``."""
    return f"{var} {{.id, iri: {var}.uri, name: {var}.prefLabel_zh_Hans}}"


def clause_map(clause: str, item: str) -> str:
    """A clause bound to ``clause``, of the item bound to ``item``, as the API briefs it."""
    c = clause
    return (
        f"{{id: {c}.id, iri: {c}.uri, item: {item}.id, number: {c}.ordinal, "
        f"text: coalesce({c}.originalText_zh_Hans, {c}.originalText_zh_Hant), "
        f"text_simplified: {c}.textSimplified, "
        f"span: {{start: {c}.spanStart, end: {c}.spanEnd, line: {c}.sourceLine}}}}"
    )


def _clause_link(other: str, other_item: str) -> str:
    return (
        f"{{clause: {clause_map(other, other_item)}, item: {item_map(other_item)}, "
        "score: ca.score, accepted: ca.accepted, signals: ca.signals}"
    )


def clause_links(clause: str, *, outgoing: bool, accepted_only: bool) -> str:
    """A pattern comprehension: the clause links from (``outgoing``) or into the clause bound
    to ``clause`` (in no order: the repository sorts them)."""
    here, there = ("SOURCE", "TARGET") if outgoing else ("TARGET", "SOURCE")
    where = " WHERE ca.accepted" if accepted_only else ""
    return (
        f"[({clause})<-[:{here}]-(ca:ClauseAlignment)-[:{there}]->(oc:Clause)"
        f"-[:IS_PART_OF]->(oi:Item){where} | {_clause_link('oc', 'oi')}]"
    )


def paged(body: str, row: str) -> LiteralString:
    """``body`` (MATCH … WITH … ORDER BY …) paged: ``count`` of all rows and the slice
    ``data`` of ``row`` maps from ``$offset``, at most ``$limit``."""
    return (
        f"{body}\nWITH collect({row}) AS rows\n"
        "RETURN size(rows) AS count, rows[$offset..$offset + $limit] AS data"
    )


META_VERSION = READ_VERSION

DOCUMENT_FIELDS = """
OPTIONAL MATCH (d)-[:PASSED_BY]->(a:Agency)
OPTIONAL MATCH (d)-[:DOCUMENT_TYPE]->(dt)
CALL (d) {
  OPTIONAL MATCH (i:Item)-[:IS_PART_OF]->(d)
  RETURN count(i) AS items, head(collect(i.kind)) AS kind
}
RETURN d {.*} AS d, a {.id, .uri, .prefLabel_zh_Hans} AS issuer, dt.prefLabel_en AS type,
       items, kind
"""

# Documents of the corpus: an external document (cited, not held) has none of their fields.
CORPUS_DOCUMENT = "MATCH (d:PolicyDocument) WHERE d.external IS NULL"
DOCUMENTS = CORPUS_DOCUMENT + DOCUMENT_FIELDS + "ORDER BY d.date, d.id"
DOCUMENT = CORPUS_DOCUMENT + " AND d.id = $id" + DOCUMENT_FIELDS
DOCUMENT_EXISTS = CORPUS_DOCUMENT + " AND d.id = $id RETURN d.id AS id"

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
MATCH (i:Item {document: $id})-[:IS_PART_OF]->(p:Part)
OPTIONAL MATCH (i)-[:IS_PART_OF]->(g:Group)
RETURN i.id AS id, p.id AS part, g.id AS group
ORDER BY i.ordinal
"""

# Items filtered by kind, document, agency (with a role), technology (or narrower) and
# region (or any place inside it).
ITEMS = paged(
    """
MATCH (i:Item)
WHERE ($kind IS NULL OR i.kind = $kind)
  AND ($doc IS NULL OR i.document = $doc)
  AND ($agency IS NULL OR EXISTS {
        MATCH (a:Agency {id: $agency})-[r]->(i)
        WHERE type(r) IN $role_types })
  AND ($agency IS NOT NULL OR $role IS NULL OR EXISTS {
        MATCH (:Agency)-[r]->(i) WHERE type(r) IN $role_types })
  AND ($technology IS NULL OR EXISTS {
        (i)-[:MENTIONS]->(:Technology)-[:BROADER*0..]->(:Technology {id: $technology}) })
  AND ($region IS NULL OR EXISTS {
        (i)-[:CONCERNS]->(:Place)-[:WITHIN*0..]->(:Place {id: $region}) })
WITH i ORDER BY i.id""",
    item_map("i"),
)

ITEM = f"""
MATCH (i:Item {{id: $id}})
WHERE $kind IS NULL OR i.kind = $kind
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
  RETURN collect({ref_map("t")}) AS technologies
}}
CALL (i) {{
  OPTIONAL MATCH (i)-[:MENTIONS]->(pr:Programme)
  WITH pr ORDER BY pr.id
  RETURN collect({ref_map("pr")}) AS programmes
}}
CALL (i) {{
  OPTIONAL MATCH (i)-[:CONCERNS]->(pl:Place)
  WITH pl ORDER BY pl.id
  RETURN collect({ref_map("pl")}) AS regions
}}
CALL (i) {{
  OPTIONAL MATCH (c:Clause)-[:IS_PART_OF]->(i)
  WITH c ORDER BY c.ordinal
  RETURN collect(CASE WHEN c IS NULL THEN NULL ELSE {{
    clause: {clause_map("c", "i")},
    continued_in: {clause_links("c", outgoing=True, accepted_only=True)},
    carried_from: {clause_links("c", outgoing=False, accepted_only=True)},
    not_continued_in: [(c)<-[:NOT_CONTINUED]-(:Coverage)-[:TARGET_DOCUMENT]->(td) | td.id],
    content: {content_map("c")}
  }} END) AS clauses
}}
RETURN {item_map("i")} AS item, clauses,
       coalesce(i.originalText_zh_Hans, i.originalText_zh_Hant) AS text,
       i.textSimplified AS text_simplified,
       CASE WHEN i.originalText_zh_Hant IS NULL THEN 'zh-Hans' ELSE 'zh-Hant' END AS script,
       p {{.id, iri: p.uri, name: p.titleSimplified}} AS part,
       g {{.id, iri: g.uri, name: g.titleSimplified}} AS group,
       agencies, technologies, programmes, regions, i.openEnded AS open_ended,
       i.spanStart AS span_start, i.spanEnd AS span_end, i.sourceLine AS line
"""

CLAUSE = f"""
MATCH (c:Clause {{id: $id}})-[:IS_PART_OF]->(i:Item)
RETURN {clause_map("c", "i")} AS clause, {item_map("i")} AS item,
       CASE WHEN c.originalText_zh_Hant IS NULL THEN 'zh-Hans' ELSE 'zh-Hant' END AS script,
       [(c)-[:MENTIONS]->(t:Technology) | {ref_map("t")}] AS technologies,
       [(c)-[:MENTIONS]->(pr:Programme) | {ref_map("pr")}] AS programmes,
       [(c)-[:CONCERNS]->(pl:Place) | {ref_map("pl")}] AS regions,
       {clause_links("c", outgoing=True, accepted_only=False)} AS candidates,
       {clause_links("c", outgoing=False, accepted_only=False)} AS sources,
       [(c)<-[:NOT_CONTINUED]-(:Coverage)-[:TARGET_DOCUMENT]->(td) | td.id] AS not_continued_in,
       {content_map("c")} AS content
"""

ITEM_EXISTS = "MATCH (i:Item {id: $id}) WHERE $kind IS NULL OR i.kind = $kind RETURN i.id AS id"

ANY_ROLE = "|".join(ROLE_RELATIONSHIPS.values())  # LEADS|SHARES|IMPLEMENTS
ROLE_COUNTS = ", ".join(
    f"{role.value}: COUNT {{ (a)-[:{rel}]->() }}" for role, rel in ROLE_RELATIONSHIPS.items()
)
AGENCY_MAP = f"""{{
  id: a.id, iri: a.uri, name: a.prefLabel_zh_Hans, name_hant: a.prefLabel_zh_Hant,
  name_en: a.prefLabel_en, kind: k.notation, resolved: a.resolved, parent: {ref_map("parent")},
  generic: coalesce(a.generic, false) OR coalesce(k.notation = 'collective', false),
  {ROLE_COUNTS}
}}"""

AGENCY_MATCH = """
OPTIONAL MATCH (a)-[:PART_OF_BODY]->(parent:Agency)
OPTIONAL MATCH (a)-[:KIND]->(k)
"""

AGENCIES = paged("MATCH (a:Agency)" + AGENCY_MATCH + "WITH a, parent, k ORDER BY a.id", AGENCY_MAP)

AGENCY = f"""
MATCH (a:Agency {{id: $id}})
{AGENCY_MATCH}
CALL (a) {{
  OPTIONAL MATCH (child:Agency)-[:PART_OF_BODY]->(a)
  WITH child ORDER BY child.id
  RETURN collect({ref_map("child")}) AS children
}}
CALL (a) {{
  OPTIONAL MATCH (r:Responsibility)-[:AGENT]->(a)
  RETURN collect(DISTINCT coalesce(r.surfaceForm_zh_Hant, r.surfaceForm_zh_Hans)) AS written
}}
CALL (a) {{
  OPTIONAL MATCH (a)-[rel:{ANY_ROLE}]->(i:Item)
  WITH rel, i ORDER BY i.id
  RETURN collect(CASE WHEN i IS NULL THEN NULL
                 ELSE {{role: type(rel), item: {item_map("i")}}} END) AS roles
}}
CALL (a) {{
  OPTIONAL MATCH (i:Item)-[:MENTIONS]->(a)
  WITH i ORDER BY i.id
  RETURN collect({item_map("i")}) AS mentioned
}}
RETURN {AGENCY_MAP} AS agency,
  coalesce(a.altLabel_zh_Hans, []) + coalesce(a.altLabel_zh_Hant, []) AS alt,
  coalesce(a.formerName_zh_Hans, []) AS former, children, written, roles, mentioned
"""


@dataclass(frozen=True)
class ConceptKind:
    """What tells a kind of concept apart in the graph: technologies and regions are both
    labelled nodes that items point at, arranged in a hierarchy."""

    label: LiteralString  # the node label
    mentioned_by: LiteralString  # item → concept relationship
    up: LiteralString  # concept → broader or containing concept


TECHNOLOGY = ConceptKind(label="Technology", mentioned_by="MENTIONS", up="BROADER")
PLACE = ConceptKind(label="Place", mentioned_by="CONCERNS", up="WITHIN")


def _concept_fields(kind: ConceptKind, var: str) -> str:
    return (
        f"id: {var}.id, iri: {var}.uri, name: {var}.prefLabel_zh_Hans, "
        f"name_hant: {var}.prefLabel_zh_Hant, name_en: {var}.prefLabel_en, "
        f"kind: {var}.placeKind, code: {var}.divisionCode, "
        f"alt: coalesce({var}.altLabel_zh_Hans, []) + coalesce({var}.altLabel_zh_Hant, []), "
        f"items: COUNT {{ (:Item)-[:{kind.mentioned_by}]->({var}) }}"
    )


def concepts(kind: ConceptKind) -> LiteralString:
    """Every concept of ``kind``, paged, with how many items name each directly."""
    return paged(
        f"MATCH (c:{kind.label})\nWITH c ORDER BY c.id", "{" + _concept_fields(kind, "c") + "}"
    )


def concept(kind: ConceptKind) -> LiteralString:
    """One concept of ``kind``: the concepts above and below it, and the items naming it or
    anything below it."""
    label, up, by = kind.label, kind.up, kind.mentioned_by
    return f"""
MATCH (c:{label} {{id: $id}})
CALL (c) {{
  OPTIONAL MATCH (c)-[:{up}]->(b:{label})
  WITH b ORDER BY b.id
  RETURN collect({ref_map("b")}) AS up
}}
CALL (c) {{
  OPTIONAL MATCH (n:{label})-[:{up}]->(c)
  WITH n ORDER BY n.id
  RETURN collect({ref_map("n")}) AS down
}}
CALL (c) {{
  OPTIONAL MATCH (i:Item)-[:{by}]->(:{label})-[:{up}*0..]->(c)
  WITH DISTINCT i ORDER BY i.id
  RETURN collect({item_map("i")}) AS item_list
}}
RETURN {{{_concept_fields(kind, "c")}}} AS concept, up, down, item_list
"""


_MAPPING_ROW = f"""{{source: {item_map("s")}, target: {item_map("t")},
  score: a.score, rank: a.rank, accepted: a.accepted, evidence: a.evidence, share: a.share,
  relation: head([(a)-[:SUCCESSION]->(r) | r.notation]),
  predicate: head([(a)-[:MAPPING_PREDICATE]->(mp) | mp.uri]),
  clauses: [(s)<-[:IS_PART_OF]-(sc:Clause)<-[:SOURCE]-(ca:ClauseAlignment)-[:TARGET]->(tc:Clause)
            -[:IS_PART_OF]->(t) WHERE ca.accepted |
            {{source: {clause_map("sc", "s")}, target: {clause_map("tc", "t")}, score: ca.score}}]
}}"""

MAPPING_ROW = _MAPPING_ROW  # one link as the API shows it, for the chain reads

MAPPINGS = paged(
    """
MATCH (a:Alignment)-[:SOURCE]->(s:Item {document: $source})
MATCH (a)-[:TARGET]->(t:Item {document: $target})
WHERE a.score >= $min_score AND (NOT $accepted_only OR a.accepted)
WITH a, s, t ORDER BY s.id, a.rank""",
    _MAPPING_ROW,
)


@dataclass(frozen=True)
class LinkDirection:
    """Which end of an alignment an item is: its successors, or its predecessors."""

    from_end: LiteralString  # the relationship from the alignment to the given item
    to_end: LiteralString  # … and to the items listed
    order: LiteralString  # how the listed links are ordered


SUCCESSORS = LinkDirection(from_end="SOURCE", to_end="TARGET", order="a.rank, t.id")
PREDECESSORS = LinkDirection(from_end="TARGET", to_end="SOURCE", order="a.score DESC, s.id")


def links(direction: LinkDirection) -> LiteralString:
    """An item's candidate links in ``direction``, filtered by score and acceptance."""
    me, other = ("s", "t") if direction.from_end == "SOURCE" else ("t", "s")
    return f"""
MATCH ({me}:Item {{id: $id}})<-[:{direction.from_end}]-(a:Alignment)
      -[:{direction.to_end}]->({other}:Item)
WHERE a.score >= $min_score AND (NOT $accepted_only OR a.accepted)
WITH a, s, t ORDER BY {direction.order}
RETURN {_MAPPING_ROW} AS row
"""


_COVERAGE = """
MATCH (cov:Coverage)-[:SOURCE_DOCUMENT]->(:PolicyDocument {id: $source})
MATCH (cov)-[:TARGET_DOCUMENT]->(:PolicyDocument {id: $target})
"""


def _best_link(clause: str, item: str, *, outgoing: bool) -> str:
    """The clause's best kept link (the highest probability), as a verdict's best match."""
    here, there = ("SOURCE", "TARGET") if outgoing else ("TARGET", "SOURCE")
    return f"""
  CALL ({clause}, {item}) {{
    OPTIONAL MATCH ({clause})<-[:{here}]-(ca:ClauseAlignment)-[:{there}]->(oc:Clause)
                   -[:IS_PART_OF]->(oi:Item)
    WITH ca, oc, oi ORDER BY ca.score DESC, oc.id LIMIT 1
    RETURN CASE WHEN oc IS NULL THEN NULL ELSE {clause_map("oc", "oi")} END AS best,
           CASE WHEN oi IS NULL THEN NULL ELSE {item_map("oi")} END AS best_item,
           ca.score AS score
  }}"""


def _verdicts(item: str, *, outgoing: bool) -> str:
    return f"""
CALL ({item}) {{
  OPTIONAL MATCH (vc:Clause)-[:IS_PART_OF]->({item})
  WITH vc ORDER BY vc.ordinal
  {_best_link("vc", item, outgoing=outgoing)}
  RETURN collect(CASE WHEN vc IS NULL THEN NULL ELSE {{clause: {clause_map("vc", item)},
    item: {item_map(item)}, best: best, best_item: best_item, score: score}} END) AS clauses
}}"""


COVERAGE_DROPPED = f"""{_COVERAGE}
MATCH (cov)-[:DROPPED]->(s:Item)
CALL (s) {{
  OPTIONAL MATCH (s)<-[:SOURCE]-(a:Alignment)-[:TARGET]->(t:Item {{document: $target}})
  WITH a, t ORDER BY a.rank LIMIT 1
  RETURN CASE WHEN t IS NULL THEN NULL ELSE {item_map("t")} END AS best, a.score AS score
}}
{_verdicts("s", outgoing=True)}
WITH s, best, score, clauses ORDER BY s.id
RETURN {item_map("s")} AS item, best, score, clauses
"""

COVERAGE_NEW = f"""{_COVERAGE}
MATCH (cov)-[:NEW]->(t:Item)
CALL (t) {{
  OPTIONAL MATCH (t)<-[:TARGET]-(a:Alignment)-[:SOURCE]->(s:Item {{document: $source}})
  WITH a, s ORDER BY a.score DESC, s.id LIMIT 1
  RETURN CASE WHEN s IS NULL THEN NULL ELSE {item_map("s")} END AS best, a.score AS score
}}
{_verdicts("t", outgoing=False)}
WITH t, best, score, clauses ORDER BY t.id
RETURN {item_map("t")} AS item, best, score, clauses
"""

COVERAGE_NOT_CONTINUED = f"""{_COVERAGE}
MATCH (cov)-[:NOT_CONTINUED]->(c:Clause)-[:IS_PART_OF]->(i:Item)
{_best_link("c", "i", outgoing=True)}
WITH c, i, best, best_item, score ORDER BY c.id
RETURN {clause_map("c", "i")} AS clause, {item_map("i")} AS item, best, best_item, score
"""

SEARCH = paged(
    """
CALL db.index.fulltext.queryNodes('item_text', $lucene) YIELD node, score
WITH node AS i, score ORDER BY score DESC, i.id""",
    f"""{{item: {item_map("i")}, score: score, text: i.textSimplified,
  original: coalesce(i.originalText_zh_Hans, i.originalText_zh_Hant)}}""",
)


# the answers precomputed at load (api.shapes): every item, and statements over many
ITEM_KINDS = "MATCH (i:Item) RETURN i.id AS id, i.kind AS kind ORDER BY id"


def each_item(statement: LiteralString) -> LiteralString:
    """A statement about the one item ``{id: $id}`` made one about every item of ``$ids``
    (the rows of each in turn), for the answers precomputed at load (:mod:`api.shapes`)."""
    if statement.count("$id") != 1 or statement.count("{id: $id}") != 1:
        raise ValueError("not a statement about one item {id: $id}")
    return "UNWIND $ids AS id\n" + statement.replace("{id: $id}", "{id: id}")
