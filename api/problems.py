"""Every error as RFC 9457 problem details (``application/problem+json``), from one place.

The project's error tree (:mod:`core.errors`) becomes HTTP here and nowhere else::

    NotFound                      404
    RequestValidationError        422  (FastAPI's own: a bad parameter or body)
    CypherRejected                400 / 403 / 422 by its reason (:data:`CYPHER_STATUS`)
    Overloaded                    429 with Retry-After
    Neo4jUnavailable, Neo4jBusy   503 with Retry-After (the memory limits named, by code)
    any other GraphStoreError     500  (logged; the answer says no more)
    HTTPException                 its own status
    any other exception           500  (logged with its traceback; the answer says no more)

A request body over the limit (413) and JSON that is not strict (422) are answered by
:mod:`api.limits` before routing, in the same form.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    CypherRejected,
    GraphStoreError,
    Neo4jBusy,
    Neo4jUnavailable,
    NotFound,
    Overloaded,
)
from graph.connection import MEMORY_CODES

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://w3id.org/policykg/problems/"
RETRY_AFTER_S = 5
CYPHER_STATUS = {"write": 403, "operator": 403, "procedure": 403, "database": 403,
                 "option": 403, "syntax": 400, "invalid": 400, "timeout": 422, "memory": 422,
                 "complexity": 422, "parameters": 422, "failed": 422}  # fmt: skip


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem-details response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    if instance:
        body["instance"] = instance
    return JSONResponse(body, status_code=status, media_type="application/problem+json",
                        headers=headers)  # fmt: skip


def unavailable(detail: str, instance: str | None = None) -> JSONResponse:
    """503 with Retry-After: Neo4j cannot answer now, but will."""
    return problem(
        503, "neo4j-unavailable", "Neo4j is unavailable",
        detail + f" Try again in {RETRY_AFTER_S} s.", instance,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )  # fmt: skip


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, e: NotFound) -> JSONResponse:
        return problem(404, "not-found", f"Unknown {e.what}", str(e), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed"}
        return problem(
            e.status_code, f"http-{e.status_code}", titles.get(e.status_code, "HTTP error"),
            str(e.detail), request.url.path, headers=getattr(e, "headers", None),
        )  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(x) for x in err.get("loc", ())], "msg": err.get("msg", "")}
            for err in e.errors()
        ]
        detail = "; ".join(f"{'.'.join(err['loc'])}: {err['msg']}" for err in errors)
        return problem(422, "invalid-parameter", "Invalid parameter", detail, request.url.path,
                       errors=errors)  # fmt: skip

    @app.exception_handler(CypherRejected)
    async def _cypher(request: Request, e: CypherRejected) -> JSONResponse:
        status = CYPHER_STATUS.get(e.reason, 400)
        return problem(status, f"cypher-{e.reason}", "Query refused", str(e), request.url.path,
                       reason=e.reason)  # fmt: skip

    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, e: Overloaded) -> JSONResponse:
        return problem(
            429, "too-many-requests", "Too many requests", str(e), request.url.path,
            headers={"Retry-After": str(e.retry_after_s)},
        )  # fmt: skip

    @app.exception_handler(Neo4jUnavailable)
    @app.exception_handler(Neo4jBusy)
    async def _down(request: Request, e: GraphStoreError) -> JSONResponse:
        log.warning("Neo4j cannot answer %s: %s", request.url.path, e)
        if e.code in MEMORY_CODES:
            why = "has no memory to spare for queries (its transaction limits are reached)"
        elif isinstance(e, Neo4jBusy):
            why = "is busy"
        else:
            why = "cannot be reached"
        return unavailable(f"The graph database {why} right now.", request.url.path)

    @app.exception_handler(GraphStoreError)
    async def _store(request: Request, e: GraphStoreError) -> JSONResponse:
        log.error("graph store error on %s: %s", request.url.path, e)
        return problem(
            500,
            "internal",
            "Internal error",
            "The graph database failed to answer this request; the error is logged.",
            request.url.path,
        )

    @app.exception_handler(Exception)
    async def _anything(request: Request, e: Exception) -> JSONResponse:
        # Starlette logs the traceback itself; the answer carries none of it.
        return problem(
            500,
            "internal",
            "Internal error",
            "The service failed to answer this request; the error is logged.",
            request.url.path,
        )
