"""The FastAPI application: the REST API (v1) and the web explorer at ``/``.

:func:`create_app` only assembles: the drivers are created once per process in the
lifespan (:mod:`graph.connection`) — the reads' and, apart, the researchers' Cypher
service's (:mod:`api.cypher`) — the routes come one router per resource (:mod:`api.routes`),
request bodies are bounded (:mod:`api.limits`), responses are cached per graph version
(:mod:`api.cache`), and every error is problem details (:mod:`api.problems`,
:mod:`api.responses`).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api import problems
from api.cache import CacheMiddleware, ResponseCache
from api.cypher import CypherLimits, CypherService
from api.cypher.cache import ResultCache
from api.limits import CypherAdmission, RequestLimits
from api.repository import Repository
from api.responses import document_problems
from api.routes import ROUTERS
from core.settings import Settings
from core.version import __version__
from graph.connection import open_async_driver
from graph.server import connection_for

STATIC = Path(__file__).resolve().parent / "static"


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with every error documented as problem details."""
    if not app.openapi_schema:
        spec = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        app.openapi_schema = document_problems(spec)
    return app.openapi_schema


def _result_cache(settings: Settings) -> ResultCache | None:
    """The researchers' results cache, when responses are cached at all."""
    if not settings.api_cache:
        return None
    return ResultCache(settings.cypher_cache_entries, settings.cypher_cache_mb * 2**20)


def create_app(settings: Settings) -> FastAPI:
    """The application for ``settings``: driver created at start-up, closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        connection = connection_for(settings)
        # fail fast when Neo4j is down, so the API answers 503 at once instead of retrying
        # for the driver's default 30 s
        driver = open_async_driver(
            connection,
            pool_size=64,
            acquisition_timeout_s=5.0,
            connection_timeout_s=2.0,
            max_retry_s=1.0,
        )
        app.state.repository = Repository(driver, connection.database)
        # researchers' queries on connections of their own: nothing they do takes the reads'
        app.state.cypher = CypherService(
            connection, CypherLimits.from_settings(settings), cache=_result_cache(settings)
        )
        try:
            yield
        finally:
            await app.state.cypher.close()
            await driver.close()

    app = FastAPI(
        title="policykg",
        version=__version__,
        summary="How Guangdong's 2021 digital-development measures map onto the 2025 tasks, "
        "who is responsible, and which technologies and places they concern.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    if settings.api_cache:
        app.add_middleware(
            CacheMiddleware, repository=lambda: app.state.repository, cache=ResponseCache()
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )  # fmt: skip
    app.add_middleware(CypherAdmission, service=lambda: app.state.cypher)
    # outermost: a body is bounded before anything else reads it
    app.add_middleware(RequestLimits, max_body_bytes=settings.api_max_body_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def explorer() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app


def create_app_from_environment() -> FastAPI:
    """The application with settings read from the environment: the entry point for
    ``uvicorn --factory`` when the API runs in several worker processes."""
    from core.settings import load_settings

    return create_app(load_settings())
