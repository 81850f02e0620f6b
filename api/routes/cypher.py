"""``POST /cypher``: a researcher's own read-only Cypher (see :mod:`api.cypher`)."""

from fastapi import APIRouter

from api import schemas
from api.deps import CypherDep
from api.responses import errors

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher", response_model=schemas.CypherResult, responses=errors(400, 403, 422, 429, 503)
)
async def cypher(service: CypherDep, body: schemas.CypherRequest) -> schemas.CypherResult:
    """Run a read-only Cypher query of your own, within a time limit, a row cap and a byte
    limit on the result, a few at a time.

    Writes, schema and administration commands, LOAD CSV, CALL … IN TRANSACTIONS and all but
    a few read-only db.* procedures are refused by the database's own planner and read-only
    transactions; planner options, syntax nested deep enough to break the parser and list
    expressions too large for the server to interrupt are refused before they reach it."""
    outcome = await service.run(body.query, body.parameters)
    return schemas.CypherResult(
        columns=outcome.columns, rows=outcome.rows, truncated=outcome.truncated,
        truncated_by=outcome.truncated_by, notice=outcome.notice,
    )  # fmt: skip
