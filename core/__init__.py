"""The ground floor: what every layer of policykg imports, and which imports no layer.

The project is layered, and data flows one way, upwards::

    policykg/  the command line and the pipeline that composes the layers below
    api/       HTTP: the FastAPI application and the web explorer
    graph/     RDF ↔ Neo4j, the managed Neo4j server, Cypher, graph analytics
    ontology/  records and links → a validated RDF graph (plus the ontology and SHACL files)
    align/     records → scored item-to-item links with evidence
    loaders/   text → records (parts, groups, measures, tasks, agencies, mentions)
    core/      errors, settings, atomic file writes, the version (this package)

A module imports only from its own layer and the layers below it
(``tests/unit/test_layering.py`` checks this).
"""
