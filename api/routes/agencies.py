"""``/agencies``: the bodies responsible for the work, and their roles."""

from typing import Annotated

from fastapi import APIRouter

from api import schemas
from api.deps import Limit, Offset, RepoDep, ident
from api.responses import errors

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=schemas.Agencies, responses=errors(503))
async def agencies(repo: RepoDep, limit: Limit = 50, offset: Offset = 0) -> schemas.Agencies:
    """Agencies with their parent body and how many tasks they lead, share and implement."""
    return await repo.agencies(limit, offset)


@router.get("/{id}", response_model=schemas.AgencyDetail, responses=errors(404, 503))
async def agency(
    repo: RepoDep,
    id: Annotated[str, ident("gd-industry-information-technology-department")],
) -> schemas.AgencyDetail:
    """One agency: names (registry aliases and the forms the texts write), parent body, and
    its items by role."""
    return await repo.agency(id)
