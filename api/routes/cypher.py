"""``POST /cypher``: a researcher's own read-only Cypher (see :mod:`api.cypher`)."""

from fastapi import APIRouter, Response

from api import schemas
from api.deps import CypherDep, RepoDep, SettingsDep
from api.responses import errors

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher", response_model=schemas.CypherResult, responses=errors(400, 403, 422, 429, 503)
)
async def cypher(
    service: CypherDep,
    repo: RepoDep,
    settings: SettingsDep,
    body: schemas.CypherRequest,
    response: Response,
) -> schemas.CypherResult:
    """Run a read-only Cypher query of your own, within a time limit, a row cap and a byte
    limit on the result, a few at a time.

    Writes, schema and administration commands, LOAD CSV, CALL … IN TRANSACTIONS and all but
    a few read-only db.* procedures are refused by the database's own planner and read-only
    transactions; planner options, syntax nested deep enough to break the parser and list
    expressions too large for the server to interrupt are refused before they reach it.

    A complete result is kept until the next load of the graph: the same query with the same
    parameters is then answered from memory (header ``X-Cache: hit``)."""
    version = (await repo.version()).version if settings.api_cache else None
    outcome = await service.run(body.query, body.parameters, version or None)
    if outcome.cached:
        response.headers["X-Cache"] = "hit"
    return schemas.CypherResult(
        columns=outcome.columns, rows=outcome.rows, truncated=outcome.truncated,
        truncated_by=outcome.truncated_by, notice=outcome.notice,
    )  # fmt: skip
