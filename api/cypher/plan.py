"""The plan check: a researcher's query must be a plain read of the graph.

The query is planned first (``EXPLAIN``). Neo4j reports its type (read, write, read-write,
schema) and its plan; anything but a plain read is refused, and so is a plan that loads CSV,
runs ``CALL … IN TRANSACTIONS``, shows or terminates server objects, calls a procedure
outside a short allowlist of read-only ``db.*`` procedures, or touches another database.
Casing, comments and nesting cannot hide an operator from the planner.
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import CypherRejected

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
