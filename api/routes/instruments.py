"""``/instruments/mix``: the Rothwell-Zegveld instrument mix of each document, by type or
sub-tool, for the whole document or per part or lead agency."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api import schemas
from api.deps import RepoDep, document_key
from api.responses import errors

router = APIRouter(prefix="/instruments", tags=["instruments"])


@router.get("/mix", response_model=schemas.InstrumentMix, responses=errors(404, 503))
async def instrument_mix(
    repo: RepoDep,
    by: Annotated[
        Literal["document", "part", "agency"],
        Query(description="one row set per document, or per part, or per lead agency (牵头)"),
    ] = "document",
    level: Annotated[
        Literal["type", "tool"],
        Query(description="count by type (supply, environment, demand) or by sub-tool"),
    ] = "type",
    doc: Annotated[str | None, document_key("gd2025")] = None,
    main_only: Annotated[
        bool, Query(description="count only each clause's main (first) instrument")
    ] = False,
) -> schemas.InstrumentMix:
    """How many instrument codes of each type (or sub-tool) each document's clauses carry,
    with their share of the document's codes (or of its part's, or of the tasks an agency
    leads: the 2021 opinion names no lead agencies). Clauses that use no instrument are the
    rows of type ``none``. Compare the years to see the mix move, e.g. from supply to
    environment."""
    if doc is not None:
        await repo.require_document(doc)
    return await repo.instrument_mix(by, level, doc, main_only)
