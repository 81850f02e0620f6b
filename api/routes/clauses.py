"""``/clauses/{id}``: one sentence of a measure or task, and where it went."""

from typing import Annotated

from fastapi import APIRouter

from api import schemas
from api.deps import RepoDep, ident
from api.responses import errors

router = APIRouter(prefix="/clauses", tags=["clauses"])


@router.get("/{id}", response_model=schemas.ClauseDetail, responses=errors(404, 503))
async def clause(
    repo: RepoDep, id: Annotated[str, ident("gd2021-m06-c04")]
) -> schemas.ClauseDetail:
    """One clause: its text in both scripts and its span in the original file, what it names,
    the later clauses it may continue in and the earlier ones it may carry on, each with the
    model's probability, whether it was accepted, and the signals behind it."""
    return await repo.clause(id)
