"""The researcher's-Cypher guard, without a database: the plan check and values as JSON."""

from __future__ import annotations

from typing import Any

import pytest

from api.cypher import check_plan, to_json
from core.errors import CypherRejected


def plan(*operators: tuple[str, str]) -> dict[str, Any]:
    """A nested EXPLAIN plan as the driver reports it, innermost operator last."""
    node: dict[str, Any] | None = None
    for operator, details in reversed(operators):
        node = {
            "operatorType": operator,
            "args": {"Details": details},
            "children": [node] if node else [],
        }
    assert node is not None
    return node


def test_a_plain_read_passes() -> None:
    check_plan("r", plan(("ProduceResults@neo4j", "n"), ("AllNodesScan@neo4j", "n")), "neo4j")
    check_plan(
        "r",
        plan(
            ("ProduceResults@neo4j", "node"),
            ("ProcedureCall@neo4j", "db.index.fulltext.queryNodes($a, $b) :: (node :: NODE)"),
        ),
        "neo4j",
    )


@pytest.mark.parametrize(
    ("query_type", "operators", "reason"),
    [
        ("w", [("Create@neo4j", "(n)")], "write"),
        ("rw", [("SetProperty@neo4j", "n.x = 1")], "write"),
        ("s", [("CreateIndex@neo4j", "RANGE INDEX")], "write"),
        (None, [], "write"),
        ("r", [("ProduceResults@neo4j", "r"), ("LoadCSV@neo4j", "r")], "operator"),
        ("r", [("ShowIndexes@neo4j", "allIndexes")], "operator"),
        ("r", [("TerminateTransactions@neo4j", "x")], "operator"),
        ("r", [("TransactionForeach@neo4j", "IN TRANSACTIONS")], "operator"),
        ("r", [("ProcedureCall@neo4j", "dbms.components() :: (name :: STRING)")], "procedure"),
        ("r", [("ProcedureCall@neo4j", "db.createLabel($x) :: ()")], "procedure"),
        ("r", [("ProduceResults@system", "x")], "database"),
    ],
)
def test_anything_but_a_plain_read_of_the_graph_is_refused(
    query_type: str | None, operators: list[tuple[str, str]], reason: str
) -> None:
    with pytest.raises(CypherRejected) as e:
        check_plan(query_type, plan(*operators) if operators else None, "neo4j")
    assert e.value.reason == reason
    assert str(e.value)


def test_values_become_json() -> None:
    assert to_json({"a": [1, 2.5, float("nan")]}) == {"a": [1, 2.5, "nan"]}
