"""The managed server's heap and page cache, sized to the graph it is to hold by default."""

from __future__ import annotations

import os
from pathlib import Path

from core.settings import Settings
from graph.server import memory
from graph.server.memory import GIB, MIB, memory_for_graph
from graph.server.process import physical_memory
from policykg.pipeline import sized_to_graph

MACHINE = 24 * GIB
BENCHMARK_ROWS = 53_695_394  # the 494k-triple benchmark graph's neo4j-rows.json


def test_auto_is_the_default() -> None:
    fields = Settings.model_fields
    assert fields["neo4j_heap"].default == fields["neo4j_pagecache"].default == memory.AUTO


def test_a_small_graph_gets_a_small_server() -> None:
    # the real corpus's rows are about 2 MB
    assert memory_for_graph(0, MACHINE) == memory_for_graph(2_200_000, MACHINE)
    assert memory_for_graph(0, MACHINE) == (512 * MIB, 64 * MIB)
    plan = memory.plan_memory(memory.AUTO, memory.AUTO, MACHINE)
    assert (plan.heap, plan.pagecache) == (512 * MIB, 64 * MIB)


def test_a_large_graph_gets_the_transaction_memory_its_load_needs() -> None:
    heap, pagecache = memory_for_graph(BENCHMARK_ROWS, MACHINE)
    plan = memory.plan_memory(memory.format_size(heap), memory.format_size(pagecache), MACHINE)
    # measured: the load of these rows holds more than 404 MiB in its one transaction
    assert plan.transaction_max > 404 * MIB * 1.2
    assert pagecache > 4 * BENCHMARK_ROWS * 0.9


def test_sizes_stay_within_the_machine() -> None:
    small = 4 * GIB
    heap, pagecache = memory_for_graph(500_000_000, small)
    assert heap + pagecache <= (small - memory.OS_RESERVE_BYTES) * 3 // 4
    memory.plan_memory(memory.format_size(heap), memory.format_size(pagecache), small)


def test_an_explicit_size_wins(tmp_path: Path) -> None:
    rows = tmp_path / "neo4j-rows.json"
    with rows.open("wb") as f:
        f.truncate(BENCHMARK_ROWS)
    explicit = Settings(neo4j_heap="3g", neo4j_pagecache="2g")
    assert sized_to_graph(explicit, rows) == explicit
    half = sized_to_graph(Settings(neo4j_heap="3g", neo4j_pagecache="auto"), rows)
    assert (half.neo4j_heap, half.neo4j_pagecache) == ("3g", "256m")


def test_the_build_folder_sizes_the_server(tmp_path: Path) -> None:
    rows = tmp_path / "neo4j-rows.json"
    settings = Settings(state_dir=tmp_path, neo4j_heap="auto", neo4j_pagecache="auto")
    none = sized_to_graph(settings, rows)
    assert (none.neo4j_heap, none.neo4j_pagecache) == ("512m", "64m")
    with rows.open("wb") as f:
        f.truncate(BENCHMARK_ROWS)
    sized = sized_to_graph(settings, rows)
    heap, pagecache = memory_for_graph(os.path.getsize(rows), physical_memory())
    assert (sized.neo4j_heap, sized.neo4j_pagecache) == (
        memory.format_size(heap),
        memory.format_size(pagecache),
    )
    assert memory.parse_size(sized.neo4j_heap) > 1 * GIB
