"""Many abusive ``/cypher`` clients while another reads items: the reads keep answering, no
researcher transaction outlives its deadline by more than a few seconds, the API's memory
stays bounded, and every hostile request gets a clear answer (loopback only, bounded in
count and time: 16 clients for 15 s; the larger figures are :mod:`bench.cypher_abuse_bench`).
"""

from __future__ import annotations

import pytest

from bench.cypher_abuse import ABUSES, api_process, run_abuse
from graph import server
from graph.store import LoadResult

pytestmark = pytest.mark.integration

CLIENTS = 16
SECONDS = 15.0
TIMEOUT_S = 3.0


def test_reads_keep_answering_under_hostile_cypher_load(
    neo4j_server: server.ManagedServer, loaded: LoadResult
) -> None:
    settings = neo4j_server.settings
    env = {"cypher_timeout_s": str(TIMEOUT_S), "api_cache": "false"}
    with api_process(settings, **env) as (url, pid):
        report = run_abuse(
            url, pid, neo4j_server.connection, clients=CLIENTS, seconds=SECONDS,
            timeout_s=TIMEOUT_S,
        )  # fmt: skip
    summary = report.summary()

    # every hostile request was answered, clearly, within the limit and a little
    assert report.hostile.bad == [], summary
    assert summary["hostile_requests"] > CLIENTS
    kinds = {answer.split()[0] for answer in report.hostile.answers}
    assert kinds == set(ABUSES)  # each abuse was tried
    assert all(not answer.endswith(" 500") for answer in report.hostile.answers)
    assert report.hostile.slowest_s < TIMEOUT_S + 2, summary

    # the reads kept answering (uncached: each one a Neo4j query)
    assert report.read_failures == [], summary
    assert len(report.reads) > 50, summary
    assert report.percentile(0.99) < 1.0, summary

    # no researcher transaction survived its deadline by more than 2 s
    assert report.transactions_seen > 0, summary
    assert report.overrun_s < 2.0, summary

    # the API's memory stayed bounded
    assert report.rss_bytes, summary
    assert max(report.rss_bytes) < 600 * 2**20, summary
