"""The API's pure parts: documentation examples, the Cypher plan check, search snippets."""

from __future__ import annotations

from typing import Any

import pytest

from api import schemas
from api.cypher import check_plan, to_json
from api.repository import _quote, highlight
from policykg.errors import CypherRejected


@pytest.mark.parametrize("name", sorted(schemas.EXAMPLES))
def test_every_documentation_example_is_a_valid_response(name: str) -> None:
    model = getattr(schemas, name)
    model.model_validate(schemas.EXAMPLES[name])
    assert model.model_json_schema()["example"] == schemas.EXAMPLES[name]


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


def test_search_terms_are_quoted_for_lucene() -> None:
    assert _quote("数据 AND") == '"数据 AND"'
    assert _quote('a"b\\c') == '"a\\"b\\\\c"'


def test_snippet_marks_the_same_words_in_both_scripts() -> None:
    simplified = "推进数据资源开发利用。完善数据要素市场。"
    original = "推進數據資源開發利用。完善數據要素市場。"
    snippet, snippet_original = highlight(simplified, original, ["数据要素"])
    assert "<mark>数据要素</mark>" in snippet
    assert "<mark>數據要素</mark>" in snippet_original


def test_snippet_falls_back_to_bigrams_and_escapes_html() -> None:
    snippet, _ = highlight("<b>数据</b>要素", "<b>數據</b>要素", ["数据资源"])
    assert "<mark>数据</mark>" in snippet
    assert "&lt;b&gt;" in snippet
