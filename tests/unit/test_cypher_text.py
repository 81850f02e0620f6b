"""What the researcher's-Cypher text checks refuse before anything reaches Neo4j, and what
they let through: every query a researcher would write, and the cookbook's."""

from __future__ import annotations

from typing import Any

import pytest

from api.cypher.text import (
    MAX_DEPTH,
    MAX_PARAMETER_BYTES,
    MAX_TOKENS,
    check_query,
    nesting_depth,
    tokenize,
)
from core.errors import CypherRejected
from graph.cookbook import recipes


def refusal(query: str, parameters: dict[str, Any] | None = None) -> CypherRejected:
    with pytest.raises(CypherRejected) as e:
        check_query(query, parameters or {})
    return e.value


# The reproductions of the issue, each refused before it could reach the server.
def test_a_reduce_over_ten_million_strings_is_refused() -> None:
    e = refusal("RETURN size(reduce(s = '', x IN range(1, 10000000) | s + 'xxxxxxxxxx')) AS n")
    assert e.reason == "complexity"
    assert "UNWIND" in str(e)  # says how to write it instead


def test_a_list_of_a_hundred_million_numbers_is_refused() -> None:
    assert refusal("RETURN size([x IN range(1, 100000000) | x]) AS n").reason == "complexity"


def test_a_string_doubled_twenty_five_times_is_refused() -> None:
    e = refusal("UNWIND range(1, 8) AS i RETURN reduce(s = 'x', j IN range(1, 25) | s + s) AS r")
    assert e.reason == "complexity"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("(", ")"), ("[", "]"), ("{a: ", "}"), ("CASE WHEN true THEN ", " END")],
)
def test_nesting_that_would_overflow_the_parser_is_refused(opening: str, closing: str) -> None:
    query = "RETURN " + opening * 500 + "1" + closing * 500 + " AS n"
    assert len(query) < 20_000
    e = refusal(query)
    assert e.reason == "complexity"
    assert str(MAX_DEPTH) in str(e)


@pytest.mark.parametrize(
    "query",
    [
        "RETURN " + "NOT " * 400 + "true",
        "RETURN " + "- " * 400 + "1",
        "WITH {a: 1} AS m RETURN m" + ".a" * 600,
        "RETURN 'a'" + " + 'a'" * 600,
        "RETURN [1]" + "[0]" * 600,
    ],
)
def test_chains_that_would_overflow_the_parser_are_refused(query: str) -> None:
    assert refusal(query).reason == "complexity"


def test_more_tokens_than_the_limit_are_refused() -> None:
    query = "RETURN " + " AND ".join(["true"] * (MAX_TOKENS // 2 + 10))
    assert str(MAX_TOKENS) in str(refusal(query))


@pytest.mark.parametrize(
    "query",
    [
        "CYPHER debug=ast RETURN 1",
        "CYPHER replan=force MATCH (n) RETURN n",
        "cypher runtime=slotted RETURN 1",
        "/* a comment first */ CYPHER debug=logicalPlan RETURN 1",
        "// a line comment first\nCYPHER 5 RETURN 1",
        "EXPLAIN MATCH (n) RETURN n",
        "PROFILE MATCH (n) RETURN n",
    ],
)
def test_planner_options_and_prefixes_are_refused(query: str) -> None:
    assert refusal(query).reason == "option"


def test_nested_replace_that_multiplies_a_string_is_refused() -> None:
    query = "RETURN 'x'"
    for _ in range(4):
        query = f"replace({query.removeprefix('RETURN ')}, 'x', 'xxxxxxxxxx')"
    assert refusal("RETURN " + query).reason == "complexity"


def test_range_bounds_from_parameters_are_evaluated() -> None:
    query = "RETURN [x IN range(1, $n) | x * 2] AS xs"
    check_query(query, {"n": 1000})
    assert refusal(query, {"n": 100_000_000}).reason == "complexity"


def test_range_bounds_that_cannot_be_bounded_are_refused() -> None:
    refusal("RETURN [x IN range(1, toInteger('100000000')) | x] AS xs")


def test_loops_over_unknown_lists_may_not_nest_deeply() -> None:
    refusal(
        "UNWIND range(1, 100000) AS i WITH collect(i) AS l "
        "RETURN size([x IN l | size([y IN l | 1])]) AS n"
    )


def test_parameters_are_bounded_in_size_and_depth() -> None:
    big = {"s": "x" * (MAX_PARAMETER_BYTES + 1)}
    assert refusal("RETURN $s", big).reason == "parameters"
    deep: Any = 1
    for _ in range(40):
        deep = [deep]
    assert refusal("RETURN $d", {"d": deep}).reason == "parameters"


# What researchers write passes untouched.
@pytest.mark.parametrize(
    "query",
    [
        "MATCH (t:Task {id: $id}) RETURN t.id AS id, t.ordinal AS n",
        "UNWIND range(1, 100000) AS x RETURN x",
        "UNWIND range(1, 1000000000) AS x RETURN count(x)",
        "MATCH p = (a)-[*..3]-(b) RETURN [n IN nodes(p) | [l IN labels(n) | l]] AS labels",
        "MATCH p = (a)-->(b) RETURN reduce(w = 0, r IN relationships(p) | w + 1) AS weight",
        "MATCH (m:Measure) WITH collect(m.id) AS ids RETURN [i IN ids | i + '!'] AS marked",
        "MATCH (n) RETURN [i IN range(0, size(labels(n)) - 1) | labels(n)[i]] AS ls",
        "MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH 'T') RETURN count(n)",
        "RETURN reduce(s = '', w IN ['a', 'b', 'c'] | s + w) AS joined",
        "RETURN replace(replace(replace('a，b。c', '，', ''), '。', ''), 'c', 'd') AS cleaned",
        "MATCH (x) WHERE " + " OR ".join(f"x.ordinal = {i}" for i in range(300)) + " RETURN x",
        "RETURN '((((((((((((((((' AS not_nested, \"CYPHER debug=ast\" AS quoted",
        "MATCH (n) // CYPHER in a comment, (((((((((((((((((((( too\nRETURN count(n)",
        "RETURN " + "(" * 100 + "1" + ")" * 100 + " AS fine",
    ],
)
def test_ordinary_queries_pass(query: str) -> None:
    check_query(query, {"id": "gd2025-t05"})


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: r.name)
def test_every_cookbook_query_passes(recipe: Any) -> None:
    check_query(recipe.query, recipe.parameters)


def test_strings_and_comments_do_not_count_as_nesting() -> None:
    tokens = tokenize("RETURN '(((((' + \"[[[[\" /* {{{{ */ AS s // ((((")
    assert [t.kind for t in tokens] == ["word", "string", "symbol", "string", "word", "word"]
    assert nesting_depth(tokens) <= 2


def test_an_end_property_cannot_hide_nesting() -> None:
    # `x.end` must not close a bracket: the depth counted stays the real one
    query = "RETURN " + "(x.end + " * 300 + "1" + ")" * 300
    assert refusal(query).reason == "complexity"
