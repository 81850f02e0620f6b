"""The RDF graph in Neo4j: load it whole, in one transaction, and export it back.

A load replaces the previous graph inside a single transaction: readers keep seeing the
previous graph until the new one commits, and a load that fails part-way rolls back and
leaves the previous graph in place. Loading the same graph twice gives the same counts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import Driver
from rdflib import Graph

from core.errors import GraphStoreError
from graph import queries
from graph.connection import driver_errors
from graph.mapping import GraphMapping, Rows, from_rows, mapping_and_rows

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # rows written so far, rows in all
#: What to derive from the graph inside its load transaction, which it reads: every
#: ``(key, body)`` to keep beside the graph (answers computed once per load, read by key).
Derive = Callable[[neo4j.Transaction], Iterable[tuple[str, str]]]
BATCH_SIZE = 5000


@dataclass(frozen=True)
class GraphMeta:
    """What the database says about the graph it holds."""

    version: str
    loaded_at: dt.datetime
    nodes: int
    relationships: int
    triples: int
    input_digest: str
    build_digest: str  # the build key of what was loaded ("" when loaded from a graph)
    mapping: GraphMapping


@dataclass(frozen=True)
class LoadResult:
    version: str
    nodes: int
    relationships: int
    triples: int
    seconds: float


def ensure_schema(driver: Driver, database: str) -> None:
    """Create the uniqueness constraint, the indexes and the full-text index that are missing
    (one query when they all exist, as they do after the first load)."""
    with driver_errors("create the schema"):
        records, _, _ = driver.execute_query(queries.SCHEMA_NAMES, database_=database)
        existing = set(records[0]["names"]) if records else set()
        for statement in queries.SCHEMA:
            if queries.schema_name(statement) not in existing:
                driver.execute_query(statement, database_=database)


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def node_rows(rows: Rows) -> list[dict[str, Any]]:
    """Every node as one ``CREATE_NODES`` row, its labels (with ``Resource``) in the row."""
    out: list[dict[str, Any]] = []
    for labels, group in sorted(rows.nodes.items()):
        names = queries.checked_labels(labels)
        out += [{"uri": row["uri"], "labels": names, "props": row["props"]} for row in group]
    return out


def relationship_rows(rows: Rows) -> list[tuple[str, str, str]]:
    """Every relationship as one ``CREATE_RELATIONSHIPS`` row: subject, object, type."""
    out: list[tuple[str, str, str]] = []
    for rel_type, group in sorted(rows.relationships.items()):
        name = queries.plain_name(rel_type)
        out += [(row["s"], row["o"], name) for row in group]
    return out


def load_graph(
    driver: Driver,
    database: str,
    graph: Graph,
    *,
    input_digest: str = "",
    build_digest: str = "",
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    derive: Derive | None = None,
) -> LoadResult:
    """Replace the graph in Neo4j with ``graph``, all or nothing (see the module docstring)."""
    mapping, rows = mapping_and_rows(graph)
    return load_rows(
        driver,
        database,
        rows,
        mapping,
        triples=len(graph),
        input_digest=input_digest,
        build_digest=build_digest,
        progress=progress,
        batch_size=batch_size,
        derive=derive,
    )


def load_rows(
    driver: Driver,
    database: str,
    rows: Rows,
    mapping: GraphMapping,
    *,
    triples: int,
    input_digest: str = "",
    build_digest: str = "",
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    derive: Derive | None = None,
) -> LoadResult:
    """Write prepared rows in one transaction, replacing whatever graph was there.

    ``build_digest`` is stored in the meta node, so that a later load of the same build can
    see that the database holds it already. ``derive`` reads the new graph in the same
    transaction and gives the answers to keep beside it (:data:`Derive`); the previous
    graph's go in every load, so none outlives its graph.
    """
    ensure_schema(driver, database)
    started = time.perf_counter()
    total = rows.node_count() + rows.relationship_count()
    done = 0
    version = uuid.uuid4().hex[:16]
    loaded_at = dt.datetime.now(dt.UTC).isoformat()
    with driver_errors("load the graph"), driver.session(database=database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(queries.DELETE_GRAPH).consume()
            tx.run(queries.DELETE_META).consume()
            tx.run(queries.DELETE_SHAPES).consume()
            for batch in _batches(node_rows(rows), batch_size):
                tx.run(queries.CREATE_NODES, rows=batch).consume()
                done += len(batch)
                if progress:
                    progress(done, total)
            for batch in _batches(relationship_rows(rows), batch_size):
                summary = tx.run(queries.CREATE_RELATIONSHIPS, rows=batch).consume()
                created = summary.counters.relationships_created
                if created != len(batch):
                    types = ", ".join(sorted({t for _, _, t in batch}))
                    raise GraphStoreError(
                        f"{len(batch) - created} relationship(s) (of the types {types}) point "
                        "at nodes that do not exist"
                    )
                done += len(batch)
                if progress:
                    progress(done, total)
            if derive is not None:
                _write_shapes(tx, derive, batch_size)
            tx.run(
                queries.CREATE_META,
                version=version,
                loaded_at=loaded_at,
                mapping=mapping.to_json(),
                nodes=rows.node_count(),
                relationships=rows.relationship_count(),
                triples=triples,
                input_digest=input_digest,
                build_digest=build_digest,
            ).consume()
            tx.commit()
        finally:
            if tx.closed() is False:
                tx.rollback()
    seconds = time.perf_counter() - started
    log.info(
        "loaded %d nodes and %d relationships (%d triples) in %.1f s",
        rows.node_count(), rows.relationship_count(), triples, seconds,
    )  # fmt: skip
    return LoadResult(version, rows.node_count(), rows.relationship_count(), triples, seconds)


def _write_shapes(tx: neo4j.Transaction, derive: Derive, batch_size: int) -> None:
    started = time.perf_counter()
    shapes = list(derive(tx))
    for batch in _batches(shapes, batch_size):
        tx.run(queries.CREATE_SHAPES, rows=batch).consume()
    log.info("derived %d answers in %.1f s", len(shapes), time.perf_counter() - started)


def meta_from_node(m: dict[str, Any]) -> GraphMeta:
    """The graph's metadata from the properties of its meta node (see ``queries.READ_META``)."""
    return GraphMeta(
        version=m["version"],
        loaded_at=m["loadedAt"].to_native(),
        nodes=m["nodes"],
        relationships=m["relationships"],
        triples=m["triples"],
        input_digest=m["inputDigest"],
        build_digest=m.get("buildDigest") or "",
        mapping=GraphMapping.from_json(m["mapping"]),
    )


