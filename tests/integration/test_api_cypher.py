"""``POST /cypher`` on the live Neo4j: reads run, limits hold, hostile queries change nothing."""

from __future__ import annotations

import time

import httpx
import pytest
from neo4j import Driver

from graph.store import LoadResult, counts
from tests.integration.conftest import assert_problem

pytestmark = pytest.mark.integration


def test_cypher_runs_read_queries(http: httpx.Client) -> None:
    response = http.post(
        "/cypher",
        json={
            "query": "MATCH (t:Task {id: $id}) RETURN t.id AS id, t.ordinal AS n",
            "parameters": {"id": "gd2025-t05"},
        },
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "columns": ["id", "n"],
        "rows": [["gd2025-t05", 5]],
        "truncated": False,
        "truncated_by": None,
        "notice": None,
    }
    nodes = http.post(
        "/cypher", json={"query": "MATCH (m:Measure {id: 'gd2021-m01'}) RETURN m"}
    ).json()
    assert "Measure" in nodes["rows"][0][0]["labels"]
    fulltext = http.post(
        "/cypher",
        json={
            "query": "CALL db.index.fulltext.queryNodes('item_text', '数据') YIELD node "
            "RETURN count(node) AS n"
        },
    )
    assert fulltext.status_code == 200
    assert fulltext.json()["rows"][0][0] > 0


def test_cypher_row_cap_and_time_limit(http: httpx.Client) -> None:
    many = http.post("/cypher", json={"query": "UNWIND range(1, 100000) AS x RETURN x"}).json()
    assert many["truncated"] is True
    assert many["truncated_by"] == "rows"
    assert len(many["rows"]) == 1000
    assert "cap" in many["notice"]
    slow = http.post(
        "/cypher",
        json={"query": "MATCH (a), (b), (c), (d) WHERE a.uri < b.uri RETURN count(*) AS n"},
    )
    body = assert_problem(slow, 422)
    assert body["reason"] == "timeout"
    assert "limit" in body["detail"]
    # its slot is free again once the terminated transaction has left the server
    deadline = time.monotonic() + 15
    while (after := http.post("/cypher", json={"query": "RETURN 1 AS n"})).status_code == 429:
        assert int(after.headers["retry-after"]) >= 1
        assert time.monotonic() < deadline, "the slot was still taken 15 s after the timeout"
        time.sleep(0.2)
    assert after.status_code == 200, after.text


# At least 30 queries that write or reach outside the graph, in every disguise.
HOSTILE = [
    "CREATE (n:Evil {x: 1})",
    "create (n:Evil)",
    "CrEaTe (n:Evil)",
    "MERGE (n:Evil {x: 1}) RETURN n",
    "MATCH (n:Task) SET n.title = 'x'",
    "MATCH (n:Task) SET n:Evil",
    "MATCH (n:Task) REMOVE n.titleSimplified",
    "MATCH (n:Task) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Task) /* harmless? */ DETACH /* no */ DELETE n",
    "// just a comment\nCREATE (n:Evil)",
    "MATCH (n:Task) WITH n LIMIT 1 CALL (n) { SET n.x = 1 } RETURN n",
    "MATCH (n:Task) FOREACH (x IN [1] | CREATE (:Evil))",
    "UNWIND [1, 2] AS x CALL (x) { CREATE (:Evil {x: x}) } IN TRANSACTIONS RETURN x",
    "CALL () { CREATE (:Evil) } IN TRANSACTIONS",
    "CREATE INDEX evil FOR (n:Evil) ON (n.x)",
    "DROP INDEX item_id",
    "CREATE CONSTRAINT evil FOR (n:Evil) REQUIRE n.x IS UNIQUE",
    "DROP CONSTRAINT resource_uri",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV FROM 'https://example.org/data.csv' AS row RETURN row",
    "load csv with headers from 'http://127.0.0.1:1/x.csv' as r return r",
    "CALL dbms.components()",
    "CALL dbms.listConfig()",
    "CALL dbms.showCurrentUser()",
    "CALL db.createLabel('Evil')",
    "CALL db.clearQueryCaches()",
    "CALL db.index.fulltext.createNodeIndex('evil', ['Task'], ['x'])",
    "CALL apoc.load.json('https://example.org/x.json')",
    "SHOW USERS",
    "SHOW DATABASES",
    "SHOW INDEXES",
    "SHOW PROCEDURES",
    "CREATE USER evil SET PASSWORD 'password123'",
    "ALTER USER neo4j SET PASSWORD 'password123'",
    "CREATE DATABASE evil",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "USE system SHOW USERS",
    "MATCH (n) RETURN n; CREATE (m:Evil)",
    "EXPLAIN CREATE (n:Evil)",
    "PROFILE CREATE (n:Evil)",
    "CYPHER runtime=slotted CREATE (n:Evil)",
]


def test_the_hostile_list_is_long_enough() -> None:
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_cypher_is_refused_and_changes_nothing(
    http: httpx.Client, neo4j_driver: Driver, loaded: LoadResult, query: str
) -> None:
    before = counts(neo4j_driver, "neo4j")
    response = http.post("/cypher", json={"query": query})
    body = assert_problem(response, response.status_code)
    assert response.status_code in (400, 403, 422), body
    assert counts(neo4j_driver, "neo4j") == before
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Evil) RETURN count(n) AS n", database_="neo4j"
    )
    assert records[0]["n"] == 0
    indexes, _, _ = neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name RETURN collect(name) AS names", database_="neo4j"
    )
    assert "evil" not in indexes[0]["names"]
    assert "item_id" in indexes[0]["names"]


def test_cypher_body_is_validated(http: httpx.Client) -> None:
    assert_problem(http.post("/cypher", json={}), 422)
    assert_problem(http.post("/cypher", json={"query": ""}), 422)
    assert_problem(http.post("/cypher", json={"query": "RETURN 1", "extra": 1}), 422)
    assert_problem(
        http.post("/cypher", content=b"not json", headers={"content-type": "application/json"}), 422
    )
    assert_problem(http.post("/cypher", json={"query": "MATC (n) RETURN n"}), 400)
