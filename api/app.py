"""The FastAPI application: the REST API (v1) and the web explorer at ``/``.

The async Neo4j driver is created once per process, in the lifespan, and shared by every
request; responses are cached per graph version (:mod:`api.cache`); every error is problem
details (:mod:`api.problems`).
"""

import asyncio
import csv
import io
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import neo4j
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from rdflib import Graph
from rdflib import Literal as RdfLiteral

import policykg
from api import problems, schemas
from api.cache import CacheMiddleware, ResponseCache
from api.cypher import run_cypher
from api.repository import NotFound, Repository
from graph.server import connection_for
from graph.store import export_graph, open_driver
from ontology.files import ONTOLOGY_FILE
from ontology.serialise import to_jsonld, to_turtle
from policykg.errors import Neo4jUnavailable
from policykg.settings import Settings

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"

Limit = Annotated[int, Query(ge=1, le=500, description="page size", examples=[50])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip", examples=[0])]
Ident = Annotated[str, PathParam(pattern=ID_PATTERN, max_length=100, examples=["gd2025-t05"])]
DocKey = Annotated[str, Query(pattern=ID_PATTERN, max_length=100)]
Filter = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=100)]

Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "Unknown id (problem details)"}}
UNAVAILABLE: Responses = {503: {"description": "Neo4j unreachable (problem details, Retry-After)"}}
CYPHER_ERRORS: Responses = {
    400: {"description": "Not valid Cypher"},
    403: {"description": "Writes, or reaches outside the graph"},
    422: {"description": "Ran too long, or a bad request body"},
}
EXPORT_TYPES: Responses = {
    200: {"content": {"text/turtle": {}, "application/ld+json": {}, "text/csv": {}}}
}
ONTOLOGY_TYPES: Responses = {
    200: {
        "content": {
            "text/turtle": {"example": "@prefix pkg: <https://w3id.org/policykg/ontology#> ."}
        }
    }
}


def _repository(request: Request) -> Repository:
    repo: Repository = request.app.state.repository
    return repo


Repo = Annotated[Repository, Depends(_repository)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


router = APIRouter()


@router.get("/health", tags=["service"], response_model=schemas.Health, responses=UNAVAILABLE)
async def health(repo: Repo) -> JSONResponse:
    """Service status: whether Neo4j answers and which graph version is loaded (503 if down)."""
    try:
        v = await repo.version(fresh=True)
    except Neo4jUnavailable:
        body = schemas.Health(status="unavailable", neo4j="down", graph_version=None)
        return JSONResponse(
            body.model_dump(mode="json"),
            status_code=503,
            headers={"Retry-After": str(problems.RETRY_AFTER_S)},
        )
    body = schemas.Health(
        status="ok",
        neo4j="up",
        graph_version=v.version,
        loaded_at=v.loaded_at.to_native() if v.loaded_at is not None else None,
        nodes=v.nodes,
        relationships=v.relationships,
    )
    return JSONResponse(body.model_dump(mode="json"))


@router.get(
    "/documents", tags=["documents"], response_model=schemas.Documents, responses=UNAVAILABLE
)
async def documents(repo: Repo) -> schemas.Documents:
    """The policy documents in the graph."""
    return await repo.documents()


@router.get(
    "/documents/{id}", tags=["documents"], response_model=schemas.DocumentDetail,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def document(
    repo: Repo, id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=["gd2021"])]
) -> schemas.DocumentDetail:
    """One document with its outline: parts, their groups, and the items of each."""
    return await repo.document(id)


def _item_routes(kind: Literal["measure", "task"], plural: str, example: str) -> None:
    async def list_items(
        repo: Repo,
        doc: Filter = None,
        agency: Filter = None,
        role: Annotated[Literal["lead", "shared", "implementing"] | None, Query()] = None,
        technology: Filter = None,
        region: Filter = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.Items:
        return await repo.items(
            kind=kind, doc=doc, agency=agency, role=role, technology=technology,
            region=region, limit=limit, offset=offset,
        )  # fmt: skip

    list_items.__doc__ = (
        f"List {plural}, filtered by document, agency (optionally in a role), technology "
        "(including narrower concepts) and region (including places inside it)."
    )
    router.add_api_route(
        f"/{plural}", list_items, methods=["GET"], tags=[plural], response_model=schemas.Items,
        responses=UNAVAILABLE, name=f"list_{plural}",
    )  # fmt: skip

    async def get_item(
        repo: Repo,
        id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=[example])],
    ) -> schemas.ItemDetail:
        return await repo.item(id, kind)

    get_item.__doc__ = (
        f"One {kind}: number, title, original and Simplified text, part and group, agencies "
        "with roles, technologies, regions and programmes."
    )
    router.add_api_route(
        f"/{plural}/{{id}}", get_item, methods=["GET"], tags=[plural],
        response_model=schemas.ItemDetail, responses=NOT_FOUND | UNAVAILABLE, name=f"get_{kind}",
    )  # fmt: skip


_item_routes("measure", "measures", "gd2021-m12")
_item_routes("task", "tasks", "gd2025-t05")


