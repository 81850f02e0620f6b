"""``/series``, ``/chains/{id}`` and ``/agencies/{id}/history``: documents in order, what
became of an item through them, and an agency through its reorganisations."""

from typing import Annotated

from fastapi import APIRouter

from api import series_reads
from api import series_schemas as ss
from api.deps import RepoDep, ident
from api.responses import errors

router = APIRouter(tags=["series"])


@router.get("/series", response_model=ss.SeriesList, responses=errors(503))
async def series(repo: RepoDep) -> ss.SeriesList:
    """Every series of documents (an opinion and the yearly plans that carry it out), in order."""
    return await series_reads.series(repo)


@router.get("/chains/{id}", response_model=ss.Chain, responses=errors(404, 503))
async def chain(repo: RepoDep, id: Annotated[str, ident("gd2021-m07")]) -> ss.Chain:
    """What became of a measure (or any item) document by document through the rest of its
    series: each step's accepted links with the clause evidence behind them."""
    return await series_reads.chain(repo, id)


@router.get("/agencies/{id}/history", response_model=ss.AgencyHistory, responses=errors(404, 503))
async def agency_history(
    repo: RepoDep, id: Annotated[str, ident("gd-government-services-data-administration")]
) -> ss.AgencyHistory:
    """An agency through its reorganisations: the names in force at each date (predecessors
    and successors), and the roles each body played in each document."""
    return await series_reads.agency_history(repo, id)