def read_meta(driver: Driver, database: str) -> GraphMeta | None:
    """The loaded graph's version, counts and mapping, or None if nothing was loaded."""
    with driver_errors("read the graph's metadata"):
        records, _, _ = driver.execute_query(
            queries.READ_META, database_=database, routing_=neo4j.RoutingControl.READ
        )
    return meta_from_node(records[0]["m"]) if records else None


def counts(driver: Driver, database: str) -> tuple[int, int]:
    """Nodes and relationships of the loaded graph, counted in the database."""
    with driver_errors("count the graph"):
        nodes, _, _ = driver.execute_query(queries.COUNT_NODES, database_=database)
        rels, _, _ = driver.execute_query(queries.COUNT_RELATIONSHIPS, database_=database)
    return int(nodes[0]["n"]), int(rels[0]["n"])


def _graph_from(
    meta: dict[str, Any] | None, nodes: list[ExportedNode], rels: list[ExportedRelationship]
) -> Graph:
    if meta is None:
        raise GraphStoreError("no graph has been loaded into this database yet")
    return from_rows(nodes, rels, meta_from_node(meta).mapping)


ExportedNode = tuple[str, list[str], dict[str, Any]]
ExportedRelationship = tuple[str, str, str]


def export_graph(driver: Driver, database: str) -> Graph:
    """Read the loaded graph back as RDF, through the mapping stored with it, in one read
    transaction (so a load committing meanwhile cannot mix two graphs).

    Raises:
        GraphStoreError: nothing has been loaded, or the data no longer fits the mapping.
    """

    def read(tx: neo4j.ManagedTransaction) -> Graph:
        meta = tx.run(queries.READ_META).single()
        nodes = [(r["uri"], r["labels"], r["props"]) for r in tx.run(queries.EXPORT_NODES)]
        rels = [(r["s"], r["type"], r["o"]) for r in tx.run(queries.EXPORT_RELATIONSHIPS)]
        return _graph_from(meta["m"] if meta else None, nodes, rels)

    with driver_errors("export the graph"), driver.session(database=database) as session:
        return session.execute_read(read)


async def export_graph_async(driver: neo4j.AsyncDriver, database: str) -> Graph:
    """:func:`export_graph` for an asyncio driver (the API's)."""

    async def read(
        tx: neo4j.AsyncManagedTransaction,
    ) -> tuple[dict[str, Any] | None, list[ExportedNode], list[ExportedRelationship]]:
        meta = await (await tx.run(queries.READ_META)).single()
        nodes = [
            (r["uri"], r["labels"], r["props"]) async for r in await tx.run(queries.EXPORT_NODES)
        ]
        rels = [
            (r["s"], r["type"], r["o"]) async for r in await tx.run(queries.EXPORT_RELATIONSHIPS)
        ]
        return (dict(meta["m"]) if meta else None), nodes, rels

    with driver_errors("export the graph"):
        async with driver.session(database=database) as session:
            meta, nodes, rels = await session.execute_read(read)
    return await asyncio.to_thread(_graph_from, meta, nodes, rels)