@router.get(
    "/measures/{id}/successors", tags=["mappings"], response_model=schemas.Mappings,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def successors(
    repo: Repo,
    id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=["gd2021-m07"])],
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.0,
    accepted_only: bool = False,
) -> schemas.Mappings:
    """A measure's candidate successors, best first, with scores and evidence."""
    if not await repo.item_exists(id, "measure"):
        raise NotFound("measure", id)
    return await repo.links(id, successors=True, min_score=min_score, accepted_only=accepted_only)


@router.get(
    "/tasks/{id}/predecessors", tags=["mappings"], response_model=schemas.Mappings,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def predecessors(
    repo: Repo,
    id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=["gd2025-t03"])],
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.0,
    accepted_only: bool = False,
) -> schemas.Mappings:
    """A task's candidate predecessors, best first, with scores and evidence."""
    if not await repo.item_exists(id, "task"):
        raise NotFound("task", id)
    return await repo.links(id, successors=False, min_score=min_score, accepted_only=accepted_only)


@router.get("/agencies", tags=["agencies"], response_model=schemas.Agencies, responses=UNAVAILABLE)
async def agencies(repo: Repo, limit: Limit = 50, offset: Offset = 0) -> schemas.Agencies:
    """Agencies with their parent body and how many tasks they lead, share and implement."""
    return await repo.agencies(limit, offset)


@router.get(
    "/agencies/{id}", tags=["agencies"], response_model=schemas.AgencyDetail,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def agency(
    repo: Repo,
    id: Annotated[
        str,
        PathParam(pattern=ID_PATTERN, examples=["gd-industry-information-technology-department"]),
    ],
) -> schemas.AgencyDetail:
    """One agency: names (registry aliases and the forms the texts write), parent body, and
    its items by role."""
    return await repo.agency(id)


@router.get(
    "/technologies", tags=["technologies"], response_model=schemas.Concepts, responses=UNAVAILABLE
)
async def technologies(repo: Repo, limit: Limit = 50, offset: Offset = 0) -> schemas.Concepts:
    """Technology concepts with how many items name each directly."""
    return await repo.technologies(limit, offset)


@router.get(
    "/technologies/{id}", tags=["technologies"], response_model=schemas.TechnologyDetail,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def technology(
    repo: Repo,
    id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=["artificial-intelligence"])],
) -> schemas.TechnologyDetail:
    """One technology: broader and narrower concepts, and the items naming it or anything
    narrower."""
    return await repo.technology(id)


@router.get("/regions", tags=["regions"], response_model=schemas.Regions, responses=UNAVAILABLE)
async def regions(repo: Repo, limit: Limit = 50, offset: Offset = 0) -> schemas.Regions:
    """Places in the gazetteer with how many items name each directly."""
    return await repo.regions(limit, offset)


@router.get(
    "/regions/{id}", tags=["regions"], response_model=schemas.RegionDetail,
    responses=NOT_FOUND | UNAVAILABLE,
)  # fmt: skip
async def region(
    repo: Repo,
    id: Annotated[str, PathParam(pattern=ID_PATTERN, examples=["guangzhou"])],
) -> schemas.RegionDetail:
    """One place: what it lies within, the places inside it, and the items naming any of them."""
    return await repo.region(id)


@router.get(
    "/mappings",
    tags=["mappings"],
    response_model=schemas.Mappings,
    responses=NOT_FOUND | UNAVAILABLE,
)
async def mappings(
    repo: Repo,
    source: Annotated[str, Query(pattern=ID_PATTERN, examples=["gd2021"])] = "gd2021",
    target: Annotated[str, Query(pattern=ID_PATTERN, examples=["gd2025"])] = "gd2025",
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.0,
    accepted_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.Mappings:
    """Scored links from the source document's items to the target's, with evidence."""
    for key in (source, target):
        if not await repo.document_exists(key):
            raise NotFound("document", key)
    return await repo.mappings(source, target, min_score, accepted_only, limit, offset)


@router.get(
    "/coverage",
    tags=["mappings"],
    response_model=schemas.Coverage,
    responses=NOT_FOUND | UNAVAILABLE,
)
async def coverage(
    repo: Repo,
    source: Annotated[str, Query(pattern=ID_PATTERN, examples=["gd2021"])] = "gd2021",
    target: Annotated[str, Query(pattern=ID_PATTERN, examples=["gd2025"])] = "gd2025",
) -> schemas.Coverage:
    """Source items with no accepted successor (dropped or absorbed) and target items with no
    accepted predecessor (new), each with its best candidate."""
    for key in (source, target):
        if not await repo.document_exists(key):
            raise NotFound("document", key)
    return await repo.coverage(source, target)


@router.get("/search", tags=["search"], response_model=schemas.SearchResults, responses=UNAVAILABLE)
async def search(
    repo: Repo,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["數據要素"])],
    limit: Limit = 20,
    offset: Offset = 0,
) -> schemas.SearchResults:
    """Full-text search over measures and tasks; Simplified and Traditional queries find the
    same items. Each hit has a snippet with the matches in <mark>."""
    if not q.strip():
        raise RequestValidationError(
            [{"loc": ("query", "q"), "msg": "the query is blank", "type": "value_error"}]
        )
    return await repo.search(q, limit, offset)


