"""Every Cypher statement the loader and exporter run, as named constants.

Values always travel as ``$parameters``, and so do the loader's labels and relationship
types (Cypher 5.26's dynamic ``$(…)`` labels and types), which are moreover checked to be
plain identifiers (see :mod:`graph.mapping`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.errors import GraphStoreError
from graph.mapping import IDENTIFIER, RESOURCE, relationship_type
from loaders.records import Role
from ontology.namespaces import ROLE_DIRECT

META = "_GraphMeta"
#: Answers derived from the graph in its load transaction (see :func:`graph.store.load_rows`):
#: nodes of their own, outside the RDF graph (not ``Resource``), each a key and a body.
SHAPE = "_Shape"
#: The relationship from an agency to an item for each role (``LEADS``, ``SHARES`` …),
#: named by the same rule as every other relationship type.
ROLE_RELATIONSHIPS: dict[Role, str] = {role: relationship_type(ROLE_DIRECT[role]) for role in Role}

SCHEMA = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
    "CREATE INDEX item_id IF NOT EXISTS FOR (n:Item) ON (n.id)",
    "CREATE INDEX item_document IF NOT EXISTS FOR (n:Item) ON (n.document)",
    "CREATE INDEX clause_id IF NOT EXISTS FOR (n:Clause) ON (n.id)",
    "CREATE INDEX agency_id IF NOT EXISTS FOR (n:Agency) ON (n.id)",
    "CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.prefLabel_zh_Hans)",
    "CREATE INDEX technology_id IF NOT EXISTS FOR (n:Technology) ON (n.id)",
    "CREATE INDEX programme_id IF NOT EXISTS FOR (n:Programme) ON (n.id)",
    "CREATE INDEX place_id IF NOT EXISTS FOR (n:Place) ON (n.id)",
    "CREATE INDEX place_code IF NOT EXISTS FOR (n:Place) ON (n.divisionCode)",
    "CREATE INDEX document_id IF NOT EXISTS FOR (n:PolicyDocument) ON (n.id)",
    "CREATE INDEX part_id IF NOT EXISTS FOR (n:Part) ON (n.id)",
    "CREATE INDEX group_id IF NOT EXISTS FOR (n:Group) ON (n.id)",
    "CREATE INDEX alignment_score IF NOT EXISTS FOR (n:Alignment) ON (n.score)",
    "CREATE INDEX meta_key IF NOT EXISTS FOR (n:_GraphMeta) ON (n.key)",
    "CREATE INDEX shape_key IF NOT EXISTS FOR (n:_Shape) ON (n.key)",
    # Full-text search over items, Simplified and original text, with the CJK (bigram) analyzer
    "CREATE FULLTEXT INDEX item_text IF NOT EXISTS FOR (n:Item) "
    "ON EACH [n.textSimplified, n.titleSimplified, n.originalText_zh_Hans, "
    "n.originalText_zh_Hant, n.title_zh_Hans, n.title_zh_Hant] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
)

DELETE_GRAPH = "MATCH (n:Resource) DETACH DELETE n"
DELETE_META = f"MATCH (m:{META}) DELETE m"
DELETE_SHAPES = f"MATCH (s:{SHAPE}) DELETE s"
#: Derived answers: a row is ``[key, body]``.
CREATE_SHAPES = f"UNWIND $rows AS row CREATE (s:{SHAPE} {{key: row[0]}}) SET s.body = row[1]"
READ_SHAPE = f"MATCH (s:{SHAPE} {{key: $key}}) RETURN s.body AS body"
CREATE_META = (
    f"CREATE (m:{META} {{key: 'graph'}}) "
    "SET m.version = $version, m.loadedAt = datetime($loaded_at), m.mapping = $mapping, "
    "m.nodes = $nodes, m.relationships = $relationships, m.triples = $triples, "
    "m.inputDigest = $input_digest, m.buildDigest = $build_digest"
)
META_MATCH = f"MATCH (m:{META} {{key: 'graph'}})"
READ_META = META_MATCH + " RETURN m"
READ_VERSION = (
    META_MATCH + " RETURN m.version AS version, m.loadedAt AS loaded_at, m.nodes AS nodes, "
    "m.relationships AS relationships"
)
COUNT_NODES = "MATCH (n:Resource) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH (:Resource)-[r]->(:Resource) RETURN count(r) AS n"
EXPORT_NODES = "MATCH (n:Resource) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props"
EXPORT_RELATIONSHIPS = (
    "MATCH (a:Resource)-[r]->(b:Resource) RETURN a.uri AS s, type(r) AS type, b.uri AS o"
)


#: Every node, whatever its labels: a row is ``{"uri", "labels", "props"}``, the labels
#: including :data:`~graph.mapping.RESOURCE`. One statement for all nodes (labels as values,
#: ``$(…)``, Cypher 5.26) and one for all relationships: the server plans two statements
#: instead of one per label set and per type, which is most of a first load after a start.
CREATE_NODES = "UNWIND $rows AS row CREATE (n:$(row.labels) {uri: row.uri}) SET n += row.props"
#: Every relationship: a row is ``[subject IRI, object IRI, type]``.
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:Resource {uri: row[0]}) MATCH (b:Resource {uri: row[1]}) "
    "CREATE (a)-[:$(row[2])]->(b)"
)
#: The names of the indexes and constraints that exist (to create only what is missing).
SCHEMA_NAMES = "SHOW INDEXES YIELD name RETURN collect(name) AS names"
_SCHEMA_NAME = re.compile(r"^CREATE (?:[A-Z]+ )*?(?:INDEX|CONSTRAINT) (\w+) IF NOT EXISTS")


def schema_name(statement: str) -> str:
    """The name a ``SCHEMA`` statement creates (an index, or a constraint and its index)."""
    match = _SCHEMA_NAME.match(statement)
    if match is None:
        raise GraphStoreError(f"cannot tell which index this creates: {statement[:60]}…")
    return match.group(1)


def checked_labels(labels: Iterable[str]) -> list[str]:
    """``[RESOURCE, *labels]``, each checked to be a plain identifier (as the mapping made it)."""
    return [plain_name(name) for name in [RESOURCE, *labels]]


def plain_name(name: str) -> str:
    """``name``, checked to be a plain identifier (a label or a relationship type)."""
    if not IDENTIFIER.match(name):
        raise GraphStoreError(f"{name!r} is not a plain identifier")
    return name
