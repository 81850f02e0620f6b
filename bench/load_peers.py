"""What the load benchmark shares: its messages, clearing the database between loads, and
the peer it is measured against, rdflib-neo4j's ``Neo4jStore``."""

from __future__ import annotations

import contextlib
import io
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from neo4j import Driver
from rdflib import Graph, Literal, URIRef
from rdflib_neo4j import (
    HANDLE_MULTIVAL_STRATEGY,
    HANDLE_VOCAB_URI_STRATEGY,
    Neo4jStore,
    Neo4jStoreConfig,
)

# Deleting in batches keeps the clearing transaction small; not part of any measurement.
CLEAR_DATABASE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clear(driver: Driver, database: str) -> None:
    """Delete everything (auto-commit, in batches), so every load starts from an empty graph.

    (Community Edition has no ``db.checkpoint()``; alternating the loaders' order spreads any
    background checkpoint over both.)
    """
    with driver.session(database=database) as session:
        session.run(CLEAR_DATABASE).consume()


def multivalued_predicates(graph: Graph) -> list[str]:
    """Predicates with more than one literal value on some subject."""
    seen = Counter((s, p) for s, p, o in graph if isinstance(o, Literal))
    return sorted({str(p) for (_, p), n in seen.items() if n > 1})


def rdflib_neo4j_config(graph: Graph, batch_size: int) -> Any:
    """A ``Neo4jStoreConfig`` that keeps every value of ``graph`` (see the module docstring)."""
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    multival = []
    for predicate in multivalued_predicates(graph):
        prefix, _, name = graph.namespace_manager.compute_qname(URIRef(predicate))
        prefixes.setdefault(prefix, predicate[: -len(name)])
        multival.append((prefix, name))
    return Neo4jStoreConfig(
        custom_prefixes=prefixes,
        batching=True,
        batch_size=batch_size,
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
        handle_multival_strategy=HANDLE_MULTIVAL_STRATEGY.ARRAY,
        multival_props_names=multival,
    )


def load_with_rdflib_neo4j(driver: Driver, graph: Graph, config: Any, *, send: bool = True) -> None:
    """Stream ``graph`` into Neo4j through rdflib-neo4j's store (its prints are swallowed).

    With ``send=False`` the store does all its Python work but sends no query.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        store = Neo4jStore(config=config, neo4j_driver=driver)
        if not send:
            store._Neo4jStore__query_database = lambda query, params: None
        target = Graph(store=store)
        target += graph
        target.close(True)


Loader = Callable[[], None]