@router.post(
    "/cypher", tags=["cypher"], response_model=schemas.CypherResult,
    responses=CYPHER_ERRORS | UNAVAILABLE,
)  # fmt: skip
async def cypher(request: Request, body: schemas.CypherRequest) -> schemas.CypherResult:
    """Run a read-only Cypher query of your own, with a time limit and a row cap.

    Writes, schema and administration commands, LOAD CSV, CALL … IN TRANSACTIONS and all but
    a few read-only db.* procedures are refused by the database's own planner and read-only
    transactions."""
    settings = _settings(request)
    repo = _repository(request)
    outcome = await run_cypher(
        repo.driver, repo.database, body.query, body.parameters,
        timeout_s=settings.cypher_timeout_s, row_cap=settings.cypher_row_cap,
    )  # fmt: skip
    return schemas.CypherResult(
        columns=outcome.columns, rows=outcome.rows, truncated=outcome.truncated,
        notice=outcome.notice,
    )  # fmt: skip


@router.get(
    "/ontology", tags=["export"], response_class=Response, responses=ONTOLOGY_TYPES,
)  # fmt: skip
async def ontology() -> Response:
    """The ontology (OWL, Turtle)."""
    return Response(ONTOLOGY_FILE.read_text(encoding="utf-8"), media_type="text/turtle")


@router.get(
    "/export", tags=["export"], response_class=Response, responses=EXPORT_TYPES | UNAVAILABLE,
)  # fmt: skip
async def export(
    request: Request,
    format: Annotated[Literal["turtle", "jsonld", "csv"], Query(examples=["turtle"])] = "turtle",
) -> Response:
    """The whole graph as loaded in Neo4j: Turtle, JSON-LD, or CSV triples
    (subject, predicate, object, datatype, language)."""
    settings = _settings(request)
    repo = _repository(request)
    version = (await repo.version()).version or "none"
    cache: dict[tuple[str, str], Response] = request.app.state.exports
    if (version, format) not in cache:
        graph = await asyncio.to_thread(_export_sync, settings)
        if format == "turtle":
            response = Response(to_turtle(graph), media_type="text/turtle")
        elif format == "jsonld":
            response = Response(
                to_jsonld(graph, settings.iri_base), media_type="application/ld+json"
            )
        else:
            response = Response(_csv(graph), media_type="text/csv")
        cache.clear()
        cache[(version, format)] = response
    return cache[(version, format)]


def _export_sync(settings: Settings) -> Graph:
    driver = open_driver(connection_for(settings))
    try:
        return export_graph(driver, settings.neo4j_database)
    finally:
        driver.close()


def _csv(graph: Graph) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object", "datatype", "language"])
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if isinstance(o, RdfLiteral):
            writer.writerow([s, p, str(o), o.datatype or "", o.language or ""])
        else:
            writer.writerow([s, p, o, "", ""])
    return out.getvalue()


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with every error documented as problem details."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(title=app.title, version=app.version, summary=app.summary,
                       routes=app.routes)  # fmt: skip
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = schemas.Problem.model_json_schema()
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = {"422": "Invalid parameter", "500": "Internal error"}
            if path != "/ontology":
                codes["503"] = "Neo4j unreachable (with Retry-After)"
            if "{id}" in path or path in ("/mappings", "/coverage"):
                codes["404"] = "Unknown id"
            if path == "/cypher":
                codes |= {"400": "Not valid Cypher", "403": "Writes or reaches outside the graph"}
            for code, description in codes.items():
                existing = responses.get(code, {})
                responses[code] = {"description": existing.get("description", description),
                                   "content": problem}  # fmt: skip
    app.openapi_schema = spec
    return spec


def create_app(settings: Settings) -> FastAPI:
    """The application for ``settings``: driver created at start-up, closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        connection = connection_for(settings)
        driver = neo4j.AsyncGraphDatabase.driver(
            connection.uri,
            auth=connection.auth,
            max_connection_pool_size=64,
            connection_acquisition_timeout=5.0,
            # fail fast when Neo4j is down, so the API answers 503 at once instead of
            # retrying for the driver's default 30 s
            connection_timeout=2.0,
            max_transaction_retry_time=1.0,
            notifications_min_severity="OFF",
        )
        app.state.repository = Repository(driver, connection.database)
        try:
            yield
        finally:
            await driver.close()

    app = FastAPI(
        title="policykg",
        version=policykg.__version__,
        summary="How Guangdong's 2021 digital-development measures map onto the 2025 tasks, "
        "who is responsible, and which technologies and places they concern.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.exports = {}
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    problems.install(app)
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
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

        @app.get("/", include_in_schema=False)
        async def explorer() -> FileResponse:
            return FileResponse(STATIC / "index.html")

    return app


def create_app_from_environment() -> FastAPI:
    """The application with settings read from the environment: the entry point for
    ``uvicorn --factory`` when the API runs in several worker processes."""
    from policykg.settings import load_settings

    return create_app(load_settings())
