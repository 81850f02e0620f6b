"""policykg: a knowledge graph of policy relationships.

The project is layered, and data flows one way through the layers::

    loaders/   text → records (parts, groups, measures, tasks, agencies, mentions)
    align/     records → scored item-to-item links with evidence
    ontology/  records and links → a validated RDF graph (plus the ontology and SHACL files)
    graph/     RDF ↔ Neo4j, the managed Neo4j server, Cypher, graph analytics
    api/       HTTP: the FastAPI application and the web explorer

This package holds what every layer shares (settings and the error hierarchy) and the
``policykg`` command line, which composes the layers.
"""

__version__ = "0.1.0"
