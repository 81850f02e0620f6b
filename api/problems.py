"""Every error as RFC 9457 problem details (``application/problem+json``), from one place."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.repository import NotFound
from policykg.errors import CypherRejected, GraphStoreError, Neo4jUnavailable

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://w3id.org/policykg/problems/"
RETRY_AFTER_S = 5
CYPHER_STATUS = {"write": 403, "operator": 403, "procedure": 403, "database": 403,
                 "syntax": 400, "invalid": 400, "timeout": 422}  # fmt: skip


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

    @app.exception_handler(Neo4jUnavailable)
    async def _down(request: Request, e: Neo4jUnavailable) -> JSONResponse:
        log.warning("Neo4j unavailable: %s", e)
        return unavailable("The graph database cannot be reached right now.", request.url.path)

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
