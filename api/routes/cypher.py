"""``POST /cypher``: a researcher's own read-only Cypher (see :mod:`api.cypher`)."""

from fastapi import APIRouter

from api import schemas
from api.cypher import run_cypher
from api.deps import RepoDep, SettingsDep
from api.responses import errors

router = APIRouter(tags=["cypher"])


@router.post("/cypher", response_model=schemas.CypherResult, responses=errors(400, 403, 422, 503))
async def cypher(
    repo: RepoDep, settings: SettingsDep, body: schemas.CypherRequest
) -> schemas.CypherResult:
    """Run a read-only Cypher query of your own, with a time limit and a row cap.

    Writes, schema and administration commands, LOAD CSV, CALL … IN TRANSACTIONS and all but
    a few read-only db.* procedures are refused by the database's own planner and read-only
    transactions."""
    outcome = await run_cypher(
        repo.driver, repo.database, body.query, body.parameters,
        timeout_s=settings.cypher_timeout_s, row_cap=settings.cypher_row_cap,
    )  # fmt: skip
    return schemas.CypherResult(
        columns=outcome.columns, rows=outcome.rows, truncated=outcome.truncated,
        notice=outcome.notice,
    )  # fmt: skip
