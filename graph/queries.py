"""Every Cypher statement the loader and exporter run, as named constants.

Values always travel as ``$parameters``. Labels and relationship types cannot be
parameters in Cypher, so the few builders below insert names, and only names that the
mapping has already checked are plain identifiers (see :mod:`graph.mapping`).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import GraphStoreError
from graph.mapping import IDENTIFIER, RESOURCE, relationship_type
from loaders.records import Role
from ontology.namespaces import ROLE_DIRECT

META = "_GraphMeta"
#: The relationship from an agency to an item for each role (``LEADS``, ``SHARES`` …),
#: named by the same rule as every other relationship type.
ROLE_RELATIONSHIPS: dict[Role, str] = {role: relationship_type(ROLE_DIRECT[role]) for role in Role}

SCHEMA = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
    "CREATE INDEX item_id IF NOT EXISTS FOR (n:Item) ON (n.id)",
    "CREATE INDEX item_document IF NOT EXISTS FOR (n:Item) ON (n.document)",
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
    # Full-text search over items, Simplified and original text, with the CJK (bigram) analyzer
    "CREATE FULLTEXT INDEX item_text IF NOT EXISTS FOR (n:Item) "
    "ON EACH [n.textSimplified, n.titleSimplified, n.originalText_zh_Hans, "
    "n.originalText_zh_Hant, n.title_zh_Hans, n.title_zh_Hant] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
)

DELETE_GRAPH = "MATCH (n:Resource) DETACH DELETE n"
DELETE_META = f"MATCH (m:{META}) DELETE m"
CREATE_META = (
    f"CREATE (m:{META} {{key: 'graph'}}) "
    "SET m.version = $version, m.loadedAt = datetime($loaded_at), m.mapping = $mapping, "
    "m.nodes = $nodes, m.relationships = $relationships, m.triples = $triples, "
    "m.inputDigest = $input_digest"
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


def _name(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise GraphStoreError(f"{name!r} is not a plain identifier")
    return f"`{name}`"


def create_nodes(labels: Iterable[str]) -> str:
    """``UNWIND $rows`` creating nodes with the :Resource label and ``labels``."""
    names = ":".join(_name(label) for label in [RESOURCE, *labels])
    return f"UNWIND $rows AS row CREATE (n:{names} {{uri: row.uri}}) SET n += row.props"


def create_relationships(rel_type: str) -> str:
    """``UNWIND $rows`` creating relationships of one type between nodes found by IRI."""
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Resource {uri: row.s}) MATCH (b:Resource {uri: row.o}) "
        f"CREATE (a)-[:{_name(rel_type)}]->(b)"
    )
