"""``/health``: whether Neo4j answers, and which graph version is loaded."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api import schemas
from api.deps import RepoDep
from api.problems import RETRY_AFTER_S
from api.responses import errors
from core.errors import Neo4jUnavailable

router = APIRouter(tags=["service"])


@router.get("/health", response_model=schemas.Health, responses=errors(503))
async def health(repo: RepoDep) -> JSONResponse:
    """Service status: whether Neo4j answers and which graph version is loaded (503 if down)."""
    try:
        v = await repo.version(fresh=True)
    except Neo4jUnavailable:
        body = schemas.Health(status="unavailable", neo4j="down", graph_version=None)
        return JSONResponse(
            body.model_dump(mode="json"),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
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
