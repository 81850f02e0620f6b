"""The offline import (``policykg load --offline``): neo4j-admin writes the store, and the
server then holds the same graph the online load gives, or keeps the one it had."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib.compare import isomorphic

from core.errors import GraphStoreError
from core.settings import Settings
from graph import bulk_import, queries, server
from graph.bulk_import import import_offline
from graph.connection import open_driver
from graph.mapping import GraphMapping, Rows, mapping_and_rows
from graph.store import counts, export_graph, read_meta
from policykg.pipeline import Build, managed_graph
from tests.plugins.neo4j import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory, built: Build) -> Iterator[Settings]:
    """A Neo4j of this test's own that holds the graph, loaded online (the previous graph)."""
    settings = Settings.isolated(tmp_path_factory.mktemp("offline"), free_port(), free_port())
    with managed_graph(settings, built):
        yield settings


@pytest.fixture
def rows(built: Build) -> tuple[GraphMapping, Rows]:
    return mapping_and_rows(built.graph)


def test_the_imported_graph_is_the_graph(
    own_server: Settings, built: Build, rows: tuple[GraphMapping, Rows]
) -> None:
    mapping, node_rows = rows
    result = import_offline(
        own_server,
        node_rows,
        mapping,
        triples=len(built.graph),
        input_digest=built.inputs.digest,
        build_digest="b" * 64,
    )
    assert server.server_status(own_server).answering  # started again
    with open_driver(server.connection_for(own_server)) as driver:
        held = counts(driver, "neo4j")
        assert held == (node_rows.node_count(), node_rows.relationship_count())
        assert held == (result.nodes, result.relationships)
        meta = read_meta(driver, "neo4j")
        assert meta is not None
        assert (meta.version, meta.build_digest) == (result.version, "b" * 64)
        assert (meta.triples, meta.input_digest) == (len(built.graph), built.inputs.digest)
        assert isomorphic(export_graph(driver, "neo4j"), built.graph)
        records, _, _ = driver.execute_query(queries.SCHEMA_NAMES, database_="neo4j")
        assert {queries.schema_name(s) for s in queries.SCHEMA} <= set(records[0]["names"])
        records, _, _ = driver.execute_query(
            "CALL db.index.fulltext.queryNodes('item_text', '\"数据要素\"') YIELD node "
            "RETURN node.id AS id",
            database_="neo4j",
        )
        assert {"gd2021-m08", "gd2025-t04"} <= {r["id"] for r in records}


def test_a_failed_import_leaves_the_previous_graph(
    own_server: Settings,
    built: Build,
    rows: tuple[GraphMapping, Rows],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_driver(server.connection_for(own_server)) as driver:
        before = (counts(driver, "neo4j"), read_meta(driver, "neo4j"))
    real = bulk_import.import_arguments
    monkeypatch.setattr(
        bulk_import,
        "import_arguments",
        lambda *args: ["database", "import", "full", "--no-such-option", *real(*args)[3:]],
    )
    mapping, node_rows = rows
    with pytest.raises(GraphStoreError, match="import failed"):
        import_offline(own_server, node_rows, mapping, triples=len(built.graph))
    assert server.server_status(own_server).answering  # never stopped
    with open_driver(server.connection_for(own_server)) as driver:
        assert (counts(driver, "neo4j"), read_meta(driver, "neo4j")) == before


def test_an_external_server_is_refused(built: Build, rows: tuple[GraphMapping, Rows]) -> None:
    external = Settings(neo4j_uri="bolt://example.org:7687")
    with pytest.raises(GraphStoreError, match="external server"):
        import_offline(external, rows[1], rows[0], triples=len(built.graph))
