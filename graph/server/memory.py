"""The managed server's memory, as pure functions: sizes written the Neo4j way, the heap and
page cache for a graph, and the transaction limits that keep a runaway query off the heap.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from core.errors import Neo4jServerError

KIB = 1024


MIB = 1024 * KIB


GIB = 1024 * MIB


#: Below this the server spends its time in garbage collection on the benchmark graph.
MIN_HEAP_BYTES = 512 * MIB


#: Left to the operating system and the JVM's own off-heap needs (metaspace, threads, Netty).
OS_RESERVE_BYTES = 1 * GIB


#: The value of ``POLICYKG_NEO4J_HEAP`` / ``_PAGECACHE`` (and their default) that sizes the
#: server to the graph it is to hold (:func:`memory_for_graph`).
AUTO = "auto"


#: Heap per byte of the graph's Neo4j rows (``neo4j-rows.json``). Measured on 5.26.30, the
#: loader's one transaction holds about 7.5 bytes per byte of rows (at least 404 MiB for the
#: 54 MB of the 494k-triple benchmark graph, which a 1g heap's 384 MiB refused) and one
#: transaction may hold 3/8 of the heap: 20 bytes of heap per byte, and 40 % to spare.
HEAP_PER_ROW_BYTE = 28


#: Page cache per byte of rows: the store takes a few times the rows' size on disk.
PAGECACHE_PER_ROW_BYTE = 4


MIN_PAGECACHE_BYTES = 64 * MIB


_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


_UNIT_BYTES = {"": 1, "k": KIB, "m": MIB, "g": GIB, "t": 1024 * GIB}


class MemoryPlan(BaseModel):
    """The server's memory budget in bytes.

    ``transaction_total_max`` caps the memory of all open transactions together
    (``dbms.memory.transaction.total.max``) and ``transaction_max`` that of any one
    (``db.memory.transaction.max``); going over either fails the transaction cleanly instead
    of running the heap out of memory.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    heap: int
    pagecache: int
    transaction_total_max: int
    transaction_max: int


def parse_size(text: str, *, name: str = "size") -> int:
    """Bytes in a Neo4j/JVM-style size (``2g``, ``512m``, ``1024k``, ``2GiB``, ``1048576``)."""
    match = _SIZE_RE.match(text)
    if match is None:
        raise Neo4jServerError(
            f"{name}={text!r} is not a memory size; write it like 2g, 1536m or 512m."
        )
    return int(match.group(1)) * _UNIT_BYTES[match.group(2).lower()]


def format_size(n_bytes: int) -> str:
    """The shortest exact Neo4j size for a byte count, in whole KiB at least (``2g``, ``1536m``)."""
    for suffix, unit in (("g", GIB), ("m", MIB)):
        if n_bytes % unit == 0:
            return f"{n_bytes // unit}{suffix}"
    return f"{max(n_bytes // KIB, 1)}k"


