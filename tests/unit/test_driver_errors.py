"""The one translation of the driver's exceptions: by class and status code, never by the
words of the message, and in one line without the driver's own wording."""

from __future__ import annotations

import pytest
from neo4j import exceptions as neo4j_exc

from api.cypher.service import CypherLimits, explain
from core.errors import (
    CypherRejected,
    GraphStoreError,
    Neo4jBusy,
    Neo4jUnavailable,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
)
from graph.connection import driver_errors, translate


def server_error(code: str, message: str = "something happened") -> neo4j_exc.Neo4jError:
    return neo4j_exc.Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", QueryTimeout),
        ("Neo.ClientError.Transaction.Terminated", Neo4jBusy),
        ("Neo.TransientError.Transaction.Terminated", Neo4jBusy),
        ("Neo.TransientError.General.MemoryPoolOutOfMemoryError", Neo4jBusy),
        ("Neo.TransientError.General.OutOfMemoryError", Neo4jBusy),
        ("Neo.ClientError.Statement.SyntaxError", QueryRefused),
        ("Neo.ClientError.Procedure.ProcedureCallFailed", QueryRefused),
        ("Neo.DatabaseError.Statement.ExecutionFailed", QueryFailed),
        ("Neo.DatabaseError.General.UnknownError", GraphStoreError),
    ],
)
def test_server_errors_are_classified_by_code(code: str, kind: type[GraphStoreError]) -> None:
    raised = server_error(code)
    error = translate(raised, "run the query")
    assert type(error) is kind
    assert error.code == raised.code  # the driver may have rewritten a legacy code


def test_a_message_that_says_terminated_is_not_a_timeout() -> None:
    # a Lucene parse error about an unterminated phrase: the words say nothing of its kind
    error = translate(
        server_error(
            "Neo.ClientError.Procedure.ProcedureCallFailed",
            "Failed to invoke procedure: Cannot parse '\"unterminated': Lexical error",
        ),
        "run the query",
    )
    assert isinstance(error, QueryRefused)
    assert not isinstance(error, QueryTimeout)
    rejected = explain(
        error,
        CypherLimits(10, 1000, 1 << 20, 1 << 28, 2),
        over_memory=False,
        expired=False,
    )
    assert isinstance(rejected, CypherRejected)
    assert rejected.reason == "invalid"


def test_an_unreachable_server_is_one_line_in_plain_words() -> None:
    cause = ConnectionRefusedError(111, "Connection refused")
    inner = neo4j_exc.ServiceUnavailable(
        "Failed to establish connection to ResolvedIPv4Address(('127.0.0.1', 1)) "
        "(reason [Errno 111] Connection refused)"
    )
    inner.__cause__ = cause
    outer = neo4j_exc.ServiceUnavailable("Couldn't connect to 127.0.0.1:1 (resolved to …):\n…")
    outer.__cause__ = inner
    with pytest.raises(Neo4jUnavailable) as e, driver_errors("reach Neo4j at bolt://127.0.0.1:1"):
        raise outer
    message = str(e.value)
    assert message == (
        "Neo4j is unreachable (connection refused); could not reach Neo4j at bolt://127.0.0.1:1"
    )
    assert e.value.__cause__ is outer  # the driver's whole story stays in the chain


def test_a_stop_during_the_query_is_a_timeout_once_the_deadline_passed() -> None:
    limits = CypherLimits(10, 1000, 1 << 20, 1 << 28, 2)
    terminated = translate(server_error("Neo.ClientError.Transaction.Terminated"), "run")
    late = explain(terminated, limits, over_memory=False, expired=True)
    assert isinstance(late, CypherRejected)
    assert late.reason == "timeout"
    over = explain(terminated, limits, over_memory=True, expired=False)
    assert isinstance(over, CypherRejected)
    assert over.reason == "memory"
    assert explain(terminated, limits, over_memory=False, expired=False) is terminated


def test_no_free_connection_in_time_is_busy_not_a_failure() -> None:
    # 3: a pool acquisition timeout was a bare 500 with a traceback
    error = translate(neo4j_exc.ConnectionAcquisitionTimeoutError("waited 2 s"), "run the query")
    assert type(error) is Neo4jBusy
