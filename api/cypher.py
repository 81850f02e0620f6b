"""Researchers' own Cypher, read-only, with a time limit and a row cap.

Three guards, each enforced by the database rather than by reading the query's words:

1. The query is planned first (``EXPLAIN``). Neo4j reports its type (read, write,
   read-write, schema) and its plan; anything but a plain read is refused, and so is a plan
   that loads CSV, runs ``CALL … IN TRANSACTIONS``, shows or terminates server objects, calls
   a procedure outside a short allowlist of read-only ``db.*`` procedures, or touches another
   database. Casing, comments and nesting cannot hide an operator from the planner.
2. The query then runs in a read transaction (``READ`` access mode), which the server itself
   refuses to let write, with the server-side transaction timeout set.
3. Rows are fetched up to a cap; a longer result is cut and marked ``truncated``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import AsyncDriver, Query
from neo4j.graph import Node, Path, Relationship

from core.errors import CypherRejected, QueryRefused, QueryTimeout
from graph.connection import driver_errors

# Read-only procedures a researcher may call; everything else (dbms.*, db.create*, apoc …)
# is refused.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
# Plan operators that reach outside the graph or manage the server.
FORBIDDEN_OPERATORS = re.compile(
    r"^(LoadCSV|TransactionForeach|TransactionApply|Show\w+|Terminate\w+|Create\w+|Drop\w+|"
    r"Alter\w+|Administration\w*|Grant\w*|Revoke\w*|Deny\w*|Start\w+|Stop\w+|SystemProcedureCall)$"
)
QUERY_TYPES = {"w": "writes to the graph", "rw": "writes to the graph",
               "s": "changes the schema or administers the server"}  # fmt: skip


@dataclass(frozen=True)
class CypherOutcome:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    notice: str | None


def _operators(plan: Any) -> list[tuple[str, str, str]]:
    """(operator, database, details) for every operator of an EXPLAIN plan."""
    out: list[tuple[str, str, str]] = []
    stack = [plan]
    while stack:
        p = stack.pop()
        if p is None:
            continue
        name = p.get("operatorType", "") if isinstance(p, dict) else p.operator_type
        args = p.get("args", {}) if isinstance(p, dict) else p.arguments
        children = p.get("children", []) if isinstance(p, dict) else p.children
        operator, _, database = str(name).partition("@")
        out.append((operator, database, str(args.get("Details") or "")))
        stack.extend(children)
    return out


def check_plan(query_type: str | None, plan: Any, database: str) -> None:
    """Refuse anything but a plain read of ``database`` (see the module docstring).

    Raises:
        CypherRejected: with a reason a researcher can act on.
    """
    if query_type != "r":
        what = QUERY_TYPES.get(query_type or "", f"is of type {query_type!r}")
        raise CypherRejected(
            f"The query {what}; only read queries may be sent here.", reason="write"
        )
    for operator, db, details in _operators(plan):
        if db and db != database:
            raise CypherRejected(
                f"The query reaches database {db!r}; only {database!r} may be read.",
                reason="database",
            )
        if FORBIDDEN_OPERATORS.match(operator):
            raise CypherRejected(
                f"The query uses {operator}, which reaches outside the graph or manages the "
                "server; it is not allowed here.",
                reason="operator",
            )
        if operator == "ProcedureCall":
            procedure = details.split("(", 1)[0].strip()
            if procedure not in ALLOWED_PROCEDURES:
                allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
                raise CypherRejected(
                    f"The procedure {procedure or '(unknown)'} is not allowed; allowed: {allowed}.",
                    reason="procedure",
                )


def to_json(value: Any) -> Any:
    """A driver value as JSON: nodes, relationships and paths as maps, times as ISO text."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": to_json(dict(value))}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get("uri") if value.start_node else None,
            "end": value.end_node.get("uri") if value.end_node else None,
            "properties": to_json(dict(value)),
        }
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes],
                "relationships": [to_json(r) for r in value.relationships]}  # fmt: skip
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


async def run_cypher(
    driver: AsyncDriver,
    database: str,
    query: str,
    parameters: Mapping[str, Any],
    *,
    timeout_s: float,
    row_cap: int,
) -> CypherOutcome:
    """Plan, check and run a researcher's read-only query.

    Raises:
        CypherRejected: the query is not a read (``write``, ``operator``, ``procedure``,
            ``database``), is not valid Cypher (``syntax``), or ran too long (``timeout``).
    """
    try:
        with driver_errors("run the query"):
            async with driver.session(
                database=database, default_access_mode=neo4j.READ_ACCESS
            ) as s:
                params = dict(parameters)
                explained = await s.run(Query("EXPLAIN " + query, timeout=timeout_s), params)
                summary = await explained.consume()
                check_plan(summary.query_type, summary.plan, database)
                tx = await s.begin_transaction(timeout=timeout_s)
                try:
                    result = await tx.run(query, params)
                    columns = list(result.keys())
                    rows: list[list[Any]] = []
                    truncated = False
                    async for record in result:
                        if len(rows) >= row_cap:
                            truncated = True
                            break
                        rows.append([to_json(v) for v in record.values()])
                finally:
                    await tx.rollback()  # a read: nothing to keep
    except (OverflowError, TypeError, ValueError) as e:
        # the driver cannot send a parameter (an integer beyond 64 bits, say)
        raise CypherRejected(f"A parameter cannot be sent to Neo4j: {e}", reason="invalid") from e
    except QueryTimeout as e:
        raise _timeout(timeout_s) from e
    except QueryRefused as e:
        raise _refused(e) from e
    notice = (
        f"Stopped after {row_cap} rows (the cap); add LIMIT or narrow the query."
        if truncated
        else None
    )
    return CypherOutcome(columns=columns, rows=rows, truncated=truncated, notice=notice)


def _timeout(timeout_s: float) -> CypherRejected:
    return CypherRejected(
        f"The query ran longer than the limit of {timeout_s:g} s and was stopped; "
        "narrow it (add a label, a LIMIT, or fewer variable-length steps).",
        reason="timeout",
    )


def _refused(e: QueryRefused) -> CypherRejected:
    """Why Neo4j refused the query, by its status code."""
    code = e.code or ""
    detail = str(e).removeprefix("Neo4j refused to run the query: ")
    if code == "Neo.ClientError.Statement.SyntaxError":
        return CypherRejected(
            f"The query is not valid Cypher: {detail}", reason="syntax", code=code
        )
    if code.startswith("Neo.ClientError.Security.") or code.endswith(".AccessMode"):
        return CypherRejected(
            f"The query was refused by the database: {detail}", reason="write", code=code
        )
    if code == "Neo.ClientError.Procedure.ProcedureNotFound":
        return CypherRejected(f"Unknown procedure: {detail}", reason="procedure", code=code)
    return CypherRejected(f"The database refused the query: {detail}", reason="invalid", code=code)