def _round_up(n_bytes: int, unit: int) -> int:
    return -(-n_bytes // unit) * unit


def memory_for_graph(rows_bytes: int, physical_memory: int) -> tuple[int, int]:
    """Heap and page cache for a graph whose Neo4j rows take ``rows_bytes`` (0: unknown).

    Small graphs get the least the server runs well with (512 MiB of heap, 64 MiB of page
    cache: the real corpus's 2 MB of rows makes an 11 MB store): a small heap is quick to
    pre-touch and to start. Larger ones get :data:`HEAP_PER_ROW_BYTE` and
    :data:`PAGECACHE_PER_ROW_BYTE` per byte, within three quarters of what the machine has.
    """
    heap = max(MIN_HEAP_BYTES, _round_up(HEAP_PER_ROW_BYTE * rows_bytes, 256 * MIB))
    pagecache = max(MIN_PAGECACHE_BYTES, _round_up(PAGECACHE_PER_ROW_BYTE * rows_bytes, 64 * MIB))
    room = (physical_memory - OS_RESERVE_BYTES) * 3 // 4
    if heap + pagecache > room:
        share = max(room, MIN_HEAP_BYTES + MIN_PAGECACHE_BYTES) / (heap + pagecache)
        heap = max(MIN_HEAP_BYTES, int(heap * share) // MIB * MIB)
        pagecache = max(MIN_PAGECACHE_BYTES, int(pagecache * share) // MIB * MIB)
    return heap, pagecache


def transaction_budget(heap_bytes: int) -> int:
    """``dbms.memory.transaction.total.max`` for a heap: half of it, in whole MiB.

    The loader writes the whole graph in one transaction. Measured on 5.26.30, a transaction
    that MERGEs 170k nodes (three string properties each) and creates 330k relationships —
    more than the ~500k-triple benchmark graph produces — holds ~0.59 GB of transaction state.
    Half of the default 2 GiB heap (1 GiB) fits it with ~70 % headroom and still leaves the
    other half to Cypher planning, caches and concurrent readers, so a runaway transaction
    fails with a memory-limit error instead of an OutOfMemoryError that kills the server.
    (Neo4j's own default, 70 % of the heap, leaves too little for the rest.)
    """
    return (heap_bytes // 2) // MIB * MIB


def transaction_limit(total_max: int) -> int:
    """``db.memory.transaction.max``, what one transaction may hold: 3/4 of the shared pool.

    The limit is static in Community (``dbms.setConfigValue`` is Enterprise-only), so it must
    let the loader's one whole-graph transaction through; a quarter of the pool stays free
    whatever a single query does, for the API's reads and the other queries running.
    """
    return (total_max * 3 // 4) // MIB * MIB


def plan_memory(
    heap: str, pagecache: str, physical_memory: int, transaction_max: str | None = None
) -> MemoryPlan:
    """Validate heap and page-cache sizes against the machine and derive the transaction caps
    (``transaction_max``, when given, overrides the per-transaction one)."""
    auto_heap, auto_pagecache = memory_for_graph(0, physical_memory)
    heap_bytes = auto_heap if heap == AUTO else parse_size(heap, name="POLICYKG_NEO4J_HEAP")
    pagecache_bytes = (
        auto_pagecache
        if pagecache == AUTO
        else parse_size(pagecache, name="POLICYKG_NEO4J_PAGECACHE")
    )
    heap_bytes = heap_bytes // KIB * KIB  # the JVM flags are written in KiB
    if heap_bytes < MIN_HEAP_BYTES:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_HEAP={heap} is below the {format_size(MIN_HEAP_BYTES)} the server "
            "needs; give it at least 512m (or auto, the default: sized to the graph)."
        )
    if pagecache_bytes < 8 * MIB:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_PAGECACHE={pagecache} is too small; give it at least 64m "
            "(or auto, the default: sized to the graph)."
        )
    budget = physical_memory - OS_RESERVE_BYTES
    if heap_bytes + pagecache_bytes > budget:
        raise Neo4jServerError(
            f"Heap {format_size(heap_bytes)} plus page cache {format_size(pagecache_bytes)} "
            f"exceed this machine's {physical_memory / GIB:.1f} GiB of memory less "
            f"{format_size(OS_RESERVE_BYTES)} for the system; lower POLICYKG_NEO4J_HEAP or "
            "POLICYKG_NEO4J_PAGECACHE."
        )
    total_max = transaction_budget(heap_bytes)
    per_transaction = transaction_limit(total_max)
    if transaction_max:
        per_transaction = parse_size(transaction_max, name="POLICYKG_NEO4J_TX_MEMORY")
        if not 8 * MIB <= per_transaction <= total_max:
            raise Neo4jServerError(
                f"POLICYKG_NEO4J_TX_MEMORY={transaction_max} must lie between 8m and the "
                f"{format_size(total_max)} all transactions share (half the heap)."
            )
    return MemoryPlan(
        heap=heap_bytes,
        pagecache=pagecache_bytes,
        transaction_total_max=total_max,
        transaction_max=per_transaction,
    )
